/*
 * What the caller hears of the B-legs: provisional responses relayed with
 * the A-leg's own To tag (one early dialog towards A, whatever happens
 * behind), and the bridge: the first 2xx goes to A with our Contact and
 * is resent until A's ACK; the B-leg is ACKed at once, or, when A made
 * no offer (late offer: the offer is in the 2xx), with A's ACK and its
 * answer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tandem/log.h"
#include "b2b_int.h"

/* A's copy of a B response: status, reason, body, the script's headers. */
static int answer_build(struct b2b_call *call, struct b2b_leg *leg,
			const struct sip_msg *res, const struct b2b_msg *shown,
			struct sip_msg **out)
{
	char reason[128];
	int rc;

	if (!txn_request(call->a_st))
		return EPROTO; /* answered already, and lingering */
	snprintf(reason, sizeof(reason), "%.*s", TND_SLICE_FMT(res->reason));
	if ((rc = b2b_side_response_new(&call->a, txn_request(call->a_st),
					res->status, reason, out)))
		return rc;
	if ((rc = b2b_media_body(&leg->side, &call->a, res, *out)) ||
	    (rc = b2b_msg_copy_carried(shown, *out))) {
		sip_msg_free(*out);
		*out = NULL;
	}
	return rc;
}

int answer_relay_provisional(struct b2b_call *call, struct b2b_leg *leg,
			     const struct sip_msg *res,
			     const struct b2b_msg *shown, uint32_t leg_rseq)
{
	struct sip_msg *out;
	int rc;

	if (call->a_final_sent || !call->a_st)
		return EPROTO;
	if ((rc = answer_build(call, leg, res, shown, &out)) == 0) {
		if (!leg_rseq)
			rc = txn_server_respond(call->a_st, out);
		else if ((rc = prack_make_reliable(call, leg, leg_rseq,
						   res->cseq.number, out)))
			sip_msg_free(out);
		else
			rc = txn_server_send(call->a_st, out);
	}
	if (rc)
		tnd_log_warn("call %llu: cannot relay %u: %s",
			     (unsigned long long)call->id, res->status,
			     strerror(rc));
	return rc;
}

int answer_bridge(struct b2b_call *call, struct b2b_leg *leg,
		  const struct sip_msg *ok, const struct b2b_msg *shown)
{
	struct sip_msg *out = NULL;
	int rc = 0;

	/* An answer we cannot use ends only this leg (the caller's wait
	 * goes on with the others). */
	if (!call->a_final_sent && call->a_st &&
	    (rc = answer_build(call, leg, ok, shown, &out)) == EBADMSG) {
		tnd_log_warn("call %llu: unusable SDP in the answer: %s",
			     (unsigned long long)call->id, b2b_media_why(call));
		return rc;
	}
	call->bridged = leg;
	call->end.answer_ms = b2b_wall_ms();
	dial_finish(call, ok->status, NULL);
	if (call->a_final_sent || !call->a_st) {
		rc = EPROTO;
		goto fail;
	}
	if (rc || (rc = b2b_side_send_ok(&call->a, call->a_st, out)))
		goto fail;
	call->a_final_sent = true;
	dialog_confirm(call->a.dialog);
	b2b_media_answered(call);
	if (call->request->sip->body.len)
		b2b_side_send_ack(&leg->side, ok->cseq.number, NULL);
	else
		leg->side.ack_wanted_cseq = ok->cseq.number;
	tnd_log_debug("call %llu: answered", (unsigned long long)call->id);
	return 0;
fail:
	tnd_log_warn("call %llu: cannot answer the caller: %s",
		     (unsigned long long)call->id, strerror(rc));
	b2b_side_send_ack(&leg->side, ok->cseq.number, NULL);
	b2b_side_bye(&leg->side);
	call->bridged = NULL;
	b2b_call_teardown(call, B2B_END_CORE, 500, NULL);
	return rc;
}
