/*
 * B-legs (dial.c, msg.c): what a dial sends (a new dialog carrying the
 * caller's offer and identity, none of its routing), how the answers of
 * one or more legs come back to the script and the caller, the dial
 * timeout, CANCEL and its race with a 2xx (RFC 3261 §9.1), and the
 * script's edits of the caller's INVITE.
 */
#include <stdio.h>
#include <string.h>

#include "b2b_fake.h"

/* The caller's INVITE carries routing and a private header of its own,
 * none of which may reach a B-leg. */
#define A_ROUTING                            \
	"Route: <sip:192.0.2.1:5060;lr>\r\n" \
	"X-Private: caller only\r\n"         \
	"Subject: lunch\r\n"

/* Bob is busy at `at`: 486 ACKed by the layer, then the caller's ACK. */
static int bob_busy(struct b2b_test *t, size_t invite, uint64_t at)
{
	CHECK_OK(bt_at(t, at));
	CHECK_OK(bt_reply(t, invite, 486, "btag", NULL));
	CHECK_OK(bt_at(t, at + 100));
	return bt_ack_failure(t);
}

B2B_CASE(test_dial_b_leg_invite_is_a_new_dialog_with_the_callers_offer)
{
	const struct sip_msg *m;

	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, A_ROUTING, BT_SDP_A));
	CHECK_WIRE(t, "bob:INVITE@0");
	CHECK_INT(t->dial_rc, 0);
	m = bt_sent(t, 0);
	CHECK(m != NULL);
	CHECK_STR(m->ruri_text, BT_BOB);
	CHECK(!tnd_slice_eq_cstr(m->call_id, BT_A_CALL_ID));
	CHECK(m->call_id.len > 0);
	/* One Via, ours. */
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_VIA), 1);
	CHECK_STR(m->via.transport, "UDP");
	CHECK_STR(m->via.host, "192.0.2.1");
	CHECK_INT(m->via.port, 5060);
	CHECK(m->via.has_rport);
	CHECK(m->via.branch.len > 7 &&
	      memcmp(m->via.branch.p, "z9hG4bK", 7) == 0);
	CHECK(!tnd_slice_eq_cstr(m->via.branch, BT_A_BRANCH));
	CHECK_INT(m->max_forwards, 69);
	/* The caller's identity, our own tag; the target in To. */
	CHECK_STR(m->from.display, "Alice");
	CHECK_STR(m->from.uri, "sip:alice@example.com");
	CHECK(m->from.tag.len > 0);
	CHECK(!tnd_slice_eq_cstr(m->from.tag, "atag"));
	CHECK_STR(m->to.uri, BT_BOB);
	CHECK_INT(m->to.tag.len, 0);
	CHECK_STR(m->cseq.method_name, "INVITE");
	CHECK(m->cseq.number >= 1 && m->cseq.number < 0x80000000u);
	CHECK_STR(bt_hdr(m, "Contact"), BT_US_CONTACT);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_CONTACT), 1);
	/* The offer, and nothing of the caller's routing or headers. */
	CHECK_STR(m->body, BT_SDP_A);
	CHECK_STR(bt_hdr(m, "Content-Type"), "application/sdp");
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_RECORD_ROUTE), 0);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_ROUTE), 0);
	CHECK_INT(bt_hdr(m, "X-Private").len, 0);
	CHECK_INT(bt_hdr(m, "Subject").len, 0);
	CHECK(strstr(t->e->io.sends[0].data, "10.0.0.9") == NULL);
	CHECK(strstr(t->e->io.sends[0].data, "127.0.0.1:5070") == NULL);
	CHECK_OK(bob_busy(t, 0, 1000));
	return 0;
}

/* The hop count goes down by one, to 0 included (§16.6 step 3). */
B2B_CASE(test_dial_b_leg_invite_decrements_max_forwards_to_zero)
{
	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite_mf(t, 1, "", BT_SDP_A));
	CHECK_WIRE(t, "bob:INVITE@0");
	CHECK(bt_sent(t, 0)->has_max_forwards);
	CHECK_INT(bt_sent(t, 0)->max_forwards, 0);
	CHECK_OK(bob_busy(t, 0, 1000));
	return 0;
}

/* A failure is the dial's result; the script ending passes it on. */
B2B_CASE(test_dial_486_is_the_result_and_reaches_the_caller)
{
	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 180, "btag", NULL));
	CHECK_OK(bt_at(t, 1000));
	CHECK_OK(bt_reply(t, 0, 486, "btag", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 bob:ACK@1000 a:486@1000");
	CHECK_OK(bt_check_to_caller(t, 3, 486));
	CHECK_STR(bt_sent(t, 3)->reason, "Busy Here");
	CHECK_STR(bt_sent(t, 2)->to.tag, "btag");
	CHECK_LOG(t, "invite@0 response(180)@100 response(486)@1000 "
		     "dial_done(486)@1000 hangup(script 486 Busy Here)@1000");
	CHECK(!t->answered);
	CHECK_INT(t->result_code, 486);
	CHECK_INT(t->result_status, 486);
	CHECK_OK(bt_at(t, 1100));
	CHECK_OK(bt_ack_failure(t));
	CHECK_OK(bt_at(t, 10000));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 bob:ACK@1000 a:486@1000");
	return 0;
}

/* The timeout cancels the ringing leg once; the result is 480. */
B2B_CASE(test_dial_timeout_cancels_the_leg_and_results_480)
{
	t->dial[0] = BT_BOB;
	t->dial_timeout_ms = 5000;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 180, "btag", NULL));
	CHECK_OK(bt_at(t, 4999));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100");
	CHECK_OK(bt_at(t, 5000));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 bob:CANCEL@5000 a:480@5000");
	CHECK_STR(bt_sent(t, 2)->cseq.method_name, "CANCEL");
	CHECK_OK(bt_check_to_caller(t, 3, 480));
	CHECK_LOG(t, "invite@0 response(180)@100 dial_done(480)@5000 "
		     "hangup(script 480 No Answer)@5000");
	CHECK(!t->answered);
	CHECK_INT(t->result_code, 480);
	CHECK_INT(t->result_status, 0);
	CHECK_OK(bt_at(t, 5010));
	CHECK_OK(bt_reply(t, 2, 200, "btag", NULL));
	CHECK_OK(bt_reply(t, 0, 487, "btag", NULL));
	CHECK_OK(bt_at(t, 5100));
	CHECK_OK(bt_ack_failure(t));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 bob:CANCEL@5000 a:480@5000 "
		      "bob:ACK@5010");
	CHECK_LOG(t, "invite@0 response(180)@100 dial_done(480)@5000 "
		     "hangup(script 480 No Answer)@5000");
	return 0;
}

/* Two targets at once: the first 2xx is bridged, the other cancelled. */
B2B_CASE(test_dial_parallel_first_2xx_wins_and_the_other_is_cancelled)
{
	const struct sip_msg *bob, *carol;

	t->dial[0] = BT_BOB;
	t->dial[1] = BT_CAROL;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_WIRE(t, "bob:INVITE@0 carol:INVITE@0");
	bob = bt_sent(t, 0);
	carol = bt_sent(t, 1);
	CHECK(!tnd_slice_eq(bob->call_id, carol->call_id));
	CHECK(!tnd_slice_eq(bob->from.tag, carol->from.tag));
	CHECK_STR(carol->body, BT_SDP_A);
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 180, "btag", NULL));
	CHECK_OK(bt_at(t, 150));
	CHECK_OK(bt_reply(t, 1, 180, "ctag", NULL));
	CHECK_OK(bt_at(t, 1000));
	CHECK_OK(bt_reply(t, 1, 200, "ctag", BT_SDP_B));
	CHECK_WIRE(t, "bob:INVITE@0 carol:INVITE@0 a:180@100 a:180@150 "
		      "bob:CANCEL@1000 a:200@1000 carol:ACK@1000");
	/* One early dialog towards the caller, whoever rings. */
	CHECK_OK(bt_check_to_caller(t, 2, 180));
	CHECK_OK(bt_check_to_caller(t, 3, 180));
	CHECK_OK(bt_check_to_caller(t, 5, 200));
	CHECK_STR(bt_sent(t, 5)->body, BT_SDP_B);
	CHECK_STR(bt_sent(t, 4)->cseq.method_name, "CANCEL");
	CHECK_OK(
	    bt_check_in_b_dialog(t, 6, 1, "ctag", "ACK", carol->cseq.number));
	CHECK_OK(bt_at(t, 1010));
	CHECK_OK(bt_reply(t, 4, 200, "btag", NULL));
	CHECK_OK(bt_reply(t, 0, 487, "btag", NULL));
	CHECK_OK(bt_at(t, 1100));
	CHECK_OK(bt_caller(t, "ACK", 1, "z9hG4bKa2", "", NULL));
	CHECK_OK(bt_at(t, 2000));
	CHECK_OK(bt_caller(t, "BYE", 2, "z9hG4bKa3", "", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 carol:INVITE@0 a:180@100 a:180@150 "
		      "bob:CANCEL@1000 a:200@1000 carol:ACK@1000 bob:ACK@1010 "
		      "a:200@2000 carol:BYE@2000");
	CHECK_OK(bt_check_in_b_dialog(t, 9, 1, "ctag", "BYE",
				      carol->cseq.number + 1));
	CHECK_OK(bt_reply(t, 9, 200, "", NULL));
	CHECK_LOG(t, "invite@0 response(180)@100 response(180)@150 "
		     "response(200)@1000 dial_done(200)@1000 "
		     "request(BYE)@2000 hangup(caller 200 BYE)@2000");
	return 0;
}

/* A failed dial is the script's to follow: here with the next target. */
B2B_CASE(test_dial_failure_lets_the_script_fail_over_to_the_next_target)
{
	t->dial[0] = BT_BOB;
	t->failover[0] = BT_CAROL;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 404, "btag", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 bob:ACK@100 carol:INVITE@100");
	CHECK_LOG(t, "invite@0 response(404)@100 dial_done(404)@100");
	CHECK(!tnd_slice_eq(bt_sent(t, 0)->call_id, bt_sent(t, 2)->call_id));
	CHECK_STR(bt_sent(t, 2)->body, BT_SDP_A);
	/* The caller hears Trying (§17.2.1), then carol. */
	CHECK_OK(bt_at(t, 300));
	CHECK_OK(bt_reply(t, 2, 180, "ctag", NULL));
	CHECK_OK(bt_at(t, 1000));
	CHECK_OK(bt_reply(t, 2, 200, "ctag", BT_SDP_B));
	CHECK_WIRE(t, "bob:INVITE@0 bob:ACK@100 carol:INVITE@100 a:100@200 "
		      "a:180@300 a:200@1000 carol:ACK@1000");
	CHECK_OK(bt_check_to_caller(t, 4, 180));
	CHECK_OK(bt_check_to_caller(t, 5, 200));
	CHECK_LOG(t, "invite@0 response(404)@100 dial_done(404)@100 "
		     "response(180)@300 response(200)@1000 "
		     "dial_done(200)@1000");
	CHECK_OK(bt_at(t, 1100));
	CHECK_OK(bt_caller(t, "ACK", 1, "z9hG4bKa2", "", NULL));
	CHECK_OK(bt_at(t, 2000));
	CHECK_OK(bt_caller(t, "BYE", 2, "z9hG4bKa3", "", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 bob:ACK@100 carol:INVITE@100 a:100@200 "
		      "a:180@300 a:200@1000 carol:ACK@1000 a:200@2000 "
		      "carol:BYE@2000");
	CHECK_OK(bt_reply(t, 8, 200, "", NULL));
	CHECK_INT(t->hangups, 1);
	return 0;
}

/* §9.1's race: the callee answers after our CANCEL. The 2xx is ACKed
 * and the leg hung up; the caller keeps its 487. */
B2B_CASE(test_dial_2xx_after_cancel_is_acked_and_hung_up)
{
	const struct sip_msg *inv;

	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 180, "btag", NULL));
	CHECK_OK(bt_at(t, 2000));
	CHECK_OK(bt_cancel(t));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@2000 bob:CANCEL@2000 "
		      "a:487@2000");
	CHECK_OK(bt_at(t, 2010));
	CHECK_OK(bt_reply(t, 0, 200, "btag", BT_SDP_B));
	CHECK_OK(bt_reply(t, 3, 200, "btag", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@2000 bob:CANCEL@2000 "
		      "a:487@2000 bob:ACK@2010 bob:BYE@2010");
	inv = bt_sent(t, 0);
	CHECK_OK(
	    bt_check_in_b_dialog(t, 5, 0, "btag", "ACK", inv->cseq.number));
	CHECK_OK(
	    bt_check_in_b_dialog(t, 6, 0, "btag", "BYE", inv->cseq.number + 1));
	CHECK_OK(bt_at(t, 2020));
	CHECK_OK(bt_reply(t, 6, 200, "", NULL));
	CHECK_OK(bt_at(t, 2100));
	CHECK_OK(bt_ack_failure(t));
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	CHECK_LOG(t, "invite@0 response(180)@100 cancel@2000 "
		     "hangup(caller 487 Request Terminated)@2000");
	CHECK_OK(bt_at(t, 10000));
	CHECK_WIRE(t, "bob:INVITE@0 a:180@100 a:200@2000 bob:CANCEL@2000 "
		      "a:487@2000 bob:ACK@2010 bob:BYE@2010");
	return 0;
}

/*
 * A forking proxy behind the callee: a second 2xx, with another To tag,
 * after the first was bridged, gets its own dialog, is ACKed (the
 * INVITE's CSeq) and hung up; the bridged call goes on. The INVITE's
 * transaction has let its request go by then: the dialog comes from
 * the first one's.
 */
B2B_CASE(test_dial_2xx_from_another_fork_is_acked_and_hung_up)
{
	const struct sip_msg *inv;

	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 200, "fork1", BT_SDP_B));
	CHECK_WIRE(t, "bob:INVITE@0 a:200@100 bob:ACK@100");
	CHECK_OK(bt_at(t, 200));
	CHECK_OK(bt_reply(t, 0, 200, "fork2", BT_SDP_B));
	CHECK_WIRE(t, "bob:INVITE@0 a:200@100 bob:ACK@100 bob:ACK@200 "
		      "bob:BYE@200");
	inv = bt_sent(t, 0);
	CHECK_OK(
	    bt_check_in_b_dialog(t, 3, 0, "fork2", "ACK", inv->cseq.number));
	CHECK_OK(bt_check_in_b_dialog(t, 4, 0, "fork2", "BYE",
				      inv->cseq.number + 1));
	CHECK_OK(bt_at(t, 210));
	CHECK_OK(bt_reply(t, 4, 200, "fork2", NULL));
	CHECK_INT(b2b_call_state(t->call), B2B_CALL_ANSWERED);
	/* The bridged call goes on: the caller's BYE reaches fork1. */
	CHECK_OK(bt_at(t, 300));
	CHECK_OK(bt_caller(t, "ACK", 1, "z9hG4bKa2", "", NULL));
	CHECK_OK(bt_caller(t, "BYE", 2, "z9hG4bKa3", "", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 a:200@100 bob:ACK@100 bob:ACK@200 "
		      "bob:BYE@200 a:200@300 bob:BYE@300");
	CHECK_OK(bt_check_in_b_dialog(t, 6, 0, "fork1", "BYE",
				      inv->cseq.number + 1));
	CHECK_OK(bt_reply(t, 6, 200, "fork1", NULL));
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	return 0;
}

static void edit_then_dial(struct b2b_test *t, struct b2b_call *call)
{
	struct b2b_msg *req = b2b_call_request(call);

	t->rc[0] = b2b_msg_set_header(req, "X-Account", "42");
	t->rc[1] = b2b_msg_add_header(req, "X-Hop", "one");
	t->rc[2] = b2b_msg_add_header(req, "X-Hop", "two");
	t->rc[3] = b2b_msg_set_header(req, "Subject", "dinner");
	if (bt_dial(t, call, t->dial))
		b2b_call_script_done(call);
}

/* Headers the script sets on call.request travel on the B-leg INVITE. */
B2B_CASE(test_dial_script_headers_on_the_request_reach_the_b_leg)
{
	const struct sip_msg *m;
	const struct sip_hdr *h;

	t->dial[0] = BT_BOB;
	t->invite_fn = edit_then_dial;
	CHECK_OK(bt_invite(t, A_ROUTING, BT_SDP_A));
	for (size_t i = 0; i < 4; i++)
		CHECK_INT(t->rc[i], 0);
	CHECK_WIRE(t, "bob:INVITE@0");
	m = bt_sent(t, 0);
	CHECK_STR(bt_hdr(m, "X-Account"), "42");
	CHECK_STR(bt_hdr(m, "Subject"), "dinner");
	h = sip_msg_hdr_by_name(m, S("X-Hop"));
	CHECK(h != NULL);
	CHECK_STR(h->value, "one");
	h = sip_msg_hdr_next(m, h);
	CHECK(h != NULL);
	CHECK_STR(h->value, "two");
	CHECK(sip_msg_hdr_next(m, h) == NULL);
	CHECK_INT(bt_hdr(m, "X-Private").len, 0);
	CHECK_STR(m->body, BT_SDP_A);
	CHECK_OK(bob_busy(t, 0, 1000));
	return 0;
}

static const char *const core_names[] = {
	"Via",
	"v",
	"Route",
	"Record-Route",
	"Call-ID",
	"i",
	"call-id",
	"CSeq",
	"From",
	"f",
	"To",
	"t",
	"Contact",
	"m",
	"Content-Length",
	"l",
	"Max-Forwards",
	NULL,
};

/* A dial whose headers name a core header: refused, nothing sent. */
static int dial_with_header(struct b2b_call *call, const char *line)
{
	const char *target = BT_BOB;
	struct b2b_dial_opts o = { .targets = &target,
				   .ntargets = 1,
				   .headers = &line,
				   .nheaders = 1 };

	return b2b_call_dial(call, &o);
}

static void edit_core_then_dial(struct b2b_test *t, struct b2b_call *call)
{
	struct b2b_msg *req = b2b_call_request(call);

	t->rc[0] = t->rc[1] = t->rc[2] = 0;
	for (size_t i = 0; core_names[i]; i++) {
		if (b2b_msg_set_header(req, core_names[i], "x") != EPERM)
			t->rc[0] = (int)i + 1;
		if (b2b_msg_add_header(req, core_names[i], "x") != EPERM)
			t->rc[1] = (int)i + 1;
		if (b2b_msg_remove_header(req, core_names[i]) != EPERM)
			t->rc[2] = (int)i + 1;
	}
	t->rc[3] = b2b_msg_set_header(req, "X Bad", "x");
	t->rc[4] = b2b_msg_set_header(req, "", "x");
	t->rc[5] = b2b_msg_set_header(req, "X-Bad:", "x");
	t->rc[6] = b2b_msg_set_header(req, "X-Inject", "a\r\nVia: evil");
	t->rc[7] = dial_with_header(call, "Via : SIP/2.0/UDP evil");
	if (bt_dial(t, call, t->dial))
		b2b_call_script_done(call);
}

/* The core's headers are not the script's to edit: EPERM, EINVAL for a
 * bad name or value, and the B-leg INVITE comes out as without edits. */
B2B_CASE(test_dial_script_edits_of_core_headers_are_refused)
{
	const struct sip_msg *m;

	t->dial[0] = BT_BOB;
	t->invite_fn = edit_core_then_dial;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_INT(t->rc[0], 0); /* else the 1-based index of the name */
	CHECK_INT(t->rc[1], 0);
	CHECK_INT(t->rc[2], 0);
	CHECK_INT(t->rc[3], EINVAL);
	CHECK_INT(t->rc[4], EINVAL);
	CHECK_INT(t->rc[5], EINVAL);
	CHECK_INT(t->rc[6], EINVAL);
	CHECK_INT(t->rc[7], EPERM);
	CHECK_WIRE(t, "bob:INVITE@0");
	m = bt_sent(t, 0);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_VIA), 1);
	CHECK_STR(m->via.host, "192.0.2.1");
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_ROUTE), 0);
	CHECK_STR(bt_hdr(m, "Contact"), BT_US_CONTACT);
	CHECK_INT(m->max_forwards, 69);
	CHECK_STR(m->from.uri, "sip:alice@example.com");
	CHECK_INT(bt_hdr(m, "X-Inject").len, 0);
	CHECK_STR(m->body, BT_SDP_A);
	CHECK_OK(bob_busy(t, 0, 1000));
	return 0;
}

/* §9.1: no CANCEL before a provisional; the first one sends it. */
B2B_CASE(test_dial_cancel_before_any_provisional_waits_for_one)
{
	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_at(t, 50));
	CHECK_OK(bt_cancel(t));
	CHECK_WIRE(t, "bob:INVITE@0 a:200@50 a:487@50");
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply(t, 0, 180, "btag", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 a:200@50 a:487@50 bob:CANCEL@100");
	CHECK_STR(bt_sent(t, 3)->cseq.method_name, "CANCEL");
	CHECK_OK(bt_at(t, 110));
	CHECK_OK(bt_reply(t, 3, 200, "btag", NULL));
	CHECK_OK(bt_reply(t, 0, 487, "btag", NULL));
	CHECK_OK(bt_ack_failure(t));
	CHECK_WIRE(t, "bob:INVITE@0 a:200@50 a:487@50 bob:CANCEL@100 "
		      "bob:ACK@110");
	CHECK_LOG(t, "invite@0 cancel@50 "
		     "hangup(caller 487 Request Terminated)@50");
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	return 0;
}

/* A timeout with no provisional is 408; the CANCEL waits for one, and a
 * callee that never answers ends with Timer B. */
B2B_CASE(test_dial_timeout_without_a_provisional_results_408)
{
	t->dial[0] = BT_BOB;
	t->dial_timeout_ms = 5000;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_OK(bt_at(t, 5000));
	CHECK_WIRE(t, "bob:INVITE@0 a:100@200 bob:INVITE@500 bob:INVITE@1500 "
		      "bob:INVITE@3500 a:408@5000");
	CHECK_OK(bt_check_to_caller(t, 5, 408));
	CHECK_LOG(t, "invite@0 dial_done(408)@5000 "
		     "hangup(script 408 Request Timeout)@5000");
	CHECK_INT(t->result_code, 408);
	CHECK_INT(t->result_status, 0);
	CHECK_OK(bt_ack_failure(t));
	CHECK_OK(bt_at(t, 64 * BT_T1_MS));
	CHECK_WIRE(t, "bob:INVITE@0 a:100@200 bob:INVITE@500 bob:INVITE@1500 "
		      "bob:INVITE@3500 a:408@5000 bob:INVITE@7500 "
		      "bob:INVITE@15500 bob:INVITE@31500");
	CHECK_INT(b2b_live_calls(t->b2b), 0);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_dial_b_leg_invite_is_a_new_dialog_with_the_callers_offer),
	TEST(test_dial_b_leg_invite_decrements_max_forwards_to_zero),
	TEST(test_dial_486_is_the_result_and_reaches_the_caller),
	TEST(test_dial_timeout_cancels_the_leg_and_results_480),
	TEST(test_dial_parallel_first_2xx_wins_and_the_other_is_cancelled),
	TEST(test_dial_failure_lets_the_script_fail_over_to_the_next_target),
	TEST(test_dial_2xx_after_cancel_is_acked_and_hung_up),
	TEST(test_dial_2xx_from_another_fork_is_acked_and_hung_up),
	TEST(test_dial_script_headers_on_the_request_reach_the_b_leg),
	TEST(test_dial_script_edits_of_core_headers_are_refused),
	TEST(test_dial_cancel_before_any_provisional_waits_for_one),
	TEST(test_dial_timeout_without_a_provisional_results_408),
};

TEST_MAIN(cases)
