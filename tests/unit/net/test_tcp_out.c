/*
 * Outgoing TCP between two nets on one event_base: a connection opened
 * by net_send with the data queued until it is up, reused for the next
 * send (RFC 3261 §18.1.1) and for the answer coming back; a refused
 * connect and a connect that never completes (manual clock) reported
 * through the error callback; IPv6.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <unistd.h>

#include "net_test_util.h"

/* Net A (env.net) sends to net B's TCP listener. */
struct out_fix {
	struct nt_env env;
	struct net *b;
	struct nt_inbox b_inbox;
	struct sockaddr_storage b_addr;
	struct nt_errors errors;
};

static int out_fix_open(struct out_fix *f, const struct net_config *cfg,
			bool manual_clock, const char *b_spec)
{
	int rc;

	memset(f, 0, sizeof(*f));
	if ((rc = nt_env_open(&f->env, cfg, manual_clock)))
		return rc;
	net_set_error_fn(f->env.net, nt_errors_record, &f->errors);
	if ((rc = nt_env_add_net(&f->env, cfg, &f->b_inbox, &f->b)))
		return rc;
	if (b_spec && !nt_listen(f->b, b_spec, &f->b_addr))
		return EIO;
	return 0;
}

static void out_fix_close(struct out_fix *f)
{
	net_free(f->b);
	nt_inbox_clear(&f->b_inbox);
	nt_env_close(&f->env);
}

static struct net_stats stats_of(struct net *net)
{
	struct net_stats st;

	net_stats(net, &st);
	return st;
}

static int test_tcp_out_connects_and_reuses(void)
{
	struct out_fix f;
	struct net_peer to = { .transport = NET_TCP };
	const char res[] = "SIP/2.0 200 OK\r\n"
			   "Via: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKo1\r\n"
			   "From: <sip:a@example.com>;tag=1\r\n"
			   "To: <sip:b@example.com>;tag=2\r\n"
			   "Call-ID: first\r\nCSeq: 1 OPTIONS\r\n"
			   "Content-Length: 0\r\n\r\n";
	char req[512];
	size_t len;

	CHECK_INT(out_fix_open(&f, NULL, false, "tcp:127.0.0.1:0"), 0);
	to.addr = f.b_addr;
	len = nt_request(req, sizeof(req),
			 "SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKo1", "first");
	/* Queued while connecting. */
	CHECK_INT(net_send(f.env.net, &to, req, len), 0);
	CHECK_INT(stats_of(f.env.net).conns_open, 1);
	NT_WAIT(f.env.base, f.b_inbox.n == 1);
	len = nt_request(req, sizeof(req),
			 "SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKo2", "second");
	CHECK_INT(net_send(f.env.net, &to, req, len), 0);
	NT_WAIT(f.env.base, f.b_inbox.n == 2);
	CHECK_STR(f.b_inbox.msgs[1]->call_id, "second");
	CHECK_INT(f.b_inbox.from[0].conn, f.b_inbox.from[1].conn);
	CHECK_INT(stats_of(f.b).conns_accepted, 1);
	CHECK_INT(stats_of(f.env.net).conns_connected, 1);
	CHECK_INT(stats_of(f.env.net).conns_open, 1);
	/* B answers on the connection; A gets it with that connection. */
	CHECK_INT(net_send(f.b, &f.b_inbox.from[0], res, sizeof(res) - 1), 0);
	NT_WAIT(f.env.base, f.env.inbox.n == 1);
	CHECK(!f.env.inbox.msgs[0]->is_request);
	CHECK_INT(f.env.inbox.from[0].transport, NET_TCP);
	CHECK(f.env.inbox.from[0].conn != 0);
	CHECK_INT(f.env.inbox.from[0].listener, 0);
	CHECK_INT(f.errors.n, 0);
	out_fix_close(&f);
	return 0;
}

static int test_tcp_out_refused_connect_is_reported(void)
{
	struct out_fix f;
	struct net_peer to = { .transport = NET_TCP };

	CHECK_INT(out_fix_open(&f, NULL, false, NULL), 0);
	CHECK_INT(nt_closed_tcp_addr(AF_INET, &to.addr), 0);
	CHECK_INT(net_send(f.env.net, &to, "hello", 5), 0);
	NT_WAIT(f.env.base, f.errors.n == 1);
	CHECK_INT(f.errors.err[0], ECONNREFUSED);
	CHECK_INT(f.errors.to[0].transport, NET_TCP);
	CHECK_INT(nt_addr_port(&f.errors.to[0].addr), nt_addr_port(&to.addr));
	CHECK(f.errors.to[0].conn != 0);
	CHECK_INT(stats_of(f.env.net).conns_connect_failed, 1);
	CHECK_INT(stats_of(f.env.net).conns_open, 0);
	out_fix_close(&f);
	return 0;
}

static int test_tcp_out_connect_timeout_is_reported(void)
{
	struct net_config cfg = net_config_default;
	struct out_fix f;
	struct net_peer to = { .transport = NET_TCP };
	socklen_t len = sizeof(to.addr);
	int lfd, fill[2] = { -1, -1 };

	cfg.connect_timeout_ms = 5000;
	CHECK_INT(out_fix_open(&f, &cfg, true, NULL), 0);
	/*
	 * A listener that never accepts, its backlog full: the kernel drops
	 * further SYNs, so our connect stays pending.
	 */
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	to.addr = (struct sockaddr_storage){ .ss_family = AF_INET };
	((struct sockaddr_in *)&to.addr)->sin_addr.s_addr =
	    htonl(INADDR_LOOPBACK);
	CHECK_INT(
	    bind(lfd, (struct sockaddr *)&to.addr, sizeof(struct sockaddr_in)),
	    0);
	CHECK_INT(listen(lfd, 0), 0);
	CHECK_INT(getsockname(lfd, (struct sockaddr *)&to.addr, &len), 0);
	for (int i = 0; i < 2; i++) {
		fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		(void)connect(fill[i], (struct sockaddr *)&to.addr, len);
	}
	nt_spin(f.env.base, 20);
	CHECK_INT(net_send(f.env.net, &to, "hello", 5), 0);
	nt_spin(f.env.base, 20);
	CHECK_INT(f.errors.n, 0);
	tnd_timers_advance(&f.env.timers, 4999);
	CHECK_INT(f.errors.n, 0);
	tnd_timers_advance(&f.env.timers, 1);
	CHECK_INT(f.errors.n, 1);
	CHECK_INT(f.errors.err[0], ETIMEDOUT);
	CHECK_INT(stats_of(f.env.net).conns_connect_failed, 1);
	CHECK_INT(stats_of(f.env.net).conns_open, 0);
	close(fill[0]);
	close(fill[1]);
	close(lfd);
	out_fix_close(&f);
	return 0;
}

static int test_tcp_out_ipv6(void)
{
	struct out_fix f;
	struct net_peer to = { .transport = NET_TCP };
	char req[512];
	size_t len;

	CHECK_INT(out_fix_open(&f, NULL, false, "tcp:[::1]:0"), 0);
	to.addr = f.b_addr;
	len = nt_request(req, sizeof(req), "SIP/2.0/TCP [::1];branch=z9hG4bKo6",
			 "six");
	CHECK_INT(net_send(f.env.net, &to, req, len), 0);
	NT_WAIT(f.env.base, f.b_inbox.n == 1);
	CHECK_INT(f.b_inbox.from[0].addr.ss_family, AF_INET6);
	CHECK_STR(f.b_inbox.msgs[0]->call_id, "six");
	out_fix_close(&f);
	return 0;
}

static int test_tcp_out_message_over_cap_opens_nothing(void)
{
	struct net_config cfg = net_config_default;
	struct out_fix f;
	struct net_peer to = { .transport = NET_TCP };
	char big[2048] = { 0 };

	cfg.max_conn_buffer = 1024;
	CHECK_INT(out_fix_open(&f, &cfg, false, "tcp:127.0.0.1:0"), 0);
	to.addr = f.b_addr;
	CHECK_INT(net_send(f.env.net, &to, big, sizeof(big)), ENOBUFS);
	CHECK_INT(stats_of(f.env.net).conns_open, 0);
	out_fix_close(&f);
	return 0;
}

/*
 * RFC 3261 §18.2.2: a request's connection closed before its response:
 * the response goes on a new connection to the received IP and the Via's
 * sent-by port, where the client listens (here: net A's listener).
 */
static int test_tcp_response_after_close_goes_to_sent_by_port(void)
{
	struct out_fix f;
	struct sockaddr_storage a_addr;
	const char res[] = "SIP/2.0 200 OK\r\n"
			   "Via: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKv1\r\n"
			   "From: <sip:a@example.com>;tag=1\r\n"
			   "To: <sip:b@example.com>;tag=2\r\n"
			   "Call-ID: closed\r\nCSeq: 1 OPTIONS\r\n"
			   "Content-Length: 0\r\n\r\n";
	char via[128], req[512];
	size_t len;
	int fd;

	CHECK_INT(out_fix_open(&f, NULL, false, "tcp:127.0.0.1:0"), 0);
	CHECK(nt_listen(f.env.net, "tcp:127.0.0.1:0", &a_addr) != 0);
	snprintf(via, sizeof(via), "SIP/2.0/TCP 127.0.0.1:%u;branch=z9hG4bKv1",
		 (unsigned)nt_addr_port(&a_addr));
	len = nt_request(req, sizeof(req), via, "closed");
	CHECK((fd = nt_tcp_client(&f.b_addr)) >= 0);
	CHECK(nt_send_all(fd, req, len));
	NT_WAIT(f.env.base, f.b_inbox.n == 1);
	CHECK_INT(f.b_inbox.from[0].via_port, nt_addr_port(&a_addr));
	close(fd);
	NT_WAIT(f.env.base, stats_of(f.b).conns_open == 0);
	CHECK_INT(net_send(f.b, &f.b_inbox.from[0], res, sizeof(res) - 1), 0);
	NT_WAIT(f.env.base, f.env.inbox.n == 1);
	CHECK_STR(f.env.inbox.msgs[0]->call_id, "closed");
	CHECK_INT(stats_of(f.b).conns_connected, 1);
	out_fix_close(&f);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_tcp_out_connects_and_reuses),
	TEST(test_tcp_out_refused_connect_is_reported),
	TEST(test_tcp_out_connect_timeout_is_reported),
	TEST(test_tcp_out_ipv6),
	TEST(test_tcp_out_message_over_cap_opens_nothing),
	TEST(test_tcp_response_after_close_goes_to_sent_by_port),
};
TEST_MAIN(cases)
