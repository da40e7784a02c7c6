/*
 * The bridge (answer.c, side.c): our 2xx to the caller is resent from T1
 * doubling to T2 until its ACK, and without one the call ends after 64*T1
 * with BYE on both legs (RFC 3261 §13.3.1.4); with a late offer (an
 * INVITE without SDP, §13.2.1) the callee's ACK waits for the caller's,
 * which carries the answer.
 */
#include <stdio.h>
#include <string.h>

#include "b2b_fake.h"

/* The caller offers `sdp` (NULL: none); bob rings at 100 and answers at
 * 1000 with SDP; nobody ACKs yet. */
static int answered(struct b2b_test *t, const char *sdp)
{
	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "", sdp));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 180, "btag", NULL));
	CHECK_OK(bt_at(t, 1000));
	return bt_reply(t, 0, 200, "btag", BT_SDP_B);
}

/* Sends i .. j-1 are the same 2xx to the caller. */
static int check_resends(struct b2b_test *t, size_t i, size_t j)
{
	for (size_t k = i; k < j; k++) {
		CHECK_OK(bt_check_to_caller(t, k, 200));
		CHECK_STR(bt_sent(t, k)->body, BT_SDP_B);
		CHECK_INT(t->e->io.sends[k].len, t->e->io.sends[i].len);
		CHECK(memcmp(t->e->io.sends[k].data, t->e->io.sends[i].data,
			     t->e->io.sends[i].len) == 0);
	}
	return 0;
}

B2B_CASE(test_answer_2xx_is_resent_from_t1_doubling_until_the_ack)
{
	CHECK_OK(answered(t, BT_SDP_A));
	CHECK_OK(bt_at(t, 4999));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000 "
		      "a:200@1500 a:200@2500 a:200@4500");
	CHECK_OK(check_resends(t, 2, 3));
	CHECK_OK(check_resends(t, 4, 7));
	CHECK(tnd_slice_eq(bt_sent(t, 6)->to.tag, bt_sent(t, 1)->to.tag));
	CHECK_INT(b2b_call_state(t->call), B2B_CALL_ANSWERED);
	CHECK_OK(bt_at(t, 5000));
	CHECK_OK(bt_caller(t, "ACK", 1, "z9hG4bKa2", "", NULL));
	CHECK_INT(b2b_call_state(t->call), B2B_CALL_CONFIRMED);
	/* The ACK confirms nothing on the B-leg: it had its ACK. */
	CHECK_OK(bt_at(t, 30000));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000 "
		      "a:200@1500 a:200@2500 a:200@4500");
	CHECK_OK(bt_caller(t, "BYE", 2, "z9hG4bKa3", "", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000 "
		      "a:200@1500 a:200@2500 a:200@4500 a:200@30000 "
		      "bob:BYE@30000");
	CHECK_OK(bt_reply(t, 8, 200, "", NULL));
	CHECK_INT(t->hangups, 1);
	return 0;
}

/* §13.3.1.4: after 64*T1 without ACK the session ends: BYE both ways. */
B2B_CASE(test_answer_2xx_without_ack_ends_the_call_after_64_t1)
{
	const struct sip_msg *inv;

	CHECK_OK(answered(t, BT_SDP_A));
	CHECK_OK(bt_at(t, 1000 + 64 * BT_T1_MS - 1));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000 "
		      "a:200@1500 a:200@2500 a:200@4500 a:200@8500 "
		      "a:200@12500 a:200@16500 a:200@20500 a:200@24500 "
		      "a:200@28500 a:200@32500");
	CHECK_OK(check_resends(t, 4, 14));
	CHECK_INT(t->hangups, 0);
	CHECK_OK(bt_at(t, 1000 + 64 * BT_T1_MS));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000 "
		      "a:200@1500 a:200@2500 a:200@4500 a:200@8500 "
		      "a:200@12500 a:200@16500 a:200@20500 a:200@24500 "
		      "a:200@28500 a:200@32500 a:BYE@33000 bob:BYE@33000");
	inv = bt_sent(t, 0);
	CHECK_OK(bt_check_in_a_dialog(t, 14, "BYE"));
	CHECK_OK(bt_check_in_b_dialog(t, 15, 0, "btag", "BYE",
				      inv->cseq.number + 1));
	CHECK_LOG(t, "invite@0 response(180)@100 response(200)@1000 "
		     "dial_done(200)@1000 hangup(core 408 No ACK)@33000");
	CHECK_OK(bt_at(t, 33010));
	CHECK_OK(bt_reply(t, 14, 200, "", NULL));
	CHECK_OK(bt_reply(t, 15, 200, "", NULL));
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	CHECK_INT(t->hangups, 1);
	return 0;
}

/* §15: the callee hangs up before the caller ACKed our 2xx: the caller's
 * BYE waits for that ACK (and the 2xx goes on being resent till then). */
B2B_CASE(test_answer_bye_to_the_caller_waits_for_its_ack)
{
	CHECK_OK(answered(t, BT_SDP_A));
	CHECK_OK(bt_at(t, 1200));
	CHECK_OK(bt_callee(t, 0, "btag", "BYE", 9, "z9hG4bKb1", NULL));
	CHECK_OK(bt_at(t, 1600));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000 "
		      "bob:200@1200 a:200@1500");
	CHECK_OK(bt_caller(t, "ACK", 1, "z9hG4bKa2", "", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000 "
		      "bob:200@1200 a:200@1500 a:BYE@1600");
	CHECK_OK(bt_check_in_a_dialog(t, 6, "BYE"));
	CHECK_OK(bt_reply(t, 6, 200, "", NULL));
	CHECK_INT(t->hangups, 1);
	CHECK_INT(t->end.by, B2B_END_CALLEE);
	return 0;
}

/* §13.2.1 late offer: bob's 2xx carries the offer; his ACK waits for the
 * caller's, which carries the answer. */
B2B_CASE(test_answer_late_offer_acks_the_callee_with_the_callers_answer)
{
	const struct sip_msg *m, *inv;

	CHECK_OK(answered(t, NULL));
	inv = bt_sent(t, 0);
	CHECK_INT(inv->body.len, 0);
	CHECK_INT(bt_hdr(inv, "Content-Type").len, 0);
	CHECK_OK(bt_at(t, 1099));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000");
	CHECK_STR(bt_sent(t, 2)->body, BT_SDP_B);
	CHECK_OK(bt_at(t, 1100));
	CHECK_OK(bt_caller(t, "ACK", 1, "z9hG4bKa2", "", BT_SDP_A));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1100");
	CHECK_OK(
	    bt_check_in_b_dialog(t, 3, 0, "btag", "ACK", inv->cseq.number));
	m = bt_sent(t, 3);
	CHECK_STR(m->body, BT_SDP_A);
	CHECK_STR(bt_hdr(m, "Content-Type"), "application/sdp");
	CHECK_INT(b2b_call_state(t->call), B2B_CALL_CONFIRMED);
	/* Bob's 2xx again (his ACK was lost): the same ACK again. */
	CHECK_OK(bt_at(t, 1500));
	CHECK_OK(bt_reply(t, 0, 200, "btag", BT_SDP_B));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1100 "
		      "bob:ACK@1500");
	CHECK_INT(t->e->io.sends[4].len, t->e->io.sends[3].len);
	CHECK(memcmp(t->e->io.sends[4].data, t->e->io.sends[3].data,
		     t->e->io.sends[3].len) == 0);
	CHECK_OK(bt_at(t, 2000));
	CHECK_OK(bt_caller(t, "BYE", 2, "z9hG4bKa3", "", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1100 "
		      "bob:ACK@1500 a:200@2000 bob:BYE@2000");
	CHECK_OK(bt_reply(t, 6, 200, "", NULL));
	return 0;
}

/* §13.2.2.4: the callee's 2xx again (our ACK was lost) gets the same
 * ACK again; the caller hears nothing of it. */
B2B_CASE(test_answer_callee_2xx_resent_gets_the_same_ack_again)
{
	CHECK_OK(bt_connect(t));
	CHECK_OK(bt_at(t, 1500));
	CHECK_OK(bt_reply(t, 0, 200, "btag", BT_SDP_B));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " bob:ACK@1500");
	CHECK_INT(t->e->io.sends[4].len, t->e->io.sends[3].len);
	CHECK(memcmp(t->e->io.sends[4].data, t->e->io.sends[3].data,
		     t->e->io.sends[3].len) == 0);
	CHECK_LOG(t, BT_CONNECTED_LOG);
	CHECK_OK(bt_at(t, 2000));
	CHECK_OK(bt_caller(t, "BYE", 2, "z9hG4bKa3", "", NULL));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " bob:ACK@1500 a:200@2000 "
					"bob:BYE@2000");
	CHECK_OK(bt_reply(t, 6, 200, "", NULL));
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_answer_2xx_is_resent_from_t1_doubling_until_the_ack),
	TEST(test_answer_2xx_without_ack_ends_the_call_after_64_t1),
	TEST(test_answer_bye_to_the_caller_waits_for_its_ack),
	TEST(test_answer_late_offer_acks_the_callee_with_the_callers_answer),
	TEST(test_answer_callee_2xx_resent_gets_the_same_ack_again),
};

TEST_MAIN(cases)
