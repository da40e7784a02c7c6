/*
 * The offer/answer state of one side (oa_state.c, RFC 3264 §4): both
 * directions of a full exchange, re-offers once stable, cancelling a
 * pending offer, and every illegal step refused with EPROTO and no change.
 */
#include <string.h>

#include "tandem/sdp_oa.h"
#include "test.h"

static int test_oa_state_local_offer_remote_answer(void)
{
	struct sdp_oa oa;

	sdp_oa_init(&oa, 1);
	CHECK_INT(sdp_oa_local_offer(&oa), 0);
	CHECK_INT(oa.state, SDP_OA_LOCAL_OFFER);
	CHECK_INT(sdp_oa_remote_answer(&oa), 0);
	CHECK_INT(oa.state, SDP_OA_STABLE);
	CHECK(oa.negotiated);
	/* a re-offer from the other side */
	CHECK_INT(sdp_oa_remote_offer(&oa), 0);
	CHECK_INT(sdp_oa_local_answer(&oa), 0);
	CHECK_INT(oa.state, SDP_OA_STABLE);
	sdp_oa_release(&oa);
	return 0;
}

static int test_oa_state_illegal_steps(void)
{
	struct sdp_oa oa;

	sdp_oa_init(&oa, 1);
	/* an answer with no offer pending */
	CHECK_INT(sdp_oa_remote_answer(&oa), EPROTO);
	CHECK_INT(sdp_oa_local_answer(&oa), EPROTO);
	CHECK_INT(sdp_oa_cancel(&oa), EPROTO);
	CHECK_INT(oa.state, SDP_OA_NONE);
	CHECK_INT(sdp_oa_remote_offer(&oa), 0);
	/* an offer while one is pending, or answering our own side */
	CHECK_INT(sdp_oa_remote_offer(&oa), EPROTO);
	CHECK_INT(sdp_oa_local_offer(&oa), EPROTO);
	CHECK_INT(sdp_oa_remote_answer(&oa), EPROTO);
	CHECK_INT(oa.state, SDP_OA_REMOTE_OFFER);
	CHECK_INT(sdp_oa_local_answer(&oa), 0);
	CHECK_INT(sdp_oa_local_answer(&oa), EPROTO);
	CHECK_INT(sdp_oa_remote_answer(&oa), EPROTO);
	CHECK_INT(oa.state, SDP_OA_STABLE);
	CHECK_INT(sdp_oa_local_offer(&oa), 0);
	CHECK_INT(sdp_oa_local_answer(&oa), EPROTO);
	CHECK_INT(sdp_oa_local_offer(&oa), EPROTO);
	CHECK_INT(oa.state, SDP_OA_LOCAL_OFFER);
	sdp_oa_release(&oa);
	return 0;
}

static int test_oa_state_cancel(void)
{
	struct sdp_oa oa;

	sdp_oa_init(&oa, 1);
	/* never negotiated: back to none */
	CHECK_INT(sdp_oa_local_offer(&oa), 0);
	CHECK_INT(sdp_oa_cancel(&oa), 0);
	CHECK_INT(oa.state, SDP_OA_NONE);
	CHECK(!oa.negotiated);
	CHECK_INT(sdp_oa_remote_offer(&oa), 0);
	CHECK_INT(sdp_oa_local_answer(&oa), 0);
	/* a rejected re-offer: back to stable */
	CHECK_INT(sdp_oa_local_offer(&oa), 0);
	CHECK_INT(sdp_oa_cancel(&oa), 0);
	CHECK_INT(oa.state, SDP_OA_STABLE);
	CHECK_INT(sdp_oa_cancel(&oa), EPROTO);
	sdp_oa_release(&oa);
	return 0;
}

static int test_oa_state_names(void)
{
	CHECK(strcmp(sdp_oa_state_name(SDP_OA_NONE), "none") == 0);
	CHECK(strcmp(sdp_oa_state_name(SDP_OA_LOCAL_OFFER), "local-offer") ==
	      0);
	CHECK(strcmp(sdp_oa_state_name(SDP_OA_REMOTE_OFFER), "remote-offer") ==
	      0);
	CHECK(strcmp(sdp_oa_state_name(SDP_OA_STABLE), "stable") == 0);
	CHECK(strcmp(sdp_oa_state_name((enum sdp_oa_state)7), "?") == 0);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_oa_state_local_offer_remote_answer),
	TEST(test_oa_state_illegal_steps),
	TEST(test_oa_state_cancel),
	TEST(test_oa_state_names),
};

TEST_MAIN(cases)
