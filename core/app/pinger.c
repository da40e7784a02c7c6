/*
 * The pinger of pinger.h. Owns one struct peer per URI: its text, its
 * timer, the route of the ping in flight and its counters.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tandem/log.h"
#include "tandem/mem.h"
#include "pinger.h"

struct peer {
	struct pinger *pinger;
	char *uri_text;
	struct sip_uri uri; /* slices into uri_text */
	struct tnd_timer timer;
	struct txn_route *route;
	uint32_t cseq;
	bool up, known;
	uint64_t answered, failed;
};

struct pinger {
	struct txn_route_env env;
	struct tnd_timers *timers;
	uint32_t interval_ms;
	size_t n;
	struct peer peers[];
};

static void peer_ping(struct tnd_timer *timer, void *arg);

static void peer_note(struct peer *peer, bool up, const char *why)
{
	if (!peer->known || peer->up != up)
		tnd_log_info("peer %s is %s (%s)", peer->uri_text,
			     up ? "up" : "down", why);
	peer->known = true;
	peer->up = up;
}

static void peer_done(struct peer *peer)
{
	txn_route_free(peer->route);
	peer->route = NULL;
	tnd_timer_start(peer->pinger->timers, &peer->timer,
			peer->pinger->interval_ms, peer_ping, peer);
}

/* Any final answer means the peer is alive (a 404 or 405 included). */
static void on_route(struct txn_route *route, const struct txn_route_event *ev,
		     void *arg)
{
	struct peer *peer = arg;

	(void)route;
	if (ev->kind == TXN_ROUTE_RESPONSE && ev->msg->status < 200)
		return;
	if (ev->kind == TXN_ROUTE_RESPONSE) {
		peer->answered++;
		peer_note(peer, true, sip_reason_phrase(ev->msg->status));
	} else {
		peer->failed++;
		peer_note(peer, false, strerror(ev->error));
	}
	peer_done(peer);
}

static int peer_request(struct peer *peer, struct sip_msg **out)
{
	struct tnd_slice uri = tnd_slice_from_cstr(peer->uri_text);
	char to[300];
	struct sip_request_spec spec = {
		.method = SIP_METHOD_OPTIONS,
		.ruri = uri,
		/* txn_route writes the Via of each try: never sent. */
		.via_host = TND_SLICE_LIT("tandem.invalid"),
		.from = TND_SLICE_LIT("<sip:tandem@invalid>"),
		.to = { to, 0 },
		.cseq = ++peer->cseq,
	};

	spec.to.len = (size_t)snprintf(to, sizeof(to), "<%s>", peer->uri_text);
	return sip_msg_request_new(&spec, out);
}

static void peer_ping(struct tnd_timer *timer, void *arg)
{
	struct peer *peer = arg;
	struct sip_msg *req;
	int rc;

	(void)timer;
	if ((rc = peer_request(peer, &req)) == 0) {
		rc = txn_route_start(&peer->pinger->env, req, &peer->uri,
				     on_route, peer, &peer->route);
		sip_msg_free(req);
	}
	if (rc) {
		peer->failed++;
		peer_note(peer, false, strerror(rc));
		peer_done(peer);
	}
}

static int peer_init(struct pinger *p, struct peer *peer, const char *uri)
{
	size_t len = strlen(uri);

	peer->pinger = p;
	tnd_timer_init(&peer->timer);
	if (len > 255)
		return EINVAL;
	if (!(peer->uri_text = tnd_slice_dup((struct tnd_slice){ uri, len })))
		return ENOMEM;
	if (sip_uri_parse((struct tnd_slice){ peer->uri_text, len }, &peer->uri,
			  NULL))
		return EINVAL;
	tnd_timer_start(p->timers, &peer->timer, 0, peer_ping, peer);
	return 0;
}

int pinger_new(const struct txn_route_env *env, struct tnd_timers *timers,
	       const char *const *uris, size_t n, uint32_t interval_ms,
	       struct pinger **out)
{
	struct pinger *p = tnd_calloc(1, sizeof(*p) + n * sizeof(p->peers[0]));
	int rc = 0;

	*out = NULL;
	if (!p)
		return ENOMEM;
	p->env = *env;
	p->timers = timers;
	p->interval_ms = interval_ms;
	for (; p->n < n && rc == 0; p->n++)
		rc = peer_init(p, &p->peers[p->n], uris[p->n]);
	if (rc) {
		pinger_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void pinger_free(struct pinger *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		tnd_timer_cancel(p->timers, &p->peers[i].timer);
		txn_route_free(p->peers[i].route);
		tnd_free(p->peers[i].uri_text);
	}
	tnd_free(p);
}

uint64_t pinger_answered(const struct pinger *p, size_t i)
{
	return p->peers[i].answered;
}

uint64_t pinger_failed(const struct pinger *p, size_t i)
{
	return p->peers[i].failed;
}
