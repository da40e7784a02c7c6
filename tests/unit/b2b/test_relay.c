/*
 * In-dialog requests (relay.c, b2b.c): a request from one leg goes to the
 * other as our own request in that dialog (its Call-ID, tags, CSeq and
 * target) and its answer comes back; BYE ends the call from either side,
 * a re-INVITE meeting ours is refused with 491 (RFC 3261 §14.2), REFER is
 * declined, and a request for no dialog of ours gets 481 (§12.2.2).
 */
#include <stdio.h>
#include <string.h>

#include "b2b_fake.h"

#define SDP_A2                             \
	"v=0\r\n"                          \
	"o=alice 1 2 IN IP4 127.0.0.1\r\n" \
	"s=-\r\n"                          \
	"c=IN IP4 127.0.0.1\r\n"           \
	"t=0 0\r\n"                        \
	"m=audio 4002 RTP/AVP 0\r\n"       \
	"a=sendonly\r\n"
#define SDP_B2                           \
	"v=0\r\n"                        \
	"o=bob 2 3 IN IP4 127.0.0.1\r\n" \
	"s=-\r\n"                        \
	"c=IN IP4 127.0.0.1\r\n"         \
	"t=0 0\r\n"                      \
	"m=audio 6000 RTP/AVP 0\r\n"     \
	"a=recvonly\r\n"

/* The caller hangs up at `at` (its CSeq `cseq`); bob answers the BYE,
 * send `bye`. */
static int caller_hangs_up(struct b2b_test *t, uint64_t at, uint32_t cseq,
			   size_t bye)
{
	CHECK_OK(bt_at(t, at));
	CHECK_OK(bt_caller(t, "BYE", cseq, "z9hG4bKbye", "", NULL));
	CHECK_OK(bt_reply(t, bye, 200, "", NULL));
	CHECK_INT(t->hangups, 1);
	CHECK_INT(t->end.by, B2B_END_CALLER);
	return 0;
}

/* Send i is our answer `status` to the caller's in-dialog request with
 * CSeq `cseq` (e.g. "2 INVITE"), branch z9hG4bK`branch`. */
static int check_answer_to_caller(struct b2b_test *t, size_t i, uint16_t status,
				  const char *cseq, const char *branch)
{
	const struct sip_msg *m = bt_sent(t, i);

	CHECK(m != NULL && !m->is_request);
	CHECK_INT(m->status, status);
	CHECK_STR(bt_hdr(m, "CSeq"), cseq);
	CHECK_STR(m->via.branch, branch);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_VIA), 2);
	CHECK_STR(m->call_id, BT_A_CALL_ID);
	CHECK_STR(m->from.tag, "atag");
	CHECK_STR(m->to.tag, bt_a_tag(t));
	return 0;
}

B2B_CASE(test_relay_bye_from_the_callee_ends_the_call)
{
	const struct sip_msg *m;

	CHECK_OK(bt_connect(t));
	CHECK_OK(bt_at(t, 3000));
	CHECK_OK(bt_callee(t, 0, "btag", "BYE", 500, "z9hG4bKb1", NULL));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " bob:200@3000 a:BYE@3000");
	m = bt_sent(t, 4);
	CHECK(!m->is_request);
	CHECK_STR(bt_hdr(m, "CSeq"), "500 BYE");
	CHECK_STR(m->via.branch, "z9hG4bKb1");
	CHECK_STR(m->from.tag, "btag");
	CHECK_OK(bt_check_in_a_dialog(t, 5, "BYE"));
	CHECK_LOG(t, BT_CONNECTED_LOG " request(BYE)@3000 "
				      "hangup(callee 200 BYE)@3000");
	CHECK_INT(t->end.by, B2B_END_CALLEE);
	CHECK_OK(bt_at(t, 3010));
	CHECK_OK(bt_reply(t, 5, 200, "", NULL));
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	CHECK_INT(t->hangups, 1);
	return 0;
}

/* A re-INVITE goes on in bob's dialog (his tag, our next CSeq), its 2xx
 * back in the caller's (our tag and Contact), the caller's ACK on to bob. */
B2B_CASE(test_relay_reinvite_from_the_caller_reaches_the_callee_and_back)
{
	const struct sip_msg *inv, *m;
	uint32_t cseq;

	CHECK_OK(bt_connect(t));
	inv = bt_sent(t, 0);
	cseq = inv->cseq.number;
	CHECK_OK(bt_at(t, 3000));
	CHECK_OK(bt_caller(t, "INVITE", 2, "z9hG4bKa4", "", SDP_A2));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " bob:INVITE@3000");
	CHECK_OK(bt_check_in_b_dialog(t, 4, 0, "btag", "INVITE", cseq + 1));
	m = bt_sent(t, 4);
	CHECK_STR(m->body, SDP_A2);
	CHECK_STR(bt_hdr(m, "Content-Type"), "application/sdp");
	CHECK_STR(bt_hdr(m, "Contact"), BT_US_CONTACT);
	CHECK(!tnd_slice_eq_cstr(m->via.branch, "z9hG4bKa4"));

	CHECK_OK(bt_at(t, 3100));
	CHECK_OK(bt_reply(t, 4, 200, "", SDP_B2));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " bob:INVITE@3000 a:200@3100");
	CHECK_OK(check_answer_to_caller(t, 5, 200, "2 INVITE", "z9hG4bKa4"));
	m = bt_sent(t, 5);
	CHECK_STR(m->body, SDP_B2);
	CHECK_STR(bt_hdr(m, "Contact"), BT_US_CONTACT);
	CHECK_LOG(t, BT_CONNECTED_LOG " request(INVITE)@3000 "
				      "response(200)@3100");

	CHECK_OK(bt_at(t, 3200));
	CHECK_OK(bt_caller(t, "ACK", 2, "z9hG4bKa5", "", NULL));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " bob:INVITE@3000 a:200@3100 "
					"bob:ACK@3200");
	CHECK_OK(bt_check_in_b_dialog(t, 6, 0, "btag", "ACK", cseq + 1));
	/* No resends of either 2xx once ACKed. */
	CHECK_OK(bt_at(t, 10000));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " bob:INVITE@3000 a:200@3100 "
					"bob:ACK@3200");
	CHECK_OK(caller_hangs_up(t, 10000, 3, 8));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " bob:INVITE@3000 a:200@3100 "
					"bob:ACK@3200 a:200@10000 "
					"bob:BYE@10000");
	CHECK_OK(bt_check_in_b_dialog(t, 8, 0, "btag", "BYE", cseq + 2));
	return 0;
}

/* The other way: bob's re-INVITE reaches the caller in its dialog, the
 * caller's 2xx comes back to bob, and bob's ACK goes on to the caller. */
B2B_CASE(test_relay_reinvite_from_the_callee_reaches_the_caller_and_back)
{
	const struct sip_msg *m;

	CHECK_OK(bt_connect(t));
	CHECK_OK(bt_at(t, 3000));
	CHECK_OK(bt_callee(t, 0, "btag", "INVITE", 501, "z9hG4bKb2", SDP_B2));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " a:INVITE@3000");
	CHECK_OK(bt_check_in_a_dialog(t, 4, "INVITE"));
	m = bt_sent(t, 4);
	CHECK_STR(m->body, SDP_B2);
	CHECK_STR(bt_hdr(m, "Contact"), BT_US_CONTACT);
	CHECK_LOG(t, BT_CONNECTED_LOG " request(INVITE)@3000");

	CHECK_OK(bt_at(t, 3100));
	CHECK_OK(bt_reply(t, 4, 200, "", SDP_A2));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " a:INVITE@3000 bob:200@3100");
	m = bt_sent(t, 5);
	CHECK_STR(bt_hdr(m, "CSeq"), "501 INVITE");
	CHECK_STR(m->via.branch, "z9hG4bKb2");
	CHECK(tnd_slice_eq(m->to.tag, bt_sent(t, 0)->from.tag));
	CHECK_STR(m->from.tag, "btag");
	CHECK_STR(bt_hdr(m, "Contact"), BT_US_CONTACT);
	CHECK_STR(m->body, SDP_A2);

	CHECK_OK(bt_at(t, 3200));
	CHECK_OK(bt_callee(t, 0, "btag", "ACK", 501, "z9hG4bKb3", NULL));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " a:INVITE@3000 bob:200@3100 "
					"a:ACK@3200");
	CHECK_OK(bt_check_in_a_dialog(t, 6, "ACK"));
	CHECK_INT(bt_sent(t, 6)->cseq.number, bt_sent(t, 4)->cseq.number);
	CHECK_OK(bt_at(t, 10000));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " a:INVITE@3000 bob:200@3100 "
					"a:ACK@3200");
	CHECK_OK(caller_hangs_up(t, 10000, 3, 8));
	return 0;
}

/* §14.2: bob's re-INVITE while ours waits on his leg gets 491. */
B2B_CASE(test_relay_reinvite_from_the_callee_during_ours_gets_491)
{
	const struct sip_msg *m;

	CHECK_OK(bt_connect(t));
	CHECK_OK(bt_at(t, 3000));
	CHECK_OK(bt_caller(t, "INVITE", 2, "z9hG4bKa4", "", SDP_A2));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " bob:INVITE@3000");
	CHECK_OK(bt_at(t, 3050));
	CHECK_OK(bt_callee(t, 0, "btag", "INVITE", 501, "z9hG4bKb2", SDP_B2));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " bob:INVITE@3000 bob:491@3050");
	m = bt_sent(t, 5);
	CHECK_STR(bt_hdr(m, "CSeq"), "501 INVITE");
	CHECK_STR(m->via.branch, "z9hG4bKb2");
	CHECK(tnd_slice_eq(m->to.tag, bt_sent(t, 0)->from.tag));
	CHECK_LOG(t, BT_CONNECTED_LOG " request(INVITE)@3000");
	CHECK_OK(bt_at(t, 3060));
	CHECK_OK(bt_callee(t, 0, "btag", "ACK", 501, "z9hG4bKb2", NULL));

	/* Ours goes on as if nothing happened. */
	CHECK_OK(bt_at(t, 3100));
	CHECK_OK(bt_reply(t, 4, 200, "", SDP_B2));
	CHECK_OK(bt_caller(t, "ACK", 2, "z9hG4bKa5", "", NULL));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " bob:INVITE@3000 bob:491@3050 "
					"a:200@3100 bob:ACK@3100");
	CHECK_OK(caller_hangs_up(t, 4000, 3, 9));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " bob:INVITE@3000 bob:491@3050 "
					"a:200@3100 bob:ACK@3100 a:200@4000 "
					"bob:BYE@4000");
	return 0;
}

/* §8.2 holds in a dialog too: an unknown required extension is 420 with
 * Unsupported, and nothing reaches the other leg. */
B2B_CASE(test_relay_in_dialog_request_requiring_unknown_extension_is_420)
{
	CHECK_OK(bt_connect(t));
	CHECK_OK(bt_at(t, 3000));
	CHECK_OK(
	    bt_caller(t, "INFO", 2, "z9hG4bKa6", "Require: foo\r\n", NULL));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " a:420@3000");
	CHECK_STR(bt_hdr(bt_sent(t, 4), "Unsupported"), "foo");
	CHECK_OK(caller_hangs_up(t, 4000, 3, 6));
	return 0;
}

/* Transfers are not relayed: 603, and the call goes on. */
B2B_CASE(test_relay_refer_in_dialog_is_declined_with_603)
{
	const struct sip_msg *m;

	CHECK_OK(bt_connect(t));
	CHECK_OK(bt_at(t, 3000));
	CHECK_OK(bt_caller(t, "REFER", 2, "z9hG4bKa6",
			   "Refer-To: <sip:carol@example.com>\r\n", NULL));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " a:603@3000");
	CHECK_OK(check_answer_to_caller(t, 4, 603, "2 REFER", "z9hG4bKa6"));
	m = bt_sent(t, 4);
	CHECK_STR(m->reason, "Transfer Not Supported");
	CHECK_LOG(t, BT_CONNECTED_LOG " request(REFER)@3000");
	CHECK_INT(b2b_call_state(t->call), B2B_CALL_CONFIRMED);
	CHECK_OK(caller_hangs_up(t, 4000, 3, 6));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " a:603@3000 a:200@4000 bob:BYE@4000");
	return 0;
}

/* A request with a To tag of no dialog of ours: 481, before any hook,
 * and the call beside it goes on. */
B2B_CASE(test_relay_request_to_an_unknown_dialog_gets_481)
{
	char tag[sizeof(t->a_tag)];

	CHECK_OK(bt_connect(t));
	snprintf(tag, sizeof(tag), "%s", bt_a_tag(t));
	snprintf(t->a_tag, sizeof(t->a_tag), "nosuchtag");
	CHECK_OK(bt_at(t, 3000));
	CHECK_OK(bt_caller(t, "BYE", 2, "z9hG4bKa7", "", NULL));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " a:481@3000");
	CHECK_OK(check_answer_to_caller(t, 4, 481, "2 BYE", "z9hG4bKa7"));
	CHECK_LOG(t, BT_CONNECTED_LOG);
	CHECK_INT(b2b_call_state(t->call), B2B_CALL_CONFIRMED);
	snprintf(t->a_tag, sizeof(t->a_tag), "%s", tag);
	CHECK_OK(caller_hangs_up(t, 4000, 3, 6));
	CHECK_WIRE(t, BT_CONNECTED_WIRE " a:481@3000 a:200@4000 bob:BYE@4000");
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_relay_bye_from_the_callee_ends_the_call),
	TEST(test_relay_reinvite_from_the_caller_reaches_the_callee_and_back),
	TEST(test_relay_reinvite_from_the_callee_reaches_the_caller_and_back),
	TEST(test_relay_reinvite_from_the_callee_during_ours_gets_491),
	TEST(test_relay_in_dialog_request_requiring_unknown_extension_is_420),
	TEST(test_relay_refer_in_dialog_is_declined_with_603),
	TEST(test_relay_request_to_an_unknown_dialog_gets_481),
};

TEST_MAIN(cases)
