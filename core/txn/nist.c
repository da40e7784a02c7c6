/*
 * The non-INVITE server transaction (RFC 3261 §17.2.2): Trying ->
 * Proceeding -> Completed -> Terminated. Retransmitted requests get the
 * last response again (nothing while Trying); Timer J absorbs them for
 * 64*T1 after the final response on UDP (not at all on streams).
 */
#include <errno.h>

#include "txn_int.h"

void txn_nist_on_request(struct txn *t, const struct sip_msg *req)
{
	int rc = 0;

	(void)req;
	t->layer->stats.retransmissions_absorbed++;
	if (t->state == TXN_PROCEEDING || t->state == TXN_COMPLETED)
		rc = txn_resend(t);
	if (rc)
		txn_fail(t, rc);
}

int txn_nist_respond(struct txn *t, const struct sip_msg *res)
{
	int rc;

	if (t->state != TXN_TRYING && t->state != TXN_PROCEEDING)
		return EPROTO;
	if ((rc = txn_store_msg(t, res)))
		return rc;
	t->out_status = res->status;
	if (res->status < 200) {
		txn_set_state(t, TXN_PROCEEDING);
	} else {
		txn_set_state(t, TXN_COMPLETED);
		txn_start_timeout(t, t->reliable ? 0 : txn_64t1(t),
				  txn_on_linger_end);
		if (!t->reliable)
			txn_forget_later(t);
	}
	if ((rc = txn_resend(t)))
		txn_fail(t, rc);
	return 0;
}
