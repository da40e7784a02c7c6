/*
 * The INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §7.2):
 * Calling -> Proceeding -> Completed (non-2xx, with our ACK) or Accepted
 * (2xx, whose ACK is the TU's) -> Terminated. Timer A retransmits over
 * UDP, doubling from T1 without cap; Timer B gives up at 64*T1 if no
 * response came (after a provisional, the TU decides how long to ring);
 * Timer D
 * absorbs final retransmissions (32 s on UDP, none on streams); Timer M
 * lets 2xx retransmissions through to the TU for 64*T1.
 */
#include <errno.h>

#include "tandem/mem.h"
#include "txn_int.h"

/* RFC 3261 §17.1.1.2: "at least 32 seconds" for unreliable transports. */
#define TXN_TIMER_D_MS 32000

static void on_timer_a(struct tnd_timer *timer, void *arg)
{
	struct txn *t = arg;
	int rc;

	(void)timer;
	txn_hold(t);
	if ((rc = txn_resend(t))) {
		txn_fail(t, rc);
	} else {
		/* §17.1.1.2: the interval doubles each time, with no cap. */
		txn_start_retrans(t, t->retrans_interval * 2, on_timer_a);
	}
	txn_release(t);
}

int txn_ict_start(struct txn *t)
{
	int rc;

	if ((rc = txn_send_msg(t, t->req)))
		return rc;
	if (!t->reliable)
		txn_start_retrans(t, t->layer->config.t1_ms, on_timer_a);
	txn_start_timeout(t, txn_64t1(t), txn_on_timeout_end);
	return 0;
}

/* §17.1.1.3: the ACK of a non-2xx final, kept to answer retransmissions. */
static int send_ack(struct txn *t, const struct sip_msg *res)
{
	struct sip_msg *ack;
	size_t size, written;
	int rc;

	if ((rc = sip_msg_ack_new(t->req, res, &ack)))
		return rc;
	size = sip_msg_print_size(ack);
	tnd_free(t->ack);
	if (!(t->ack = tnd_malloc(size))) {
		sip_msg_free(ack);
		return ENOMEM;
	}
	sip_msg_print(ack, t->ack, size, &written);
	t->ack_len = written;
	sip_msg_free(ack);
	return txn_send_bytes(t, t->ack, t->ack_len);
}

static void on_final(struct txn *t, const struct sip_msg *res)
{
	struct tnd_timers *timers = t->layer->timers;
	int rc;

	tnd_timer_cancel(timers, &t->retrans);
	if (res->status < 300) {
		/* RFC 6026 §8.4: wait in Accepted for 2xx retransmissions. */
		txn_set_state(t, TXN_ACCEPTED);
		txn_start_timeout(t, txn_64t1(t), txn_on_linger_end);
		txn_forget_later(t);
		txn_emit(t, TXN_EV_RESPONSE, res, 0);
		return;
	}
	txn_set_state(t, TXN_COMPLETED);
	txn_start_timeout(t, t->reliable ? 0 : TXN_TIMER_D_MS,
			  txn_on_linger_end);
	if (!t->reliable)
		txn_forget_later(t);
	/*
	 * §17.1.1.2: the response goes up whatever becomes of the ACK, so
	 * a failed send is reported after it, not instead of it.
	 */
	txn_emit(t, TXN_EV_RESPONSE, res, 0);
	if (t->state == TXN_COMPLETED && (rc = send_ack(t, res)))
		txn_fail(t, rc);
}

void txn_ict_on_response(struct txn *t, const struct sip_msg *res)
{
	int rc;

	switch (t->state) {
	case TXN_CALLING:
	case TXN_PROCEEDING:
		if (res->status >= 200) {
			on_final(t, res);
			return;
		}
		/*
		 * §17.1.1.2: no more retransmissions, and Timer B only acts
		 * in Calling: how long to ring is the TU's call (Timer C).
		 */
		tnd_timer_cancel(t->layer->timers, &t->retrans);
		tnd_timer_cancel(t->layer->timers, &t->timeout);
		txn_set_state(t, TXN_PROCEEDING);
		txn_emit(t, TXN_EV_RESPONSE, res, 0);
		return;
	case TXN_COMPLETED:
		/* §17.1.1.2: a retransmitted final gets the ACK again. */
		t->layer->stats.retransmissions_absorbed++;
		if (res->status >= 300 &&
		    (rc = txn_send_bytes(t, t->ack, t->ack_len)))
			txn_fail(t, rc);
		return;
	case TXN_ACCEPTED:
		if (res->status >= 200 && res->status < 300)
			txn_emit(t, TXN_EV_RESPONSE, res, 0);
		else
			t->layer->stats.retransmissions_absorbed++;
		return;
	default: return;
	}
}
