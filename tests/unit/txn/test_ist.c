/*
 * The INVITE server transaction (RFC 3261 §17.2.1 with the Accepted state
 * of RFC 6026 §7.1 and §8.7), through txn.h: the INVITE reaching the TU,
 * the automatic 100 Trying, absorbing retransmitted INVITEs, Timer G
 * retransmitting a 300-699 until the ACK or Timer H, Timer I, the
 * Accepted state with Timer L, TCP, and what txn_server_respond refuses.
 * Default timers: T1 500, T2 4000, T4 5000, trying 200 ms; every instant
 * is absolute on the manual clock.
 */
#include <string.h>

#include "fake_io.h"
#include "test.h"

/* Parameters: Via transport, branch. */
#define INVITE_FMT                                       \
	"INVITE sip:bob@127.0.0.1:5060 SIP/2.0\r\n"      \
	"Via: SIP/2.0/%s 127.0.0.1:5070;branch=%s\r\n"   \
	"Max-Forwards: 70\r\n"                           \
	"From: Alice <sip:alice@example.com>;tag=a1\r\n" \
	"To: Bob <sip:bob@example.com>\r\n"              \
	"Call-ID: ist-1@127.0.0.1\r\n"                   \
	"CSeq: 1 INVITE\r\n"                             \
	"Contact: <sip:alice@127.0.0.1:5070>\r\n"        \
	"Content-Length: 0\r\n"                          \
	"\r\n"

/* Parameters: Via transport, branch, To tag. */
#define ACK_FMT                                          \
	"ACK sip:bob@127.0.0.1:5060 SIP/2.0\r\n"         \
	"Via: SIP/2.0/%s 127.0.0.1:5070;branch=%s\r\n"   \
	"Max-Forwards: 70\r\n"                           \
	"From: Alice <sip:alice@example.com>;tag=a1\r\n" \
	"To: Bob <sip:bob@example.com>;tag=%s\r\n"       \
	"Call-ID: ist-1@127.0.0.1\r\n"                   \
	"CSeq: 1 ACK\r\n"                                \
	"Content-Length: 0\r\n"                          \
	"\r\n"

#define BRANCH "z9hG4bKist1"

static const char *via_name(enum net_transport transport)
{
	return transport == NET_TCP ? "TCP" : "UDP";
}

/* The UAC's INVITE (first or retransmitted) at the current instant. */
static int send_invite(struct fake_env *e, enum net_transport transport)
{
	struct net_peer from = fake_peer_uac(transport);

	return fake_receive(e, &from, INVITE_FMT, via_name(transport), BRANCH);
}

static int send_ack(struct fake_env *e, enum net_transport transport,
		    const char *branch)
{
	struct net_peer from = fake_peer_uac(transport);

	return fake_receive(e, &from, ACK_FMT, via_name(transport), branch,
			    "s1");
}

/* INVITE at 0; the TU answers `status` (To tag s1) at `at_ms`. */
static int invite_then_answer(struct fake_env *e, enum net_transport transport,
			      uint64_t at_ms, uint16_t status, struct txn **st)
{
	int rc = send_invite(e, transport);

	if (rc != 0)
		return rc;
	if (e->tu.nreqs != 1 || !e->tu.reqs[0].st)
		return EPROTO;
	*st = e->tu.reqs[0].st;
	fake_until(e, at_ms);
	return fake_respond(*st, status, "s1");
}

/* ---- Proceeding --------------------------------------------------------- */

TXN_CASE(test_ist_invite_reaches_tu_in_proceeding)
{
	struct txn *st;

	CHECK_INT(send_invite(e, NET_UDP), 0);
	CHECK_REQUESTS(e, "INVITE@0");
	CHECK((st = e->tu.reqs[0].st) != NULL);
	CHECK_INT(txn_kind_of(st), TXN_IST);
	CHECK_STATE(st, "Proceeding");
	CHECK_INT(txn_request(st)->method, SIP_METHOD_INVITE);
	CHECK_STR(txn_request(st)->via.branch, BRANCH);
	CHECK(fake_peer_is(&e->tu.reqs[0].from, NET_UDP, FAKE_UAC_PORT));
	CHECK(fake_tu_request(e, 0) != NULL);
	CHECK_STR(fake_tu_request(e, 0)->call_id, "ist-1@127.0.0.1");
	CHECK_INT(fake_live(e, TXN_IST), 1);
	CHECK_SENDS(e, "");
	return 0;
}

/* §17.2.1: 100 Trying unless the TU answers within 200 ms; no To tag. */
TXN_CASE(test_ist_sends_100_trying_after_trying_ms)
{
	const struct sip_msg *trying;

	CHECK_INT(send_invite(e, NET_UDP), 0);
	fake_until(e, 199);
	CHECK_SENDS(e, "");
	fake_until(e, 200);
	CHECK_SENDS(e, "100@200");
	CHECK(fake_peer_is(&e->io.sends[0].to, NET_UDP, FAKE_UAC_PORT));
	CHECK((trying = fake_sent(e, 0)) != NULL);
	CHECK_INT(trying->status, 100);
	CHECK_INT(trying->to.tag.len, 0);
	CHECK_STR(trying->via.branch, BRANCH);
	CHECK_STR(trying->call_id, "ist-1@127.0.0.1");
	CHECK_INT(trying->cseq.method, SIP_METHOD_INVITE);
	CHECK_STATE(e->tu.reqs[0].st, "Proceeding");
	fake_until(e, 10000);
	CHECK_INT(e->io.nsends, 1);
	return 0;
}

TXN_CASE(test_ist_no_trying_when_tu_answers_in_time)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 150, 180, &st), 0);
	CHECK_STATE(st, "Proceeding");
	fake_until(e, 10000);
	CHECK_SENDS(e, "180@150");
	return 0;
}

static void answer_ringing(void *arg, struct txn *st, const struct sip_msg *req)
{
	int *rc = arg;

	(void)req;
	if (st)
		*rc = fake_respond(st, 180, "s1");
}

/* The TU may answer from inside on_request. */
TXN_CASE(test_ist_tu_answers_inside_on_request)
{
	int rc = -1;

	e->tu.hook = answer_ringing;
	e->tu.hook_arg = &rc;
	CHECK_INT(send_invite(e, NET_UDP), 0);
	CHECK_INT(rc, 0);
	CHECK_STATE(e->tu.reqs[0].st, "Proceeding");
	fake_until(e, 1000);
	CHECK_SENDS(e, "180@0");
	return 0;
}

/* A retransmitted INVITE is absorbed and re-answered with the 100. */
TXN_CASE(test_ist_retransmitted_invite_resends_trying)
{
	CHECK_INT(send_invite(e, NET_UDP), 0);
	fake_until(e, 500);
	CHECK_INT(send_invite(e, NET_UDP), 0);
	CHECK_REQUESTS(e, "INVITE@0");
	CHECK_SENDS(e, "100@200 100@500");
	CHECK_INT(fake_stats(e).retransmissions_absorbed, 1);
	CHECK_INT(fake_live(e, TXN_IST), 1);
	return 0;
}

/* §17.2.1: the most recent provisional is what goes out again. */
TXN_CASE(test_ist_retransmitted_invite_resends_last_provisional)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 300, 180, &st), 0);
	fake_until(e, 500);
	CHECK_INT(send_invite(e, NET_UDP), 0);
	fake_until(e, 1500);
	CHECK_INT(send_invite(e, NET_UDP), 0);
	CHECK_SENDS(e, "100@200 180@300 180@500 180@1500");
	CHECK_INT(e->io.sends[3].len, e->io.sends[1].len);
	CHECK(memcmp(e->io.sends[3].data, e->io.sends[1].data,
		     e->io.sends[1].len) == 0);
	CHECK_REQUESTS(e, "INVITE@0");
	return 0;
}

/* ---- Completed: Timers G and H ------------------------------------------ */

/*
 * Timer G from the final at 1000: T1, then doubling capped at T2, so
 * intervals 500, 1000, 2000, 4000, 4000, ... until Timer H at 33000.
 */
TXN_CASE(test_ist_error_response_retransmitted_by_timer_g)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 486, &st), 0);
	CHECK_STATE(st, "Completed");
	fake_until(e, 32999);
	CHECK_SENDS(e, "100@200 486@1000 486@1500 486@2500 486@4500 "
		       "486@8500 486@12500 486@16500 486@20500 486@24500 "
		       "486@28500 486@32500");
	CHECK_STATE(st, "Completed");
	CHECK_EVENTS(&e->ev, "");
	return 0;
}

/* Timer H = 64*T1 after the final: no ACK came, the TU is told. */
TXN_CASE(test_ist_timer_h_reports_timeout)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 486, &st), 0);
	fake_until(e, 33000);
	CHECK_EVENTS(&e->ev, "timeout@33000 terminated@33000");
	CHECK_INT(fake_live(e, TXN_IST), 0);
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	fake_until(e, 60000);
	CHECK_INT(e->io.nsends, 12);
	return 0;
}

TXN_CASE(test_ist_retransmitted_invite_in_completed_resends_final)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 404, &st), 0);
	fake_until(e, 1200);
	CHECK_INT(send_invite(e, NET_UDP), 0);
	fake_until(e, 1500);
	CHECK_SENDS(e, "100@200 404@1000 404@1200 404@1500");
	CHECK_REQUESTS(e, "INVITE@0");
	CHECK_STATE(st, "Completed");
	return 0;
}

/* ---- Confirmed: Timer I ------------------------------------------------- */

TXN_CASE(test_ist_ack_confirms_and_stops_retransmissions)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 486, &st), 0);
	fake_until(e, 2000);
	CHECK_INT(send_ack(e, NET_UDP, BRANCH), 0);
	CHECK_STATE(st, "Confirmed");
	CHECK_REQUESTS(e, "INVITE@0");
	fake_until(e, 6999);
	CHECK_SENDS(e, "100@200 486@1000 486@1500");
	CHECK_EVENTS(&e->ev, "");
	return 0;
}

/* Timer I = T4 on UDP; ACKs meanwhile are absorbed. */
TXN_CASE(test_ist_timer_i_absorbs_acks_then_terminates)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 486, &st), 0);
	fake_until(e, 2000);
	CHECK_INT(send_ack(e, NET_UDP, BRANCH), 0);
	fake_until(e, 3000);
	CHECK_INT(send_ack(e, NET_UDP, BRANCH), 0);
	CHECK_STATE(st, "Confirmed");
	fake_until(e, 6999);
	CHECK_EVENTS(&e->ev, "");
	fake_until(e, 7000);
	CHECK_EVENTS(&e->ev, "terminated@7000");
	CHECK_REQUESTS(e, "INVITE@0");
	CHECK_SENDS(e, "100@200 486@1000 486@1500");
	CHECK_INT(fake_live(e, TXN_IST), 0);
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	return 0;
}

/* ---- Accepted (RFC 6026) ------------------------------------------------ */

/* A 2xx is sent once: its retransmissions are the TU's. */
TXN_CASE(test_ist_2xx_moves_to_accepted)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 200, &st), 0);
	CHECK_STATE(st, "Accepted");
	fake_until(e, 32999);
	CHECK_SENDS(e, "100@200 200@1000");
	CHECK_STATE(st, "Accepted");
	CHECK_EVENTS(&e->ev, "");
	return 0;
}

/* Timer L = 64*T1, then Terminated without a timeout. */
TXN_CASE(test_ist_timer_l_ends_accepted)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 200, &st), 0);
	fake_until(e, 33000);
	CHECK_EVENTS(&e->ev, "terminated@33000");
	CHECK_INT(fake_live(e, TXN_IST), 0);
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	return 0;
}

/* RFC 6026 §8.7: INVITE retransmissions are absorbed, not answered. */
TXN_CASE(test_ist_accepted_absorbs_invite_retransmissions)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 200, &st), 0);
	fake_until(e, 1500);
	CHECK_INT(send_invite(e, NET_UDP), 0);
	fake_until(e, 2500);
	CHECK_INT(send_invite(e, NET_UDP), 0);
	CHECK_REQUESTS(e, "INVITE@0");
	CHECK_SENDS(e, "100@200 200@1000");
	CHECK_STATE(st, "Accepted");
	return 0;
}

/*
 * Accepted lets the request go by the next message; the TU's 2xx resends
 * (built from its own copy) still go out, INVITE resends are absorbed.
 */
TXN_CASE(test_ist_accepted_lets_request_go)
{
	struct sip_msg *ok;
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 200, &st), 0);
	fake_until(e, 1500);
	CHECK_INT(send_invite(e, NET_UDP), 0);
	CHECK(txn_request(st) == NULL);
	CHECK_STR(txn_branch(st), BRANCH);
	CHECK_INT(fake_respond(st, 200, "s1"), EPROTO);
	CHECK_INT(sip_msg_response_new(fake_tu_request(e, 0), 200, NULL,
				       TND_SLICE_LIT("s1"), &ok),
		  0);
	fake_until(e, 2000);
	CHECK_INT(txn_server_respond(st, ok), 0);
	fake_until(e, 2500);
	CHECK_INT(send_invite(e, NET_UDP), 0);
	CHECK_SENDS(e, "100@200 200@1000 200@2000");
	CHECK_REQUESTS(e, "INVITE@0");
	CHECK_STATE(st, "Accepted");
	return 0;
}

/* Completed keeps the final it resends (Timer G, INVITE resends). */
TXN_CASE(test_ist_completed_lets_request_go)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 404, &st), 0);
	fake_until(e, 1200);
	CHECK_INT(send_invite(e, NET_UDP), 0);
	CHECK(txn_request(st) == NULL);
	fake_until(e, 1300);
	CHECK_INT(send_invite(e, NET_UDP), 0);
	fake_until(e, 1500);
	CHECK_SENDS(e, "100@200 404@1000 404@1200 404@1300 404@1500");
	CHECK_STATE(st, "Completed");
	return 0;
}

/* The TU's own 2xx retransmissions go out through the transaction. */
TXN_CASE(test_ist_accepted_sends_tu_2xx_retransmissions)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 200, &st), 0);
	fake_until(e, 1500);
	CHECK_INT(fake_respond(st, 200, "s1"), 0);
	fake_until(e, 2500);
	CHECK_INT(fake_respond(st, 200, "s1"), 0);
	CHECK_SENDS(e, "100@200 200@1000 200@1500 200@2500");
	CHECK(fake_peer_is(&e->io.sends[3].to, NET_UDP, FAKE_UAC_PORT));
	CHECK_STATE(st, "Accepted");
	return 0;
}

/* After a 2xx, no other response fits: EPROTO, nothing sent. */
TXN_CASE(test_ist_accepted_refuses_other_responses)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 200, &st), 0);
	CHECK_INT(fake_respond(st, 486, "s1"), EPROTO);
	CHECK_INT(fake_respond(st, 180, "s1"), EPROTO);
	CHECK_SENDS(e, "100@200 200@1000");
	CHECK_STATE(st, "Accepted");
	return 0;
}

/* The ACK of a 2xx is a transaction of its own: up with st == NULL. */
TXN_CASE(test_ist_ack_of_2xx_reaches_tu_without_st)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 200, &st), 0);
	fake_until(e, 2000);
	CHECK_INT(send_ack(e, NET_UDP, "z9hG4bKack2"), 0);
	CHECK_REQUESTS(e, "INVITE@0 ACK(no st)@2000");
	CHECK(fake_peer_is(&e->tu.reqs[1].from, NET_UDP, FAKE_UAC_PORT));
	CHECK_STATE(st, "Accepted");
	CHECK_SENDS(e, "100@200 200@1000");
	CHECK_INT(fake_stats(e).stray_acks, 1);
	return 0;
}

/* RFC 6026 §7.1: an ACK matching the IST in Accepted goes up to the TU. */
TXN_CASE(test_ist_accepted_passes_ack_with_invite_branch_up)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 200, &st), 0);
	fake_until(e, 2000);
	CHECK_INT(send_ack(e, NET_UDP, BRANCH), 0);
	CHECK_REQUESTS(e, "INVITE@0 ACK(no st)@2000");
	CHECK_STATE(st, "Accepted");
	CHECK_SENDS(e, "100@200 200@1000");
	return 0;
}

/* ---- refusals and transport errors -------------------------------------- */

/* In Completed a final was sent: another final or a 2xx is refused. */
TXN_CASE(test_ist_respond_after_final_refused)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 300, 486, &st), 0);
	CHECK_INT(fake_respond(st, 486, "s1"), EPROTO);
	CHECK_INT(fake_respond(st, 200, "s1"), EPROTO);
	CHECK_INT(fake_respond(st, 180, "s1"), EPROTO);
	CHECK_SENDS(e, "100@200 486@300");
	CHECK_STATE(st, "Completed");
	return 0;
}

/* A failed send of the TU's final: the error comes as an event. */
TXN_CASE(test_ist_final_send_failure_is_transport_error)
{
	struct txn *st;

	CHECK_INT(send_invite(e, NET_UDP), 0);
	st = e->tu.reqs[0].st;
	fake_until(e, 1000);
	fake_io_fail_next(&e->io, 1, ECONNREFUSED);
	CHECK_INT(fake_respond(st, 486, "s1"), 0);
	CHECK_EVENTS(&e->ev, "error@1000 terminated@1000");
	CHECK_INT(e->ev.ev[0].error, ECONNREFUSED);
	CHECK_INT(fake_live(e, TXN_IST), 0);
	fake_until(e, 40000);
	CHECK_SENDS(e, "100@200 486@1000!");
	return 0;
}

TXN_CASE(test_ist_timer_g_failure_is_transport_error)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_UDP, 1000, 486, &st), 0);
	fake_io_fail_next(&e->io, 1, ENETUNREACH);
	fake_until(e, 1500);
	CHECK_EVENTS(&e->ev, "error@1500 terminated@1500");
	CHECK_INT(fake_live(e, TXN_IST), 0);
	fake_until(e, 40000);
	CHECK_SENDS(e, "100@200 486@1000 486@1500!");
	return 0;
}

/* ---- TCP ---------------------------------------------------------------- */

/* No Timer G on a reliable transport; Timer H is 64*T1 on all. */
TXN_CASE(test_ist_tcp_no_timer_g)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_TCP, 1000, 486, &st), 0);
	CHECK(fake_peer_is(&e->tu.reqs[0].from, NET_TCP, FAKE_UAC_PORT));
	fake_until(e, 32999);
	CHECK_SENDS(e, "100@200 486@1000");
	CHECK(fake_peer_is(&e->io.sends[0].to, NET_TCP, FAKE_UAC_PORT));
	CHECK(fake_peer_is(&e->io.sends[1].to, NET_TCP, FAKE_UAC_PORT));
	fake_until(e, 33000);
	CHECK_EVENTS(&e->ev, "timeout@33000 terminated@33000");
	return 0;
}

/* Timer I is zero on a reliable transport. */
TXN_CASE(test_ist_tcp_timer_i_zero)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_TCP, 1000, 486, &st), 0);
	fake_until(e, 1500);
	CHECK_INT(send_ack(e, NET_TCP, BRANCH), 0);
	fake_until(e, 1500);
	CHECK_EVENTS(&e->ev, "terminated@1500");
	CHECK_INT(fake_live(e, TXN_IST), 0);
	CHECK_REQUESTS(e, "INVITE@0");
	return 0;
}

/* RFC 6026 §8.7: Timer L is 64*T1 for all transports. */
TXN_CASE(test_ist_tcp_timer_l_is_64_t1)
{
	struct txn *st;

	CHECK_INT(invite_then_answer(e, NET_TCP, 1000, 200, &st), 0);
	fake_until(e, 32999);
	CHECK_STATE(st, "Accepted");
	fake_until(e, 33000);
	CHECK_EVENTS(&e->ev, "terminated@33000");
	CHECK_SENDS(e, "100@200 200@1000");
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_ist_invite_reaches_tu_in_proceeding),
	TEST(test_ist_sends_100_trying_after_trying_ms),
	TEST(test_ist_no_trying_when_tu_answers_in_time),
	TEST(test_ist_tu_answers_inside_on_request),
	TEST(test_ist_retransmitted_invite_resends_trying),
	TEST(test_ist_retransmitted_invite_resends_last_provisional),
	TEST(test_ist_error_response_retransmitted_by_timer_g),
	TEST(test_ist_timer_h_reports_timeout),
	TEST(test_ist_retransmitted_invite_in_completed_resends_final),
	TEST(test_ist_ack_confirms_and_stops_retransmissions),
	TEST(test_ist_timer_i_absorbs_acks_then_terminates),
	TEST(test_ist_2xx_moves_to_accepted),
	TEST(test_ist_timer_l_ends_accepted),
	TEST(test_ist_accepted_absorbs_invite_retransmissions),
	TEST(test_ist_accepted_lets_request_go),
	TEST(test_ist_completed_lets_request_go),
	TEST(test_ist_accepted_sends_tu_2xx_retransmissions),
	TEST(test_ist_accepted_refuses_other_responses),
	TEST(test_ist_ack_of_2xx_reaches_tu_without_st),
	TEST(test_ist_accepted_passes_ack_with_invite_branch_up),
	TEST(test_ist_respond_after_final_refused),
	TEST(test_ist_final_send_failure_is_transport_error),
	TEST(test_ist_timer_g_failure_is_transport_error),
	TEST(test_ist_tcp_no_timer_g),
	TEST(test_ist_tcp_timer_i_zero),
	TEST(test_ist_tcp_timer_l_is_64_t1),
};

TEST_MAIN(cases)
