/*
 * Where one side's offer/answer exchange stands (RFC 3264 §4; RFC 6337
 * §2 for the rule of one offer at a time): no offer yet, an offer sent or
 * received and not yet answered, or stable. Every step goes through one
 * set_state() that checks the edge; an illegal one is EPROTO.
 */
#include <errno.h>

#include "tandem/sdp_oa.h"

const char *sdp_oa_state_name(enum sdp_oa_state state)
{
	switch (state) {
	case SDP_OA_NONE: return "none";
	case SDP_OA_LOCAL_OFFER: return "local-offer";
	case SDP_OA_REMOTE_OFFER: return "remote-offer";
	case SDP_OA_STABLE: return "stable";
	}
	return "?";
}

static bool edge_ok(enum sdp_oa_state from, enum sdp_oa_state to)
{
	bool idle = from == SDP_OA_NONE || from == SDP_OA_STABLE;

	switch (to) {
	case SDP_OA_LOCAL_OFFER:
	case SDP_OA_REMOTE_OFFER: return idle;
	case SDP_OA_STABLE:
	case SDP_OA_NONE: return !idle;
	}
	return false;
}

static int set_state(struct sdp_oa *oa, enum sdp_oa_state to)
{
	if (!edge_ok(oa->state, to))
		return EPROTO;
	oa->state = to;
	return 0;
}

int sdp_oa_local_offer(struct sdp_oa *oa)
{
	return set_state(oa, SDP_OA_LOCAL_OFFER);
}

int sdp_oa_remote_offer(struct sdp_oa *oa)
{
	return set_state(oa, SDP_OA_REMOTE_OFFER);
}

static int answer(struct sdp_oa *oa, enum sdp_oa_state pending)
{
	int rc;

	if (oa->state != pending)
		return EPROTO;
	rc = set_state(oa, SDP_OA_STABLE);
	if (rc == 0)
		oa->negotiated = true;
	return rc;
}

int sdp_oa_local_answer(struct sdp_oa *oa)
{
	return answer(oa, SDP_OA_REMOTE_OFFER);
}

int sdp_oa_remote_answer(struct sdp_oa *oa)
{
	return answer(oa, SDP_OA_LOCAL_OFFER);
}

int sdp_oa_cancel(struct sdp_oa *oa)
{
	return set_state(oa, oa->negotiated ? SDP_OA_STABLE : SDP_OA_NONE);
}
