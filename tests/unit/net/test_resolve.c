/*
 * RFC 3263 resolution against a real DNS server: dnsmasq on loopback
 * with the records of resolve_test_util.c. An explicit port, SRV
 * priorities and weights, A and AAAA, no SRV, SIPS, an explicit
 * transport, NAPTR on and off, maddr, NXDOMAIN, an SRV target of ".";
 * cancelling, and freeing the resolver with lookups in flight. Every
 * wait drives the event loop on the real clock; nothing sleeps.
 */
#include <string.h>

#include <event2/event.h>

#include "tandem/mem.h"
#include "resolve_test_util.h"

#define LIMIT_MS 3000

static int explicit_port(struct rt_env *env)
{
	/* §4.2: a port in the URI means A/AAAA of the host, no SRV. */
	CHECK_OK(rt_resolve(env, 0, "sip:withsrv.test:5999", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:10.0.8.1:5999");
	CHECK_STR(S(env->last.targets->t[0].name), "withsrv.test");
	CHECK_OK(rt_resolve(env, 0, "sip:withsrv.test", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:10.0.8.2:5090");
	CHECK_STR(S(env->last.targets->t[0].name), "other.withsrv.test");
	return 0;
}

static int test_resolve_explicit_port_skips_srv(void)
{
	return rt_with_env(RT_DNSMASQ, NULL, explicit_port);
}

static int srv_priorities(struct rt_env *env)
{
	const char *a_first = "udp:10.0.1.1:5071 udp:10.0.1.2:5072 "
			      "udp:10.0.2.1:5073";
	const char *b_first = "udp:10.0.1.2:5072 udp:10.0.1.1:5071 "
			      "udp:10.0.2.1:5073";
	int seen_a = 0, seen_b = 0;

	/* Weights 60/40: each order turns up in 30 lookups but with odds
	 * of 0.6^30 and 0.4^30 against. */
	for (int i = 0; i < 30; i++) {
		char buf[256];

		CHECK_OK(rt_resolve(env, 0, "sip:prio.test", LIMIT_MS));
		rt_targets_str(env->last.targets, buf, sizeof(buf));
		if (strcmp(buf, a_first) == 0)
			seen_a++;
		else if (strcmp(buf, b_first) == 0)
			seen_b++;
		else
			CHECK_TARGETS(env->last.targets, a_first);
	}
	CHECK(seen_a > 0);
	CHECK(seen_b > 0);
	CHECK_STR(S(env->last.targets->t[2].name), "p2.prio.test");
	return 0;
}

static int test_resolve_srv_orders_by_priority_and_weight(void)
{
	return rt_with_env(RT_DNSMASQ, NULL, srv_priorities);
}

static int srv_dual_stack(struct rt_env *env)
{
	struct net_resolver_config v6_first = {
		.family = NET_RESOLVE_IPV6_FIRST,
	};
	struct net_resolver_config v4_only = {
		.family = NET_RESOLVE_IPV4_ONLY,
	};
	const struct net_targets *ts;

	CHECK_OK(rt_resolve(env, 0, "sip:dual.test", LIMIT_MS));
	ts = env->last.targets;
	CHECK_TARGETS(ts, "udp:10.0.3.1:5080 udp:[fd00::31]:5080");
	CHECK_STR(S(ts->t[0].name), "host.dual.test");
	CHECK(ts->t[0].name == ts->t[1].name);
	CHECK_INT(ts->t[0].addrlen, sizeof(struct sockaddr_in));
	CHECK_INT(ts->t[1].addrlen, sizeof(struct sockaddr_in6));
	CHECK_OK(rt_add_resolver(env, 1, &v6_first));
	CHECK_OK(rt_resolve(env, 1, "sip:dual.test", LIMIT_MS));
	CHECK_TARGETS(env->last.targets,
		      "udp:[fd00::31]:5080 udp:10.0.3.1:5080");
	net_resolver_free(env->res[1]);
	env->res[1] = NULL;
	CHECK_OK(rt_add_resolver(env, 1, &v4_only));
	CHECK_OK(rt_resolve(env, 1, "sip:dual.test", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:10.0.3.1:5080");
	return 0;
}

static int test_resolve_srv_target_with_a_and_aaaa(void)
{
	return rt_with_env(RT_DNSMASQ, NULL, srv_dual_stack);
}

static int no_srv(struct rt_env *env)
{
	/* §4.2: no SRV, so the host's addresses at the default port,
	 * over UDP for SIP (§4.1) and TLS for SIPS. */
	CHECK_OK(rt_resolve(env, 0, "sip:plain.test", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:10.0.4.1:5060");
	CHECK_OK(rt_resolve(env, 0, "sips:plain.test", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tls:10.0.4.1:5061");
	CHECK_OK(rt_resolve(env, 0, "sip:plain.test;transport=tcp", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tcp:10.0.4.1:5060");
	return 0;
}

static int test_resolve_no_srv_uses_a_on_5060_over_udp(void)
{
	return rt_with_env(RT_DNSMASQ, NULL, no_srv);
}

static int sips(struct rt_env *env)
{
	CHECK_OK(rt_resolve(env, 0, "sips:secure.test", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tls:10.0.5.1:5099");
	CHECK_OK(
	    rt_resolve(env, 0, "sips:secure.test;transport=tcp", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tls:10.0.5.1:5099");
	CHECK_OK(rt_resolve(env, 0, "sip:secure.test", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:10.0.5.2:5098");
	return 0;
}

static int test_resolve_sips_asks_sips_tcp_for_tls(void)
{
	return rt_with_env(RT_DNSMASQ, NULL, sips);
}

static int transport_param(struct rt_env *env)
{
	CHECK_OK(rt_resolve(env, 0, "sip:mixed.test;transport=tcp", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tcp:10.0.6.2:5002");
	CHECK_OK(rt_resolve(env, 0, "sip:mixed.test;transport=udp", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:10.0.6.1:5001");
	/* No transport, no NAPTR: every transport's SRV, UDP first. */
	CHECK_OK(rt_resolve(env, 0, "sip:mixed.test", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:10.0.6.1:5001 tcp:10.0.6.2:5002");
	return 0;
}

static int test_resolve_transport_param_asks_that_srv_only(void)
{
	return rt_with_env(RT_DNSMASQ, NULL, transport_param);
}

static int naptr(struct rt_env *env)
{
	struct net_resolver_config no_tcp = {
		.transports = NET_RESOLVE_TRANSPORT(NET_UDP) |
			      NET_RESOLVE_TRANSPORT(NET_TLS),
	};

	/* Order 5 is SCTP only; order 10 has TCP (preference 10) before
	 * UDP (20); SIPS at order 30 is never reached for a SIP URI. */
	CHECK_OK(rt_resolve(env, 0, "sip:naptr.test", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tcp:10.0.7.2:5011 udp:10.0.7.1:5010");
	/* A SIPS URI keeps only the SIPS services. */
	CHECK_OK(rt_resolve(env, 0, "sips:naptr.test", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tls:10.0.7.3:5012");
	CHECK_OK(rt_add_resolver(env, 1, &no_tcp));
	CHECK_OK(rt_resolve(env, 1, "sip:naptr.test", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:10.0.7.1:5010");
	return 0;
}

static int test_resolve_naptr_picks_by_order_then_preference(void)
{
	return rt_with_env(RT_DNSMASQ, NULL, naptr);
}

static int naptr_off(struct rt_env *env)
{
	CHECK_OK(rt_resolve(env, 0, "sip:naptr.test", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:10.0.7.1:5010 tcp:10.0.7.2:5011");
	return 0;
}

static int test_resolve_naptr_can_be_turned_off(void)
{
	struct net_resolver_config cfg = { .disable_naptr = true };

	return rt_with_env(RT_DNSMASQ, &cfg, naptr_off);
}

static int maddr(struct rt_env *env)
{
	CHECK_OK(rt_resolve(env, 0, "sip:alice@nosuch.test;maddr=plain.test",
			    LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:10.0.4.1:5060");
	CHECK_STR(S(env->last.targets->t[0].name), "plain.test");
	/* maddr is the TARGET of every step, SRV included. */
	CHECK_OK(rt_resolve(env, 0,
			    "sip:nosuch.test;maddr=mixed.test"
			    ";transport=tcp",
			    LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tcp:10.0.6.2:5002");
	return 0;
}

static int test_resolve_maddr_replaces_the_host(void)
{
	return rt_with_env(RT_DNSMASQ, NULL, maddr);
}

static int nxdomain(struct rt_env *env)
{
	CHECK_INT(rt_resolve(env, 0, "sip:nosuch.test", LIMIT_MS), ENOENT);
	CHECK(env->last.targets == NULL);
	CHECK_INT(rt_resolve(env, 0, "sips:nosuch.test:5061", LIMIT_MS),
		  ENOENT);
	CHECK_INT(net_resolver_pending(env->res[0]), 0);
	return 0;
}

static int test_resolve_nxdomain_is_enoent(void)
{
	return rt_with_env(RT_DNSMASQ, NULL, nxdomain);
}

static int srv_dot(struct rt_env *env)
{
	CHECK_INT(rt_resolve(env, 0, "sip:gone.test;transport=udp", LIMIT_MS),
		  ENOENT);
	/* The A record is there for anyone who does not ask SRV. */
	CHECK_OK(rt_resolve(env, 0, "sip:gone.test:5060", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:10.0.10.1:5060");
	return 0;
}

static int test_resolve_srv_target_dot_means_no_service(void)
{
	return rt_with_env(RT_DNSMASQ, NULL, srv_dot);
}

static int cancel(struct rt_env *env)
{
	struct rt_result r = { 0 };
	struct net_resolve *h;

	/* In flight: its query ends in the background, unreported. */
	CHECK_OK(rt_start(env, "sip:prio.test", &r, &h));
	net_resolve_cancel(h);
	CHECK_INT(net_resolver_pending(env->res[0]), 1);
	CHECK(rt_wait_idle(env, 0, LIMIT_MS));
	/* Answered but not yet handed over: gone at once. */
	CHECK_OK(rt_start(env, "sip:10.0.0.1", &r, &h));
	net_resolve_cancel(h);
	CHECK_INT(net_resolver_pending(env->res[0]), 0);
	/* A later lookup is untouched by the earlier cancels. */
	CHECK_OK(rt_resolve(env, 0, "sip:plain.test", LIMIT_MS));
	CHECK_INT(r.calls, 0);
	CHECK_INT(env->last.calls, 1);
	return 0;
}

static int test_resolve_cancel_before_the_answer(void)
{
	return rt_with_env(RT_DNSMASQ, NULL, cancel);
}

static int free_in_flight(struct rt_env *env)
{
	struct rt_result r[3] = { { 0 } };
	const char *uris[] = { "sip:10.0.0.1", "sip:prio.test",
			       "sip:naptr.test" };

	/* Queries on the wire, and a numeric answer waiting to be handed
	 * over. (Not one loop turn first: on loopback that can be enough
	 * for a whole lookup.) */
	for (size_t i = 0; i < 3; i++)
		CHECK_OK(rt_start(env, uris[i], &r[i], NULL));
	CHECK_INT(net_resolver_pending(env->res[0]), 3);
	net_resolver_free(env->res[0]);
	env->res[0] = NULL;
	for (int i = 0; i < 20; i++)
		event_base_loop(env->base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	for (size_t i = 0; i < 3; i++)
		CHECK_INT(r[i].calls, 0);
	return 0;
}

static int test_resolve_free_drops_lookups_in_flight(void)
{
	return rt_with_env(RT_DNSMASQ, NULL, free_in_flight);
}

static int test_resolve_free_drops_unanswered_queries(void)
{
	return rt_with_env(RT_SILENT, NULL, free_in_flight);
}

/* With no failure injected: only a loaded machine misses the short
 * timeout, so a few tries are allowed. */
static int resolve_clean(struct rt_env *env)
{
	int rc = ETIMEDOUT;

	for (int i = 0; i < 5 && rc == ETIMEDOUT; i++)
		rc = rt_resolve(env, 0, "sip:naptr.test", LIMIT_MS);
	return rc;
}

static int oom(struct rt_env *env)
{
	size_t before;

	/* Once, so that c-ares has its server socket open. */
	CHECK_OK(resolve_clean(env));
	rt_result_clear(&env->last);
	before = tnd_mem_live_blocks();
	/* Fail the nth allocation and every one after, through NAPTR, SRV,
	 * A and AAAA and c-ares's own: each run ends cleanly. */
	for (size_t n = 1;; n++) {
		size_t injected;
		int rc;

		tnd_mem_fail_after(n);
		rc = rt_resolve(env, 0, "sip:naptr.test", LIMIT_MS);
		injected = tnd_mem_failures_injected();
		tnd_mem_fail_after(0);
		CHECK(rt_wait_idle(env, 0, LIMIT_MS));
		rt_result_clear(&env->last);
		CHECK_INT(tnd_mem_live_blocks(), before);
		if (!injected) {
			CHECK_OK(rc == ETIMEDOUT ? resolve_clean(env) : rc);
			rt_result_clear(&env->last);
			return 0;
		}
		if (rc != ENOMEM && rc != ETIMEDOUT)
			CHECK_INT(rc, ENOMEM);
	}
}

static int test_resolve_survives_allocation_failures(void)
{
	/* Short: an answer c-ares lost to a failed allocation is waited
	 * for until this timeout. */
	struct net_resolver_config cfg = { .timeout_ms = 50, .tries = 1 };

	return rt_with_env(RT_DNSMASQ, &cfg, oom);
}

static const struct test_case cases[] = {
	TEST(test_resolve_explicit_port_skips_srv),
	TEST(test_resolve_srv_orders_by_priority_and_weight),
	TEST(test_resolve_srv_target_with_a_and_aaaa),
	TEST(test_resolve_no_srv_uses_a_on_5060_over_udp),
	TEST(test_resolve_sips_asks_sips_tcp_for_tls),
	TEST(test_resolve_transport_param_asks_that_srv_only),
	TEST(test_resolve_naptr_picks_by_order_then_preference),
	TEST(test_resolve_naptr_can_be_turned_off),
	TEST(test_resolve_maddr_replaces_the_host),
	TEST(test_resolve_nxdomain_is_enoent),
	TEST(test_resolve_srv_target_dot_means_no_service),
	TEST(test_resolve_cancel_before_the_answer),
	TEST(test_resolve_free_drops_lookups_in_flight),
	TEST(test_resolve_free_drops_unanswered_queries),
	TEST(test_resolve_survives_allocation_failures),
};

TEST_MAIN(cases)
