/*
 * Outgoing TLS between two nets on one event_base: net A connects to net
 * B's tls listener. A verifies B by host name (SNI sent) or, through
 * plain net_send, by IP; reuses a connection only for the name it was
 * opened for; reports through its error callback, and counts, a server
 * with a certificate from no trusted CA, one for another name, and a
 * refused connect. B, asking for client certificates, refuses A without
 * one and takes A with one from the CA.
 */
#include <unistd.h>

#include "net_test_util.h"
#include "tls_test_util.h"

/* Net A (env.net) sends to net B's tls listener. */
struct out_fix {
	struct tt_certs certs;
	struct nt_env env;
	struct net *b;
	struct nt_inbox b_inbox;
	struct sockaddr_storage b_addr;
	struct nt_errors errors;
};

/* What a case changes from the defaults. */
struct out_opts {
	bool rogue_server;  /* B presents the self-signed certificate */
	bool verify_client; /* B asks A for a certificate */
	bool client_cert;   /* A has one */
	bool no_verify;     /* A does not verify B */
};

static int out_fix_open(struct out_fix *f, const struct out_opts *o)
{
	struct net_config a = net_config_default, b = net_config_default;
	int rc;

	memset(f, 0, sizeof(*f));
	if ((rc = tt_certs_make(&f->certs)))
		return rc;
	a.tls.ca_file = b.tls.ca_file = f->certs.ca_cert;
	a.tls.verify_server = !o->no_verify;
	if (o->client_cert) {
		a.tls.cert_file = f->certs.client_cert;
		a.tls.key_file = f->certs.client_key;
	}
	b.tls.cert_file =
	    o->rogue_server ? f->certs.rogue_cert : f->certs.server_cert;
	b.tls.key_file =
	    o->rogue_server ? f->certs.rogue_key : f->certs.server_key;
	b.tls.verify_client = o->verify_client;
	if ((rc = nt_env_open(&f->env, &a, false)))
		return rc;
	net_set_error_fn(f->env.net, nt_errors_record, &f->errors);
	if ((rc = nt_env_add_net(&f->env, &b, &f->b_inbox, &f->b)))
		return rc;
	return nt_listen(f->b, "tls:127.0.0.1:0", &f->b_addr) ? 0 : EIO;
}

static void out_fix_close(struct out_fix *f)
{
	net_free(f->b);
	nt_inbox_clear(&f->b_inbox);
	nt_env_close(&f->env);
	tt_certs_remove(&f->certs);
}

static struct net_stats stats_of(struct net *net)
{
	struct net_stats st;

	net_stats(net, &st);
	return st;
}

/* Sends an OPTIONS with Call-ID `call_id` to B, naming B `name`. */
static int send_to_b(struct out_fix *f, const char *name, const char *call_id)
{
	struct net_peer to = { .transport = NET_TLS, .addr = f->b_addr };
	char req[512];
	size_t len =
	    nt_request(req, sizeof(req),
		       "SIP/2.0/TLS 127.0.0.1;branch=z9hG4bKs1", call_id);

	return net_send_tls(f->env.net, &to, name, req, len);
}

static int test_tls_out_verifies_server_name_and_reuses(void)
{
	struct out_fix f;
	const char res[] = "SIP/2.0 200 OK\r\n"
			   "Via: SIP/2.0/TLS 127.0.0.1;branch=z9hG4bKs1\r\n"
			   "From: <sip:a@example.com>;tag=1\r\n"
			   "To: <sip:b@example.com>;tag=2\r\n"
			   "Call-ID: first\r\nCSeq: 1 OPTIONS\r\n"
			   "Content-Length: 0\r\n\r\n";

	CHECK_INT(out_fix_open(&f, &(struct out_opts){ 0 }), 0);
	/* Queued while connecting and in the handshake. */
	CHECK_INT(send_to_b(&f, "localhost", "first"), 0);
	NT_WAIT(f.env.base, f.b_inbox.n == 1);
	CHECK_INT(f.b_inbox.from[0].transport, NET_TLS);
	/* The same name, any case: the same connection (RFC 4343). */
	CHECK_INT(send_to_b(&f, "LocalHost", "second"), 0);
	NT_WAIT(f.env.base, f.b_inbox.n == 2);
	CHECK_INT(f.b_inbox.from[1].conn, f.b_inbox.from[0].conn);
	CHECK_INT(stats_of(f.env.net).conns_connected, 1);
	/* B answers on the connection; A gets it on its side of it. */
	CHECK_INT(net_send(f.b, &f.b_inbox.from[0], res, sizeof(res) - 1), 0);
	NT_WAIT(f.env.base, f.env.inbox.n == 1);
	CHECK_INT(f.env.inbox.from[0].transport, NET_TLS);
	CHECK(f.env.inbox.from[0].conn != 0);
	CHECK_INT(f.errors.n, 0);
	CHECK_INT(stats_of(f.env.net).tls_handshakes_failed, 0);
	CHECK_INT(stats_of(f.b).tls_handshakes_failed, 0);
	out_fix_close(&f);
	return 0;
}

static int test_tls_out_plain_send_verifies_the_ip(void)
{
	struct out_fix f;

	CHECK_INT(out_fix_open(&f, &(struct out_opts){ 0 }), 0);
	/* No name: the certificate must carry 127.0.0.1. */
	CHECK_INT(send_to_b(&f, NULL, "by-ip"), 0);
	NT_WAIT(f.env.base, f.b_inbox.n == 1);
	/* That connection proved the IP, not the name "localhost". */
	CHECK_INT(send_to_b(&f, "localhost", "by-name"), 0);
	NT_WAIT(f.env.base, f.b_inbox.n == 2);
	CHECK(f.b_inbox.from[1].conn != f.b_inbox.from[0].conn);
	CHECK_INT(stats_of(f.env.net).conns_connected, 2);
	/* Without a name, any open connection to B will do. */
	CHECK_INT(send_to_b(&f, NULL, "any"), 0);
	NT_WAIT(f.env.base, f.b_inbox.n == 3);
	CHECK_INT(stats_of(f.env.net).conns_connected, 2);
	CHECK_INT(f.errors.n, 0);
	out_fix_close(&f);
	return 0;
}

/* A's handshake failed: reported once, counted, nothing reached B. */
static int check_refused_by_a(struct out_fix *f)
{
	NT_WAIT(f->env.base, f->errors.n == 1);
	CHECK_INT(f->errors.err[0], EPROTO);
	CHECK_INT(f->errors.to[0].transport, NET_TLS);
	CHECK_INT(nt_addr_port(&f->errors.to[0].addr),
		  nt_addr_port(&f->b_addr));
	CHECK_INT(stats_of(f->env.net).tls_handshakes_failed, 1);
	CHECK_INT(stats_of(f->env.net).conns_connect_failed, 1);
	CHECK_INT(stats_of(f->env.net).conns_connected, 0);
	CHECK_INT(stats_of(f->env.net).conns_open, 0);
	nt_spin(f->env.base, 20);
	CHECK_INT(f->b_inbox.n, 0);
	return 0;
}

static int test_tls_out_untrusted_server_is_reported(void)
{
	struct out_fix f;

	CHECK_INT(out_fix_open(&f, &(struct out_opts){ .rogue_server = true }),
		  0);
	CHECK_INT(send_to_b(&f, "localhost", "rogue"), 0);
	CHECK_INT(check_refused_by_a(&f), 0);
	/* B saw its client give up. */
	NT_WAIT(f.env.base, stats_of(f.b).tls_handshakes_failed == 1);
	out_fix_close(&f);
	return 0;
}

static int test_tls_out_wrong_name_is_reported(void)
{
	struct out_fix f;
	char name[255];

	CHECK_INT(out_fix_open(&f, &(struct out_opts){ 0 }), 0);
	CHECK_INT(send_to_b(&f, "sip.example.com", "mismatch"), 0);
	CHECK_INT(check_refused_by_a(&f), 0);
	/* 254 bytes: longer than any host name (RFC 1035 §2.3.4). */
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	CHECK_INT(send_to_b(&f, name, "long"), EINVAL);
	CHECK_INT(send_to_b(&f, "", "empty"), EINVAL);
	out_fix_close(&f);
	return 0;
}

static int test_tls_out_unverified_server_when_asked(void)
{
	struct out_fix f;

	CHECK_INT(out_fix_open(&f, &(struct out_opts){ .rogue_server = true,
						       .no_verify = true }),
		  0);
	CHECK_INT(send_to_b(&f, "localhost", "trusting"), 0);
	NT_WAIT(f.env.base, f.b_inbox.n == 1);
	CHECK_INT(f.errors.n, 0);
	out_fix_close(&f);
	return 0;
}

static int test_tls_out_client_without_cert_is_refused(void)
{
	struct out_fix f;

	CHECK_INT(out_fix_open(&f, &(struct out_opts){ .verify_client = true }),
		  0);
	CHECK_INT(send_to_b(&f, "localhost", "anonymous"), 0);
	/* B refuses in the handshake; under TLS 1.3 A learns it after. */
	NT_WAIT(f.env.base, stats_of(f.b).tls_handshakes_failed == 1);
	NT_WAIT(f.env.base, stats_of(f.env.net).conns_open == 0 &&
				stats_of(f.b).conns_open == 0);
	CHECK_INT(f.b_inbox.n, 0);
	out_fix_close(&f);
	return 0;
}

static int test_tls_out_client_with_cert_is_taken(void)
{
	struct out_fix f;

	CHECK_INT(out_fix_open(&f, &(struct out_opts){ .verify_client = true,
						       .client_cert = true }),
		  0);
	CHECK_INT(send_to_b(&f, "localhost", "known"), 0);
	NT_WAIT(f.env.base, f.b_inbox.n == 1);
	CHECK_STR(f.b_inbox.msgs[0]->call_id, "known");
	CHECK_INT(stats_of(f.b).tls_handshakes_failed, 0);
	CHECK_INT(f.errors.n, 0);
	out_fix_close(&f);
	return 0;
}

static int test_tls_out_refused_connect_is_reported(void)
{
	struct out_fix f;
	struct net_peer to = { .transport = NET_TLS };

	CHECK_INT(out_fix_open(&f, &(struct out_opts){ 0 }), 0);
	CHECK_INT(nt_closed_tcp_addr(AF_INET, &to.addr), 0);
	CHECK_INT(net_send_tls(f.env.net, &to, "localhost", "hello", 5), 0);
	NT_WAIT(f.env.base, f.errors.n == 1);
	CHECK_INT(f.errors.err[0], ECONNREFUSED);
	/* No TLS was spoken: not a handshake failure. */
	CHECK_INT(stats_of(f.env.net).tls_handshakes_failed, 0);
	CHECK_INT(stats_of(f.env.net).conns_connect_failed, 1);
	out_fix_close(&f);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_tls_out_verifies_server_name_and_reuses),
	TEST(test_tls_out_plain_send_verifies_the_ip),
	TEST(test_tls_out_untrusted_server_is_reported),
	TEST(test_tls_out_wrong_name_is_reported),
	TEST(test_tls_out_unverified_server_when_asked),
	TEST(test_tls_out_client_without_cert_is_refused),
	TEST(test_tls_out_client_with_cert_is_taken),
	TEST(test_tls_out_refused_connect_is_reported),
};
TEST_MAIN(cases)
