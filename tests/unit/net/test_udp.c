/*
 * UDP through a real socket pair on loopback: requests handed up with
 * their top Via stamped (RFC 3581, RFC 3261 §18.2.1) and the peer their
 * responses go to (§18.2.2), sending from the listener's socket,
 * malformed requests answered once, garbage and keep-alives dropped,
 * oversized datagrams answered 413, and IPv6.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <unistd.h>

#include "net_test_util.h"

/* A listener on 127.0.0.1 and a client socket: the usual fixture. */
struct udp_fix {
	struct nt_env env;
	struct sockaddr_storage server;
	uint32_t listener;
	int client;
	uint16_t client_port;
};

static int udp_fix_open(struct udp_fix *f, const struct net_config *cfg,
			int family)
{
	const char *spec =
	    family == AF_INET6 ? "udp:[::1]:0" : "udp:127.0.0.1:0";
	int rc;

	f->client = -1;
	if ((rc = nt_env_open(&f->env, cfg, false)))
		return rc;
	if (!(f->listener = nt_listen(f->env.net, spec, &f->server)) ||
	    (f->client = nt_udp_socket(family)) < 0)
		return EIO;
	f->client_port = nt_sock_port(f->client);
	return 0;
}

static void udp_fix_close(struct udp_fix *f)
{
	if (f->client >= 0)
		close(f->client);
	nt_env_close(&f->env);
}

/* Sends a request with top Via `via` and waits for it to come up. */
static int udp_send_request(struct udp_fix *f, const char *via)
{
	char msg[1024];
	size_t len = nt_request(msg, sizeof(msg), via, "c1@test");

	CHECK(len > 0);
	CHECK_INT(nt_sendto(f->client, msg, len, &f->server), 0);
	NT_WAIT(f->env.base, f->env.inbox.n == 1);
	return 0;
}

static int test_udp_rport_gets_source_port_and_received(void)
{
	struct udp_fix f;
	char via[128], want[256];

	CHECK_INT(udp_fix_open(&f, NULL, AF_INET), 0);
	snprintf(via, sizeof(via),
		 "SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKr1;rport");
	CHECK_INT(udp_send_request(&f, via), 0);
	snprintf(want, sizeof(want),
		 "SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKr1;rport=%u;"
		 "received=127.0.0.1",
		 (unsigned)f.client_port);
	CHECK_STR(nt_hdr(f.env.inbox.msgs[0], "Via"), want);
	CHECK_INT(f.env.inbox.msgs[0]->via.rport, f.client_port);
	/* RFC 3581 §4: back to the source port, from the same socket. */
	const struct net_peer *from = &f.env.inbox.from[0];
	CHECK_INT(from->transport, NET_UDP);
	CHECK_INT(from->listener, f.listener);
	CHECK_INT(from->conn, 0);
	CHECK_INT(nt_addr_port(&from->addr), f.client_port);
	udp_fix_close(&f);
	return 0;
}

static int test_udp_other_host_gets_received_and_sent_by_port(void)
{
	struct udp_fix f;
	const char *via = "SIP/2.0/UDP client.example.com:5070;branch=z9hG4bKr2"
			  " , SIP/2.0/UDP proxy.example.net;branch=z9hG4bKp";

	CHECK_INT(udp_fix_open(&f, NULL, AF_INET), 0);
	CHECK_INT(udp_send_request(&f, via), 0);
	/* The later value of the same header field is kept as it was. */
	CHECK_STR(nt_hdr(f.env.inbox.msgs[0], "Via"),
		  "SIP/2.0/UDP client.example.com:5070;branch=z9hG4bKr2;"
		  "received=127.0.0.1 , SIP/2.0/UDP proxy.example.net;"
		  "branch=z9hG4bKp");
	CHECK_STR(f.env.inbox.msgs[0]->via.received, "127.0.0.1");
	/* §18.2.2: the received IP, the sent-by port. */
	const struct sockaddr_in *sin =
	    (const struct sockaddr_in *)&f.env.inbox.from[0].addr;
	CHECK_INT(ntohl(sin->sin_addr.s_addr), INADDR_LOOPBACK);
	CHECK_INT(ntohs(sin->sin_port), 5070);
	udp_fix_close(&f);
	return 0;
}

static int test_udp_plain_via_unchanged_sent_by_port(void)
{
	struct udp_fix f;
	const char *via = "SIP/2.0/UDP 127.0.0.1:5071;branch=z9hG4bKr3";

	CHECK_INT(udp_fix_open(&f, NULL, AF_INET), 0);
	CHECK_INT(udp_send_request(&f, via), 0);
	CHECK_STR(nt_hdr(f.env.inbox.msgs[0], "Via"), via);
	CHECK_INT(nt_addr_port(&f.env.inbox.from[0].addr), 5071);
	udp_fix_close(&f);
	return 0;
}

static int test_udp_no_port_in_via_means_5060(void)
{
	struct udp_fix f;

	CHECK_INT(udp_fix_open(&f, NULL, AF_INET), 0);
	CHECK_INT(udp_send_request(&f, "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK4"),
		  0);
	CHECK_INT(nt_addr_port(&f.env.inbox.from[0].addr), 5060);
	udp_fix_close(&f);
	return 0;
}

static int test_udp_maddr_is_ignored(void)
{
	struct udp_fix f;
	const char *via = "SIP/2.0/UDP 127.0.0.1:5072;maddr=224.0.1.75;ttl=1;"
			  "branch=z9hG4bKr5";

	CHECK_INT(udp_fix_open(&f, NULL, AF_INET), 0);
	CHECK_INT(udp_send_request(&f, via), 0);
	const struct sockaddr_in *sin =
	    (const struct sockaddr_in *)&f.env.inbox.from[0].addr;
	CHECK_INT(ntohl(sin->sin_addr.s_addr), INADDR_LOOPBACK);
	CHECK_INT(ntohs(sin->sin_port), 5072);
	udp_fix_close(&f);
	return 0;
}

static int test_udp_response_from_is_source(void)
{
	struct udp_fix f;
	const char *res = "SIP/2.0 200 OK\r\n"
			  "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx\r\n"
			  "From: <sip:a@example.com>;tag=1\r\n"
			  "To: <sip:b@example.com>;tag=2\r\n"
			  "Call-ID: r1\r\nCSeq: 1 OPTIONS\r\n"
			  "Content-Length: 0\r\n\r\n";

	CHECK_INT(udp_fix_open(&f, NULL, AF_INET), 0);
	CHECK_INT(nt_sendto(f.client, res, strlen(res), &f.server), 0);
	NT_WAIT(f.env.base, f.env.inbox.n == 1);
	CHECK(!f.env.inbox.msgs[0]->is_request);
	CHECK_STR(nt_hdr(f.env.inbox.msgs[0], "Via"),
		  "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx");
	CHECK_INT(nt_addr_port(&f.env.inbox.from[0].addr), f.client_port);
	CHECK_INT(f.env.inbox.from[0].listener, f.listener);
	udp_fix_close(&f);
	return 0;
}

/* Waits for one datagram on fd; its length, or -1. */
static ssize_t udp_recv_wait(struct event_base *base, int fd, char *buf,
			     size_t size, struct sockaddr_storage *src)
{
	struct nt_wait w;
	ssize_t n;

	nt_wait_start(&w);
	do {
		socklen_t len = sizeof(*src);

		n = recvfrom(fd, buf, size, MSG_DONTWAIT,
			     (struct sockaddr *)src, &len);
	} while (n < 0 && nt_wait_more(&w, base));
	return n;
}

static int test_udp_send_leaves_from_listener_socket(void)
{
	struct udp_fix f;
	struct sockaddr_storage src;
	struct net_peer to = { .transport = NET_UDP };
	socklen_t alen = sizeof(to.addr);
	char buf[64];

	CHECK_INT(udp_fix_open(&f, NULL, AF_INET), 0);
	CHECK_INT(getsockname(f.client, (struct sockaddr *)&to.addr, &alen), 0);
	to.addrlen = alen;
	to.listener = f.listener;
	CHECK_INT(net_send(f.env.net, &to, "hello", 5), 0);
	CHECK_INT(udp_recv_wait(f.env.base, f.client, buf, sizeof(buf), &src),
		  5);
	CHECK(memcmp(buf, "hello", 5) == 0);
	CHECK_INT(nt_addr_port(&src), nt_addr_port(&f.server));
	/* listener 0: the first UDP listener of the family. */
	to.listener = 0;
	CHECK_INT(net_send(f.env.net, &to, "again", 5), 0);
	CHECK_INT(udp_recv_wait(f.env.base, f.client, buf, sizeof(buf), &src),
		  5);
	CHECK_INT(nt_addr_port(&src), nt_addr_port(&f.server));
	udp_fix_close(&f);
	return 0;
}

static int test_udp_send_refuses_wrong_listener(void)
{
	struct udp_fix f;
	struct sockaddr_storage tcp_addr;
	struct net_peer to = { .transport = NET_UDP };
	uint32_t tcp;

	CHECK_INT(udp_fix_open(&f, NULL, AF_INET), 0);
	CHECK(tcp = nt_listen(f.env.net, "tcp:127.0.0.1:0", &tcp_addr));
	to.addr = f.server;
	to.listener = tcp;
	CHECK_INT(net_send(f.env.net, &to, "x", 1), EINVAL);
	to.listener = 99;
	CHECK_INT(net_send(f.env.net, &to, "x", 1), EADDRNOTAVAIL);
	/* An IPv6 destination, no IPv6 UDP listener. */
	to.listener = 0;
	to.addr.ss_family = AF_INET6;
	CHECK_INT(net_send(f.env.net, &to, "x", 1), EADDRNOTAVAIL);
	to.listener = f.listener;
	CHECK_INT(net_send(f.env.net, &to, "x", 1), EAFNOSUPPORT);
	udp_fix_close(&f);
	return 0;
}

static int test_udp_bad_request_answered_once(void)
{
	struct udp_fix f;
	struct net_stats st;
	struct nt_rx rx = { .len = 0 };
	char msg[1024];
	int n;

	CHECK_INT(udp_fix_open(&f, NULL, AF_INET), 0);
	n = snprintf(msg, sizeof(msg),
		     "OPTIONS sip:bob@example.com SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKb1\r\n"
		     "From: <sip:alice@example.com>;tag=a1\r\n"
		     "To: <sip:bob@example.com>\r\n"
		     "Call-ID: bad1\r\nCSeq: x OPTIONS\r\n"
		     "Content-Length: 0\r\n\r\n",
		     (unsigned)f.client_port);
	CHECK_INT(nt_sendto(f.client, msg, (size_t)n, &f.server), 0);
	NT_WAIT(f.env.base, nt_rx_poll(f.client, &rx) && rx.datagrams == 1);
	nt_spin(f.env.base, 50);
	nt_rx_poll(f.client, &rx);
	CHECK_INT(rx.datagrams, 1);
	CHECK_INT(f.env.inbox.n, 0);
	/* The answer copies the bad CSeq, so it is read as text. */
	rx.buf[rx.len] = '\0';
	CHECK(strncmp(rx.buf, "SIP/2.0 400 Malformed CSeq number\r\n", 35) ==
	      0);
	CHECK(strstr(rx.buf, "\r\nCall-ID: bad1\r\n") != NULL);
	CHECK(strstr(rx.buf, "\r\nTo: <sip:bob@example.com>;tag=") != NULL);
	CHECK(strstr(rx.buf, ";received=") == NULL); /* sent-by is source */
	net_stats(f.env.net, &st);
	CHECK_INT(st.bad_answered, 1);
	CHECK_INT(st.bad_dropped, 0);
	udp_fix_close(&f);
	return 0;
}

static int test_udp_garbage_dropped_and_counted(void)
{
	struct udp_fix f;
	struct net_stats st = { 0 };
	struct nt_rx rx = { .len = 0 };
	const char junk[] = "\x16\x03\x01 not sip at all";

	CHECK_INT(udp_fix_open(&f, NULL, AF_INET), 0);
	CHECK_INT(nt_sendto(f.client, junk, sizeof(junk) - 1, &f.server), 0);
	NT_WAIT(f.env.base, (net_stats(f.env.net, &st), st.bad_dropped == 1));
	nt_spin(f.env.base, 50);
	nt_rx_poll(f.client, &rx);
	CHECK_INT(rx.len, 0);
	CHECK_INT(f.env.inbox.n, 0);
	CHECK_INT(st.bad_answered, 0);
	CHECK_INT(st.datagrams_in, 1);
	udp_fix_close(&f);
	return 0;
}

static int test_udp_crlf_keepalive_ignored(void)
{
	struct udp_fix f;
	struct net_stats st = { 0 };

	CHECK_INT(udp_fix_open(&f, NULL, AF_INET), 0);
	CHECK_INT(nt_sendto(f.client, "\r\n\r\n", 4, &f.server), 0);
	NT_WAIT(f.env.base, (net_stats(f.env.net, &st), st.keepalives_in == 1));
	CHECK_INT(st.bad_dropped, 0);
	CHECK_INT(f.env.inbox.n, 0);
	udp_fix_close(&f);
	return 0;
}

static int test_udp_oversized_request_answered_413(void)
{
	struct net_config cfg = net_config_default;
	struct udp_fix f;
	struct nt_rx rx = { .len = 0 };
	struct sip_msg *res = NULL;
	char msg[2048], body[701];
	int n;

	cfg.limits.max_message = 600;
	CHECK_INT(udp_fix_open(&f, &cfg, AF_INET), 0);
	memset(body, 'x', 700);
	body[700] = '\0';
	/* The headers fit in 600 bytes; the body takes it past them. */
	n = snprintf(msg, sizeof(msg),
		     "MESSAGE sip:bob@example.com SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKbig\r\n"
		     "Max-Forwards: 70\r\n"
		     "From: <sip:alice@example.com>;tag=a1\r\n"
		     "To: <sip:bob@example.com>\r\n"
		     "Call-ID: big1\r\nCSeq: 1 MESSAGE\r\n"
		     "Content-Type: text/plain\r\n"
		     "Content-Length: 700\r\n\r\n%s",
		     (unsigned)f.client_port, body);
	CHECK_INT(nt_sendto(f.client, msg, (size_t)n, &f.server), 0);
	NT_WAIT(f.env.base, nt_rx_poll(f.client, &rx) && rx.datagrams == 1);
	CHECK_INT(sip_msg_parse(NULL, rx.buf, rx.len, &res, NULL), 0);
	CHECK_INT(res->status, 413);
	CHECK_STR(res->call_id, "big1");
	sip_msg_free(res);
	CHECK_INT(f.env.inbox.n, 0);
	udp_fix_close(&f);
	return 0;
}

static int test_udp_ipv6_loopback(void)
{
	struct udp_fix f;
	char want[256];
	const struct sockaddr_in6 *sin6;

	CHECK_INT(udp_fix_open(&f, NULL, AF_INET6), 0);
	CHECK_INT(udp_send_request(&f, "SIP/2.0/UDP [::1]:5099;rport;"
				       "branch=z9hG4bK6"),
		  0);
	snprintf(want, sizeof(want),
		 "SIP/2.0/UDP [::1]:5099;rport=%u;branch=z9hG4bK6;"
		 "received=::1",
		 (unsigned)f.client_port);
	CHECK_STR(nt_hdr(f.env.inbox.msgs[0], "Via"), want);
	sin6 = (const struct sockaddr_in6 *)&f.env.inbox.from[0].addr;
	CHECK_INT(sin6->sin6_family, AF_INET6);
	CHECK(memcmp(&sin6->sin6_addr, &in6addr_loopback, 16) == 0);
	CHECK_INT(ntohs(sin6->sin6_port), f.client_port);
	/* And back from the IPv6 listener. */
	CHECK_INT(net_send(f.env.net, &f.env.inbox.from[0], "pong", 4), 0);
	struct nt_rx rx = { .len = 0 };
	NT_WAIT(f.env.base, nt_rx_poll(f.client, &rx) && rx.len == 4);
	udp_fix_close(&f);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_udp_rport_gets_source_port_and_received),
	TEST(test_udp_other_host_gets_received_and_sent_by_port),
	TEST(test_udp_plain_via_unchanged_sent_by_port),
	TEST(test_udp_no_port_in_via_means_5060),
	TEST(test_udp_maddr_is_ignored),
	TEST(test_udp_response_from_is_source),
	TEST(test_udp_send_leaves_from_listener_socket),
	TEST(test_udp_send_refuses_wrong_listener),
	TEST(test_udp_bad_request_answered_once),
	TEST(test_udp_garbage_dropped_and_counted),
	TEST(test_udp_crlf_keepalive_ignored),
	TEST(test_udp_oversized_request_answered_413),
	TEST(test_udp_ipv6_loopback),
};
TEST_MAIN(cases)
