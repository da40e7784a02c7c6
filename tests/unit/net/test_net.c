/*
 * The net object: creating it (bad arguments, allocation failures),
 * listeners (specs, ephemeral ports, the same port for UDP and TCP, a
 * port in use), and the loop helper that runs the timer facility on time
 * from the event loop with the real monotonic clock.
 */
#include <event2/event.h>

#include "tandem/mem.h"
#include "loop_timer.h"
#include "net_test_util.h"

static void ignore_msg(void *arg, struct sip_msg *msg_take,
		       const struct net_peer *from)
{
	(void)arg;
	(void)from;
	sip_msg_free(msg_take);
}

static int test_net_new_checks_arguments(void)
{
	struct event_base *base = event_base_new();
	struct net_config cfg = net_config_default;
	struct tnd_timers timers;
	struct net *net = (struct net *)&timers;

	tnd_timers_init_manual(&timers, 0);
	CHECK(base != NULL);
	CHECK_INT(net_new(NULL, &timers, NULL, ignore_msg, NULL, &net), EINVAL);
	CHECK(net == NULL);
	CHECK_INT(net_new(base, NULL, NULL, ignore_msg, NULL, &net), EINVAL);
	CHECK_INT(net_new(base, &timers, NULL, NULL, NULL, &net), EINVAL);
	cfg.limits.max_message = 0;
	CHECK_INT(net_new(base, &timers, &cfg, ignore_msg, NULL, &net), EINVAL);
	cfg = net_config_default;
	cfg.max_conn_buffer = 0;
	CHECK_INT(net_new(base, &timers, &cfg, ignore_msg, NULL, &net), EINVAL);
	CHECK_INT(net_new(base, &timers, NULL, ignore_msg, NULL, &net), 0);
	net_free(net);
	net_free(NULL);
	event_base_free(base);
	return 0;
}

static int test_net_listen_specs_and_addresses(void)
{
	struct nt_env env;
	struct sockaddr_storage udp, tcp, addr;
	socklen_t len;
	uint32_t id = 0, u, t;
	char spec[64];

	CHECK_INT(nt_env_open(&env, NULL, true), 0);
	CHECK_INT(net_listen(env.net, "udp:127.0.0.1", &id), EINVAL);
	/* TLS without a certificate configured. */
	CHECK_INT(net_listen(env.net, "tls:127.0.0.1:0", &id), EINVAL);
	CHECK_INT(id, 0);
	CHECK(u = nt_listen(env.net, "udp:127.0.0.1:0", &udp));
	CHECK_INT(u, 1);
	CHECK(nt_addr_port(&udp) != 0);
	/* The same port for TCP. */
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%u",
		 (unsigned)nt_addr_port(&udp));
	CHECK(t = nt_listen(env.net, spec, &tcp));
	CHECK_INT(t, 2);
	CHECK_INT(nt_addr_port(&tcp), nt_addr_port(&udp));
	/* But not twice for UDP. */
	snprintf(spec, sizeof(spec), "udp:127.0.0.1:%u",
		 (unsigned)nt_addr_port(&udp));
	CHECK_INT(net_listen(env.net, spec, &id), EADDRINUSE);
	CHECK_INT(net_listener_address(env.net, u, &addr, &len), 0);
	CHECK_INT(len, sizeof(struct sockaddr_in));
	CHECK_INT(nt_addr_port(&addr), nt_addr_port(&udp));
	CHECK_INT(net_listener_address(env.net, 0, &addr, &len), ENOENT);
	CHECK_INT(net_listener_address(env.net, 9, &addr, &len), ENOENT);
	/* IPv4 and IPv6 side by side; ids keep counting. */
	CHECK(nt_listen(env.net, "udp:[::1]:0", &addr) == 3);
	CHECK_INT(addr.ss_family, AF_INET6);
	nt_env_close(&env);
	return 0;
}

static int test_net_new_and_listen_oom(void)
{
	struct event_base *base = event_base_new();
	struct tnd_timers timers;
	struct net *net = NULL;
	uint32_t id;
	int rc;

	if (!base)
		return EIO;
	tnd_timers_init_manual(&timers, 0);
	rc = net_new(base, &timers, NULL, ignore_msg, NULL, &net);
	if (rc == 0 && (rc = net_listen(net, "udp:127.0.0.1:0", &id)) == 0)
		rc = net_listen(net, "tcp:127.0.0.1:0", &id);
	net_free(net);
	event_base_free(base);
	return rc;
}

struct ticks {
	struct tnd_timers *timers;
	int fired;
	uint64_t at;
};

static void on_tick(struct tnd_timer *timer, void *arg)
{
	struct ticks *t = arg;

	(void)timer;
	t->fired++;
	t->at = tnd_timers_now(t->timers);
}

static int test_net_timers_kick_runs_due_timers(void)
{
	struct nt_env env;
	struct tnd_timer timer;
	struct ticks t = { .timers = NULL };
	uint64_t start;

	CHECK_INT(nt_env_open(&env, NULL, false), 0);
	t.timers = &env.timers;
	tnd_timer_init(&timer);
	start = tnd_timers_now(&env.timers);
	tnd_timer_start(&env.timers, &timer, 20, on_tick, &t);
	net_timers_kick(env.net);
	NT_WAIT(env.base, t.fired == 1);
	CHECK(t.at >= start + 20);
	/* Nothing left to wait for: the loop has no pending event of ours. */
	CHECK_INT(tnd_timers_next_delay(&env.timers), -1);
	CHECK_INT(event_base_loop(env.base, EVLOOP_NONBLOCK), 1);
	nt_env_close(&env);
	return 0;
}

/* Timers due within one slot share a wake-up, never before they are due. */
static int test_net_timers_in_one_slot_fire_together(void)
{
	struct nt_env env;
	struct tnd_timer early, late;
	struct ticks t = { .timers = NULL };
	uint64_t now, slot;

	CHECK_INT(nt_env_open(&env, NULL, false), 0);
	t.timers = &env.timers;
	tnd_timer_init(&early);
	tnd_timer_init(&late);
	now = tnd_timers_now(&env.timers);
	/* Two instants inside the same slot, 20-30 ms from now. */
	slot = (now + 20) / NET_LOOP_TIMER_SLOT_MS * NET_LOOP_TIMER_SLOT_MS +
	       NET_LOOP_TIMER_SLOT_MS;
	tnd_timer_start(&env.timers, &early, slot + 1 - now, on_tick, &t);
	tnd_timer_start(&env.timers, &late, slot + 8 - now, on_tick, &t);
	net_timers_kick(env.net);
	NT_WAIT(env.base, t.fired >= 1);
	CHECK_INT(t.fired, 2);
	CHECK(t.at >= slot + 8);
	nt_env_close(&env);
	return 0;
}

static int test_net_stats_start_at_zero(void)
{
	struct nt_env env;
	struct net_stats st;

	CHECK_INT(nt_env_open(&env, NULL, true), 0);
	net_stats(env.net, &st);
	CHECK_INT(st.datagrams_in + st.messages_in + st.conns_open +
		      st.bytes_in + st.bytes_out,
		  0);
	net_set_error_fn(env.net, NULL, &st);
	nt_env_close(&env);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_net_new_checks_arguments),
	TEST(test_net_listen_specs_and_addresses),
	TEST_OOM(test_net_new_and_listen_oom),
	TEST(test_net_timers_kick_runs_due_timers),
	TEST(test_net_timers_in_one_slot_fire_together),
	TEST(test_net_stats_start_at_zero),
};
TEST_MAIN(cases)
