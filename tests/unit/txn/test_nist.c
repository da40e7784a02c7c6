/*
 * The non-INVITE server transaction (RFC 3261 §17.2.2), through txn.h:
 * Trying, Proceeding and Completed, what each does with a retransmitted
 * request, Timer J on UDP and TCP, transport errors, and responses
 * refused after the final. Default timers: T1 500, T2 4000, T4 5000 ms;
 * every instant is absolute on the manual clock.
 */
#include <string.h>

#include "fake_io.h"
#include "test.h"

/* Parameter: the Via transport. */
#define OPTIONS_FMT                                              \
	"OPTIONS sip:bob@127.0.0.1:5060 SIP/2.0\r\n"             \
	"Via: SIP/2.0/%s 127.0.0.1:5070;branch=z9hG4bKnist1\r\n" \
	"Max-Forwards: 70\r\n"                                   \
	"From: <sip:alice@example.com>;tag=a1\r\n"               \
	"To: <sip:bob@example.com>\r\n"                          \
	"Call-ID: nist-1@127.0.0.1\r\n"                          \
	"CSeq: 9 OPTIONS\r\n"                                    \
	"Content-Length: 0\r\n"                                  \
	"\r\n"

static int send_options(struct fake_env *e, enum net_transport transport)
{
	struct net_peer from = fake_peer_uac(transport);

	return fake_receive(e, &from, OPTIONS_FMT,
			    transport == NET_TCP ? "TCP" : "UDP");
}

/* OPTIONS at 0, answered by the TU with `status` at `at_ms`. */
static int request_then_answer(struct fake_env *e, enum net_transport transport,
			       uint64_t at_ms, uint16_t status, struct txn **st)
{
	int rc = send_options(e, transport);

	if (rc != 0)
		return rc;
	if (e->tu.nreqs != 1 || !e->tu.reqs[0].st)
		return EPROTO;
	*st = e->tu.reqs[0].st;
	fake_until(e, at_ms);
	return fake_respond(*st, status, status == 100 ? "" : "s1");
}

/* ---- Trying ------------------------------------------------------------- */

TXN_CASE(test_nist_request_reaches_tu_in_trying)
{
	struct txn *st;

	CHECK_INT(send_options(e, NET_UDP), 0);
	CHECK_REQUESTS(e, "OPTIONS@0");
	CHECK((st = e->tu.reqs[0].st) != NULL);
	CHECK_INT(txn_kind_of(st), TXN_NIST);
	CHECK_STATE(st, "Trying");
	CHECK_INT(txn_request(st)->method, SIP_METHOD_OPTIONS);
	CHECK(fake_peer_is(&e->tu.reqs[0].from, NET_UDP, FAKE_UAC_PORT));
	CHECK_INT(fake_live(e, TXN_NIST), 1);
	CHECK_INT(fake_live(e, TXN_IST), 0);
	return 0;
}

/* §17.2.2: a non-INVITE server transaction sends no 100 by itself. */
TXN_CASE(test_nist_sends_nothing_by_itself)
{
	CHECK_INT(send_options(e, NET_UDP), 0);
	fake_until(e, 10000);
	CHECK_SENDS(e, "");
	CHECK_STATE(e->tu.reqs[0].st, "Trying");
	return 0;
}

/* §17.2.2: in Trying, retransmissions are discarded. */
TXN_CASE(test_nist_trying_absorbs_retransmissions)
{
	CHECK_INT(send_options(e, NET_UDP), 0);
	fake_until(e, 500);
	CHECK_INT(send_options(e, NET_UDP), 0);
	fake_until(e, 1500);
	CHECK_INT(send_options(e, NET_UDP), 0);
	CHECK_REQUESTS(e, "OPTIONS@0");
	CHECK_SENDS(e, "");
	CHECK_INT(fake_stats(e).retransmissions_absorbed, 2);
	CHECK_INT(fake_live(e, TXN_NIST), 1);
	return 0;
}

/* ---- Proceeding --------------------------------------------------------- */

TXN_CASE(test_nist_provisional_moves_to_proceeding)
{
	struct txn *st;

	CHECK_INT(request_then_answer(e, NET_UDP, 100, 100, &st), 0);
	CHECK_STATE(st, "Proceeding");
	CHECK_SENDS(e, "100@100");
	CHECK(fake_peer_is(&e->io.sends[0].to, NET_UDP, FAKE_UAC_PORT));
	fake_until(e, 10000);
	CHECK_INT(e->io.nsends, 1);
	return 0;
}

/* In Proceeding a retransmission is answered with the last provisional. */
TXN_CASE(test_nist_proceeding_resends_last_provisional)
{
	struct txn *st;

	CHECK_INT(request_then_answer(e, NET_UDP, 100, 100, &st), 0);
	fake_until(e, 200);
	CHECK_INT(fake_respond(st, 180, "s1"), 0);
	fake_until(e, 500);
	CHECK_INT(send_options(e, NET_UDP), 0);
	CHECK_SENDS(e, "100@100 180@200 180@500");
	CHECK_REQUESTS(e, "OPTIONS@0");
	CHECK_STATE(st, "Proceeding");
	return 0;
}

/* ---- Completed: Timer J ------------------------------------------------- */

TXN_CASE(test_nist_final_moves_to_completed)
{
	struct txn *st;

	CHECK_INT(request_then_answer(e, NET_UDP, 300, 200, &st), 0);
	CHECK_STATE(st, "Completed");
	fake_until(e, 32299);
	CHECK_SENDS(e, "200@300");
	CHECK_EVENTS(&e->ev, "");
	return 0;
}

/* In Completed every retransmission is answered with the final. */
TXN_CASE(test_nist_completed_resends_final)
{
	struct txn *st;

	CHECK_INT(request_then_answer(e, NET_UDP, 300, 200, &st), 0);
	fake_until(e, 500);
	CHECK_INT(send_options(e, NET_UDP), 0);
	fake_until(e, 1500);
	CHECK_INT(send_options(e, NET_UDP), 0);
	CHECK_SENDS(e, "200@300 200@500 200@1500");
	CHECK_INT(e->io.sends[2].len, e->io.sends[0].len);
	CHECK(memcmp(e->io.sends[2].data, e->io.sends[0].data,
		     e->io.sends[0].len) == 0);
	CHECK_REQUESTS(e, "OPTIONS@0");
	return 0;
}

TXN_CASE(test_nist_final_after_provisional)
{
	struct txn *st;

	CHECK_INT(request_then_answer(e, NET_UDP, 100, 100, &st), 0);
	fake_until(e, 400);
	CHECK_INT(fake_respond(st, 404, "s1"), 0);
	CHECK_STATE(st, "Completed");
	fake_until(e, 900);
	CHECK_INT(send_options(e, NET_UDP), 0);
	CHECK_SENDS(e, "100@100 404@400 404@900");
	return 0;
}

/* Timer J = 64*T1 on UDP. */
TXN_CASE(test_nist_timer_j_is_64_t1_on_udp)
{
	struct txn *st;

	CHECK_INT(request_then_answer(e, NET_UDP, 300, 200, &st), 0);
	fake_until(e, 32299);
	CHECK_STATE(st, "Completed");
	fake_until(e, 32300);
	CHECK_EVENTS(&e->ev, "terminated@32300");
	CHECK_TEXT("state at the last event", e->ev.ev[0].state, "Terminated");
	CHECK_INT(fake_live(e, TXN_NIST), 0);
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	return 0;
}

/* A retransmission after Terminated is a new request again. */
TXN_CASE(test_nist_request_after_timer_j_is_new)
{
	struct txn *st;

	CHECK_INT(request_then_answer(e, NET_UDP, 300, 200, &st), 0);
	fake_until(e, 40000);
	CHECK_INT(send_options(e, NET_UDP), 0);
	CHECK_REQUESTS(e, "OPTIONS@0 OPTIONS@40000");
	CHECK_STATE(e->tu.reqs[1].st, "Trying");
	CHECK_SENDS(e, "200@300");
	return 0;
}

/* ---- refusals, errors, TCP ---------------------------------------------- */

/*
 * Completed keeps what matches retransmissions and the final to resend;
 * the request goes before the layer's next message.
 */
TXN_CASE(test_nist_completed_lets_request_go)
{
	struct txn *st;

	CHECK_INT(request_then_answer(e, NET_UDP, 300, 200, &st), 0);
	CHECK(txn_request(st) != NULL);
	fake_until(e, 500);
	CHECK_INT(send_options(e, NET_UDP), 0);
	CHECK(txn_request(st) == NULL);
	CHECK_STR(txn_branch(st), "z9hG4bKnist1");
	fake_until(e, 1500);
	CHECK_INT(send_options(e, NET_UDP), 0);
	CHECK_SENDS(e, "200@300 200@500 200@1500");
	CHECK(memcmp(e->io.sends[2].data, e->io.sends[0].data,
		     e->io.sends[0].len) == 0);
	CHECK_INT(fake_respond(st, 500, "s1"), EPROTO);
	CHECK_INT(txn_server_reply(st, 500, NULL, TND_SLICE_LIT("s1"), NULL),
		  EPROTO);
	CHECK_REQUESTS(e, "OPTIONS@0");
	CHECK_STATE(st, "Completed");
	fake_until(e, 32300);
	CHECK_INT(fake_live(e, TXN_NIST), 0);
	return 0;
}

TXN_CASE(test_nist_respond_after_final_refused)
{
	struct txn *st;

	CHECK_INT(request_then_answer(e, NET_UDP, 300, 200, &st), 0);
	CHECK_INT(fake_respond(st, 500, "s1"), EPROTO);
	CHECK_INT(fake_respond(st, 200, "s1"), EPROTO);
	CHECK_INT(fake_respond(st, 100, ""), EPROTO);
	CHECK_SENDS(e, "200@300");
	CHECK_STATE(st, "Completed");
	return 0;
}

TXN_CASE(test_nist_send_failure_is_transport_error)
{
	struct txn *st;

	CHECK_INT(send_options(e, NET_UDP), 0);
	st = e->tu.reqs[0].st;
	fake_until(e, 300);
	fake_io_fail_next(&e->io, 1, ECONNREFUSED);
	CHECK_INT(fake_respond(st, 200, "s1"), 0);
	CHECK_EVENTS(&e->ev, "error@300 terminated@300");
	CHECK_INT(e->ev.ev[0].error, ECONNREFUSED);
	CHECK_INT(fake_live(e, TXN_NIST), 0);
	return 0;
}

/* Timer J is zero on a reliable transport; answers go on the connection. */
TXN_CASE(test_nist_tcp_timer_j_zero)
{
	struct txn *st;

	CHECK_INT(request_then_answer(e, NET_TCP, 300, 200, &st), 0);
	fake_until(e, 300);
	CHECK_EVENTS(&e->ev, "terminated@300");
	CHECK_SENDS(e, "200@300");
	CHECK(fake_peer_is(&e->io.sends[0].to, NET_TCP, FAKE_UAC_PORT));
	CHECK_INT(fake_live(e, TXN_NIST), 0);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_nist_request_reaches_tu_in_trying),
	TEST(test_nist_sends_nothing_by_itself),
	TEST(test_nist_trying_absorbs_retransmissions),
	TEST(test_nist_provisional_moves_to_proceeding),
	TEST(test_nist_proceeding_resends_last_provisional),
	TEST(test_nist_final_moves_to_completed),
	TEST(test_nist_completed_resends_final),
	TEST(test_nist_final_after_provisional),
	TEST(test_nist_timer_j_is_64_t1_on_udp),
	TEST(test_nist_request_after_timer_j_is_new),
	TEST(test_nist_completed_lets_request_go),
	TEST(test_nist_respond_after_final_refused),
	TEST(test_nist_send_failure_is_transport_error),
	TEST(test_nist_tcp_timer_j_zero),
};

TEST_MAIN(cases)
