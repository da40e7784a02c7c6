/*
 * The transaction table (RFC 3261 §17.1.3 and §17.2.3): which transaction
 * a request, an ACK, a CANCEL or a response belongs to, the RFC 2543
 * fallback for branches without the magic cookie, what matches nothing
 * (stray responses dropped and counted, stray ACKs passed up), live
 * counts per kind, a layer freed with live transactions, detached
 * handlers, and allocation failures along a whole client and server
 * flow. Instants are absolute on the manual clock (T1 500, T4 5000 ms).
 */
#include <stdio.h>
#include <string.h>

#include "fake_io.h"
#include "test.h"

/* A request to build; unset fields take the defaults in parentheses. */
struct req_spec {
	const char *method;   /* (INVITE); also the CSeq method */
	const char *sent_by;  /* top Via host:port (127.0.0.1:5070) */
	const char *branch;   /* NULL: no branch parameter */
	const char *from_tag; /* (a1) */
	const char *to_tag;   /* NULL: none */
	unsigned cseq;        /* (1) */
};

static void format_req(char *buf, size_t size, struct req_spec s)
{
	char branch[64] = "", to_tag[64] = "";
	const char *method = s.method ? s.method : "INVITE";

	if (s.branch)
		snprintf(branch, sizeof(branch), ";branch=%s", s.branch);
	if (s.to_tag)
		snprintf(to_tag, sizeof(to_tag), ";tag=%s", s.to_tag);
	snprintf(buf, size,
		 "%s sip:bob@127.0.0.1:5060 SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP %s%s\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:alice@example.com>;tag=%s\r\n"
		 "To: <sip:bob@example.com>%s\r\n"
		 "Call-ID: match-1@127.0.0.1\r\n"
		 "CSeq: %u %s\r\n"
		 "Content-Length: 0\r\n\r\n",
		 method, s.sent_by ? s.sent_by : "127.0.0.1:5070", branch,
		 s.from_tag ? s.from_tag : "a1", to_tag, s.cseq ? s.cseq : 1,
		 method);
}

/* The request as received from the UAC peer over UDP. */
static int recv_req(struct fake_env *e, struct req_spec s)
{
	struct net_peer from = fake_peer_uac(NET_UDP);
	char text[1024];

	format_req(text, sizeof(text), s);
	return fake_receive(e, &from, "%s", text);
}

/* A client transaction for the request, sent to the UAS peer over UDP. */
static int start_req(struct fake_env *e, struct req_spec s,
		     struct fake_events *rec, struct txn **ct)
{
	struct net_peer to = fake_peer_uas(NET_UDP);
	char text[1024];

	s.sent_by = s.sent_by ? s.sent_by : "127.0.0.1:5060";
	format_req(text, sizeof(text), s);
	return fake_start(e, &to, rec, ct, "%s", text);
}

/* ---- server side -------------------------------------------------------- */

TXN_CASE(test_match_invites_with_different_branches_are_two)
{
	CHECK_INT(recv_req(e, (struct req_spec){ .branch = "z9hG4bKb1" }), 0);
	CHECK_INT(recv_req(e, (struct req_spec){ .branch = "z9hG4bKb2" }), 0);
	CHECK_REQUESTS(e, "INVITE@0 INVITE@0");
	CHECK(e->tu.reqs[0].st && e->tu.reqs[1].st);
	CHECK(e->tu.reqs[0].st != e->tu.reqs[1].st);
	CHECK_STR(txn_request(e->tu.reqs[1].st)->via.branch, "z9hG4bKb2");
	CHECK_INT(fake_live(e, TXN_IST), 2);
	/* Answering one leaves the other as it was. */
	CHECK_INT(fake_respond(e->tu.reqs[0].st, 486, "s1"), 0);
	CHECK_STATE(e->tu.reqs[0].st, "Completed");
	CHECK_STATE(e->tu.reqs[1].st, "Proceeding");
	return 0;
}

/* §17.2.3: the branch and the sent-by of the top Via both match. */
TXN_CASE(test_match_same_branch_other_sent_by_is_new)
{
	struct req_spec a = { .branch = "z9hG4bKsame" };
	struct req_spec b = { .branch = "z9hG4bKsame",
			      .sent_by = "192.0.2.9:5070" };

	CHECK_INT(recv_req(e, a), 0);
	CHECK_INT(recv_req(e, b), 0);
	CHECK_REQUESTS(e, "INVITE@0 INVITE@0");
	CHECK(e->tu.reqs[0].st != e->tu.reqs[1].st);
	CHECK_INT(fake_live(e, TXN_IST), 2);
	fake_until(e, 500);
	CHECK_INT(recv_req(e, a), 0);
	CHECK_INT(recv_req(e, b), 0);
	CHECK_REQUESTS(e, "INVITE@0 INVITE@0");
	return 0;
}

/*
 * §9.2 and §17.2.3: a CANCEL carries its INVITE's branch but is a
 * transaction of its own (the method differs); the TU finds the INVITE
 * it cancels through txn_layer_find_invite.
 */
TXN_CASE(test_match_cancel_gets_own_nist_and_finds_invite)
{
	struct req_spec cancel = { .method = "CANCEL", .branch = "z9hG4bKc1" };
	struct txn *ist, *nist;

	CHECK_INT(recv_req(e, (struct req_spec){ .branch = "z9hG4bKc1" }), 0);
	fake_until(e, 1000);
	CHECK_INT(recv_req(e, cancel), 0);
	CHECK_REQUESTS(e, "INVITE@0 CANCEL@1000");
	ist = e->tu.reqs[0].st;
	nist = e->tu.reqs[1].st;
	CHECK(nist != NULL && nist != ist);
	CHECK_INT(txn_kind_of(nist), TXN_NIST);
	CHECK_STATE(nist, "Trying");
	CHECK_STATE(ist, "Proceeding");
	CHECK(txn_layer_find_invite(e->layer, txn_request(nist)) == ist);
	CHECK_INT(fake_live(e, TXN_IST), 1);
	CHECK_INT(fake_live(e, TXN_NIST), 1);
	/* A retransmitted CANCEL is absorbed by its own transaction. */
	fake_until(e, 1500);
	CHECK_INT(recv_req(e, cancel), 0);
	CHECK_REQUESTS(e, "INVITE@0 CANCEL@1000");
	return 0;
}

TXN_CASE(test_match_find_invite_of_unknown_cancel_is_null)
{
	struct sip_msg *cancel;
	struct txn *found;
	char text[1024];

	CHECK_INT(recv_req(e, (struct req_spec){ .branch = "z9hG4bKc1" }), 0);
	format_req(
	    text, sizeof(text),
	    (struct req_spec){ .method = "CANCEL", .branch = "z9hG4bKother" });
	CHECK_INT(fake_msg(&cancel, "%s", text), 0);
	found = txn_layer_find_invite(e->layer, cancel);
	sip_msg_free(cancel);
	CHECK(found == NULL);
	return 0;
}

/* ---- client side -------------------------------------------------------- */

/*
 * §17.1.3: a response matches by top Via branch AND CSeq method, so the
 * 200 to a CANCEL (same branch as its INVITE) goes to the CANCEL's NICT.
 */
TXN_CASE(test_match_response_by_branch_and_cseq_method)
{
	struct fake_events *ev_inv = &e->ev, ev_can;
	struct txn *ict, *nict;

	memset(&ev_can, 0, sizeof(ev_can));
	ev_can.timers = &e->timers;
	CHECK_INT(start_req(e, (struct req_spec){ .branch = "z9hG4bKm1" },
			    ev_inv, &ict),
		  0);
	fake_until(e, 100);
	CHECK_INT(fake_reply(e, ict, 180, "b1"), 0);
	fake_until(e, 1000);
	CHECK_INT(start_req(e,
			    (struct req_spec){ .method = "CANCEL",
					       .branch = "z9hG4bKm1" },
			    &ev_can, &nict),
		  0);
	CHECK_INT(fake_live(e, TXN_ICT), 1);
	CHECK_INT(fake_live(e, TXN_NICT), 1);
	fake_until(e, 1100);
	CHECK_INT(fake_reply(e, nict, 200, "b1"), 0);
	CHECK_EVENTS(&ev_can, "200@1100");
	CHECK_INT(ev_can.ev[0].method, SIP_METHOD_CANCEL);
	CHECK_EVENTS(ev_inv, "180@100");
	fake_until(e, 1200);
	CHECK_INT(fake_reply(e, ict, 487, "b1"), 0);
	CHECK_EVENTS(ev_inv, "180@100 487@1200");
	CHECK_EVENTS(&ev_can, "200@1100");
	CHECK_SENDS(e, "INVITE@0 CANCEL@1000 ACK@1200");
	return 0;
}

/* RFC 6026 §8.8 (§18.1.2): an unmatched response is dropped. */
TXN_CASE(test_match_stray_response_is_counted)
{
	struct net_peer from = fake_peer_uas(NET_UDP);
	struct txn *ict;
	const char *fmt = "SIP/2.0 200 OK\r\n"
			  "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=%s\r\n"
			  "From: <sip:alice@example.com>;tag=a1\r\n"
			  "To: <sip:bob@example.com>;tag=b1\r\n"
			  "Call-ID: match-1@127.0.0.1\r\n"
			  "CSeq: 1 %s\r\nContent-Length: 0\r\n\r\n";

	CHECK_INT(fake_receive(e, &from, fmt, "z9hG4bKnobody", "INVITE"), 0);
	CHECK_INT(fake_stats(e).stray_responses, 1);
	/* The right branch with another method matches nothing either. */
	CHECK_INT(start_req(e, (struct req_spec){ .branch = "z9hG4bKx" },
			    &e->ev, &ict),
		  0);
	CHECK_INT(fake_receive(e, &from, fmt, "z9hG4bKx", "OPTIONS"), 0);
	CHECK_INT(fake_stats(e).stray_responses, 2);
	CHECK_EVENTS(&e->ev, "");
	CHECK_STATE(ict, "Calling");
	CHECK_REQUESTS(e, "");
	CHECK_SENDS(e, "INVITE@0");
	return 0;
}

TXN_CASE(test_match_stray_ack_reaches_tu_without_st)
{
	struct req_spec ack = { .method = "ACK",
				.branch = "z9hG4bKlost",
				.to_tag = "x" };

	CHECK_INT(recv_req(e, ack), 0);
	CHECK_REQUESTS(e, "ACK(no st)@0");
	CHECK(fake_peer_is(&e->tu.reqs[0].from, NET_UDP, FAKE_UAC_PORT));
	CHECK_INT(fake_stats(e).stray_acks, 1);
	for (int k = TXN_ICT; k <= TXN_NIST; k++)
		CHECK_INT(fake_live(e, (enum txn_kind)k), 0);
	CHECK_SENDS(e, "");
	return 0;
}

/* ---- RFC 2543 fallback (§17.2.3) ---------------------------------------- */

/* R-URI, From tag, To tag, Call-ID, CSeq and top Via must all match. */
TXN_CASE(test_match_rfc2543_invite_retransmission_absorbed)
{
	struct req_spec old = { .branch = "1234" };
	struct req_spec next = { .branch = "1234", .cseq = 2 };
	struct req_spec other = { .branch = "1234", .from_tag = "a2" };

	CHECK_INT(recv_req(e, old), 0);
	fake_until(e, 500);
	CHECK_INT(recv_req(e, old), 0);
	CHECK_REQUESTS(e, "INVITE@0");
	CHECK_SENDS(e, "100@200 100@500");
	fake_until(e, 600);
	CHECK_INT(recv_req(e, next), 0);
	CHECK_INT(recv_req(e, other), 0);
	CHECK_REQUESTS(e, "INVITE@0 INVITE@600 INVITE@600");
	CHECK_INT(fake_live(e, TXN_IST), 3);
	return 0;
}

TXN_CASE(test_match_rfc2543_invite_without_branch)
{
	struct req_spec bare = { .branch = NULL };
	struct req_spec moved = { .branch = NULL, .sent_by = "192.0.2.9" };

	CHECK_INT(recv_req(e, bare), 0);
	fake_until(e, 500);
	CHECK_INT(recv_req(e, bare), 0);
	CHECK_REQUESTS(e, "INVITE@0");
	CHECK_INT(recv_req(e, moved), 0);
	CHECK_REQUESTS(e, "INVITE@0 INVITE@500");
	CHECK_INT(fake_live(e, TXN_IST), 2);
	return 0;
}

/*
 * The ACK of a 2543 non-2xx matches by R-URI, From tag, Call-ID, CSeq
 * number, top Via, and the To tag of the response the IST sent.
 */
TXN_CASE(test_match_rfc2543_ack_confirms)
{
	struct req_spec ack = { .method = "ACK",
				.branch = "1234",
				.to_tag = "s1" };
	struct txn *st;

	CHECK_INT(recv_req(e, (struct req_spec){ .branch = "1234" }), 0);
	st = e->tu.reqs[0].st;
	fake_until(e, 300);
	CHECK_INT(fake_respond(st, 486, "s1"), 0);
	fake_until(e, 1000);
	CHECK_INT(recv_req(e, ack), 0);
	CHECK_STATE(st, "Confirmed");
	CHECK_REQUESTS(e, "INVITE@0");
	fake_until(e, 6000);
	CHECK_SENDS(e, "100@200 486@300 486@800");
	CHECK_EVENTS(&e->ev, "terminated@6000");
	return 0;
}

/* An ACK with another To tag is not this transaction's. */
TXN_CASE(test_match_rfc2543_ack_needs_the_response_to_tag)
{
	struct req_spec ack = { .method = "ACK",
				.branch = "1234",
				.to_tag = "other" };
	struct txn *st;

	CHECK_INT(recv_req(e, (struct req_spec){ .branch = "1234" }), 0);
	st = e->tu.reqs[0].st;
	fake_until(e, 300);
	CHECK_INT(fake_respond(st, 486, "s1"), 0);
	fake_until(e, 400);
	CHECK_INT(recv_req(e, ack), 0);
	CHECK_REQUESTS(e, "INVITE@0 ACK(no st)@400");
	CHECK_STATE(st, "Completed");
	return 0;
}

/*
 * §9.2: the INVITE a CANCEL refers to is found with the matching rules of
 * §17.2.3 as if the CANCEL's method were the INVITE's, the RFC 2543 ones
 * included: R-URI, To tag, From tag, Call-ID, CSeq number, top Via.
 */
TXN_CASE(test_match_rfc2543_cancel_finds_invite)
{
	struct req_spec cancel = { .method = "CANCEL", .branch = "1234" };
	struct txn *ist, *nist;

	CHECK_INT(recv_req(e, (struct req_spec){ .branch = "1234" }), 0);
	fake_until(e, 1000);
	CHECK_INT(recv_req(e, cancel), 0);
	CHECK_REQUESTS(e, "INVITE@0 CANCEL@1000");
	ist = e->tu.reqs[0].st;
	nist = e->tu.reqs[1].st;
	CHECK(nist != NULL && nist != ist);
	CHECK_INT(txn_kind_of(nist), TXN_NIST);
	CHECK(txn_layer_find_invite(e->layer, txn_request(nist)) == ist);
	return 0;
}

/* ---- lifetimes ---------------------------------------------------------- */

/* One of each kind, answered; all gone once their timers ran out. */
TXN_CASE(test_match_live_counts_per_kind_drop_to_zero)
{
	struct txn *ict, *nict;
	struct txn_stats s;

	CHECK_INT(start_req(e, (struct req_spec){ .branch = "z9hG4bKc1" },
			    &e->ev, &ict),
		  0);
	CHECK_INT(start_req(e,
			    (struct req_spec){ .method = "OPTIONS",
					       .branch = "z9hG4bKc2" },
			    &e->ev, &nict),
		  0);
	CHECK_INT(recv_req(e, (struct req_spec){ .branch = "z9hG4bKs1" }), 0);
	CHECK_INT(recv_req(e, (struct req_spec){ .method = "OPTIONS",
						 .branch = "z9hG4bKs2" }),
		  0);
	s = fake_stats(e);
	CHECK_INT(s.live[TXN_ICT], 1);
	CHECK_INT(s.live[TXN_NICT], 1);
	CHECK_INT(s.live[TXN_IST], 1);
	CHECK_INT(s.live[TXN_NIST], 1);
	CHECK_INT(fake_reply(e, ict, 486, "b1"), 0);
	CHECK_INT(fake_reply(e, nict, 200, "b2"), 0);
	CHECK_INT(fake_respond(e->tu.reqs[0].st, 486, "s1"), 0);
	CHECK_INT(fake_respond(e->tu.reqs[1].st, 200, "s2"), 0);
	fake_until(e, 100000);
	s = fake_stats(e);
	for (int k = TXN_ICT; k <= TXN_NIST; k++)
		CHECK_INT(s.live[k], 0);
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	return 0;
}

/* Shutdown: every transaction goes, without events, timers cancelled. */
TXN_CASE(test_match_layer_free_with_live_transactions)
{
	struct txn *ict;

	CHECK_INT(start_req(e, (struct req_spec){ .branch = "z9hG4bKc1" },
			    &e->ev, &ict),
		  0);
	CHECK_INT(recv_req(e, (struct req_spec){ .branch = "z9hG4bKs1" }), 0);
	CHECK_INT(recv_req(e, (struct req_spec){ .method = "BYE",
						 .branch = "z9hG4bKs2",
						 .to_tag = "t" }),
		  0);
	fake_until(e, 300);
	CHECK_INT(fake_respond(e->tu.reqs[0].st, 486, "s1"), 0);
	txn_layer_free(e->layer);
	e->layer = NULL;
	CHECK_EVENTS(&e->ev, "");
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	return 0;
}

/* A TU gone first detaches; the transactions end alone and silently. */
TXN_CASE(test_match_detached_client_finishes_silently)
{
	struct txn *ict, *other;

	CHECK_INT(start_req(e, (struct req_spec){ .branch = "z9hG4bKc1" },
			    &e->ev, &ict),
		  0);
	CHECK_INT(start_req(e, (struct req_spec){ .branch = "z9hG4bKc2" },
			    &e->ev, &other),
		  0);
	txn_set_handler(ict, NULL, NULL);
	txn_set_handler(other, NULL, NULL);
	fake_until(e, 300);
	CHECK_INT(fake_reply(e, ict, 486, "b1"), 0);
	fake_until(e, 40000);
	CHECK_EVENTS(&e->ev, "");
	CHECK_INT(fake_live(e, TXN_ICT), 0);
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	/* The ACK still went out; `other` ran to Timer B. */
	CHECK_SENDS(e, "INVITE@0 INVITE@0 ACK@300 INVITE@500 INVITE@1500 "
		       "INVITE@3500 INVITE@7500 INVITE@15500 INVITE@31500");
	return 0;
}

TXN_CASE(test_match_detached_server_finishes_silently)
{
	struct txn *st;

	CHECK_INT(recv_req(e, (struct req_spec){ .branch = "z9hG4bKs1" }), 0);
	st = e->tu.reqs[0].st;
	txn_set_handler(st, NULL, NULL);
	fake_until(e, 300);
	CHECK_INT(fake_respond(st, 486, "s1"), 0);
	fake_until(e, 40000);
	CHECK_EVENTS(&e->ev, "");
	CHECK_INT(fake_live(e, TXN_IST), 0);
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	return 0;
}

/* ---- allocation failures ------------------------------------------------ */

#define OOM_STEP(expr)                 \
	do {                           \
		int rc_ = (expr);      \
		if (rc_ == ENOMEM)     \
			return ENOMEM; \
		CHECK_INT(rc_, 0);     \
		OOM_BAIL();            \
	} while (0)

/* Any allocation failing along the way: no crash, no leak. */
TXN_CASE(test_match_oom_client_flow)
{
	struct txn *ict;

	OOM_STEP(start_req(e, (struct req_spec){ .branch = "z9hG4bKc1" },
			   &e->ev, &ict));
	fake_until(e, 600);
	OOM_BAIL();
	OOM_STEP(fake_reply(e, ict, 180, "b1"));
	fake_until(e, 1000);
	OOM_BAIL();
	OOM_STEP(fake_reply(e, ict, 486, "b1"));
	fake_until(e, 40000);
	OOM_BAIL();
	CHECK_SENDS(e, "INVITE@0 INVITE@500 ACK@1000");
	CHECK_EVENTS(&e->ev, "180@600 486@1000 terminated@33000");
	return 0;
}

TXN_CASE(test_match_oom_server_flow)
{
	struct req_spec ack = { .method = "ACK",
				.branch = "z9hG4bKs1",
				.to_tag = "s1" };
	struct txn *st;

	OOM_STEP(recv_req(e, (struct req_spec){ .branch = "z9hG4bKs1" }));
	CHECK_INT(e->tu.nreqs, 1);
	st = e->tu.reqs[0].st;
	fake_until(e, 300);
	OOM_BAIL();
	OOM_STEP(fake_respond(st, 486, "s1"));
	fake_until(e, 1000);
	OOM_BAIL();
	OOM_STEP(recv_req(e, ack));
	fake_until(e, 10000);
	OOM_BAIL();
	CHECK_SENDS(e, "100@200 486@300 486@800");
	CHECK_EVENTS(&e->ev, "terminated@6000");
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_match_invites_with_different_branches_are_two),
	TEST(test_match_same_branch_other_sent_by_is_new),
	TEST(test_match_cancel_gets_own_nist_and_finds_invite),
	TEST(test_match_find_invite_of_unknown_cancel_is_null),
	TEST(test_match_response_by_branch_and_cseq_method),
	TEST(test_match_stray_response_is_counted),
	TEST(test_match_stray_ack_reaches_tu_without_st),
	TEST(test_match_rfc2543_invite_retransmission_absorbed),
	TEST(test_match_rfc2543_invite_without_branch),
	TEST(test_match_rfc2543_ack_confirms),
	TEST(test_match_rfc2543_ack_needs_the_response_to_tag),
	TEST(test_match_rfc2543_cancel_finds_invite),
	TEST(test_match_live_counts_per_kind_drop_to_zero),
	TEST(test_match_layer_free_with_live_transactions),
	TEST(test_match_detached_client_finishes_silently),
	TEST(test_match_detached_server_finishes_silently),
	TEST_OOM(test_match_oom_client_flow),
	TEST_OOM(test_match_oom_server_flow),
};

TEST_MAIN(cases)
