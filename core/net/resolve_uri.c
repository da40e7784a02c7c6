/*
 * One lookup, from URI to answer. The plan reads the URI once (RFC 3263
 * §4.1 and §4.2): TARGET (maddr, else the host), the transport when the
 * URI fixes it, the port when it names one. The lookup then runs in
 * phases, each a batch of queries sent together that ends with its last
 * answer: NAPTR (which transports, which SRV names), SRV (which
 * servers), addresses. A phase that finds nothing falls back as §4.1
 * and §4.2 say. The answer is handed over from the lookup's own event,
 * so no callback runs inside net_resolve_uri or inside c-ares.
 *
 * A cancelled lookup with queries in flight stays linked, without its
 * callback, until the last of them ends: c-ares cannot take back one
 * query, and its answer must find the lookup still there.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tandem/mem.h"
#include "resolve_int.h"

static uint16_t default_port(enum net_transport t)
{
	return t == NET_TLS ? RESOLVE_SIPS_PORT : RESOLVE_SIP_PORT;
}

static bool allowed(const struct net_resolve *lk, enum net_transport t)
{
	return (lk->res->cfg.transports & NET_RESOLVE_TRANSPORT(t)) != 0;
}

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == ':';
}

/* RFC 3263 §4: maddr, when present, is what gets resolved. */
static int plan_target(struct net_resolve *lk, const struct sip_uri *uri)
{
	struct tnd_slice t = uri->host, maddr;

	if (sip_uri_param(uri, "maddr", &maddr)) {
		t = maddr;
		if (t.len >= 2 && t.p[0] == '[' && t.p[t.len - 1] == ']') {
			t.p++;
			t.len -= 2;
		}
	}
	if (!t.len || t.len >= RESOLVE_NAME_MAX)
		return EINVAL;
	for (size_t i = 0; i < t.len; i++) {
		if (!name_char_ok(t.p[i]))
			return EINVAL;
	}
	memcpy(lk->target, t.p, t.len);
	lk->target[t.len] = '\0';
	return 0;
}

/*
 * The transport the URI fixes, if any. RFC 3261 §26.2.2: a SIPS URI
 * with transport=tcp means TLS over TCP, and SIPS never goes over UDP.
 */
static int plan_transport(struct net_resolve *lk, const struct sip_uri *uri,
			  bool *fixed, enum net_transport *t)
{
	struct tnd_slice v;

	*fixed = sip_uri_param(uri, "transport", &v);
	if (!*fixed)
		return 0;
	if (tnd_slice_caseeq_cstr(v, "udp") && !lk->sips)
		*t = NET_UDP;
	else if (tnd_slice_caseeq_cstr(v, "udp"))
		return EINVAL;
	else if (tnd_slice_caseeq_cstr(v, "tcp"))
		*t = lk->sips ? NET_TLS : NET_TCP;
	else if (tnd_slice_caseeq_cstr(v, "tls"))
		*t = NET_TLS;
	else
		return EPROTONOSUPPORT; /* sctp, ws, wss */
	return allowed(lk, *t) ? 0 : EPROTONOSUPPORT;
}

/* §4.1 without NAPTR or SRV: UDP for SIP, TCP (with TLS) for SIPS. */
static int default_transport(const struct net_resolve *lk,
			     enum net_transport *t)
{
	static const enum net_transport sip[] = { NET_UDP, NET_TCP, NET_TLS };

	if (lk->sips) {
		*t = NET_TLS;
		return allowed(lk, NET_TLS) ? 0 : EPROTONOSUPPORT;
	}
	for (size_t i = 0; i < sizeof(sip) / sizeof(sip[0]); i++) {
		if (allowed(lk, sip[i])) {
			*t = sip[i];
			return 0;
		}
	}
	return EPROTONOSUPPORT;
}

static int add_service(struct net_resolve *lk, enum net_transport t)
{
	/* §4.2: "_sips" for TLS, "_sip" otherwise (RFC 2782 names). */
	static const char *const prefix[] = {
		[NET_UDP] = "_sip._udp.",
		[NET_TCP] = "_sip._tcp.",
		[NET_TLS] = "_sips._tcp.",
	};
	struct resolve_service *s = &lk->services[lk->nservices];
	int n =
	    snprintf(s->name, sizeof(s->name), "%s%s", prefix[t], lk->target);

	if (n < 0 || (size_t)n >= sizeof(s->name))
		return EINVAL;
	s->transport = t;
	lk->nservices++;
	return 0;
}

/*
 * The SRV names to ask: the one transport the URI fixes, or (§4.1, no
 * NAPTR) every transport we support, "_sip" for SIP and "_sips" for
 * SIPS URIs; TLS for a SIP URI only when it is all we may use.
 */
static int plan_services(struct net_resolve *lk, bool fixed,
			 enum net_transport t)
{
	int rc = 0;

	if (!(lk->services = tnd_calloc(3, sizeof(*lk->services))))
		return ENOMEM;
	lk->nservices = 0;
	if (fixed || lk->sips)
		return add_service(lk, fixed ? t : NET_TLS);
	if (allowed(lk, NET_UDP))
		rc = add_service(lk, NET_UDP);
	if (!rc && allowed(lk, NET_TCP))
		rc = add_service(lk, NET_TCP);
	if (!rc && !lk->nservices)
		rc = allowed(lk, NET_TLS) ? add_service(lk, NET_TLS)
					  : EPROTONOSUPPORT;
	return rc;
}

static int plan_host(struct net_resolve *lk, const char *name, uint16_t port,
		     enum net_transport t)
{
	if (!(lk->hosts = tnd_calloc(1, sizeof(*lk->hosts))))
		return ENOMEM;
	lk->nhosts = 1;
	strcpy(lk->hosts[0].name, name);
	lk->hosts[0].port = port;
	lk->hosts[0].transport = t;
	return 0;
}

static bool is_ip(const char *name)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, name, buf) == 1 ||
	       inet_pton(AF_INET6, name, buf) == 1;
}

static int plan(struct net_resolve *lk, const struct sip_uri *uri)
{
	enum net_transport t = NET_UDP;
	bool fixed;
	int rc;

	if ((rc = plan_target(lk, uri)) ||
	    (rc = plan_transport(lk, uri, &fixed, &t)))
		return rc;
	if (is_ip(lk->target) || uri->port) {
		/* §4.1, §4.2: numeric, or a port: no NAPTR, no SRV. */
		if (!fixed && (rc = default_transport(lk, &t)))
			return rc;
		lk->phase = RESOLVE_PHASE_ADDR;
		return plan_host(lk, lk->target,
				 uri->port ? uri->port : default_port(t), t);
	}
	if (!fixed && lk->sips && !allowed(lk, NET_TLS))
		return EPROTONOSUPPORT;
	if (!fixed && !lk->res->cfg.disable_naptr) {
		lk->phase = RESOLVE_PHASE_NAPTR;
		return 0;
	}
	lk->phase = RESOLVE_PHASE_SRV;
	return plan_services(lk, fixed, t);
}

static void free_services(struct net_resolve *lk)
{
	for (size_t i = 0; i < lk->nservices; i++)
		tnd_free(lk->services[i].recs);
	tnd_free(lk->services);
	lk->services = NULL;
	lk->nservices = 0;
}

static void free_phases(struct net_resolve *lk)
{
	free_services(lk);
	tnd_free(lk->hosts);
	lk->hosts = NULL;
	lk->nhosts = 0;
}

void net_resolve_destroy(struct net_resolve *lk)
{
	event_del(&lk->done_ev);
	free_phases(lk);
	net_targets_free(lk->result);
	tnd_free(lk);
}

/* The answer is ready: hand it over from the loop, not from here. */
static void finish(struct net_resolve *lk, int err)
{
	if (!err) {
		err = net_targets_build(lk, lk->res->cfg.family, &lk->result);
		/* A failed query explains an empty answer better. */
		if (err == ENOENT && lk->err)
			err = lk->err;
	}
	lk->err = err;
	lk->phase = RESOLVE_PHASE_DONE;
	free_phases(lk);
	event_active(&lk->done_ev, EV_TIMEOUT, 1);
}

static void start(struct net_resolve *lk)
{
	/* Held while sending, so an answer that fails at once cannot end
	 * the phase before its other queries are out. */
	lk->pending++;
	if (lk->phase == RESOLVE_PHASE_NAPTR)
		net_resolve_ask_naptr(lk);
	else if (lk->phase == RESOLVE_PHASE_SRV)
		net_resolve_ask_srv(lk);
	else
		net_resolve_ask_addrs(lk);
	net_resolve_settle(lk);
}

static void after_naptr(struct net_resolve *lk)
{
	int rc;

	if (lk->err) {
		finish(lk, lk->err);
		return;
	}
	/* §4.1: no usable NAPTR records, so SRV for what we support. */
	if (!lk->nservices && (rc = plan_services(lk, false, NET_UDP))) {
		finish(lk, rc);
		return;
	}
	lk->phase = RESOLVE_PHASE_SRV;
	start(lk);
}

static size_t srv_count(const struct net_resolve *lk, bool *unavailable)
{
	size_t n = 0;

	*unavailable = false;
	for (size_t i = 0; i < lk->nservices; i++) {
		n += lk->services[i].nrecs;
		*unavailable |= lk->services[i].unavailable;
	}
	return n < RESOLVE_MAX_HOSTS ? n : RESOLVE_MAX_HOSTS;
}

/* Every SRV record in order becomes a host to resolve. */
static int srv_hosts(struct net_resolve *lk, size_t n)
{
	size_t k = 0;

	if (!(lk->hosts = tnd_calloc(n, sizeof(*lk->hosts))))
		return ENOMEM;
	for (size_t i = 0; i < lk->nservices && k < n; i++) {
		const struct resolve_service *s = &lk->services[i];

		for (size_t j = 0; j < s->nrecs && k < n; j++, k++) {
			strcpy(lk->hosts[k].name, s->recs[j].target);
			lk->hosts[k].port = s->recs[j].port;
			lk->hosts[k].transport = s->transport;
		}
	}
	lk->nhosts = k;
	return 0;
}

static void after_srv(struct net_resolve *lk)
{
	enum net_transport t = lk->services[0].transport;
	bool unavailable;
	size_t n = srv_count(lk, &unavailable);
	int rc;

	if (lk->err) {
		finish(lk, lk->err);
		return;
	}
	if (n)
		rc = srv_hosts(lk, n);
	else if (unavailable) /* RFC 2782: target "." */
		rc = ENOENT;
	else /* §4.2: no SRV, the TARGET's own addresses */
		rc = plan_host(lk, lk->target, default_port(t), t);
	if (rc) {
		finish(lk, rc);
		return;
	}
	free_services(lk);
	lk->phase = RESOLVE_PHASE_ADDR;
	start(lk);
}

void net_resolve_settle(struct net_resolve *lk)
{
	if (--lk->pending)
		return;
	if (!lk->fn) {
		net_resolver_unlink(lk->res, lk);
		net_resolve_destroy(lk);
		return;
	}
	switch (lk->phase) {
	case RESOLVE_PHASE_NAPTR: after_naptr(lk); break;
	case RESOLVE_PHASE_SRV: after_srv(lk); break;
	case RESOLVE_PHASE_ADDR: finish(lk, 0); break;
	case RESOLVE_PHASE_DONE: break;
	}
}

static void on_done(evutil_socket_t fd, short what, void *arg)
{
	struct net_resolve *lk = arg;
	struct net_resolver *res = lk->res;
	net_resolve_fn fn = lk->fn;
	void *fn_arg = lk->arg;
	struct net_targets *targets = lk->err ? NULL : lk->result;
	int err = lk->err;

	(void)fd;
	(void)what;
	lk->result = NULL;
	net_resolver_unlink(res, lk);
	net_resolve_destroy(lk);
	fn(fn_arg, err, targets);
	net_resolver_rearm(res);
}

int net_resolve_uri(struct net_resolver *res, const struct sip_uri *uri,
		    net_resolve_fn fn, void *arg,
		    struct net_resolve **handle_out)
{
	struct net_resolve *lk;
	int rc;

	if (handle_out)
		*handle_out = NULL;
	if (!res || !uri || !fn ||
	    (uri->scheme != SIP_URI_SIP && uri->scheme != SIP_URI_SIPS))
		return EINVAL;
	if (!(lk = tnd_calloc(1, sizeof(*lk))))
		return ENOMEM;
	lk->res = res;
	lk->fn = fn;
	lk->arg = arg;
	lk->sips = uri->scheme == SIP_URI_SIPS;
	lk->naptr_q.lk = lk;
	event_assign(&lk->done_ev, res->base, -1, 0, on_done, lk);
	if ((rc = plan(lk, uri))) {
		net_resolve_destroy(lk);
		return rc;
	}
	net_resolver_link(res, lk);
	start(lk);
	if (handle_out)
		*handle_out = lk;
	net_resolver_rearm(res);
	return 0;
}

void net_resolve_cancel(struct net_resolve *lk)
{
	if (!lk)
		return;
	if (lk->phase == RESOLVE_PHASE_DONE) {
		net_resolver_unlink(lk->res, lk);
		net_resolve_destroy(lk);
		return;
	}
	lk->fn = NULL;
	lk->arg = NULL;
}
