/*
 * The INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §7.1):
 * Proceeding -> Completed (non-2xx) -> Confirmed (ACK) -> Terminated, or
 * Proceeding -> Accepted (2xx) -> Terminated. Sends 100 Trying when the
 * TU has not answered within trying_ms; Timer G retransmits a non-2xx
 * final over UDP (T1 doubling to T2) until the ACK or Timer H (64*T1);
 * Timer I absorbs ACK retransmissions for T4; Timer L keeps absorbing
 * INVITE retransmissions for 64*T1 after a 2xx, which the TU repeats.
 */
#include <errno.h>
#include <stdbool.h>

#include "tandem/mem.h"
#include "txn_int.h"

static void on_trying(struct tnd_timer *timer, void *arg)
{
	struct txn *t = arg;
	struct sip_msg *trying;
	int rc;

	(void)timer;
	if (t->out_status || t->state != TXN_PROCEEDING)
		return;
	/* Without memory there is no 100 this time; the answer still comes. */
	if (sip_msg_response_new(t->req, 100, NULL, TND_SLICE_NULL, &trying))
		return;
	rc = txn_store_msg(t, trying);
	sip_msg_free(trying);
	if (rc)
		return;
	t->out_status = 100;
	txn_hold(t);
	if ((rc = txn_resend(t)))
		txn_fail(t, rc);
	txn_release(t);
}

void txn_ist_start(struct txn *t)
{
	/* §17.2.1: 100 Trying unless the TU answers within 200 ms. */
	txn_start_retrans(t, t->layer->config.trying_ms, on_trying);
}

static void on_timer_g(struct tnd_timer *timer, void *arg)
{
	struct txn *t = arg;
	uint64_t t2 = t->layer->config.t2_ms;
	int rc;

	(void)timer;
	txn_hold(t);
	if ((rc = txn_resend(t))) {
		txn_fail(t, rc);
	} else {
		uint64_t next = t->retrans_interval * 2;

		txn_start_retrans(t, next < t2 ? next : t2, on_timer_g);
	}
	txn_release(t);
}

static void on_ack(struct txn *t)
{
	if (t->state != TXN_COMPLETED) {
		t->layer->stats.retransmissions_absorbed++;
		return;
	}
	tnd_timer_cancel(t->layer->timers, &t->retrans);
	txn_set_state(t, TXN_CONFIRMED);
	/* Timer I: T4 for unreliable transports, zero for reliable ones. */
	txn_start_timeout(t, t->reliable ? 0 : t->layer->config.t4_ms,
			  txn_on_linger_end);
}

void txn_ist_on_request(struct txn *t, const struct sip_msg *req,
			const struct net_peer *from)
{
	int rc = 0;

	if (req->method == SIP_METHOD_ACK) {
		if (t->state == TXN_ACCEPTED) {
			/* RFC 6026 §7.1: an ACK here belongs to the TU. */
			t->layer->tu.on_request(t->layer->tu.arg, NULL, req,
						from);
			return;
		}
		on_ack(t);
		return;
	}
	t->layer->stats.retransmissions_absorbed++;
	/* §17.2.1: a retransmitted INVITE gets the last response again. */
	if ((t->state == TXN_PROCEEDING && t->out_status) ||
	    t->state == TXN_COMPLETED)
		rc = txn_resend(t);
	if (rc)
		txn_fail(t, rc);
}

/* After t->out holds the final response: the state and its timers. */
static void enter_final(struct txn *t, uint16_t status)
{
	tnd_timer_cancel(t->layer->timers, &t->retrans);
	if (status < 300) {
		txn_set_state(t, TXN_ACCEPTED);
		txn_start_timeout(t, txn_64t1(t), txn_on_linger_end);
	} else {
		txn_set_state(t, TXN_COMPLETED);
		if (!t->reliable)
			txn_start_retrans(t, t->layer->config.t1_ms,
					  on_timer_g);
		txn_start_timeout(t, txn_64t1(t), txn_on_timeout_end);
	}
	txn_forget_later(t);
}

/* RFC 2543 peers' ACKs are matched by the To tag of our response. */
static int keep_to_tag(struct txn *t, const struct sip_msg *res)
{
	char *tag;

	if (!t->key.legacy || !res->to.tag.len)
		return 0;
	if (!(tag = tnd_slice_dup(res->to.tag)))
		return ENOMEM;
	tnd_free(t->out_to_tag);
	t->out_to_tag = tag;
	return 0;
}

int txn_ist_respond(struct txn *t, const struct sip_msg *res)
{
	bool is_2xx = res->status >= 200 && res->status < 300;
	int rc;

	/* RFC 6026 §7.1: in Accepted, only the TU's 2xx retransmissions. */
	if (t->state == TXN_ACCEPTED ? !is_2xx : t->state != TXN_PROCEEDING)
		return EPROTO;
	if ((rc = txn_store_msg(t, res)) || (rc = keep_to_tag(t, res)))
		return rc;
	t->out_status = res->status;
	if (t->state == TXN_PROCEEDING && res->status < 200)
		tnd_timer_cancel(t->layer->timers, &t->retrans);
	else if (t->state == TXN_PROCEEDING)
		enter_final(t, res->status);
	if ((rc = txn_resend(t)))
		txn_fail(t, rc);
	return 0;
}
