/*
 * The test core of testcore.h: the transaction layer, the b2b and the
 * script on a manual clock, the resolver on its own event_base and
 * real-clock timers, and the fakes around them: a transport that
 * records every send, the peers' messages parsed and handed to the
 * transaction layer, and a log sink that keeps every line. Recorded
 * copies live in plain malloc blocks, so util/mem counts only the core's.
 *
 * Uses: script.h, b2b.h, txn.h, txn_route.h, resolve.h (the layers),
 * timer.h (both clocks), log.h, mem.h, libevent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "tandem/b2b.h"
#include "tandem/log.h"
#include "tandem/media.h"
#include "tandem/mem.h"
#include "tandem/resolve.h"
#include "tandem/script.h"
#include "tandem/txn.h"
#include "testcore.h"

#define RESOLVER_WAIT_MS 2000 /* wall time for numeric lookups to end */
#define SETTLE_ROUNDS    100
/* The relay's ports: loopback, below the e2e runs' media blocks. */
#define TESTCORE_RTP_MIN 9000
#define TESTCORE_RTP_MAX 9199

struct tnd_testcore {
	struct tnd_timers timers;  /* manual: the layers' */
	struct tnd_timers rtimers; /* real clock: the resolver's */
	struct event_base *base;
	struct net_resolver *resolver;
	struct txn_layer *txn;
	struct b2b *b2b;
	struct media_relay *media; /* real sockets on loopback */
	struct script *script;
	struct tnd_testcore_send *sends;
	size_t nsends, sends_cap;
	char **logs;
	size_t nlogs, logs_cap;
};

/* `arr` (of `n` elements of `size` bytes, room for *cap) with room for
 * one more: the same, a larger block, or NULL when it cannot grow. */
static void *room_for_one(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t want = *cap ? *cap * 2 : 64;
	void *bigger;

	if (n < *cap)
		return arr;
	if (!(bigger = realloc(arr, want * size)))
		return NULL;
	*cap = want;
	return bigger;
}

/* ---- peers -------------------------------------------------------------- */

static const char *transport_name(enum net_transport t)
{
	return t == NET_UDP ? "udp" : t == NET_TCP ? "tcp" : "tls";
}

/* "udp:127.0.0.1:5070" (IPv4 only) into *out. */
static int peer_parse(const char *text, struct net_peer *out)
{
	struct sockaddr_in *in = (struct sockaddr_in *)&out->addr;
	char ip[INET_ADDRSTRLEN];
	unsigned port;
	char tp[4];
	int used = 0;

	memset(out, 0, sizeof(*out));
	if (sscanf(text, "%3[a-z]:%15[0-9.]:%5u%n", tp, ip, &port, &used) !=
		3 ||
	    text[used] || port == 0 || port > 65535 ||
	    inet_pton(AF_INET, ip, &in->sin_addr) != 1)
		return EINVAL;
	if (!strcmp(tp, "udp"))
		out->transport = NET_UDP;
	else if (!strcmp(tp, "tcp"))
		out->transport = NET_TCP;
	else if (!strcmp(tp, "tls"))
		out->transport = NET_TLS;
	else
		return EINVAL;
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	out->addrlen = sizeof(*in);
	if (out->transport != NET_UDP)
		out->conn = port;
	return 0;
}

static void peer_print(const struct net_peer *p, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	if (p->addr.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&p->addr;

		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		port = ntohs(in->sin_port);
	} else if (p->addr.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)&p->addr;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		port = ntohs(in6->sin6_port);
	}
	snprintf(buf, size, "%s:%s:%u", transport_name(p->transport), ip, port);
}

/* ---- the fakes ---------------------------------------------------------- */

static int record_send(void *arg, const struct net_peer *to, const char *data,
		       size_t len)
{
	struct tnd_testcore *tc = arg;
	struct tnd_testcore_send *sends, *s;
	char *copy;

	sends =
	    room_for_one(tc->sends, &tc->sends_cap, tc->nsends, sizeof(*sends));
	if (!sends || !(copy = malloc(len + 1)))
		return ENOBUFS;
	tc->sends = sends;
	memcpy(copy, data, len);
	copy[len] = '\0';
	s = &tc->sends[tc->nsends++];
	*s = (struct tnd_testcore_send){ .data = copy,
					 .len = len,
					 .at_ms = tnd_timers_now(&tc->timers) };
	peer_print(to, s->to, sizeof(s->to));
	return 0;
}

static void capture_log(enum tnd_log_level level, const char *line, void *arg)
{
	static const char letters[] = "EWID";
	struct tnd_testcore *tc = arg;
	size_t size = strlen(line) + 3;
	char **logs, *copy;

	logs = room_for_one(tc->logs, &tc->logs_cap, tc->nlogs, sizeof(*logs));
	if (!logs || !(copy = malloc(size)))
		return;
	tc->logs = logs;
	snprintf(copy, size, "%c %s", letters[level], line);
	tc->logs[tc->nlogs++] = copy;
}

static int local_addr(void *arg, enum net_transport transport, int family,
		      char *host, size_t size, uint16_t *port)
{
	(void)arg;
	if (family != AF_INET)
		return ENOTSUP;
	snprintf(host, size, "192.0.2.1");
	*port = transport == NET_TLS ? 5061 : 5060;
	return 0;
}

static void to_b2b(void *arg, struct txn *st, const struct sip_msg *req,
		   const struct net_peer *from)
{
	struct tnd_testcore *tc = arg;

	b2b_on_request(tc->b2b, st, req, from);
}

/* ---- the loop ----------------------------------------------------------- */

static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Runs what is due now and every resolver callback, until quiet. */
static int settle(struct tnd_testcore *tc)
{
	for (int i = 0; i < SETTLE_ROUNDS; i++) {
		uint64_t fired = tnd_timers_run(&tc->timers);
		uint64_t end = wall_ms() + RESOLVER_WAIT_MS;

		if (!net_resolver_pending(tc->resolver)) {
			if (!fired)
				return 0;
			continue;
		}
		while (net_resolver_pending(tc->resolver) && wall_ms() < end)
			event_base_loop(tc->base,
					EVLOOP_ONCE | EVLOOP_NONBLOCK);
		if (net_resolver_pending(tc->resolver))
			return ETIME;
	}
	return ELOOP;
}

int tnd_testcore_advance(struct tnd_testcore *tc, uint64_t ms)
{
	uint64_t end = tnd_timers_now(&tc->timers) + ms;
	int rc = settle(tc);

	while (!rc) {
		int64_t delay = tnd_timers_next_delay(&tc->timers);
		uint64_t now = tnd_timers_now(&tc->timers);

		if (delay < 0 || now + (uint64_t)delay > end) {
			tnd_timers_advance(&tc->timers, end - now);
			break;
		}
		tnd_timers_advance(&tc->timers, (uint64_t)delay);
		rc = settle(tc);
	}
	return rc;
}

uint64_t tnd_testcore_now(const struct tnd_testcore *tc)
{
	return tnd_timers_now(&tc->timers);
}

int tnd_testcore_inject(struct tnd_testcore *tc, const char *text, size_t len,
			const char *from, char *err, size_t errlen)
{
	struct sip_parse_error perr = { 0 };
	struct sip_msg *msg = NULL;
	struct net_peer peer;
	int rc;

	if (peer_parse(from, &peer)) {
		snprintf(err, errlen, "bad peer \"%s\"", from);
		return EINVAL;
	}
	rc = sip_msg_parse(NULL, text, len, &msg, &perr);
	if (rc) {
		sip_msg_free(msg);
		snprintf(err, errlen, "does not parse: %s at %zu",
			 perr.what ? perr.what : "?", perr.offset);
		return EBADMSG;
	}
	txn_layer_receive(tc->txn, msg, &peer);
	return settle(tc);
}

/* ---- the core ----------------------------------------------------------- */

static int open_layers(struct tnd_testcore *tc, const char *dialplan, char *err,
		       size_t errlen)
{
	struct net_resolver_config rcfg = { .servers = "127.0.0.1:9" };
	struct txn_io io = { .send = record_send, .arg = tc };
	struct script_config scfg = { .path = dialplan };
	struct b2b_env env = { .timers = &tc->timers };
	struct media_config mcfg = media_config_default;
	struct b2b_hooks hooks;
	int rc;

	mcfg.bind_addr = "127.0.0.1";
	mcfg.port_min = TESTCORE_RTP_MIN;
	mcfg.port_max = TESTCORE_RTP_MAX;
	if (!(tc->base = event_base_new()))
		return ENOMEM;
	if ((rc = net_resolver_new(tc->base, &tc->rtimers, &rcfg,
				   &tc->resolver)) ||
	    (rc = txn_layer_new(&txn_config_default, &tc->timers, io,
				(struct txn_tu){ to_b2b, tc }, &tc->txn))) {
		snprintf(err, errlen, "cannot start the layers: %s",
			 strerror(rc));
		return rc;
	}
	if ((rc = script_new(&scfg, &tc->timers, &tc->script, err, errlen)))
		return rc;
	if ((rc = media_relay_new(tc->base, &tc->timers, &mcfg, &tc->media))) {
		snprintf(err, errlen, "cannot start the relay: %s",
			 strerror(rc));
		return rc;
	}
	env.media = tc->media;
	env.route = (struct txn_route_env){ .layer = tc->txn,
					    .resolver = tc->resolver,
					    .local = local_addr,
					    .local_arg = tc };
	hooks = script_hooks(tc->script);
	if ((rc = b2b_new(&b2b_config_default, &env, &hooks, &tc->b2b)))
		snprintf(err, errlen, "cannot start the b2b: %s", strerror(rc));
	return rc;
}

struct tnd_testcore *tnd_testcore_new(const char *dialplan, char *err,
				      size_t errlen)
{
	struct tnd_testcore *tc = calloc(1, sizeof(*tc));

	if (!tc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tnd_timers_init_manual(&tc->timers, 0);
	tnd_timers_init(&tc->rtimers, tnd_clock_monotonic);
	tnd_log_set_level(TND_LOG_INFO);
	tnd_log_set_sink(capture_log, tc);
	if (open_layers(tc, dialplan, err, errlen)) {
		tnd_testcore_free(tc);
		return NULL;
	}
	return tc;
}

void tnd_testcore_free(struct tnd_testcore *tc)
{
	if (!tc)
		return;
	b2b_free(tc->b2b);
	media_relay_free(tc->media);
	script_free(tc->script);
	txn_layer_free(tc->txn);
	net_resolver_free(tc->resolver);
	if (tc->base)
		event_base_free(tc->base);
	tnd_log_set_sink(NULL, NULL);
	for (size_t i = 0; i < tc->nsends; i++)
		free((char *)tc->sends[i].data);
	for (size_t i = 0; i < tc->nlogs; i++)
		free(tc->logs[i]);
	free(tc->sends);
	free(tc->logs);
	free(tc);
}

size_t tnd_testcore_sent_count(const struct tnd_testcore *tc)
{
	return tc->nsends;
}

int tnd_testcore_sent(const struct tnd_testcore *tc, size_t i,
		      struct tnd_testcore_send *out)
{
	if (i >= tc->nsends)
		return ENOENT;
	*out = tc->sends[i];
	return 0;
}

size_t tnd_testcore_log_count(const struct tnd_testcore *tc)
{
	return tc->nlogs;
}

const char *tnd_testcore_log(const struct tnd_testcore *tc, size_t i)
{
	return i < tc->nlogs ? tc->logs[i] : NULL;
}

size_t tnd_testcore_live_calls(const struct tnd_testcore *tc)
{
	return b2b_live_calls(tc->b2b);
}

int tnd_testcore_reload(struct tnd_testcore *tc, char *err, size_t errlen)
{
	return script_reload(tc->script, err, errlen);
}

size_t tnd_testcore_live_blocks(void)
{
	return tnd_mem_live_blocks();
}
