/*
 * The non-INVITE client transaction (RFC 3261 §17.1.2), through txn.h:
 * Timer E retransmissions capped at T2 in Trying, every T2 in Proceeding,
 * Timer F, Timer K absorbing retransmitted finals, TCP, transport errors
 * and what txn_client_start refuses. Default timers: T1 500, T2 4000,
 * T4 5000 ms; every instant is absolute on the manual clock.
 */
#include <string.h>

#include "fake_io.h"
#include "test.h"

#define OPTIONS_VIA(transport)                                              \
	"OPTIONS sip:bob@example.com SIP/2.0\r\n"                           \
	"Via: SIP/2.0/" transport " 127.0.0.1:5060;branch=z9hG4bKnict1\r\n" \
	"Max-Forwards: 70\r\n"                                              \
	"From: <sip:alice@example.com>;tag=a1\r\n"                          \
	"To: <sip:bob@example.com>\r\n"                                     \
	"Call-ID: nict-1@127.0.0.1\r\n"                                     \
	"CSeq: 7 OPTIONS\r\n"                                               \
	"Content-Length: 0\r\n"                                             \
	"\r\n"

static int start_nict(struct fake_env *e, enum net_transport transport,
		      struct txn **ct)
{
	struct net_peer to = fake_peer_uas(transport);

	if (transport == NET_TCP)
		return fake_start(e, &to, &e->ev, ct, OPTIONS_VIA("TCP"));
	return fake_start(e, &to, &e->ev, ct, OPTIONS_VIA("UDP"));
}

/* ---- Trying: Timers E and F --------------------------------------------- */

TXN_CASE(test_nict_starts_in_trying)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_UDP, &ct), 0);
	CHECK_INT(txn_kind_of(ct), TXN_NICT);
	CHECK_STATE(ct, "Trying");
	CHECK_INT(txn_request(ct)->method, SIP_METHOD_OPTIONS);
	CHECK_SENDS(e, "OPTIONS@0");
	CHECK(fake_peer_is(&e->io.sends[0].to, NET_UDP, FAKE_UAS_PORT));
	CHECK_INT(fake_live(e, TXN_NICT), 1);
	CHECK_INT(fake_live(e, TXN_ICT), 0);
	return 0;
}

/*
 * §17.1.2.2 (with erratum 2769): Timer E starts at T1 and doubles, capped
 * at T2: intervals 500, 1000, 2000, 4000, 4000, ... so sends at 0, 500,
 * 1500, 3500, 7500, 11500, ..., 31500: eleven in all before Timer F.
 */
TXN_CASE(test_nict_timer_e_doubles_and_caps_at_t2)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_UDP, &ct), 0);
	fake_until(e, 31999);
	CHECK_SENDS(e, "OPTIONS@0 OPTIONS@500 OPTIONS@1500 OPTIONS@3500 "
		       "OPTIONS@7500 OPTIONS@11500 OPTIONS@15500 "
		       "OPTIONS@19500 OPTIONS@23500 OPTIONS@27500 "
		       "OPTIONS@31500");
	for (size_t i = 1; i < e->io.nsends; i++) {
		CHECK_INT(e->io.sends[i].len, e->io.sends[0].len);
		CHECK(memcmp(e->io.sends[i].data, e->io.sends[0].data,
			     e->io.sends[0].len) == 0);
	}
	CHECK_STATE(ct, "Trying");
	CHECK_EVENTS(&e->ev, "");
	return 0;
}

TXN_CASE(test_nict_timer_f_times_out)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_UDP, &ct), 0);
	fake_until(e, 32000);
	CHECK_EVENTS(&e->ev, "timeout@32000 terminated@32000");
	CHECK_TEXT("state at the last event", e->ev.ev[1].state, "Terminated");
	CHECK_INT(fake_live(e, TXN_NICT), 0);
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	fake_until(e, 100000);
	CHECK_INT(e->io.nsends, 11);
	return 0;
}

/* ---- Proceeding --------------------------------------------------------- */

TXN_CASE(test_nict_provisional_moves_to_proceeding)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_UDP, &ct), 0);
	fake_until(e, 600);
	CHECK_INT(fake_reply(e, ct, 100, ""), 0);
	CHECK_STATE(ct, "Proceeding");
	fake_until(e, 700);
	CHECK_INT(fake_reply(e, ct, 100, ""), 0);
	CHECK_EVENTS(&e->ev, "100@600 100@700");
	CHECK_INT(e->ev.ev[0].method, SIP_METHOD_OPTIONS);
	return 0;
}

/*
 * §17.1.2.2: a provisional does not touch Timer E; when Timer E next
 * fires in Proceeding the request goes out and Timer E is reset to T2.
 * A 100 at 600 leaves Timer E due at 1500 (interval 1000); from there
 * every 4000: 5500, 9500, ..., 29500; Timer F still at 32000.
 */
TXN_CASE(test_nict_proceeding_retransmits_every_t2)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_UDP, &ct), 0);
	fake_until(e, 600);
	CHECK_INT(fake_reply(e, ct, 100, ""), 0);
	fake_until(e, 31999);
	CHECK_SENDS(e, "OPTIONS@0 OPTIONS@500 OPTIONS@1500 OPTIONS@5500 "
		       "OPTIONS@9500 OPTIONS@13500 OPTIONS@17500 "
		       "OPTIONS@21500 OPTIONS@25500 OPTIONS@29500");
	CHECK_STATE(ct, "Proceeding");
	CHECK_EVENTS(&e->ev, "100@600");
	return 0;
}

/*
 * The same with the 100 before the first retransmission: Timer E, due at
 * 500, fires in Proceeding and is reset to T2: 4500, 8500, ..., 28500.
 */
TXN_CASE(test_nict_early_provisional_switches_to_t2)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_UDP, &ct), 0);
	fake_until(e, 100);
	CHECK_INT(fake_reply(e, ct, 100, ""), 0);
	fake_until(e, 31999);
	CHECK_SENDS(e, "OPTIONS@0 OPTIONS@500 OPTIONS@4500 OPTIONS@8500 "
		       "OPTIONS@12500 OPTIONS@16500 OPTIONS@20500 "
		       "OPTIONS@24500 OPTIONS@28500");
	return 0;
}

/* §17.1.2.2: Timer F fires in Proceeding too. */
TXN_CASE(test_nict_timer_f_fires_in_proceeding)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_UDP, &ct), 0);
	fake_until(e, 100);
	CHECK_INT(fake_reply(e, ct, 100, ""), 0);
	fake_until(e, 32000);
	CHECK_EVENTS(&e->ev, "100@100 timeout@32000 terminated@32000");
	CHECK_INT(fake_live(e, TXN_NICT), 0);
	fake_until(e, 40000);
	CHECK_INT(e->io.nsends, 9);
	return 0;
}

/* ---- Completed: Timer K ------------------------------------------------- */

TXN_CASE(test_nict_final_moves_to_completed)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_UDP, &ct), 0);
	fake_until(e, 700);
	CHECK_INT(fake_reply(e, ct, 200, "b1"), 0);
	CHECK_STATE(ct, "Completed");
	CHECK_EVENTS(&e->ev, "200@700");
	fake_until(e, 5699);
	CHECK_SENDS(e, "OPTIONS@0 OPTIONS@500");
	return 0;
}

/* Retransmitted finals are absorbed: not passed up, nothing sent. */
TXN_CASE(test_nict_completed_absorbs_retransmitted_finals)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_UDP, &ct), 0);
	fake_until(e, 700);
	CHECK_INT(fake_reply(e, ct, 404, "b1"), 0);
	fake_until(e, 1000);
	CHECK_INT(fake_reply(e, ct, 404, "b1"), 0);
	fake_until(e, 3000);
	CHECK_INT(fake_reply(e, ct, 404, "b1"), 0);
	CHECK_EVENTS(&e->ev, "404@700");
	CHECK_SENDS(e, "OPTIONS@0 OPTIONS@500");
	CHECK_STATE(ct, "Completed");
	CHECK_INT(fake_stats(e).retransmissions_absorbed, 2);
	return 0;
}

/* Timer K = T4 on UDP. */
TXN_CASE(test_nict_timer_k_is_t4_on_udp)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_UDP, &ct), 0);
	fake_until(e, 700);
	CHECK_INT(fake_reply(e, ct, 200, "b1"), 0);
	fake_until(e, 5699);
	CHECK_STATE(ct, "Completed");
	fake_until(e, 5700);
	CHECK_EVENTS(&e->ev, "200@700 terminated@5700");
	CHECK_INT(fake_live(e, TXN_NICT), 0);
	CHECK_INT(tnd_timers_count(&e->timers), 0);
	return 0;
}

/* A final in Proceeding stops Timer E (next due at 5500) and F. */
TXN_CASE(test_nict_final_after_provisional)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_UDP, &ct), 0);
	fake_until(e, 600);
	CHECK_INT(fake_reply(e, ct, 100, ""), 0);
	fake_until(e, 2000);
	CHECK_INT(fake_reply(e, ct, 486, "b1"), 0);
	CHECK_STATE(ct, "Completed");
	fake_until(e, 40000);
	CHECK_SENDS(e, "OPTIONS@0 OPTIONS@500 OPTIONS@1500");
	CHECK_EVENTS(&e->ev, "100@600 486@2000 terminated@7000");
	return 0;
}

/* ---- TCP ---------------------------------------------------------------- */

TXN_CASE(test_nict_tcp_no_retransmissions_timer_f)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_TCP, &ct), 0);
	fake_until(e, 31999);
	CHECK_SENDS(e, "OPTIONS@0");
	CHECK(fake_peer_is(&e->io.sends[0].to, NET_TCP, FAKE_UAS_PORT));
	fake_until(e, 32000);
	CHECK_EVENTS(&e->ev, "timeout@32000 terminated@32000");
	return 0;
}

TXN_CASE(test_nict_tcp_timer_k_zero)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_TCP, &ct), 0);
	fake_until(e, 100);
	CHECK_INT(fake_reply(e, ct, 200, "b1"), 0);
	fake_until(e, 100);
	CHECK_EVENTS(&e->ev, "200@100 terminated@100");
	CHECK_INT(fake_live(e, TXN_NICT), 0);
	CHECK_SENDS(e, "OPTIONS@0");
	return 0;
}

/* ---- transport errors and refusals -------------------------------------- */

TXN_CASE(test_nict_initial_send_failure_returns_errno)
{
	struct txn *ct = NULL;

	fake_io_fail_next(&e->io, 1, EHOSTUNREACH);
	CHECK_INT(start_nict(e, NET_UDP, &ct), EHOSTUNREACH);
	CHECK_INT(fake_live(e, TXN_NICT), 0);
	fake_until(e, 40000);
	CHECK_SENDS(e, "OPTIONS@0!");
	CHECK_EVENTS(&e->ev, "");
	return 0;
}

/* RFC 5922: a TLS peer known by name is sent to with that name. */
TXN_CASE(test_nict_named_tls_peer_sends_with_its_name)
{
	struct net_peer tls = fake_peer_uas(NET_TLS);
	struct net_peer udp = fake_peer_uas(NET_UDP);
	struct sip_msg *req;
	struct txn *ct;

	CHECK_INT(fake_msg(&req, OPTIONS_VIA("TLS")), 0);
	CHECK_INT(txn_client_start_named(e->layer, req, &tls, "example.com",
					 NULL, NULL, &ct),
		  0);
	CHECK_STR(S(e->io.sends[0].name), "example.com");
	/* Over UDP there is no certificate to check: no name. */
	CHECK_INT(fake_msg(&req, OPTIONS_VIA("UDP")), 0);
	CHECK_INT(txn_client_start_named(e->layer, req, &udp, "example.com",
					 NULL, NULL, &ct),
		  0);
	CHECK_STR(S(e->io.sends[1].name), "");
	return 0;
}

/* RFC 3261 §17.1.4: a connection that failed takes its transactions. */
TXN_CASE(test_nict_network_error_ends_transactions_to_that_peer)
{
	struct net_peer to = fake_peer_uas(NET_TCP);
	struct net_peer other = fake_peer(NET_TCP, FAKE_UAS_PORT + 1);
	struct txn *ct, *kept;

	CHECK_INT(start_nict(e, NET_TCP, &ct), 0);
	CHECK_INT(fake_start(e, &other, &e->ev, &kept, OPTIONS_VIA("TCP")), 0);
	fake_until(e, 50);
	txn_layer_transport_error(e->layer, &to, ECONNREFUSED);
	CHECK_EVENTS(&e->ev, "error@50 terminated@50");
	CHECK_INT(fake_live(e, TXN_NICT), 1);
	CHECK_STATE(kept, "Trying");
	/* The same address over another transport is another peer. */
	other.transport = NET_UDP;
	txn_layer_transport_error(e->layer, &other, ECONNREFUSED);
	CHECK_INT(fake_live(e, TXN_NICT), 1);
	return 0;
}

TXN_CASE(test_nict_retransmission_failure_is_transport_error)
{
	struct txn *ct;

	CHECK_INT(start_nict(e, NET_UDP, &ct), 0);
	fake_until(e, 1000);
	fake_io_fail_next(&e->io, 1, ECONNREFUSED);
	fake_until(e, 1500);
	CHECK_EVENTS(&e->ev, "error@1500 terminated@1500");
	CHECK_INT(e->ev.ev[0].error, ECONNREFUSED);
	CHECK_INT(fake_live(e, TXN_NICT), 0);
	fake_until(e, 40000);
	CHECK_SENDS(e, "OPTIONS@0 OPTIONS@500 OPTIONS@1500!");
	return 0;
}

/* An ACK starts no transaction; a branch needs the magic cookie. */
TXN_CASE(test_nict_start_refuses_ack_and_bad_branch)
{
	struct net_peer to = fake_peer_uas(NET_UDP);
	struct txn *ct = NULL;

	CHECK_INT(
	    fake_start(e, &to, &e->ev, &ct,
		       "ACK sip:bob@example.com SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa\r\n"
		       "From: <sip:alice@example.com>;tag=a1\r\n"
		       "To: <sip:bob@example.com>;tag=b1\r\n"
		       "Call-ID: nict-2@127.0.0.1\r\n"
		       "CSeq: 1 ACK\r\nMax-Forwards: 70\r\n\r\n"),
	    EINVAL);
	CHECK_INT(fake_start(e, &to, &e->ev, &ct,
			     "BYE sip:bob@example.com SIP/2.0\r\n"
			     "Via: SIP/2.0/UDP 127.0.0.1:5060\r\n"
			     "From: <sip:alice@example.com>;tag=a1\r\n"
			     "To: <sip:bob@example.com>;tag=b1\r\n"
			     "Call-ID: nict-2@127.0.0.1\r\n"
			     "CSeq: 2 BYE\r\nMax-Forwards: 70\r\n\r\n"),
		  EINVAL);
	CHECK_SENDS(e, "");
	CHECK_INT(fake_live(e, TXN_NICT), 0);
	CHECK_INT(fake_live(e, TXN_ICT), 0);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_nict_starts_in_trying),
	TEST(test_nict_timer_e_doubles_and_caps_at_t2),
	TEST(test_nict_timer_f_times_out),
	TEST(test_nict_provisional_moves_to_proceeding),
	TEST(test_nict_proceeding_retransmits_every_t2),
	TEST(test_nict_early_provisional_switches_to_t2),
	TEST(test_nict_timer_f_fires_in_proceeding),
	TEST(test_nict_final_moves_to_completed),
	TEST(test_nict_completed_absorbs_retransmitted_finals),
	TEST(test_nict_timer_k_is_t4_on_udp),
	TEST(test_nict_final_after_provisional),
	TEST(test_nict_tcp_no_retransmissions_timer_f),
	TEST(test_nict_tcp_timer_k_zero),
	TEST(test_nict_initial_send_failure_returns_errno),
	TEST(test_nict_named_tls_peer_sends_with_its_name),
	TEST(test_nict_network_error_ends_transactions_to_that_peer),
	TEST(test_nict_retransmission_failure_is_transport_error),
	TEST(test_nict_start_refuses_ack_and_bad_branch),
};

TEST_MAIN(cases)
