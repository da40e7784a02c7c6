/*
 * Inbound TLS through real loopback sockets, the client a libevent
 * OpenSSL bufferevent on the test's own loop: messages framed and handed
 * up as NET_TLS with their connection, the answer back on it, CRLF ping
 * and pong inside TLS; a tls listener without a certificate, or with a
 * key that is not its certificate's; clients refused and counted: one
 * that speaks only TLS 1.1, plain SIP sent to the TLS port, a handshake
 * never started (manual clock). Certificates are made per case.
 */
#include <stdio.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "net_test_util.h"
#include "tls_test_util.h"

struct tls_fix {
	struct tt_certs certs;
	struct nt_env env;
	struct sockaddr_storage server;
	uint32_t listener;
	struct tt_client client;
};

static int tls_fix_open(struct tls_fix *f, bool manual_clock)
{
	struct net_config cfg = net_config_default;
	int rc;

	memset(f, 0, sizeof(*f));
	if ((rc = tt_certs_make(&f->certs)))
		return rc;
	cfg.tls.cert_file = f->certs.server_cert;
	cfg.tls.key_file = f->certs.server_key;
	if ((rc = nt_env_open(&f->env, &cfg, manual_clock)))
		return rc;
	f->listener = nt_listen(f->env.net, "tls:127.0.0.1:0", &f->server);
	return f->listener ? 0 : EIO;
}

static void tls_fix_close(struct tls_fix *f)
{
	tt_client_close(&f->client);
	nt_env_close(&f->env);
	tt_certs_remove(&f->certs);
}

static struct net_stats stats_of(struct net *net)
{
	struct net_stats st;

	net_stats(net, &st);
	return st;
}

static size_t tls_request(char *buf, size_t size, const char *call_id)
{
	return nt_request(
	    buf, size, "SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKt1", call_id);
}

static int test_tls_listener_frames_messages_and_answers(void)
{
	struct tls_fix f;
	struct tt_client_opts o = { .name = "localhost" };
	const char res[] =
	    "SIP/2.0 200 OK\r\n"
	    "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKt1\r\n"
	    "From: <sip:alice@example.com>;tag=a1\r\n"
	    "To: <sip:bob@example.com>;tag=b1\r\n"
	    "Call-ID: one\r\nCSeq: 1 OPTIONS\r\n"
	    "Content-Length: 0\r\n\r\n";
	char a[512], b[512], two[1024];
	size_t la, lb;

	CHECK_INT(tls_fix_open(&f, false), 0);
	o.ca_file = f.certs.ca_cert;
	CHECK_INT(tt_client_open(&f.client, f.env.base, &f.server, &o), 0);
	la = tls_request(a, sizeof(a), "one");
	lb = tls_request(b, sizeof(b), "two");
	memcpy(two, a, la);
	memcpy(two + la, b, lb);
	/* Queued before the handshake; one write, two messages. */
	CHECK(tt_client_send(&f.client, two, la + lb));
	NT_WAIT(f.env.base, f.env.inbox.n == 2);
	CHECK(f.client.up);
	CHECK_STR(f.env.inbox.msgs[0]->call_id, "one");
	CHECK_STR(f.env.inbox.msgs[1]->call_id, "two");
	for (size_t i = 0; i < 2; i++) {
		CHECK_INT(f.env.inbox.from[i].transport, NET_TLS);
		CHECK_INT(f.env.inbox.from[i].listener, f.listener);
		CHECK(f.env.inbox.from[i].conn != 0);
		CHECK_INT(f.env.inbox.from[i].conn, f.env.inbox.from[0].conn);
	}
	/* The answer goes back on that connection (RFC 3261 §18.2.2). */
	CHECK_INT(
	    net_send(f.env.net, &f.env.inbox.from[0], res, sizeof(res) - 1), 0);
	NT_WAIT(f.env.base, f.client.len == sizeof(res) - 1);
	CHECK(memcmp(f.client.rx, res, sizeof(res) - 1) == 0);
	CHECK_INT(stats_of(f.env.net).conns_accepted, 1);
	CHECK_INT(stats_of(f.env.net).conns_open, 1);
	CHECK_INT(stats_of(f.env.net).tls_handshakes_failed, 0);
	tls_fix_close(&f);
	return 0;
}

static int test_tls_keepalive_ping_answered(void)
{
	struct tls_fix f;
	struct tt_client_opts o = { .name = "localhost" };
	char req[512];
	size_t len;

	CHECK_INT(tls_fix_open(&f, false), 0);
	o.ca_file = f.certs.ca_cert;
	CHECK_INT(tt_client_open(&f.client, f.env.base, &f.server, &o), 0);
	/* RFC 5626 §3.5.1: a double-CRLF ping gets a CRLF pong. */
	CHECK(tt_client_send(&f.client, "\r\n\r\n", 4));
	NT_WAIT(f.env.base, f.client.len == 2);
	CHECK_STR(S(f.client.rx), "\r\n");
	CHECK_INT(stats_of(f.env.net).keepalives_answered, 1);
	/* A pong from the client, before a request, is taken quietly. */
	CHECK(tt_client_send(&f.client, "\r\n", 2));
	len = tls_request(req, sizeof(req), "after-pong");
	CHECK(tt_client_send(&f.client, req, len));
	NT_WAIT(f.env.base, f.env.inbox.n == 1);
	CHECK_STR(f.env.inbox.msgs[0]->call_id, "after-pong");
	CHECK_INT(stats_of(f.env.net).keepalives_in, 2);
	CHECK_INT(f.client.len, 2);
	tls_fix_close(&f);
	return 0;
}

static int test_tls_listener_needs_cert_and_matching_key(void)
{
	struct net_config cfg = net_config_default;
	struct tt_certs certs;
	struct nt_env env;
	uint32_t id = 0;

	CHECK_INT(tt_certs_make(&certs), 0);
	/* A certificate without its key is no configuration at all. */
	cfg.tls.cert_file = certs.server_cert;
	CHECK_INT(nt_env_open(&env, &cfg, true), EINVAL);
	cfg.tls.cert_file = NULL;
	CHECK_INT(nt_env_open(&env, &cfg, true), 0);
	CHECK_INT(net_listen(env.net, "tls:127.0.0.1:0", &id), EINVAL);
	nt_env_close(&env);
	/* The key of another certificate. */
	cfg.tls.cert_file = certs.server_cert;
	cfg.tls.key_file = certs.rogue_key;
	CHECK_INT(nt_env_open(&env, &cfg, true), 0);
	CHECK_INT(net_listen(env.net, "tls:127.0.0.1:0", &id), EINVAL);
	CHECK_INT(id, 0);
	/* A file that is not there. */
	cfg.tls.key_file = "/nonexistent/tandem.key";
	nt_env_close(&env);
	CHECK_INT(nt_env_open(&env, &cfg, true), 0);
	CHECK_INT(net_listen(env.net, "tls:127.0.0.1:0", &id), EINVAL);
	/* UDP and TCP do not care. */
	CHECK(nt_listen(env.net, "tcp:127.0.0.1:0",
			&(struct sockaddr_storage){ 0 }));
	nt_env_close(&env);
	tt_certs_remove(&certs);
	return 0;
}

static int test_tls_old_protocol_refused(void)
{
	struct tls_fix f;
	struct tt_client_opts o = { .max_version = TLS1_1_VERSION };
	char req[512];
	size_t len;

	CHECK_INT(tls_fix_open(&f, false), 0);
	CHECK_INT(tt_client_open(&f.client, f.env.base, &f.server, &o), 0);
	len = tls_request(req, sizeof(req), "old");
	CHECK(tt_client_send(&f.client, req, len));
	/* TLS 1.2 at least (RFC 8996). */
	NT_WAIT(f.env.base, f.client.closed &&
				stats_of(f.env.net).tls_handshakes_failed == 1);
	CHECK(!f.client.up);
	NT_WAIT(f.env.base, stats_of(f.env.net).conns_open == 0);
	CHECK_INT(f.env.inbox.n, 0);
	tls_fix_close(&f);
	return 0;
}

static int test_tls_plain_sip_on_tls_port_refused(void)
{
	struct tls_fix f;
	struct nt_rx rx = { .len = 0 };
	char req[512];
	size_t len;
	int fd;

	CHECK_INT(tls_fix_open(&f, false), 0);
	CHECK((fd = nt_tcp_client(&f.server)) >= 0);
	len = tls_request(req, sizeof(req), "plain");
	CHECK(nt_send_all(fd, req, len));
	NT_WAIT(f.env.base, nt_rx_poll(fd, &rx) && rx.eof);
	CHECK_INT(stats_of(f.env.net).tls_handshakes_failed, 1);
	CHECK_INT(stats_of(f.env.net).conns_open, 0);
	CHECK_INT(f.env.inbox.n, 0);
	close(fd);
	tls_fix_close(&f);
	return 0;
}

static int test_tls_handshake_never_started_times_out(void)
{
	struct tls_fix f;
	struct nt_rx rx = { .len = 0 };
	uint32_t ms = net_config_default.connect_timeout_ms;
	int fd;

	CHECK_INT(tls_fix_open(&f, true), 0);
	CHECK((fd = nt_tcp_client(&f.server)) >= 0);
	NT_WAIT(f.env.base, stats_of(f.env.net).conns_accepted == 1);
	/* The handshake gets connect_timeout_ms, not the idle timeout. */
	tnd_timers_advance(&f.env.timers, ms - 1);
	CHECK_INT(stats_of(f.env.net).conns_open, 1);
	tnd_timers_advance(&f.env.timers, 1);
	CHECK_INT(stats_of(f.env.net).conns_open, 0);
	CHECK_INT(stats_of(f.env.net).tls_handshakes_failed, 1);
	CHECK_INT(stats_of(f.env.net).conns_closed_idle, 0);
	NT_WAIT(f.env.base, nt_rx_poll(fd, &rx) && rx.eof);
	close(fd);
	tls_fix_close(&f);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_tls_listener_frames_messages_and_answers),
	TEST(test_tls_keepalive_ping_answered),
	TEST(test_tls_listener_needs_cert_and_matching_key),
	TEST(test_tls_old_protocol_refused),
	TEST(test_tls_plain_sip_on_tls_port_refused),
	TEST(test_tls_handshake_never_started_times_out),
};
TEST_MAIN(cases)
