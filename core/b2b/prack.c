/*
 * Reliable provisional responses end to end (RFC 3262). When the caller
 * supports 100rel, a B-leg's reliable 1xx reaches it as our own reliable
 * 1xx (our RSeq, resent from T1 doubling until the caller's PRACK, §3),
 * and the caller's PRACK goes to that leg with the leg's RSeq in RAck.
 * When the caller does not, tandem PRACKs the leg itself and relays the
 * 1xx as an ordinary one. A leg's resent 1xx (its RSeq seen before) is
 * absorbed. Owns the copy of the 1xx being resent and its timer.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tandem/log.h"
#include "b2b_int.h"

static bool has_option(const struct sip_msg *msg, enum sip_hdr_id id,
		       const char *tag)
{
	for (const struct sip_hdr *h = sip_msg_hdr(msg, id); h;
	     h = sip_msg_hdr_next(msg, h))
		if (sip_tokens_contains(h->value, tag))
			return true;
	return false;
}

bool prack_caller_supports(const struct b2b_call *call)
{
	const struct sip_msg *a = call->request->sip;

	return has_option(a, SIP_HDR_SUPPORTED, "100rel") ||
	       has_option(a, SIP_HDR_REQUIRE, "100rel");
}

/* The RSeq of a reliable provisional, or 0 for an ordinary one. */
static uint32_t reliable_rseq(const struct sip_msg *res)
{
	const struct sip_hdr *rseq = sip_msg_hdr(res, SIP_HDR_RSEQ);
	uint32_t n;

	if (res->status == 100 || !rseq ||
	    !has_option(res, SIP_HDR_REQUIRE, "100rel") ||
	    sip_uint_parse(rseq->value, UINT32_MAX, &n, NULL) || n == 0)
		return 0;
	return n;
}

int prack_leg_provisional(struct b2b_leg *leg, const struct sip_msg *res,
			  uint32_t *relay_rseq)
{
	uint32_t rseq = reliable_rseq(res);
	char rack[64];
	const char *extra[] = { rack, NULL };

	*relay_rseq = 0;
	if (!rseq)
		return 0;
	/* §4: in order, one after the other; the rest are resends. */
	if (leg->rseq_seen && rseq <= leg->rseq_seen)
		return EALREADY;
	leg->rseq_seen = rseq;
	if (prack_caller_supports(leg->call) && leg->in_dial &&
	    !call_is_ended(leg->call)) {
		*relay_rseq = rseq;
		return 0;
	}
	snprintf(rack, sizeof(rack), "RAck: %" PRIu32 " %" PRIu32 " INVITE",
		 rseq, res->cseq.number);
	return b2b_side_oneway(&leg->side, SIP_METHOD_PRACK, extra);
}

static void prack_stop(struct b2b_call *call)
{
	tnd_timer_cancel(call->b2b->env.timers, &call->rel.timer);
	sip_msg_free(call->rel.msg);
	call->rel.msg = NULL;
}

/* §3: resent from T1 doubling until the PRACK, 64*T1 at most. */
static void on_rel_timer(struct tnd_timer *timer, void *arg)
{
	struct b2b_call *call = arg;
	const struct b2b_config *cfg = &call->b2b->config;

	(void)timer;
	call->rel.elapsed += call->rel.interval;
	if (call->rel.elapsed >= 64ull * cfg->t1_ms || !call->a_st ||
	    call->a_final_sent) {
		prack_stop(call);
		return;
	}
	(void)txn_server_send(call->a_st, call->rel.msg);
	call->rel.interval = call->rel.interval * 2 < cfg->t2_ms
				 ? call->rel.interval * 2
				 : cfg->t2_ms;
	tnd_timer_start(call->b2b->env.timers, &call->rel.timer,
			call->rel.interval, on_rel_timer, call);
}

int prack_make_reliable(struct b2b_call *call, struct b2b_leg *leg,
			uint32_t leg_rseq, uint32_t leg_cseq,
			struct sip_msg *out)
{
	char rseq[16];
	uint64_t r;
	int rc;

	if (!call->rel.last_rseq) {
		if ((rc = tnd_rand_u64(&r)))
			return rc;
		call->rel.last_rseq = (uint32_t)(r % 0x7fffffffu);
	}
	snprintf(rseq, sizeof(rseq), "%" PRIu32, ++call->rel.last_rseq);
	if ((rc = sip_msg_hdr_set(out, "Require", TND_SLICE_LIT("100rel"))) ||
	    (rc = sip_msg_hdr_set(out, "RSeq", tnd_slice_from_cstr(rseq))))
		return rc;
	prack_stop(call);
	call->rel.msg = out;
	call->rel.leg = leg;
	call->rel.leg_rseq = leg_rseq;
	call->rel.leg_cseq = leg_cseq;
	call->rel.elapsed = 0;
	call->rel.interval = call->b2b->config.t1_ms;
	tnd_timer_start(call->b2b->env.timers, &call->rel.timer,
			call->rel.interval, on_rel_timer, call);
	return 0;
}

int prack_map_from_caller(struct b2b_call *call, const struct sip_msg *prack,
			  struct sip_msg *out)
{
	const struct sip_hdr *h = sip_msg_hdr(prack, SIP_HDR_RACK);
	struct sip_rack rack;
	char value[48];

	if (!h || sip_rack_parse(h->value, &rack, NULL) || !call->rel.leg ||
	    rack.rseq != call->rel.last_rseq)
		return ENOENT;
	prack_stop(call);
	snprintf(value, sizeof(value), "%" PRIu32 " %" PRIu32 " INVITE",
		 call->rel.leg_rseq, call->rel.leg_cseq);
	return sip_msg_hdr_set(out, "RAck", tnd_slice_from_cstr(value));
}

void prack_fini(struct b2b_call *call)
{
	prack_stop(call);
}
