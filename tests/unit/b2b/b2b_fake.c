/*
 * The bench of b2b_fake.h: the layers wired on the fakes, the script's
 * hooks, the clock and the loop, and the call most cases start from. The
 * transaction layer of the fake environment is replaced by one whose TU
 * is the b2b. Messages and checks are in b2b_fake_net.c.
 */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b_fake.h"

#define WAIT_MS  2000
#define DRAIN_MS 40000 /* past 64*T1 and T4: every timer is done */

/* ---- the script --------------------------------------------------------- */

void bt_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used > 0 && used + 1 < size) {
		buf[used++] = ' ';
		buf[used] = '\0';
	}
	if (used + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

uint64_t bt_now(const struct b2b_test *t)
{
	return tnd_timers_now(&t->e->timers);
}

void bt_log(struct b2b_test *t, const char *what)
{
	bt_append(t->log, sizeof(t->log), "%s@%llu", what,
		  (unsigned long long)bt_now(t));
}

int bt_dial(struct b2b_test *t, struct b2b_call *call,
	    const char *const *targets)
{
	size_t n = 0;

	while (n < BT_MAX_TARGETS && targets[n])
		n++;
	struct b2b_dial_opts opts = {
		.targets = targets,
		.ntargets = n,
		.timeout_ms = t->dial_timeout_ms,
	};
	t->dial_rc = b2b_call_dial(call, &opts);
	return t->dial_rc;
}

static void on_invite(void *arg, struct b2b_call *call)
{
	struct b2b_test *t = arg;

	bt_log(t, "invite");
	t->call = call;
	if (t->invite_fn)
		t->invite_fn(t, call);
	else if (bt_dial(t, call, t->dial))
		b2b_call_script_done(call);
}

static void on_request(void *arg, struct b2b_call *call, struct b2b_msg *req)
{
	struct b2b_test *t = arg;
	char what[64];

	snprintf(what, sizeof(what), "request(%.*s%s)",
		 TND_SLICE_FMT(b2b_msg_sip(req)->method_name),
		 call ? "" : " no call");
	bt_log(t, what);
	if (t->request_fn)
		t->request_fn(t, call, req);
}

static void on_response(void *arg, struct b2b_call *call, struct b2b_msg *res)
{
	struct b2b_test *t = arg;
	char what[64];

	(void)call;
	snprintf(what, sizeof(what), "response(%u)", b2b_msg_sip(res)->status);
	bt_log(t, what);
}

static void on_cancel(void *arg, struct b2b_call *call)
{
	(void)call;
	bt_log(arg, "cancel");
}

/* The script's on_invite "returns" once its dial is done: the next
 * failover target, or the end of the script. */
static void on_dial_done(void *arg, struct b2b_call *call,
			 const struct b2b_dial_result *r)
{
	struct b2b_test *t = arg;
	char what[64];

	snprintf(what, sizeof(what), "dial_done(%u)", r->code);
	bt_log(t, what);
	t->answered = r->answered;
	t->result_code = r->code;
	t->result_status = r->response ? b2b_msg_sip(r->response)->status : 0;
	if (!r->answered && t->failover[t->failover_next]) {
		const char *next[] = { t->failover[t->failover_next++], NULL };

		if (bt_dial(t, call, next) == 0)
			return;
	}
	b2b_call_script_done(call);
}

static const char *by_name(enum b2b_end_by by)
{
	switch (by) {
	case B2B_END_CALLER: return "caller";
	case B2B_END_CALLEE: return "callee";
	case B2B_END_SCRIPT: return "script";
	case B2B_END_CORE: return "core";
	}
	return "?";
}

static void on_hangup(void *arg, struct b2b_call *call,
		      const struct b2b_end_info *info)
{
	struct b2b_test *t = arg;
	char what[96];

	snprintf(what, sizeof(what), "hangup(%s %u %s)", by_name(info->by),
		 info->code, info->reason ? info->reason : "(null)");
	bt_log(t, what);
	t->hangups++;
	t->end = *info;
	if (call == t->call)
		t->call = NULL;
}

struct b2b_hooks bt_hooks(struct b2b_test *t)
{
	return (struct b2b_hooks){
		.on_invite = on_invite,
		.on_request = on_request,
		.on_response = on_response,
		.on_cancel = on_cancel,
		.on_dial_done = on_dial_done,
		.on_hangup = on_hangup,
		.arg = t,
	};
}

/* ---- the bench ---------------------------------------------------------- */

static int local_addr(void *arg, enum net_transport transport, int family,
		      char *host, size_t size, uint16_t *port)
{
	(void)arg;
	if (transport == NET_TLS || family != AF_INET)
		return ENOTSUP;
	snprintf(host, size, "192.0.2.1");
	*port = 5060;
	return 0;
}

static void to_b2b(void *arg, struct txn *st, const struct sip_msg *req,
		   const struct net_peer *from)
{
	struct b2b_test *t = arg;

	b2b_on_request(t->b2b, st, req, from);
}

int bt_settle(struct b2b_test *t)
{
	/* Timers due now first: the order that frees a call soonest. */
	for (int i = 0; i < 100; i++) {
		uint64_t fired = tnd_timers_run(&t->e->timers);

		if (net_resolver_pending(t->rt.res[0])) {
			if (!rt_wait_idle(&t->rt, 0, WAIT_MS))
				return ETIME;
		} else if (!fired) {
			return 0;
		}
	}
	return ELOOP;
}

int bt_at(struct b2b_test *t, uint64_t at_ms)
{
	fake_until(t->e, at_ms);
	return bt_settle(t);
}

/* Every call, transaction and timer ended with the clock past 64*T1. */
static int bt_drain(struct b2b_test *t)
{
	struct txn_stats s;

	CHECK_OK(bt_at(t, bt_now(t) + DRAIN_MS));
	s = fake_stats(t->e);
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	CHECK_INT(s.live[TXN_ICT] + s.live[TXN_NICT], 0);
	CHECK_INT(s.live[TXN_IST] + s.live[TXN_NIST], 0);
	CHECK_INT(tnd_timers_count(&t->e->timers), 0);
	return 0;
}

static int bt_body(struct fake_env *e, void *arg)
{
	struct b2b_test *t = arg;
	struct b2b_hooks hooks = bt_hooks(t);
	struct b2b_config config = b2b_config_default;
	struct b2b_env env;
	int rc;

	t->e = e;
	t->caller = fake_peer_uac(NET_UDP);
	txn_layer_free(e->layer);
	e->layer = NULL;
	rc = txn_layer_new(&txn_config_default, &e->timers, fake_io_ops(&e->io),
			   (struct txn_tu){ to_b2b, t }, &e->layer);
	if (rc)
		return rc;
	env = (struct b2b_env){
		.timers = &e->timers,
		.route = { e->layer, t->rt.res[0], local_addr, t },
	};
	config.t1_ms = BT_T1_MS;
	config.t2_ms = BT_T2_MS;
	if ((rc = b2b_new(&config, &env, &hooks, &t->b2b)))
		return rc;
	rc = t->body(t);
	if (rc == 0)
		rc = bt_drain(t);
	else if (tnd_mem_failures_injected() > 0)
		(void)bt_at(t,
			    bt_now(t) + DRAIN_MS); /* error paths wind down */
	b2b_free(t->b2b);
	t->b2b = NULL;
	return rc;
}

int bt_run(int (*body)(struct b2b_test *t))
{
	struct b2b_test *t = calloc(1, sizeof(*t));
	int rc;

	if (!t)
		return ENOMEM;
	t->body = body;
	rc = rt_open(&t->rt, RT_NONE, NULL);
	if (rc == 0)
		rc = fake_env_run_with(bt_body, t);
	rt_close(&t->rt);
	free(t);
	return rc;
}

int bt_connect(struct b2b_test *t)
{
	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_settle(t));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 180, "btag", NULL));
	CHECK_OK(bt_at(t, 1000));
	CHECK_OK(bt_reply(t, 0, 200, "btag", BT_SDP_B));
	CHECK_OK(bt_at(t, 1100));
	CHECK_OK(bt_caller(t, "ACK", 1, "z9hG4bKa2", "", NULL));
	CHECK_OK(bt_settle(t));
	CHECK_WIRE(t, BT_CONNECTED_WIRE);
	CHECK_LOG(t, BT_CONNECTED_LOG);
	CHECK(t->call != NULL);
	CHECK_INT(b2b_call_state(t->call), B2B_CALL_CONFIRMED);
	return 0;
}
