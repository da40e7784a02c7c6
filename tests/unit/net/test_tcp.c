/*
 * Inbound TCP through real loopback sockets: framing of joined and split
 * messages, answers on the same connection, CRLF ping and pong, closing
 * on a framing error, on the idle timeout (manual clock), on inbound
 * overflow; the connection cap, the output cap, dead connection ids,
 * malformed requests answered on the stream, and IPv6.
 */
#include <stdio.h>
#include <unistd.h>

#include "net_test_util.h"

struct tcp_fix {
	struct nt_env env;
	struct sockaddr_storage server;
	uint32_t listener;
	int client;
};

static int tcp_fix_open(struct tcp_fix *f, const struct net_config *cfg,
			bool manual_clock, const char *spec)
{
	int rc;

	f->client = -1;
	if ((rc = nt_env_open(&f->env, cfg, manual_clock)))
		return rc;
	if (!(f->listener = nt_listen(f->env.net, spec, &f->server)) ||
	    (f->client = nt_tcp_client(&f->server)) < 0)
		return EIO;
	return 0;
}

static void tcp_fix_close(struct tcp_fix *f)
{
	if (f->client >= 0)
		close(f->client);
	nt_env_close(&f->env);
}

static uint64_t stat_accepted(struct net *net)
{
	struct net_stats st;

	net_stats(net, &st);
	return st.conns_accepted;
}

static size_t tcp_request(char *buf, size_t size, const char *call_id)
{
	return nt_request(
	    buf, size, "SIP/2.0/TCP 192.0.2.7:5060;branch=z9hG4bK1", call_id);
}

static int test_tcp_frames_joined_and_split_messages(void)
{
	struct tcp_fix f;
	char a[512], b[512], c[512], two[1024];
	size_t la, lb, lc;

	CHECK_INT(tcp_fix_open(&f, NULL, false, "tcp:127.0.0.1:0"), 0);
	la = tcp_request(a, sizeof(a), "one");
	lb = tcp_request(b, sizeof(b), "two");
	lc = tcp_request(c, sizeof(c), "three");
	memcpy(two, a, la);
	memcpy(two + la, b, lb);
	CHECK(nt_send_all(f.client, two, la + lb));
	NT_WAIT(f.env.base, f.env.inbox.n == 2);
	/* The third in three pieces, the loop run between them. */
	CHECK(nt_send_all(f.client, c, 10));
	nt_spin(f.env.base, 20);
	CHECK(nt_send_all(f.client, c + 10, lc / 2));
	nt_spin(f.env.base, 20);
	CHECK_INT(f.env.inbox.n, 2);
	CHECK(nt_send_all(f.client, c + 10 + lc / 2, lc - 10 - lc / 2));
	NT_WAIT(f.env.base, f.env.inbox.n == 3);
	CHECK_STR(f.env.inbox.msgs[0]->call_id, "one");
	CHECK_STR(f.env.inbox.msgs[1]->call_id, "two");
	CHECK_STR(f.env.inbox.msgs[2]->call_id, "three");
	for (size_t i = 0; i < 3; i++) {
		CHECK_INT(f.env.inbox.from[i].transport, NET_TCP);
		CHECK_INT(f.env.inbox.from[i].listener, f.listener);
		CHECK(f.env.inbox.from[i].conn != 0);
		CHECK_INT(f.env.inbox.from[i].conn, f.env.inbox.from[0].conn);
	}
	/* received: the sent-by host is not the source. */
	CHECK_STR(nt_hdr(f.env.inbox.msgs[0], "Via"),
		  "SIP/2.0/TCP 192.0.2.7:5060;branch=z9hG4bK1;"
		  "received=127.0.0.1");
	tcp_fix_close(&f);
	return 0;
}

static int test_tcp_message_one_byte_at_a_time(void)
{
	struct tcp_fix f;
	const char msg[] = "\r\n\r\n"
			   "MESSAGE sip:b@example.com SIP/2.0\r\n"
			   "Via: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK8\r\n"
			   "Call-ID: trickle\r\nCSeq: 2 MESSAGE\r\n"
			   "Content-Length: 5\r\n\r\nhello";
	struct nt_rx rx = { .len = 0 };

	CHECK_INT(tcp_fix_open(&f, NULL, false, "tcp:127.0.0.1:0"), 0);
	for (size_t i = 0; i < sizeof(msg) - 1; i++) {
		CHECK(nt_send_all(f.client, msg + i, 1));
		nt_spin(f.env.base, 2);
	}
	NT_WAIT(f.env.base, f.env.inbox.n == 1);
	CHECK_STR(f.env.inbox.msgs[0]->call_id, "trickle");
	CHECK_STR(f.env.inbox.msgs[0]->body, "hello");
	/* The ping in front was answered. */
	NT_WAIT(f.env.base, nt_rx_poll(f.client, &rx) && rx.len == 2);
	tcp_fix_close(&f);
	return 0;
}

static int test_tcp_response_goes_back_on_same_connection(void)
{
	struct tcp_fix f;
	struct nt_rx rx = { .len = 0 };
	const char res[] = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
	char req[512];
	size_t len;

	CHECK_INT(tcp_fix_open(&f, NULL, false, "tcp:127.0.0.1:0"), 0);
	len = tcp_request(req, sizeof(req), "back");
	CHECK(nt_send_all(f.client, req, len));
	NT_WAIT(f.env.base, f.env.inbox.n == 1);
	CHECK_INT(
	    net_send(f.env.net, &f.env.inbox.from[0], res, sizeof(res) - 1), 0);
	NT_WAIT(f.env.base,
		nt_rx_poll(f.client, &rx) && rx.len == sizeof(res) - 1);
	CHECK(memcmp(rx.buf, res, rx.len) == 0);
	CHECK_INT(stat_accepted(f.env.net), 1);
	tcp_fix_close(&f);
	return 0;
}

static int test_tcp_ping_answered_with_pong(void)
{
	struct tcp_fix f;
	struct nt_rx rx = { .len = 0 };
	struct net_stats st;

	CHECK_INT(tcp_fix_open(&f, NULL, false, "tcp:127.0.0.1:0"), 0);
	CHECK(nt_send_all(f.client, "\r\n\r\n", 4));
	NT_WAIT(f.env.base, nt_rx_poll(f.client, &rx) && rx.len == 2);
	CHECK(memcmp(rx.buf, "\r\n", 2) == 0);
	/* A lone CRLF is a pong: not answered. */
	CHECK(nt_send_all(f.client, "\r\n", 2));
	nt_spin(f.env.base, 50);
	nt_rx_poll(f.client, &rx);
	CHECK_INT(rx.len, 2);
	net_stats(f.env.net, &st);
	CHECK_INT(st.keepalives_answered, 1);
	CHECK_INT(f.env.inbox.n, 0);
	tcp_fix_close(&f);
	return 0;
}

static int test_tcp_missing_content_length_closes(void)
{
	struct tcp_fix f;
	struct nt_rx rx = { .len = 0 };
	struct net_stats st;
	const char msg[] = "OPTIONS sip:b@example.com SIP/2.0\r\n"
			   "Via: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK2\r\n"
			   "Call-ID: nolen\r\n\r\n";

	CHECK_INT(tcp_fix_open(&f, NULL, false, "tcp:127.0.0.1:0"), 0);
	CHECK(nt_send_all(f.client, msg, sizeof(msg) - 1));
	NT_WAIT(f.env.base, nt_rx_poll(f.client, &rx) && rx.eof);
	net_stats(f.env.net, &st);
	CHECK_INT(st.conns_closed_framing, 1);
	CHECK_INT(st.conns_open, 0);
	CHECK_INT(f.env.inbox.n, 0);
	tcp_fix_close(&f);
	return 0;
}

static int test_tcp_idle_timeout_closes(void)
{
	struct net_config cfg = net_config_default;
	struct tcp_fix f;
	struct nt_rx rx = { .len = 0 };
	struct net_stats st;

	cfg.idle_timeout_ms = 30000;
	CHECK_INT(tcp_fix_open(&f, &cfg, true, "tcp:127.0.0.1:0"), 0);
	NT_WAIT(f.env.base, stat_accepted(f.env.net) == 1);
	/* Traffic at +20 s restarts the wait. */
	tnd_timers_advance(&f.env.timers, 20000);
	CHECK(nt_send_all(f.client, "\r\n\r\n", 4));
	NT_WAIT(f.env.base, nt_rx_poll(f.client, &rx) && rx.len == 2);
	tnd_timers_advance(&f.env.timers, 29999);
	nt_spin(f.env.base, 20);
	nt_rx_poll(f.client, &rx);
	CHECK(!rx.eof);
	tnd_timers_advance(&f.env.timers, 1);
	NT_WAIT(f.env.base, nt_rx_poll(f.client, &rx) && rx.eof);
	net_stats(f.env.net, &st);
	CHECK_INT(st.conns_closed_idle, 1);
	CHECK_INT(st.conns_open, 0);
	CHECK_INT(tnd_timers_count(&f.env.timers), 0);
	tcp_fix_close(&f);
	return 0;
}

static int test_tcp_connection_cap_refuses_next(void)
{
	struct net_config cfg = net_config_default;
	struct tcp_fix f;
	struct nt_rx rx[3] = { { .len = 0 } };
	struct net_stats st = { 0 };
	int more[2] = { -1, -1 };

	cfg.max_connections = 2;
	CHECK_INT(tcp_fix_open(&f, &cfg, false, "tcp:127.0.0.1:0"), 0);
	NT_WAIT(f.env.base, stat_accepted(f.env.net) == 1);
	CHECK((more[0] = nt_tcp_client(&f.server)) >= 0);
	NT_WAIT(f.env.base, stat_accepted(f.env.net) == 2);
	CHECK((more[1] = nt_tcp_client(&f.server)) >= 0);
	NT_WAIT(f.env.base, (net_stats(f.env.net, &st), st.conns_refused == 1));
	NT_WAIT(f.env.base, nt_rx_poll(more[1], &rx[2]) && rx[2].eof);
	nt_rx_poll(f.client, &rx[0]);
	nt_rx_poll(more[0], &rx[1]);
	CHECK(!rx[0].eof && !rx[1].eof);
	CHECK_INT(st.conns_accepted, 2);
	CHECK_INT(st.conns_open, 2);
	close(more[0]);
	close(more[1]);
	tcp_fix_close(&f);
	return 0;
}

static int test_tcp_output_cap_gives_enobufs(void)
{
	struct net_config cfg = net_config_default;
	struct tcp_fix f;
	char big[3000], req[512];
	struct net_peer to;
	size_t len;

	cfg.max_conn_buffer = 4096;
	cfg.limits.max_message = 4000;
	CHECK_INT(tcp_fix_open(&f, &cfg, false, "tcp:127.0.0.1:0"), 0);
	len = tcp_request(req, sizeof(req), "cap");
	CHECK(nt_send_all(f.client, req, len));
	NT_WAIT(f.env.base, f.env.inbox.n == 1);
	to = f.env.inbox.from[0];
	memset(big, 'x', sizeof(big));
	/* Nothing is written out before the loop runs: the output holds it. */
	CHECK_INT(net_send(f.env.net, &to, big, sizeof(big)), 0);
	CHECK_INT(net_send(f.env.net, &to, big, sizeof(big)), ENOBUFS);
	CHECK_INT(net_send(f.env.net, &to, big, 1096), 0);
	CHECK_INT(net_send(f.env.net, &to, big, 1), ENOBUFS);
	tcp_fix_close(&f);
	return 0;
}

static int test_tcp_inbound_overflow_closes(void)
{
	struct net_config cfg = net_config_default;
	struct tcp_fix f;
	struct nt_rx rx = { .len = 0 };
	struct net_stats st;
	char junk[3000];

	cfg.max_conn_buffer = 1024; /* below max_message: overflow first */
	CHECK_INT(tcp_fix_open(&f, &cfg, false, "tcp:127.0.0.1:0"), 0);
	memcpy(junk, "OPTIONS sip:a@b SIP/2.0\r\nX-Long: ", 33);
	memset(junk + 33, 'y', sizeof(junk) - 33);
	CHECK(nt_send_all(f.client, junk, sizeof(junk)));
	NT_WAIT(f.env.base, nt_rx_poll(f.client, &rx) && rx.eof);
	net_stats(f.env.net, &st);
	CHECK_INT(st.conns_closed_overflow, 1);
	tcp_fix_close(&f);
	return 0;
}

static int test_tcp_dead_connection_is_enotconn(void)
{
	struct tcp_fix f;
	struct net_peer to = { .transport = NET_TCP, .conn = 42 };

	CHECK_INT(tcp_fix_open(&f, NULL, false, "tcp:127.0.0.1:0"), 0);
	to.addr = f.server;
	CHECK_INT(net_send(f.env.net, &to, "x", 1), ENOTCONN);
	/* Not a TLS one either. */
	to.transport = NET_TLS;
	CHECK_INT(net_send(f.env.net, &to, "x", 1), ENOTCONN);
	tcp_fix_close(&f);
	return 0;
}

static int test_tcp_bad_request_answered_on_stream(void)
{
	struct tcp_fix f;
	struct nt_rx rx = { .len = 0 };
	const char msg[] = "OPTIONS sip:b@example.com SIP/2.0\r\n"
			   "Via: SIP/2.0/TCP 192.0.2.9:5060;branch=z9hG4bK3\r\n"
			   "From: <sip:a@example.com>;tag=x\r\n"
			   "To: <sip:b@example.com>\r\n"
			   "Call-ID: badtcp\r\nCSeq: x OPTIONS\r\n"
			   "Content-Length: 0\r\n\r\n";

	CHECK_INT(tcp_fix_open(&f, NULL, false, "tcp:127.0.0.1:0"), 0);
	CHECK(nt_send_all(f.client, msg, sizeof(msg) - 1));
	/* The answer has no body: it ends with the empty line. */
	NT_WAIT(f.env.base,
		nt_rx_poll(f.client, &rx) && rx.len > 4 &&
		    memcmp(rx.buf + rx.len - 4, "\r\n\r\n", 4) == 0);
	rx.buf[rx.len] = '\0';
	CHECK(strncmp(rx.buf, "SIP/2.0 400 Malformed CSeq number\r\n", 35) ==
	      0);
	/* The answer carries received, as any response would. */
	CHECK(strstr(rx.buf, "\r\nVia: SIP/2.0/TCP 192.0.2.9:5060;"
			     "branch=z9hG4bK3;received=127.0.0.1\r\n") != NULL);
	CHECK(strstr(rx.buf, "\r\nCall-ID: badtcp\r\n") != NULL);
	CHECK_INT(f.env.inbox.n, 0);
	/* The stream itself was fine: the connection stays. */
	nt_spin(f.env.base, 20);
	nt_rx_poll(f.client, &rx);
	CHECK(!rx.eof);
	tcp_fix_close(&f);
	return 0;
}

static int test_tcp_ipv6_loopback(void)
{
	struct tcp_fix f;
	struct nt_rx rx = { .len = 0 };
	char req[512];
	size_t len;

	CHECK_INT(tcp_fix_open(&f, NULL, false, "tcp:[::1]:0"), 0);
	len = nt_request(req, sizeof(req),
			 "SIP/2.0/TCP [::1]:5060;branch=z9hG4bK6", "v6");
	CHECK(nt_send_all(f.client, req, len));
	NT_WAIT(f.env.base, f.env.inbox.n == 1);
	CHECK_INT(f.env.inbox.from[0].addr.ss_family, AF_INET6);
	/* sent-by is the source: nothing to add. */
	CHECK_STR(nt_hdr(f.env.inbox.msgs[0], "Via"),
		  "SIP/2.0/TCP [::1]:5060;branch=z9hG4bK6");
	CHECK_INT(net_send(f.env.net, &f.env.inbox.from[0], "ok", 2), 0);
	NT_WAIT(f.env.base, nt_rx_poll(f.client, &rx) && rx.len == 2);
	tcp_fix_close(&f);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_tcp_frames_joined_and_split_messages),
	TEST(test_tcp_message_one_byte_at_a_time),
	TEST(test_tcp_response_goes_back_on_same_connection),
	TEST(test_tcp_ping_answered_with_pong),
	TEST(test_tcp_missing_content_length_closes),
	TEST(test_tcp_idle_timeout_closes),
	TEST(test_tcp_connection_cap_refuses_next),
	TEST(test_tcp_output_cap_gives_enobufs),
	TEST(test_tcp_inbound_overflow_closes),
	TEST(test_tcp_dead_connection_is_enotconn),
	TEST(test_tcp_bad_request_answered_on_stream),
	TEST(test_tcp_ipv6_loopback),
};
TEST_MAIN(cases)
