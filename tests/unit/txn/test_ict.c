/*
 * The INVITE client transaction (RFC 3261 §17.1.1 with the Accepted state
 * of RFC 6026 §7.2 and §8.4), through the public contract of txn.h: Timer
 * A retransmissions and Timer B over UDP, none over TCP, the ACK the
 * transaction builds for a 300-699 (§17.1.1.3), Timer D, 2xx handling
 * left to the TU with Timer M, and transport errors. Default timers: T1
 * 500, T2 4000, T4 5000 ms; every instant is absolute on the manual clock.
 */
#include <stdio.h>
#include <string.h>

#include "fake_io.h"
#include "test.h"

#define INVITE_VIA(transport)                                              \
	"INVITE sip:bob@example.com SIP/2.0\r\n"                           \
	"Via: SIP/2.0/" transport " 127.0.0.1:5060;branch=z9hG4bKict1\r\n" \
	"Max-Forwards: 70\r\n"                                             \
	"Route: <sip:p1.example.com;lr>\r\n"                               \
	"Route: <sip:p2.example.com;lr>\r\n"                               \
	"From: Alice <sip:alice@example.com>;tag=a1\r\n"                   \
	"To: Bob <sip:bob@example.com>\r\n"                                \
	"Call-ID: ict-1@127.0.0.1\r\n"                                     \
	"CSeq: 314 INVITE\r\n"                                             \
	"Contact: <sip:alice@127.0.0.1:5060>\r\n"                          \
	"Content-Length: 0\r\n"                                            \
	"\r\n"

static int start_ict(struct fake_env *e, enum net_transport transport,
		     struct txn **ct)
{
	struct net_peer to = fake_peer_uas(transport);

	if (transport == NET_TCP)
		return fake_start(e, &to, &e->ev, ct, INVITE_VIA("TCP"));
	return fake_start(e, &to, &e->ev, ct, INVITE_VIA("UDP"));
}

/* ---- Calling: Timers A and B -------------------------------------------- */

TXN_CASE(test_ict_starts_in_calling_and_sends_to_peer)
{
	const struct sip_msg *sent;
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	CHECK(ct != NULL);
	CHECK_INT(txn_kind_of(ct), TXN_ICT);
	CHECK_STATE(ct, "Calling");
	CHECK_INT(txn_request(ct)->method, SIP_METHOD_INVITE);
	CHECK_SENDS(e, "INVITE@0");
	CHECK(fake_peer_is(&e->io.sends[0].to, NET_UDP, FAKE_UAS_PORT));
	CHECK((sent = fake_sent(e, 0)) != NULL);
	CHECK_STR(sent->via.branch, "z9hG4bKict1");
	CHECK_STR(sent->call_id, "ict-1@127.0.0.1");
	CHECK_INT(fake_live(e, TXN_ICT), 1);
	CHECK_EVENTS(&e->ev, "");
	return 0;
}

/* §17.1.1.2: Timer A doubles each time; unlike Timer E it has no T2 cap. */
TXN_CASE(test_ict_timer_a_doubles_without_t2_cap)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 31999);
	CHECK_SENDS(e, "INVITE@0 INVITE@500 INVITE@1500 INVITE@3500 "
		       "INVITE@7500 INVITE@15500 INVITE@31500");
	for (size_t i = 1; i < e->io.nsends; i++) {
		CHECK_INT(e->io.sends[i].len, e->io.sends[0].len);
		CHECK(memcmp(e->io.sends[i].data, e->io.sends[0].data,
			     e->io.sends[0].len) == 0);
		CHECK(fake_peer_is(&e->io.sends[i].to, NET_UDP, FAKE_UAS_PORT));
	}
	CHECK_STATE(ct, "Calling");
	CHECK_EVENTS(&e->ev, "");
	return 0;
}

/* Timer B = 64*T1: timeout, then the last event; nothing runs after. */
TXN_CASE(test_ict_timer_b_times_out_at_64_t1)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 32000);
	CHECK_EVENTS(&e->ev, "timeout@32000 terminated@32000");
	CHECK_TEXT("state at the last event", e->ev.ev[1].state, "Terminated");
	CHECK_INT(fake_live(e, TXN_ICT), 0);
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	fake_until(e, 100000);
	CHECK_INT(e->io.nsends, 7);
	CHECK_INT(e->ev.n, 2);
	return 0;
}

/* ---- Proceeding --------------------------------------------------------- */

TXN_CASE(test_ict_provisional_stops_retransmissions)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 700);
	CHECK_INT(fake_reply(e, ct, 180, "b1"), 0);
	CHECK_STATE(ct, "Proceeding");
	CHECK_EVENTS(&e->ev, "180@700");
	CHECK_INT(e->ev.ev[0].method, SIP_METHOD_INVITE);
	fake_until(e, 20000);
	CHECK_SENDS(e, "INVITE@0 INVITE@500");
	return 0;
}

/* §17.1.1.2: every further provisional in Proceeding is passed up. */
TXN_CASE(test_ict_every_provisional_passed_up)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 100);
	CHECK_INT(fake_reply(e, ct, 100, ""), 0);
	fake_until(e, 200);
	CHECK_INT(fake_reply(e, ct, 180, "b1"), 0);
	fake_until(e, 300);
	CHECK_INT(fake_reply(e, ct, 180, "b1"), 0);
	fake_until(e, 400);
	CHECK_INT(fake_reply(e, ct, 183, "b1"), 0);
	CHECK_EVENTS(&e->ev, "100@100 180@200 180@300 183@400");
	CHECK_STATE(ct, "Proceeding");
	CHECK_SENDS(e, "INVITE@0");
	return 0;
}

/*
 * Timer B only acts in Calling (§17.1.1.2, Figure 5): once a provisional
 * came, the transaction waits for a final response for as long as it
 * takes (a TU that wants less sends CANCEL).
 */
TXN_CASE(test_ict_no_timeout_in_proceeding)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 100);
	CHECK_INT(fake_reply(e, ct, 100, ""), 0);
	fake_until(e, 200000);
	CHECK_EVENTS(&e->ev, "100@100");
	CHECK_STATE(ct, "Proceeding");
	CHECK_INT(fake_live(e, TXN_ICT), 1);
	CHECK_SENDS(e, "INVITE@0");
	return 0;
}

/* ---- Completed: the ACK and Timer D ------------------------------------- */

static int check_routes(const struct sip_msg *ack)
{
	static const char *const want[] = { "<sip:p1.example.com;lr>",
					    "<sip:p2.example.com;lr>" };
	struct sip_value_iter it;
	struct tnd_slice v;
	size_t n = 0;

	memset(&it, 0, sizeof(it));
	while (sip_msg_value_next(ack, SIP_HDR_ROUTE, &it, &v)) {
		CHECK(n < 2);
		CHECK_STR(v, want[n]);
		n++;
	}
	CHECK_INT(n, 2);
	return 0;
}

/* §17.1.1.3: the ACK of a non-2xx final, built by the transaction. */
TXN_CASE(test_ict_error_response_is_acked)
{
	const struct sip_msg *inv, *ack;
	struct txn *ct;
	char line[256];

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 300);
	CHECK_INT(fake_reply(e, ct, 486, "b1"), 0);
	CHECK_EVENTS(&e->ev, "486@300");
	CHECK_STATE(ct, "Completed");
	CHECK_SENDS(e, "INVITE@0 ACK@300");
	CHECK(fake_peer_is(&e->io.sends[1].to, NET_UDP, FAKE_UAS_PORT));
	CHECK_TEXT("request line", fake_io_line(&e->io, 1, line, sizeof(line)),
		   "ACK sip:bob@example.com SIP/2.0");
	CHECK((inv = fake_sent(e, 0)) != NULL);
	CHECK((ack = fake_sent(e, 1)) != NULL);
	CHECK_INT(ack->method, SIP_METHOD_ACK);
	CHECK(tnd_slice_eq(ack->call_id, inv->call_id));
	CHECK(tnd_slice_eq(sip_msg_hdr(ack, SIP_HDR_FROM)->value,
			   sip_msg_hdr(inv, SIP_HDR_FROM)->value));
	CHECK_INT(ack->cseq.number, 314);
	CHECK_INT(ack->cseq.method, SIP_METHOD_ACK);
	/* One Via, equal to the INVITE's top Via, branch included. */
	CHECK_INT(sip_msg_hdr_count(ack, SIP_HDR_VIA), 1);
	CHECK(tnd_slice_eq(sip_msg_hdr(ack, SIP_HDR_VIA)->value,
			   sip_msg_hdr(inv, SIP_HDR_VIA)->value));
	CHECK_STR(ack->via.branch, "z9hG4bKict1");
	/* To: the response's, with its tag. */
	CHECK_STR(ack->to.uri, "sip:bob@example.com");
	CHECK_STR(ack->to.tag, "b1");
	/* §8.1.1: every request carries Max-Forwards. */
	CHECK(ack->has_max_forwards);
	return check_routes(ack);
}

/* A retransmitted final is absorbed, and answered with the ACK again. */
TXN_CASE(test_ict_retransmitted_final_resends_ack_only)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 300);
	CHECK_INT(fake_reply(e, ct, 486, "b1"), 0);
	fake_until(e, 2000);
	CHECK_INT(fake_reply(e, ct, 486, "b1"), 0);
	fake_until(e, 9000);
	CHECK_INT(fake_reply(e, ct, 486, "b1"), 0);
	CHECK_EVENTS(&e->ev, "486@300");
	CHECK_SENDS(e, "INVITE@0 ACK@300 ACK@2000 ACK@9000");
	CHECK_INT(e->io.sends[2].len, e->io.sends[1].len);
	CHECK(memcmp(e->io.sends[2].data, e->io.sends[1].data,
		     e->io.sends[1].len) == 0);
	CHECK_STATE(ct, "Completed");
	CHECK_INT(fake_stats(e).retransmissions_absorbed, 2);
	return 0;
}

/* Timer D: 32 s on UDP after the final (§17.1.1.2), then Terminated. */
TXN_CASE(test_ict_timer_d_is_32s_on_udp)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 300);
	CHECK_INT(fake_reply(e, ct, 404, "b1"), 0);
	fake_until(e, 32299);
	CHECK_STATE(ct, "Completed");
	CHECK_EVENTS(&e->ev, "404@300");
	fake_until(e, 32300);
	CHECK_EVENTS(&e->ev, "404@300 terminated@32300");
	CHECK_INT(fake_live(e, TXN_ICT), 0);
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	CHECK_SENDS(e, "INVITE@0 ACK@300");
	return 0;
}

TXN_CASE(test_ict_final_after_provisional)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 100);
	CHECK_INT(fake_reply(e, ct, 180, "b1"), 0);
	fake_until(e, 5000);
	CHECK_INT(fake_reply(e, ct, 603, "b1"), 0);
	CHECK_STATE(ct, "Completed");
	CHECK_EVENTS(&e->ev, "180@100 603@5000");
	CHECK_SENDS(e, "INVITE@0 ACK@5000");
	fake_until(e, 37000);
	CHECK_EVENTS(&e->ev, "180@100 603@5000 terminated@37000");
	return 0;
}

/* ---- Accepted (RFC 6026) ------------------------------------------------ */

/* §8.4 of RFC 6026: a 2xx goes up, the TU acknowledges it, not us. */
TXN_CASE(test_ict_2xx_moves_to_accepted_without_ack)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 200);
	CHECK_INT(fake_reply(e, ct, 180, "b1"), 0);
	fake_until(e, 1000);
	CHECK_INT(fake_reply(e, ct, 200, "b1"), 0);
	CHECK_STATE(ct, "Accepted");
	CHECK_EVENTS(&e->ev, "180@200 200@1000");
	fake_until(e, 20000);
	CHECK_SENDS(e, "INVITE@0");
	return 0;
}

/* 2xx retransmissions are passed up again: the TU re-sends its ACK. */
TXN_CASE(test_ict_2xx_retransmissions_passed_up)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 1000);
	CHECK_INT(fake_reply(e, ct, 200, "b1"), 0);
	fake_until(e, 1500);
	CHECK_INT(fake_reply(e, ct, 200, "b1"), 0);
	fake_until(e, 2500);
	CHECK_INT(fake_reply(e, ct, 200, "b1"), 0);
	CHECK_EVENTS(&e->ev, "200@1000 200@1500 200@2500");
	CHECK_STATE(ct, "Accepted");
	CHECK_SENDS(e, "INVITE@0 INVITE@500");
	return 0;
}

/*
 * Completed after a 300-699 lets the request go by the next message: the
 * ACK it keeps answers every retransmitted final, matched by the branch.
 */
TXN_CASE(test_ict_completed_lets_request_go)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 300);
	CHECK_INT(fake_reply(e, ct, 486, "b1"), 0);
	CHECK(txn_request(ct) != NULL);
	fake_until(e, 2000);
	CHECK_INT(fake_reply(e, ct, 486, "b1"), 0);
	CHECK(txn_request(ct) == NULL);
	CHECK_STR(txn_branch(ct), "z9hG4bKict1");
	fake_until(e, 3000);
	CHECK_INT(fake_reply(e, ct, 486, "b1"), 0);
	CHECK_SENDS(e, "INVITE@0 ACK@300 ACK@2000 ACK@3000");
	CHECK_EVENTS(&e->ev, "486@300");
	return 0;
}

/*
 * Accepted lets its request go too, and still passes up a 2xx from
 * another fork however late (the TU makes that dialog from the first).
 */
TXN_CASE(test_ict_accepted_lets_request_go)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 100);
	CHECK_INT(fake_reply(e, ct, 200, "fork1"), 0);
	fake_until(e, 5000);
	CHECK_INT(fake_reply(e, ct, 200, "fork2"), 0);
	CHECK(txn_request(ct) == NULL);
	CHECK_STR(txn_branch(ct), "z9hG4bKict1");
	CHECK_EVENTS(&e->ev, "200@100 200@5000");
	CHECK_SENDS(e, "INVITE@0");
	return 0;
}

/* A forked INVITE: a 2xx from every branch reaches the TU. */
TXN_CASE(test_ict_2xx_from_each_fork_passed_up)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 100);
	CHECK_INT(fake_reply(e, ct, 200, "fork1"), 0);
	fake_until(e, 150);
	CHECK_INT(fake_reply(e, ct, 200, "fork2"), 0);
	CHECK_EVENTS(&e->ev, "200@100 200@150");
	CHECK_SENDS(e, "INVITE@0");
	return 0;
}

/* Timer M = 64*T1 from entering Accepted; later 2xx do not restart it. */
TXN_CASE(test_ict_timer_m_ends_accepted)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 1000);
	CHECK_INT(fake_reply(e, ct, 200, "b1"), 0);
	fake_until(e, 20000);
	CHECK_INT(fake_reply(e, ct, 200, "b1"), 0);
	fake_until(e, 32999);
	CHECK_STATE(ct, "Accepted");
	fake_until(e, 33000);
	CHECK_EVENTS(&e->ev, "200@1000 200@20000 terminated@33000");
	CHECK_INT(fake_live(e, TXN_ICT), 0);
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	CHECK_SENDS(e, "INVITE@0 INVITE@500");
	return 0;
}

/* ---- TCP ---------------------------------------------------------------- */

/* Timer A only on unreliable transports; Timer B on all. */
TXN_CASE(test_ict_tcp_no_retransmissions_timer_b)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_TCP, &ct), 0);
	CHECK(fake_peer_is(&e->io.sends[0].to, NET_TCP, FAKE_UAS_PORT));
	fake_until(e, 31999);
	CHECK_SENDS(e, "INVITE@0");
	CHECK_STATE(ct, "Calling");
	fake_until(e, 32000);
	CHECK_EVENTS(&e->ev, "timeout@32000 terminated@32000");
	CHECK_INT(fake_live(e, TXN_ICT), 0);
	return 0;
}

/* Timer D is zero on a reliable transport; the ACK is still ours. */
TXN_CASE(test_ict_tcp_timer_d_zero)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_TCP, &ct), 0);
	fake_until(e, 100);
	CHECK_INT(fake_reply(e, ct, 486, "b1"), 0);
	fake_until(e, 100);
	CHECK_EVENTS(&e->ev, "486@100 terminated@100");
	CHECK_SENDS(e, "INVITE@0 ACK@100");
	CHECK(fake_peer_is(&e->io.sends[1].to, NET_TCP, FAKE_UAS_PORT));
	CHECK_INT(fake_live(e, TXN_ICT), 0);
	return 0;
}

/* RFC 6026 §8.4: Timer M is 64*T1 whatever the transport. */
TXN_CASE(test_ict_tcp_timer_m_is_64_t1)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_TCP, &ct), 0);
	fake_until(e, 100);
	CHECK_INT(fake_reply(e, ct, 200, "b1"), 0);
	fake_until(e, 32099);
	CHECK_STATE(ct, "Accepted");
	fake_until(e, 32100);
	CHECK_EVENTS(&e->ev, "200@100 terminated@32100");
	CHECK_SENDS(e, "INVITE@0");
	return 0;
}

/* ---- transport errors --------------------------------------------------- */

TXN_CASE(test_ict_initial_send_failure_returns_errno)
{
	struct txn *ct = NULL;

	fake_io_fail_next(&e->io, 1, ECONNREFUSED);
	CHECK_INT(start_ict(e, NET_UDP, &ct), ECONNREFUSED);
	CHECK_INT(fake_live(e, TXN_ICT), 0);
	fake_until(e, 40000);
	CHECK_SENDS(e, "INVITE@0!");
	CHECK_EVENTS(&e->ev, "");
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	return 0;
}

/* §17.1.4: a failed retransmission ends the transaction. */
TXN_CASE(test_ict_retransmission_failure_is_transport_error)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_io_fail_next(&e->io, 1, ENETUNREACH);
	fake_until(e, 500);
	CHECK_EVENTS(&e->ev, "error@500 terminated@500");
	CHECK_INT(e->ev.ev[0].error, ENETUNREACH);
	CHECK_INT(fake_live(e, TXN_ICT), 0);
	fake_until(e, 40000);
	CHECK_SENDS(e, "INVITE@0 INVITE@500!");
	CHECK_INT(e->ev.n, 2);
	return 0;
}

/*
 * §17.1.1.2: on a 300-699 the transaction MUST pass the response up AND
 * send the ACK; a failing ACK then ends it as a transport error (§17.1.4),
 * but the TU still learns how the INVITE ended (in that order: the text
 * passes the response up before it generates the ACK).
 */
TXN_CASE(test_ict_ack_send_failure_still_passes_final_up)
{
	struct txn *ct;

	CHECK_INT(start_ict(e, NET_UDP, &ct), 0);
	fake_until(e, 300);
	fake_io_fail_next(&e->io, 1, ECONNREFUSED);
	CHECK_INT(fake_reply(e, ct, 486, "b1"), 0);
	CHECK_EVENTS(&e->ev, "486@300 error@300 terminated@300");
	CHECK_INT(e->ev.ev[1].error, ECONNREFUSED);
	CHECK_INT(fake_live(e, TXN_ICT), 0);
	CHECK_SENDS(e, "INVITE@0 ACK@300!");
	return 0;
}

/* The contract asks for an RFC 3261 branch on the top Via. */
TXN_CASE(test_ict_start_refuses_branch_without_cookie)
{
	struct net_peer to = fake_peer_uas(NET_UDP);
	struct txn *ct = NULL;

	CHECK_INT(fake_start(e, &to, &e->ev, &ct,
			     "INVITE sip:bob@example.com SIP/2.0\r\n"
			     "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=1234\r\n"
			     "From: <sip:alice@example.com>;tag=a1\r\n"
			     "To: <sip:bob@example.com>\r\n"
			     "Call-ID: ict-2@127.0.0.1\r\n"
			     "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\n\r\n"),
		  EINVAL);
	CHECK_SENDS(e, "");
	CHECK_INT(fake_live(e, TXN_ICT), 0);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_ict_starts_in_calling_and_sends_to_peer),
	TEST(test_ict_timer_a_doubles_without_t2_cap),
	TEST(test_ict_timer_b_times_out_at_64_t1),
	TEST(test_ict_provisional_stops_retransmissions),
	TEST(test_ict_every_provisional_passed_up),
	TEST(test_ict_no_timeout_in_proceeding),
	TEST(test_ict_error_response_is_acked),
	TEST(test_ict_retransmitted_final_resends_ack_only),
	TEST(test_ict_timer_d_is_32s_on_udp),
	TEST(test_ict_final_after_provisional),
	TEST(test_ict_2xx_moves_to_accepted_without_ack),
	TEST(test_ict_2xx_retransmissions_passed_up),
	TEST(test_ict_completed_lets_request_go),
	TEST(test_ict_accepted_lets_request_go),
	TEST(test_ict_2xx_from_each_fork_passed_up),
	TEST(test_ict_timer_m_ends_accepted),
	TEST(test_ict_tcp_no_retransmissions_timer_b),
	TEST(test_ict_tcp_timer_d_zero),
	TEST(test_ict_tcp_timer_m_is_64_t1),
	TEST(test_ict_initial_send_failure_returns_errno),
	TEST(test_ict_retransmission_failure_is_transport_error),
	TEST(test_ict_ack_send_failure_still_passes_final_up),
	TEST(test_ict_start_refuses_branch_without_cookie),
};

TEST_MAIN(cases)
