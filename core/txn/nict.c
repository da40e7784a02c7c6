/*
 * The non-INVITE client transaction (RFC 3261 §17.1.2): Trying ->
 * Proceeding -> Completed -> Terminated. Timer E retransmits over UDP,
 * doubling from T1 up to T2 while Trying and every T2 once Proceeding;
 * Timer F gives up at 64*T1; Timer K absorbs final retransmissions for T4
 * (none on streams).
 */
#include "txn_int.h"

static void on_timer_e(struct tnd_timer *timer, void *arg)
{
	struct txn *t = arg;
	uint64_t t2 = t->layer->config.t2_ms, next;
	int rc;

	(void)timer;
	txn_hold(t);
	if ((rc = txn_resend(t))) {
		txn_fail(t, rc);
	} else {
		/* §17.1.2.2: MIN(2*interval, T2) in Trying, T2 in Proceeding.
		 */
		next =
		    t->retrans_interval * 2 < t2 ? t->retrans_interval * 2 : t2;
		txn_start_retrans(t, t->state == TXN_PROCEEDING ? t2 : next,
				  on_timer_e);
	}
	txn_release(t);
}

int txn_nict_start(struct txn *t)
{
	int rc;

	if ((rc = txn_send_msg(t, t->req)))
		return rc;
	if (!t->reliable)
		txn_start_retrans(t, t->layer->config.t1_ms, on_timer_e);
	txn_start_timeout(t, txn_64t1(t), txn_on_timeout_end);
	return 0;
}

void txn_nict_on_response(struct txn *t, const struct sip_msg *res)
{
	if (t->state == TXN_COMPLETED) {
		t->layer->stats.retransmissions_absorbed++;
		return;
	}
	if (t->state != TXN_TRYING && t->state != TXN_PROCEEDING)
		return;
	if (res->status < 200) {
		txn_set_state(t, TXN_PROCEEDING);
		txn_emit(t, TXN_EV_RESPONSE, res, 0);
		return;
	}
	tnd_timer_cancel(t->layer->timers, &t->retrans);
	txn_set_state(t, TXN_COMPLETED);
	/* Timer K: T4 for unreliable transports, zero for reliable ones. */
	txn_start_timeout(t, t->reliable ? 0 : t->layer->config.t4_ms,
			  txn_on_linger_end);
	if (!t->reliable)
		txn_forget_later(t);
	txn_emit(t, TXN_EV_RESPONSE, res, 0);
}
