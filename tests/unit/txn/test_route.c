/*
 * txn_route (RFC 3263 §4.3 failover, RFC 3261 §18.1.1 size rule) through
 * txn_route.h: which targets are tried in which order, over which
 * transport, with which Via, and which events come up. The resolver runs
 * on a real event_base and clock (numeric hosts with no DNS server,
 * names against dnsmasq with the records of resolve_test_util.c); the
 * transaction layer runs on the manual clock of fake_io.h, so timeouts
 * are instants, not waits. Our address is 192.0.2.1:5060 (IPv4) or
 * [2001:db8::1]:5060 (IPv6) for UDP and TCP; there is no TLS listener.
 * "sip:dual.test" gives udp:10.0.3.1:5080 then udp:[fd00::31]:5080.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "fake_io.h"
#include "resolve_test_util.h"
#include "tandem/rand.h"
#include "tandem/txn_route.h"

#define WAIT_MS     2000
#define TIMER_F_MS  (64 * 500) /* RFC 3261 §17.1.2.2: 64*T1 */
#define ROUTE_DUAL  "sip:dual.test"
#define DUAL_FIRST  "udp:10.0.3.1:5080"
#define DUAL_SECOND "udp:[fd00::31]:5080"
#define VIA_UDP4    "SIP/2.0/UDP 192.0.2.1:5060"
#define VIA_TCP4    "SIP/2.0/TCP 192.0.2.1:5060"
#define VIA_UDP6    "SIP/2.0/UDP [2001:db8::1]:5060"

/* A template with two Vias of its own, one in compact form: the route
 * must replace both. */
#define REQUEST(method)                                           \
	method " sip:bob@example.com SIP/2.0\r\n"                 \
	       "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKold1\r\n" \
	       "v: SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKold2\r\n"   \
	       "Max-Forwards: 70\r\n"                             \
	       "From: <sip:alice@example.com>;tag=a1\r\n"         \
	       "To: <sip:bob@example.com>\r\n"                    \
	       "Call-ID: route-1@example.com\r\n"                 \
	       "CSeq: 1 " method "\r\n"                           \
	       "Contact: <sip:alice@192.0.2.1>\r\n"               \
	       "X-Pad: x%.*s\r\n"                                 \
	       "Content-Length: 0\r\n\r\n"

struct route_case {
	struct rt_env rt;   /* event_base, real clock, resolver res[0] */
	struct fake_env *e; /* the txn layer on the manual clock */
	struct txn_route *route;
	bool free_on_event; /* the callback frees the route */
	bool no_ipv6;       /* local_addr has no IPv6 listener */
	char events[256];   /* "503@200 failed(ETIMEDOUT)@64000" */
	int (*body)(struct route_case *t);
};

static const char *errno_name(int err)
{
	switch (err) {
	case ETIMEDOUT: return "ETIMEDOUT";
	case ENOENT: return "ENOENT";
	case ENOTSUP: return "ENOTSUP";
	case ENETUNREACH: return "ENETUNREACH";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case ENOMEM: return "ENOMEM";
	}
	return "other";
}

static void route_drop(struct route_case *t)
{
	txn_route_free(t->route);
	t->route = NULL;
}

static void on_route(struct txn_route *route, const struct txn_route_event *ev,
		     void *arg)
{
	struct route_case *t = arg;
	size_t used = strlen(t->events);
	unsigned long long at = tnd_timers_now(&t->e->timers);
	char tok[64];

	if (ev->kind == TXN_ROUTE_RESPONSE)
		snprintf(tok, sizeof(tok), "%u@%llu", ev->msg->status, at);
	else
		snprintf(tok, sizeof(tok), "failed(%s)@%llu",
			 errno_name(ev->error), at);
	snprintf(t->events + used, sizeof(t->events) - used, "%s%s",
		 used ? " " : "", route == t->route ? tok : "(foreign route)");
	if (t->free_on_event)
		route_drop(t);
}

static int local_addr(void *arg, enum net_transport transport, int family,
		      char *host, size_t size, uint16_t *port)
{
	const struct route_case *t = arg;

	if (transport == NET_TLS)
		return ENOTSUP;
	if (family == AF_INET6 && t->no_ipv6)
		return EAFNOSUPPORT;
	snprintf(host, size, "%s",
		 family == AF_INET6 ? "2001:db8::1" : "192.0.2.1");
	*port = 5060;
	return 0;
}

/* txn_route_start(req_take, uri) into t->route; frees req_take. */
static int start_rc(struct route_case *t, struct sip_msg *req_take,
		    const char *uri)
{
	struct txn_route_env env = { t->e->layer, t->rt.res[0], local_addr, t };
	struct sip_parse_error perr;
	struct sip_uri next_hop;
	int rc = sip_uri_parse(S(uri), &next_hop, &perr);

	if (rc == 0)
		rc = txn_route_start(&env, req_take, &next_hop, on_route, t,
				     &t->route);
	sip_msg_free(req_take);
	return rc;
}

/* Starts t->route to `uri`, padding X-Pad by `pad` bytes, and drives the
 * loop (bounded) until the resolver has answered. */
static int route_start(struct route_case *t, const char *uri,
		       const char *method, int pad)
{
	struct sip_msg *req;
	char fill[2048];
	int rc;

	memset(fill, 'p', sizeof(fill));
	if (pad < 0 || pad > (int)sizeof(fill))
		return EINVAL;
	if (strcmp(method, "INVITE") == 0)
		rc = fake_msg(&req, REQUEST("INVITE"), pad, fill);
	else
		rc = fake_msg(&req, REQUEST("OPTIONS"), pad, fill);
	if (rc == 0)
		rc = start_rc(t, req, uri);
	if (rc == 0 && !rt_wait_idle(&t->rt, 0, WAIT_MS))
		rc = ETIME;
	return rc;
}

static int route_body(struct fake_env *e, void *arg)
{
	struct route_case *t = arg;
	int rc;

	t->e = e;
	rc = t->body(t);
	route_drop(t); /* before the layer goes */
	return rc;
}

static int route_run(enum rt_server server, int (*body)(struct route_case *t))
{
	struct route_case t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.body = body;
	rc = rt_open(&t.rt, server, NULL);
	if (rc == 0)
		rc = fake_env_run_with(route_body, &t);
	rt_close(&t.rt);
	return rc;
}

/* A case on a route environment with `server` as its DNS. */
#define ROUTE_CASE(name, server)                       \
	static int name##_body(struct route_case *t);  \
	static int name(void)                          \
	{                                              \
		return route_run(server, name##_body); \
	}                                              \
	static int name##_body(struct route_case *t)

/* ---- what was sent ------------------------------------------------------ */

static const char *peer_str(const struct net_peer *p, char *buf, size_t size)
{
	const char *tp = p->transport == NET_UDP   ? "udp"
			 : p->transport == NET_TCP ? "tcp"
						   : "tls";
	char ip[INET6_ADDRSTRLEN] = "?";

	if (p->addr.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)&p->addr;

		inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
		snprintf(buf, size, "%s:[%s]:%u", tp, ip, ntohs(a->sin6_port));
	} else {
		const struct sockaddr_in *a = (const void *)&p->addr;

		inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
		snprintf(buf, size, "%s:%s:%u", tp, ip, ntohs(a->sin_port));
	}
	return buf;
}

/* The branch of send i's top Via ("" when there is none). */
static struct tnd_slice branch_of(struct route_case *t, size_t i)
{
	const struct sip_msg *m = fake_sent(t->e, i);

	return m ? m->via.branch : S("");
}

/*
 * Send i went to `dest` carrying one Via, ours: `via` (protocol,
 * transport and sent-by), a fresh RFC 3261 branch, and rport.
 */
static int check_send(struct route_case *t, size_t i, const char *dest,
		      const char *via)
{
	const struct sip_msg *m = fake_sent(t->e, i);
	const size_t cookie = sizeof(TND_BRANCH_COOKIE) - 1;
	struct tnd_slice b = branch_of(t, i);
	char buf[256];

	if (!m && tnd_mem_failures_injected() > 0)
		return ENOMEM;
	CHECK(m != NULL);
	CHECK_TEXT("destination",
		   peer_str(&t->e->io.sends[i].to, buf, sizeof(buf)), dest);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_VIA), 1);
	CHECK_INT(b.len, TND_BRANCH_LEN);
	CHECK(memcmp(b.p, TND_BRANCH_COOKIE, cookie) == 0);
	snprintf(buf, sizeof(buf), "%s;branch=%.*s;rport", via,
		 TND_SLICE_FMT(b));
	CHECK_STR(sip_msg_hdr(m, SIP_HDR_VIA)->value, buf);
	return 0;
}

/* The peer answers send i with `status`, built from what was sent. */
static int reply(struct route_case *t, size_t i, uint16_t status)
{
	const struct sip_msg *req = fake_sent(t->e, i);
	struct sip_msg *built, *res;
	int rc;

	if (!req)
		return tnd_mem_failures_injected() > 0 ? ENOMEM : EINVAL;
	rc = sip_msg_response_new(req, status, NULL,
				  S(status < 200 ? "" : "b1"), &built);
	if (rc)
		return rc;
	rc = fake_reparse(built, &res);
	sip_msg_free(built);
	if (rc == 0)
		txn_layer_receive(t->e->layer, res, &t->e->io.sends[i].to);
	return rc;
}

/* Every transaction ended and every timer with it. */
static int check_drained(struct route_case *t)
{
	CHECK_INT(fake_live(t->e, TXN_NICT), 0);
	CHECK_INT(fake_live(t->e, TXN_ICT), 0);
	CHECK_INT(tnd_timers_count(&t->e->timers), 0);
	return 0;
}

#define CHECK_ROUTE_EVENTS(t, want) \
	CHECK_TEXT("route events", (t)->events, want)

/* ---- one target --------------------------------------------------------- */

ROUTE_CASE(test_route_numeric_host_sends_one_try_over_udp, RT_NONE)
{
	CHECK_OK(route_start(t, "sip:192.0.2.10:5070", "OPTIONS", 0));
	CHECK_SENDS(t->e, "OPTIONS@0");
	CHECK_OK(check_send(t, 0, "udp:192.0.2.10:5070", VIA_UDP4));
	CHECK_INT(txn_route_tries(t->route), 1);
	CHECK(txn_route_current(t->route) != NULL);
	CHECK_ROUTE_EVENTS(t, "");
	fake_until(t->e, 100);
	CHECK_OK(reply(t, 0, 200));
	CHECK_ROUTE_EVENTS(t, "200@100");
	/* Timer K (T4 on UDP) ends the try: no transaction left. */
	fake_until(t->e, 5100);
	CHECK(txn_route_current(t->route) == NULL);
	CHECK_SENDS(t->e, "OPTIONS@0");
	return check_drained(t);
}

ROUTE_CASE(test_route_transport_tcp_sends_over_tcp, RT_NONE)
{
	CHECK_OK(
	    route_start(t, "sip:192.0.2.10:5070;transport=tcp", "OPTIONS", 0));
	CHECK_OK(check_send(t, 0, "tcp:192.0.2.10:5070", VIA_TCP4));
	fake_until(t->e, 30000);
	CHECK_SENDS(t->e, "OPTIONS@0"); /* reliable: no retransmissions */
	CHECK_OK(reply(t, 0, 200));
	fake_until(t->e, 30000); /* Timer K is 0 on TCP */
	CHECK_ROUTE_EVENTS(t, "200@30000");
	return check_drained(t);
}

/* The X-Pad that makes the request `size` bytes on the wire, measured
 * with a first route over UDP (send 0). */
static int pad_for(struct route_case *t, size_t size, int *pad)
{
	CHECK_OK(route_start(t, "sip:192.0.2.10;transport=udp", "OPTIONS", 0));
	route_drop(t);
	CHECK_INT(t->e->io.nsends, 1);
	*pad = (int)size - (int)t->e->io.sends[0].len;
	CHECK(*pad > 0 && *pad < 2048);
	return 0;
}

/* RFC 3261 §18.1.1: "larger than 1300 bytes" and no path MTU known. */
ROUTE_CASE(test_route_request_over_1300_bytes_moves_to_tcp, RT_NONE)
{
	int pad;

	CHECK_OK(pad_for(t, 1300, &pad));
	CHECK_OK(route_start(t, "sip:192.0.2.10:5070", "OPTIONS", pad));
	CHECK_INT(t->e->io.sends[1].len, 1300);
	CHECK_OK(check_send(t, 1, "udp:192.0.2.10:5070", VIA_UDP4));
	route_drop(t);
	CHECK_OK(route_start(t, "sip:192.0.2.10:5070", "OPTIONS", pad + 1));
	CHECK_INT(t->e->io.sends[2].len, 1301);
	CHECK_OK(check_send(t, 2, "tcp:192.0.2.10:5070", VIA_TCP4));
	CHECK_INT(txn_route_tries(t->route), 1);
	CHECK_OK(reply(t, 2, 200));
	CHECK_ROUTE_EVENTS(t, "200@0");
	return 0;
}

ROUTE_CASE(test_route_transport_udp_keeps_large_request_on_udp, RT_NONE)
{
	int pad;

	CHECK_OK(pad_for(t, 1301, &pad));
	CHECK_OK(route_start(t, "sip:192.0.2.10:5070;transport=udp", "OPTIONS",
			     pad));
	CHECK_INT(t->e->io.sends[1].len, 1301);
	CHECK_OK(check_send(t, 1, "udp:192.0.2.10:5070", VIA_UDP4));
	return 0;
}

/* No listener for the only target's transport: nothing is sent. The
 * owner frees the route in the callback, inside the resolver's. */
ROUTE_CASE(test_route_target_without_listener_fails, RT_NONE)
{
	t->free_on_event = true;
	CHECK_OK(route_start(t, "sips:192.0.2.10", "OPTIONS", 0));
	CHECK_ROUTE_EVENTS(t, "failed(ENOTSUP)@0");
	CHECK(t->route == NULL);
	CHECK_SENDS(t->e, "");
	return check_drained(t);
}

/* ---- failover (RFC 3263 §4.3) ------------------------------------------ */

ROUTE_CASE(test_route_timeout_fails_over_with_new_branch, RT_DNSMASQ)
{
	CHECK_OK(route_start(t, ROUTE_DUAL, "OPTIONS", 0));
	CHECK_OK(check_send(t, 0, DUAL_FIRST, VIA_UDP4));
	fake_until(t->e, TIMER_F_MS - 1);
	CHECK_INT(t->e->io.nsends, 11); /* Timer E up to 31500 */
	CHECK_INT(txn_route_tries(t->route), 1);
	fake_until(t->e, TIMER_F_MS);
	CHECK_INT(t->e->io.nsends, 12);
	CHECK_INT(t->e->io.sends[11].at_ms, TIMER_F_MS);
	CHECK_OK(check_send(t, 11, DUAL_SECOND, VIA_UDP6));
	CHECK(!tnd_slice_eq(branch_of(t, 11), branch_of(t, 0)));
	CHECK_INT(txn_route_tries(t->route), 2);
	CHECK_ROUTE_EVENTS(t, "");
	CHECK_OK(reply(t, 11, 200));
	CHECK_ROUTE_EVENTS(t, "200@32000");
	return 0;
}

/* RFC 3261 §17.1.4: a transport error need not wait for Timer F. */
ROUTE_CASE(test_route_transport_error_fails_over_at_once, RT_DNSMASQ)
{
	CHECK_OK(route_start(t, ROUTE_DUAL, "OPTIONS", 0));
	fake_until(t->e, 100);
	txn_layer_transport_error(t->e->layer, &t->e->io.sends[0].to,
				  ECONNREFUSED);
	CHECK_SENDS(t->e, "OPTIONS@0 OPTIONS@100");
	CHECK_OK(check_send(t, 1, DUAL_SECOND, VIA_UDP6));
	CHECK(!tnd_slice_eq(branch_of(t, 1), branch_of(t, 0)));
	CHECK_ROUTE_EVENTS(t, "");
	CHECK_OK(reply(t, 1, 200));
	CHECK_ROUTE_EVENTS(t, "200@100");
	return 0;
}

/* A send that fails at once is a transport error too. */
ROUTE_CASE(test_route_failed_sends_fail_over_then_fail, RT_DNSMASQ)
{
	fake_io_fail_next(&t->e->io, 2, ENETUNREACH);
	CHECK_OK(route_start(t, ROUTE_DUAL, "OPTIONS", 0));
	CHECK_SENDS(t->e, "OPTIONS@0! OPTIONS@0!");
	CHECK_OK(check_send(t, 1, DUAL_SECOND, VIA_UDP6));
	CHECK_ROUTE_EVENTS(t, "failed(ENETUNREACH)@0");
	CHECK_INT(txn_route_tries(t->route), 2);
	return check_drained(t);
}

ROUTE_CASE(test_route_503_fails_over_and_only_the_last_comes_up, RT_DNSMASQ)
{
	CHECK_OK(route_start(t, ROUTE_DUAL, "OPTIONS", 0));
	fake_until(t->e, 100);
	CHECK_OK(reply(t, 0, 503));
	CHECK_SENDS(t->e, "OPTIONS@0 OPTIONS@100");
	CHECK_OK(check_send(t, 1, DUAL_SECOND, VIA_UDP6));
	CHECK(!tnd_slice_eq(branch_of(t, 1), branch_of(t, 0)));
	CHECK_ROUTE_EVENTS(t, "");
	fake_until(t->e, 200);
	CHECK_OK(reply(t, 1, 503));
	CHECK_ROUTE_EVENTS(t, "503@200");
	CHECK_INT(txn_route_tries(t->route), 2);
	fake_until(t->e, 60000);
	CHECK_SENDS(t->e, "OPTIONS@0 OPTIONS@100");
	CHECK_ROUTE_EVENTS(t, "503@200");
	return check_drained(t);
}

/* Any other final response ends the route: no second try. */
ROUTE_CASE(test_route_486_comes_up_without_failover, RT_DNSMASQ)
{
	char to[64];

	CHECK_OK(route_start(t, ROUTE_DUAL, "INVITE", 0));
	fake_until(t->e, 100);
	CHECK_OK(reply(t, 0, 486));
	CHECK_ROUTE_EVENTS(t, "486@100");
	CHECK_SENDS(t->e, "INVITE@0 ACK@100");
	CHECK_TEXT("ACK to", peer_str(&t->e->io.sends[1].to, to, sizeof(to)),
		   DUAL_FIRST);
	fake_until(t->e, 60000);
	CHECK_SENDS(t->e, "INVITE@0 ACK@100");
	CHECK_INT(txn_route_tries(t->route), 1);
	return check_drained(t);
}

/* The owner may free the route from its FAILED callback too. */
ROUTE_CASE(test_route_all_targets_timing_out_fails_with_etimedout, RT_DNSMASQ)
{
	t->free_on_event = true;
	CHECK_OK(route_start(t, ROUTE_DUAL, "OPTIONS", 0));
	fake_until(t->e, 2 * TIMER_F_MS - 1);
	CHECK_INT(txn_route_tries(t->route), 2);
	CHECK_ROUTE_EVENTS(t, "");
	fake_until(t->e, 2 * TIMER_F_MS);
	CHECK_ROUTE_EVENTS(t, "failed(ETIMEDOUT)@64000");
	CHECK(t->route == NULL);
	return check_drained(t);
}

/*
 * A target we cannot send to (no IPv6 listener here) is skipped, not
 * tried: when it is the only one left, the try before it was the last.
 * Its timeout is why the route failed (txn_route.h: FAILED carries "why
 * the last try failed") ...
 */
ROUTE_CASE(test_route_timeout_before_unusable_target_is_etimedout, RT_DNSMASQ)
{
	t->no_ipv6 = true;
	CHECK_OK(route_start(t, ROUTE_DUAL, "OPTIONS", 0));
	CHECK_OK(check_send(t, 0, DUAL_FIRST, VIA_UDP4));
	fake_until(t->e, TIMER_F_MS);
	CHECK_INT(t->e->io.nsends, 11);
	CHECK_INT(txn_route_tries(t->route), 1);
	CHECK_ROUTE_EVENTS(t, "failed(ETIMEDOUT)@32000");
	return check_drained(t);
}

/* ... and its 503 is the last target's 503: it comes up (RFC 3263
 * §4.3 moves on only to a next target that can be tried). */
ROUTE_CASE(test_route_503_before_unusable_target_comes_up, RT_DNSMASQ)
{
	t->no_ipv6 = true;
	CHECK_OK(route_start(t, ROUTE_DUAL, "OPTIONS", 0));
	fake_until(t->e, 100);
	CHECK_OK(reply(t, 0, 503));
	CHECK_SENDS(t->e, "OPTIONS@0");
	CHECK_INT(txn_route_tries(t->route), 1);
	CHECK_ROUTE_EVENTS(t, "503@100");
	return 0;
}

ROUTE_CASE(test_route_nxdomain_fails_with_enoent, RT_DNSMASQ)
{
	CHECK_OK(route_start(t, "sip:nosuch.test", "OPTIONS", 0));
	CHECK_ROUTE_EVENTS(t, "failed(ENOENT)@0");
	CHECK_INT(txn_route_tries(t->route), 0);
	CHECK_SENDS(t->e, "");
	return 0;
}

/* ---- freeing ------------------------------------------------------------ */

ROUTE_CASE(test_route_free_in_response_callback_stops_events, RT_NONE)
{
	t->free_on_event = true;
	CHECK_OK(route_start(t, "sip:192.0.2.10:5070", "OPTIONS", 0));
	CHECK_OK(reply(t, 0, 100));
	CHECK_ROUTE_EVENTS(t, "100@0");
	CHECK(t->route == NULL);
	/* The detached transaction still absorbs its final and ends. */
	fake_until(t->e, 1000);
	CHECK_OK(reply(t, 0, 200));
	fake_until(t->e, 60000);
	CHECK_ROUTE_EVENTS(t, "100@0");
	CHECK_SENDS(t->e, "OPTIONS@0 OPTIONS@500");
	return check_drained(t);
}

ROUTE_CASE(test_route_free_during_try_detaches_it, RT_DNSMASQ)
{
	char to[64];

	fake_until(t->e, 1000);
	CHECK_OK(route_start(t, ROUTE_DUAL, "OPTIONS", 0));
	route_drop(t);
	CHECK_INT(fake_live(t->e, TXN_NICT), 1);
	/* It retransmits to the first target until Timer F, then ends
	 * without an event and without a second try. */
	fake_until(t->e, 1000 + TIMER_F_MS + 10000);
	CHECK_INT(t->e->io.nsends, 11);
	CHECK_INT(t->e->io.sends[10].at_ms, 1000 + 31500);
	CHECK_TEXT("last to", peer_str(&t->e->io.sends[10].to, to, sizeof(to)),
		   DUAL_FIRST);
	CHECK_ROUTE_EVENTS(t, "");
	return check_drained(t);
}

ROUTE_CASE(test_route_free_before_resolution_never_calls_back, RT_NONE)
{
	struct sip_msg *req;

	CHECK_OK(fake_msg(&req, REQUEST("OPTIONS"), 0, ""));
	CHECK_OK(start_rc(t, req, "sip:192.0.2.10"));
	CHECK_INT(net_resolver_pending(t->rt.res[0]), 1);
	route_drop(t);
	CHECK_INT(net_resolver_pending(t->rt.res[0]), 0);
	for (int i = 0; i < 20; i++)
		event_base_loop(t->rt.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	CHECK_ROUTE_EVENTS(t, "");
	CHECK_SENDS(t->e, "");
	return 0;
}

/* ---- refusals ----------------------------------------------------------- */

ROUTE_CASE(test_route_start_refuses_ack_response_and_bad_uri, RT_NONE)
{
	struct sip_msg *ack, *req, *res = NULL;
	int rc;

	CHECK_OK(fake_msg(&ack, REQUEST("ACK"), 0, ""));
	CHECK_INT(start_rc(t, ack, "sip:192.0.2.10"), EINVAL);
	CHECK_OK(fake_msg(&req, REQUEST("OPTIONS"), 0, ""));
	rc = sip_msg_response_new(req, 200, NULL, S("b1"), &res);
	/* sips never goes over UDP: the resolver refuses the URI. */
	CHECK_INT(start_rc(t, req, "sips:192.0.2.10;transport=udp"), EINVAL);
	CHECK_OK(rc);
	CHECK_INT(start_rc(t, res, "sip:192.0.2.10"), EINVAL);
	CHECK(t->route == NULL);
	CHECK_INT(net_resolver_pending(t->rt.res[0]), 0);
	CHECK_SENDS(t->e, "");
	return 0;
}

/* ---- allocation failures ------------------------------------------------ */

ROUTE_CASE(test_route_survives_allocation_failures, RT_NONE)
{
	CHECK_OK(route_start(t, "sip:192.0.2.10:5070", "OPTIONS", 0));
	OOM_BAIL();
	CHECK_OK(check_send(t, 0, "udp:192.0.2.10:5070", VIA_UDP4));
	CHECK_OK(reply(t, 0, 200));
	OOM_BAIL();
	CHECK_ROUTE_EVENTS(t, "200@0");
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_route_numeric_host_sends_one_try_over_udp),
	TEST(test_route_transport_tcp_sends_over_tcp),
	TEST(test_route_request_over_1300_bytes_moves_to_tcp),
	TEST(test_route_transport_udp_keeps_large_request_on_udp),
	TEST(test_route_target_without_listener_fails),
	TEST(test_route_timeout_fails_over_with_new_branch),
	TEST(test_route_transport_error_fails_over_at_once),
	TEST(test_route_failed_sends_fail_over_then_fail),
	TEST(test_route_503_fails_over_and_only_the_last_comes_up),
	TEST(test_route_486_comes_up_without_failover),
	TEST(test_route_all_targets_timing_out_fails_with_etimedout),
	TEST(test_route_timeout_before_unusable_target_is_etimedout),
	TEST(test_route_503_before_unusable_target_comes_up),
	TEST(test_route_nxdomain_fails_with_enoent),
	TEST(test_route_free_in_response_callback_stops_events),
	TEST(test_route_free_during_try_detaches_it),
	TEST(test_route_free_before_resolution_never_calls_back),
	TEST(test_route_start_refuses_ack_response_and_bad_uri),
	TEST_OOM(test_route_survives_allocation_failures),
};

TEST_MAIN(cases)
