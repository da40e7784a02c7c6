/*
 * Calls (call.c, b2b.c): an INVITE outside any dialog becomes a call the
 * script hears of, or is refused before (§8.2, §16.3); the script's reply,
 * the caller's CANCEL (§9.2) and BYE, and a shutdown end it, each once
 * and with on_hangup naming who ended it. Driven as a network through the
 * bench of b2b_fake.h.
 */
#include <stdio.h>
#include <string.h>

#include "b2b_fake.h"

/* The INVITE's CSeq number on the B-leg (send `i`). */
static uint32_t b_cseq(struct b2b_test *t, size_t i)
{
	const struct sip_msg *m = bt_sent(t, i);

	return m ? m->cseq.number : 0;
}

B2B_CASE(test_call_answered_call_is_bridged_and_ends_on_caller_bye)
{
	const struct sip_msg *m;

	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_settle(t));
	CHECK_LOG(t, "invite@0");
	CHECK_WIRE(t, "bob:INVITE@0");
	CHECK_INT(b2b_call_state(t->call), B2B_CALL_DIALING);

	/* 100 stays on the B-leg; 180 reaches the caller with our tag. */
	CHECK_OK(bt_at(t, 10));
	CHECK_OK(bt_reply(t, 0, 100, "", NULL));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 180, "btag", NULL));
	CHECK_OK(bt_settle(t));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100");
	CHECK_OK(bt_check_to_caller(t, 1, 180));
	CHECK(!tnd_slice_eq_cstr(bt_sent(t, 1)->to.tag, "btag"));

	/* 200: to the caller with the callee's SDP, ACK to the callee. */
	CHECK_OK(bt_at(t, 1000));
	CHECK_OK(bt_reply(t, 0, 200, "btag", BT_SDP_B));
	CHECK_OK(bt_settle(t));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000");
	CHECK_OK(bt_check_to_caller(t, 2, 200));
	m = bt_sent(t, 2);
	CHECK_STR(m->body, BT_SDP_B);
	CHECK_STR(bt_hdr(m, "Content-Type"), "application/sdp");
	CHECK_OK(bt_check_in_b_dialog(t, 3, 0, "btag", "ACK", b_cseq(t, 0)));
	CHECK_INT(bt_sent(t, 3)->body.len, 0);
	CHECK_LOG(t, "invite@0 response(180)@100 response(200)@1000 "
		     "dial_done(200)@1000");
	CHECK(t->answered);
	CHECK_INT(t->result_status, 200);
	CHECK_INT(b2b_call_state(t->call), B2B_CALL_ANSWERED);

	/* The caller's ACK stops the 2xx resends and confirms the call. */
	CHECK_OK(bt_at(t, 1100));
	CHECK_OK(bt_caller(t, "ACK", 1, "z9hG4bKa2", "", NULL));
	CHECK_OK(bt_settle(t));
	CHECK_INT(b2b_call_state(t->call), B2B_CALL_CONFIRMED);
	CHECK_OK(bt_at(t, 5000));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000");

	/* BYE from the caller: 200 to it, BYE to the callee, one hangup. */
	CHECK_OK(bt_caller(t, "BYE", 2, "z9hG4bKa3", "", NULL));
	CHECK_OK(bt_settle(t));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000 "
		      "a:200@5000 bob:BYE@5000");
	m = bt_sent(t, 4);
	CHECK_STR(bt_hdr(m, "CSeq"), "2 BYE");
	CHECK_STR(m->to.tag, bt_a_tag(t));
	CHECK_OK(
	    bt_check_in_b_dialog(t, 5, 0, "btag", "BYE", b_cseq(t, 0) + 1));
	CHECK_LOG(t, "invite@0 response(180)@100 response(200)@1000 "
		     "dial_done(200)@1000 request(BYE)@5000 "
		     "hangup(caller 200 BYE)@5000");
	CHECK_INT(t->hangups, 1);
	CHECK(t->call == NULL);
	CHECK(t->end.answer_ms >= t->end.setup_ms && t->end.answer_ms > 0);
	CHECK(t->end.end_ms >= t->end.answer_ms);
	CHECK_OK(bt_at(t, 5010));
	CHECK_OK(bt_reply(t, 5, 200, "", NULL));
	CHECK_OK(bt_settle(t));
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	CHECK_INT(t->hangups, 1);
	return 0;
}

/* §16.3 step 3 as a UAS: no hops left, no call. */
B2B_CASE(test_call_invite_with_max_forwards_0_is_refused_with_483)
{
	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite_mf(t, 0, "", BT_SDP_A));
	CHECK_OK(bt_settle(t));
	CHECK_WIRE(t, "a:483@0");
	CHECK_OK(bt_check_to_caller(t, 0, 483));
	CHECK_LOG(t, "");
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_ack_failure(t));
	CHECK_OK(bt_at(t, 10000));
	CHECK_WIRE(t, "a:483@0");
	return 0;
}

/* A script without on_invite takes no calls: 404, and the call ends. */
B2B_CASE(test_call_without_on_invite_hook_answers_404)
{
	struct b2b_hooks hooks = bt_hooks(t);

	hooks.on_invite = NULL;
	b2b_set_hooks(t->b2b, &hooks);
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_settle(t));
	CHECK_WIRE(t, "a:404@0");
	CHECK_OK(bt_check_to_caller(t, 0, 404));
	CHECK_LOG(t, "hangup(script 404 Not Found)@0");
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_ack_failure(t));
	CHECK_OK(bt_at(t, 10000));
	CHECK_WIRE(t, "a:404@0");
	return 0;
}

static void redirect(struct b2b_test *t, struct b2b_call *call)
{
	static const char *const contact[] = {
		"Contact: <sip:bob@192.0.2.99:5062>",
		"X-Why: moved",
	};
	static const char *const bad[] = { "no colon here" };

	t->rc[0] = b2b_call_reply(call, 200, NULL, NULL, 0);
	t->rc[1] = b2b_call_reply(call, 302, NULL, bad, 1);
	t->rc[2] = b2b_call_reply(call, 302, NULL, contact, 2);
	t->rc[3] = b2b_call_reply(call, 486, NULL, NULL, 0);
	b2b_call_script_done(call);
}

/* b2b_call_reply: a 3xx with the script's Contact, once. */
B2B_CASE(test_call_reply_302_sends_the_scripts_contact)
{
	const struct sip_msg *m;

	t->invite_fn = redirect;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_settle(t));
	CHECK_INT(t->rc[0], EINVAL);
	CHECK_INT(t->rc[1], EINVAL);
	CHECK_INT(t->rc[2], 0);
	CHECK_INT(t->rc[3], EPROTO);
	CHECK_WIRE(t, "a:302@0");
	CHECK_OK(bt_check_to_caller(t, 0, 302));
	m = bt_sent(t, 0);
	CHECK_STR(m->reason, "Moved Temporarily");
	CHECK_STR(bt_hdr(m, "Contact"), "<sip:bob@192.0.2.99:5062>");
	CHECK_STR(bt_hdr(m, "X-Why"), "moved");
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_CONTACT), 1);
	CHECK_LOG(t, "invite@0 hangup(script 302 Moved Temporarily)@0");
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_ack_failure(t));
	CHECK_OK(bt_at(t, 10000));
	CHECK_WIRE(t, "a:302@0");
	return 0;
}

/* §9.2: 200 to the CANCEL, 487 to the INVITE, CANCEL to the ringing leg
 * (§9.1), whose 487 the transaction layer ACKs. */
B2B_CASE(test_call_cancel_while_ringing_cancels_the_leg_and_answers_487)
{
	const struct sip_msg *m, *inv;

	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 180, "btag", NULL));
	CHECK_OK(bt_at(t, 2000));
	CHECK_OK(bt_cancel(t));
	CHECK_OK(bt_settle(t));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@2000 bob:CANCEL@2000 "
		      "a:487@2000");
	m = bt_sent(t, 2);
	CHECK_STR(bt_hdr(m, "CSeq"), "1 CANCEL");
	CHECK_OK(bt_check_to_caller(t, 4, 487));
	m = bt_sent(t, 3);
	inv = bt_sent(t, 0);
	CHECK(tnd_slice_eq(m->via.branch, inv->via.branch));
	CHECK(tnd_slice_eq(m->call_id, inv->call_id));
	CHECK(tnd_slice_eq(m->ruri_text, inv->ruri_text));
	CHECK_INT(m->cseq.number, inv->cseq.number);
	CHECK_STR(m->cseq.method_name, "CANCEL");
	CHECK_LOG(t, "invite@0 response(180)@100 cancel@2000 "
		     "hangup(caller 487 Request Terminated)@2000");

	/* Bob answers the CANCEL and the INVITE: the 487 is ACKed. */
	CHECK_OK(bt_at(t, 2010));
	CHECK_OK(bt_reply(t, 3, 200, "btag", NULL));
	CHECK_OK(bt_reply(t, 0, 487, "btag", NULL));
	CHECK_OK(bt_settle(t));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@2000 bob:CANCEL@2000 "
		      "a:487@2000 bob:ACK@2010");
	m = bt_sent(t, 5);
	CHECK(tnd_slice_eq(m->via.branch, inv->via.branch));
	CHECK_STR(m->to.tag, "btag");
	CHECK_STR(m->cseq.method_name, "ACK");
	CHECK_OK(bt_at(t, 2100));
	CHECK_OK(bt_ack_failure(t));
	CHECK_OK(bt_settle(t));
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	CHECK_OK(bt_at(t, 10000));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@2000 bob:CANCEL@2000 "
		      "a:487@2000 bob:ACK@2010");
	CHECK_INT(t->hangups, 1);
	return 0;
}

/* A BYE in the early dialog acts as a CANCEL: 200, CANCEL, 487. */
B2B_CASE(test_call_bye_before_the_answer_acts_as_cancel)
{
	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 180, "btag", NULL));
	CHECK_OK(bt_at(t, 2000));
	CHECK_OK(bt_caller(t, "BYE", 2, "z9hG4bKa3", "", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@2000 bob:CANCEL@2000 "
		      "a:487@2000");
	CHECK_STR(bt_hdr(bt_sent(t, 2), "CSeq"), "2 BYE");
	CHECK_OK(bt_check_to_caller(t, 4, 487));
	CHECK_LOG(t, "invite@0 response(180)@100 request(BYE)@2000 "
		     "hangup(caller 487 Request Terminated)@2000");
	CHECK_OK(bt_at(t, 2010));
	CHECK_OK(bt_reply(t, 3, 200, "btag", NULL));
	CHECK_OK(bt_reply(t, 0, 487, "btag", NULL));
	CHECK_OK(bt_ack_failure(t));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@2000 bob:CANCEL@2000 "
		      "a:487@2000 bob:ACK@2010");
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	return 0;
}

static void shutdown_done(void *arg)
{
	bt_log(arg, "shutdown_done");
}

/* Shutdown: BYE on both legs of a live call, done once both answered. */
B2B_CASE(test_call_shutdown_sends_bye_to_both_legs_then_is_done)
{
	CHECK_OK(bt_connect(t));
	CHECK_OK(bt_at(t, 3000));
	b2b_shutdown(t->b2b, shutdown_done, t);
	CHECK_OK(bt_settle(t));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " a:BYE@3000 bob:BYE@3000");
	CHECK_OK(bt_check_in_a_dialog(t, 4, "BYE"));
	CHECK_OK(
	    bt_check_in_b_dialog(t, 5, 0, "btag", "BYE", b_cseq(t, 0) + 1));
	CHECK_LOG(t, BT_CONNECTED_LOG " hangup(core 503 Shutting Down)@3000");
	CHECK_INT(b2b_live_calls(t->b2b), 1);
	CHECK_OK(bt_at(t, 3010));
	CHECK_OK(bt_reply(t, 4, 200, "", NULL));
	CHECK_OK(bt_reply(t, 5, 200, "", NULL));
	CHECK_OK(bt_settle(t));
	CHECK_LOG(t, BT_CONNECTED_LOG " hangup(core 503 Shutting Down)@3000 "
				      "shutdown_done@3010");
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	return 0;
}

/* With no call, done at once; then new INVITEs are refused. */
B2B_CASE(test_call_shutdown_without_calls_is_done_at_once_and_refuses)
{
	const struct sip_msg *m;

	b2b_shutdown(t->b2b, shutdown_done, t);
	CHECK_LOG(t, "shutdown_done@0");
	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_settle(t));
	CHECK_WIRE(t, "a:503@0");
	m = bt_sent(t, 0);
	CHECK_STR(bt_hdr(m, "Retry-After"), "5");
	CHECK_LOG(t, "shutdown_done@0");
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_ack_failure(t));
	return 0;
}

/* Any one allocation failing anywhere in a whole call (the bench's own
 * included): no crash, no leak, every call freed. */
B2B_CASE(test_call_survives_allocation_failures)
{
	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	OOM_BAIL();
	CHECK_WIRE(t, "bob:INVITE@0");
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 180, "btag", NULL));
	CHECK_OK(bt_at(t, 1000));
	CHECK_OK(bt_reply(t, 0, 200, "btag", BT_SDP_B));
	OOM_BAIL();
	CHECK_WIRE(t, BT_CONNECTED_WIRE);
	CHECK_OK(bt_at(t, 1100));
	CHECK_OK(bt_caller(t, "ACK", 1, "z9hG4bKa2", "", NULL));
	CHECK_OK(bt_at(t, 5000));
	CHECK_OK(bt_caller(t, "BYE", 2, "z9hG4bKa3", "", NULL));
	OOM_BAIL();
	CHECK_WIRE(t, BT_CONNECTED_WIRE " a:200@5000 bob:BYE@5000");
	CHECK_OK(bt_reply(t, 5, 200, "", NULL));
	OOM_BAIL();
	CHECK_LOG(t, BT_CONNECTED_LOG " request(BYE)@5000 "
				      "hangup(caller 200 BYE)@5000");
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_call_answered_call_is_bridged_and_ends_on_caller_bye),
	TEST(test_call_invite_with_max_forwards_0_is_refused_with_483),
	TEST(test_call_without_on_invite_hook_answers_404),
	TEST(test_call_reply_302_sends_the_scripts_contact),
	TEST(test_call_cancel_while_ringing_cancels_the_leg_and_answers_487),
	TEST(test_call_bye_before_the_answer_acts_as_cancel),
	TEST(test_call_shutdown_sends_bye_to_both_legs_then_is_done),
	TEST(test_call_shutdown_without_calls_is_done_at_once_and_refuses),
	TEST_OOM(test_call_survives_allocation_failures),
};

TEST_MAIN(cases)
