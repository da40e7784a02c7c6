/*
 * The resolver where no DNS server answers anything: numeric hosts and
 * maddr (no query at all; the configured server is a closed port, so
 * one would fail), URIs and configs it refuses, a server that never
 * answers (ETIMEDOUT when the configured timeout runs out, on the real
 * clock, driving the loop) and one that refuses, and RFC 2782's order
 * with the random draws fixed.
 */
#include <string.h>

#include <event2/event.h>

#include "resolve_int.h"
#include "resolve_test_util.h"

#define LIMIT_MS 3000

static int numeric_ipv4(struct rt_env *env)
{
	struct sip_parse_error perr;
	struct sip_uri uri;
	struct net_resolve *h;

	/* The answer never comes from inside net_resolve_uri. */
	CHECK_INT(sip_uri_parse(S("sip:10.1.2.3"), &uri, &perr), 0);
	CHECK_OK(net_resolve_uri(env->res[0], &uri, rt_record, &env->last, &h));
	CHECK(h != NULL);
	CHECK_INT(env->last.calls, 0);
	CHECK_INT(net_resolver_pending(env->res[0]), 1);
	CHECK(rt_wait_result(env, &env->last, LIMIT_MS));
	CHECK_OK(env->last.err);
	CHECK_TARGETS(env->last.targets, "udp:10.1.2.3:5060");
	CHECK_STR(S(env->last.targets->t[0].name), "10.1.2.3");
	CHECK_INT(net_resolver_pending(env->res[0]), 0);
	/* The server given is a closed port: any query would fail. */
	CHECK_OK(
	    rt_resolve(env, 0, "sip:10.1.2.3:5070;transport=TCP", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tcp:10.1.2.3:5070");
	CHECK_OK(rt_resolve(env, 0, "sips:10.1.2.3", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tls:10.1.2.3:5061");
	CHECK_OK(rt_resolve(env, 0, "sip:10.1.2.3;transport=tls", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tls:10.1.2.3:5061");
	return 0;
}

static int test_resolve_numeric_ipv4_needs_no_dns(void)
{
	return rt_with_env(RT_NONE, NULL, numeric_ipv4);
}

static int numeric_ipv6_and_maddr(struct rt_env *env)
{
	CHECK_OK(rt_resolve(env, 0, "sip:[2001:db8::1]:5080", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:[2001:db8::1]:5080");
	CHECK_OK(
	    rt_resolve(env, 0, "sip:bob@nosuch.test;maddr=10.9.9.9", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "udp:10.9.9.9:5060");
	CHECK_OK(rt_resolve(env, 0, "sip:nosuch.test;maddr=[::1];transport=tcp",
			    LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tcp:[::1]:5060");
	return 0;
}

static int test_resolve_numeric_ipv6_and_maddr_need_no_dns(void)
{
	return rt_with_env(RT_NONE, NULL, numeric_ipv6_and_maddr);
}

static int bad_uris(struct rt_env *env)
{
	struct net_resolver_config udp_only = {
		.transports = NET_RESOLVE_TRANSPORT(NET_UDP),
	};
	struct net_resolver_config tcp_only = {
		.transports = NET_RESOLVE_TRANSPORT(NET_TCP),
	};

	CHECK_INT(rt_resolve(env, 0, "tel:+15551234", LIMIT_MS), EINVAL);
	CHECK_INT(rt_resolve(env, 0, "sips:a.test;transport=udp", LIMIT_MS),
		  EINVAL);
	CHECK_INT(rt_resolve(env, 0, "sip:a.test;transport=sctp", LIMIT_MS),
		  EPROTONOSUPPORT);
	CHECK_INT(rt_resolve(env, 0, "sip:a.test;maddr=a%20b", LIMIT_MS),
		  EINVAL);
	CHECK_INT(env->last.calls, 0);
	CHECK_INT(net_resolver_pending(env->res[0]), 0);
	/* What the config leaves out, a URI cannot demand. */
	CHECK_OK(rt_add_resolver(env, 1, &udp_only));
	CHECK_INT(rt_resolve(env, 1, "sips:10.0.0.1", LIMIT_MS),
		  EPROTONOSUPPORT);
	CHECK_INT(rt_resolve(env, 1, "sip:10.0.0.1;transport=tcp", LIMIT_MS),
		  EPROTONOSUPPORT);
	net_resolver_free(env->res[1]);
	env->res[1] = NULL;
	/* §4.1's UDP default gives way to what the caller supports. */
	CHECK_OK(rt_add_resolver(env, 1, &tcp_only));
	CHECK_OK(rt_resolve(env, 1, "sip:10.0.0.1", LIMIT_MS));
	CHECK_TARGETS(env->last.targets, "tcp:10.0.0.1:5060");
	return 0;
}

static int test_resolve_rejects_what_it_cannot_resolve(void)
{
	return rt_with_env(RT_NONE, NULL, bad_uris);
}

static int test_resolve_new_checks_arguments(void)
{
	struct event_base *base = event_base_new();
	struct tnd_timers timers;
	struct net_resolver_config cfg = { .servers = "not an address" };
	struct net_resolver *res = (struct net_resolver *)&timers;

	tnd_timers_init(&timers, tnd_clock_monotonic);
	CHECK(base != NULL);
	CHECK_INT(net_resolver_new(NULL, &timers, NULL, &res), EINVAL);
	CHECK(res == NULL);
	CHECK_INT(net_resolver_new(base, NULL, NULL, &res), EINVAL);
	CHECK_INT(net_resolver_new(base, &timers, &cfg, &res), EINVAL);
	cfg = (struct net_resolver_config){ .transports = 1u << 7 };
	CHECK_INT(net_resolver_new(base, &timers, &cfg, &res), EINVAL);
	cfg = (struct net_resolver_config){ .servers = "[::1]:53,127.0.0.1" };
	CHECK_INT(net_resolver_new(base, &timers, &cfg, &res), 0);
	CHECK_INT(net_resolver_pending(res), 0);
	net_resolver_free(res);
	net_resolver_free(NULL);
	net_resolve_cancel(NULL);
	event_base_free(base);
	return 0;
}

#define SHORT_TIMEOUT_MS 150

static int silent(struct rt_env *env)
{
	const char *uris[] = { "sip:plain.test", "sip:plain.test:5060" };

	for (size_t i = 0; i < 2; i++) {
		uint64_t start = rt_now_ms(), took;

		CHECK_INT(rt_resolve(env, 0, uris[i], LIMIT_MS), ETIMEDOUT);
		took = rt_now_ms() - start;
		CHECK(took >= SHORT_TIMEOUT_MS - 5);
		CHECK(took < SHORT_TIMEOUT_MS + 500);
	}
	return 0;
}

static int test_resolve_silent_server_times_out(void)
{
	struct net_resolver_config cfg = { .timeout_ms = SHORT_TIMEOUT_MS,
					   .tries = 1 };

	return rt_with_env(RT_SILENT, &cfg, silent);
}

static int refusing(struct rt_env *env)
{
	uint64_t start = rt_now_ms();

	CHECK_INT(rt_resolve(env, 0, "sip:plain.test", LIMIT_MS), ECONNREFUSED);
	CHECK(rt_now_ms() - start < 1000);
	return 0;
}

static int test_resolve_refusing_server_is_econnrefused(void)
{
	return rt_with_env(RT_REFUSING, NULL, refusing);
}

struct draws {
	uint32_t v[4], bound[4];
	size_t i;
};

static uint32_t scripted(void *arg, uint32_t bound)
{
	struct draws *d = arg;

	d->bound[d->i] = bound;
	return d->v[d->i++];
}

static void srv_recs(struct resolve_srv_rec *r)
{
	static const struct {
		uint16_t prio, weight;
		const char *name;
	} in[] = {
		{ 20, 5, "c" }, { 10, 60, "a" }, { 10, 40, "b" }, { 10, 0, "z" }
	};

	for (size_t i = 0; i < 4; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].priority = in[i].prio;
		r[i].weight = in[i].weight;
		strcpy(r[i].target, in[i].name);
	}
}

static int test_resolve_srv_order_follows_rfc_2782(void)
{
	struct resolve_srv_rec r[4];
	struct draws d = { .v = { 70, 0 } };

	/* Priority 10 lines up as z(0) a(60) b(100): 70 picks b; then
	 * z(0) a(60): 0 picks z; a is left. Priority 20 needs no draw. */
	srv_recs(r);
	net_srv_order(r, 4, scripted, &d);
	CHECK_STR(S(r[0].target), "b");
	CHECK_STR(S(r[1].target), "z");
	CHECK_STR(S(r[2].target), "a");
	CHECK_STR(S(r[3].target), "c");
	CHECK_INT(d.i, 2);
	CHECK_INT(d.bound[0], 100);
	CHECK_INT(d.bound[1], 60);
	/* 60 is a's running sum exactly: a; then z(0) b(40): 1 picks b. */
	srv_recs(r);
	d = (struct draws){ .v = { 60, 1 } };
	net_srv_order(r, 4, scripted, &d);
	CHECK_STR(S(r[0].target), "a");
	CHECK_STR(S(r[1].target), "b");
	CHECK_STR(S(r[2].target), "z");
	CHECK_STR(S(r[3].target), "c");
	return 0;
}

static const struct test_case cases[] = {
	TEST_OOM(test_resolve_numeric_ipv4_needs_no_dns),
	TEST(test_resolve_numeric_ipv6_and_maddr_need_no_dns),
	TEST(test_resolve_rejects_what_it_cannot_resolve),
	TEST(test_resolve_new_checks_arguments),
	TEST(test_resolve_silent_server_times_out),
	TEST(test_resolve_refusing_server_is_econnrefused),
	TEST(test_resolve_srv_order_follows_rfc_2782),
};

TEST_MAIN(cases)
