/*
 * core/net/via_rport.c without sockets: the exact top Via after stamping
 * received and rport (RFC 3261 §18.2.1, RFC 3581 §4) in every shape a
 * Via comes in, and where responses go (§18.2.2).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>

#include "tandem/mem.h"
#include "net_int.h"
#include "test.h"

static struct net_peer peer_of(enum net_transport t, const char *spec)
{
	struct net_peer p = { .transport = t };
	enum net_transport ignored;

	(void)net_spec_parse(spec, &ignored, &p.addr, &p.addrlen);
	return p;
}

/* Parses a request whose Via header lines are `vias`, stamps it from
 * `source`; *out is the message (freed by the caller). */
static int stamp(const char *vias, const struct net_peer *source,
		 struct sip_msg **out)
{
	char text[1024];
	int n = snprintf(text, sizeof(text),
			 "OPTIONS sip:b@example.com SIP/2.0\r\n%s"
			 "From: <sip:a@example.com>;tag=1\r\n"
			 "To: <sip:b@example.com>\r\nCall-ID: v1\r\n"
			 "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
			 "Content-Length: 0\r\n\r\n",
			 vias);
	int rc = sip_msg_parse(NULL, text, (size_t)n, out, NULL);

	if (rc)
		return rc;
	return net_via_stamp(*out, source);
}

static struct tnd_slice top_via(const struct sip_msg *msg)
{
	return sip_msg_hdr(msg, SIP_HDR_VIA)->value;
}

/* The stamped top Via of one Via line from 192.0.2.5:40000 over UDP. */
#define CHECK_STAMPED(via_line, want)                                     \
	do {                                                              \
		struct net_peer src_ =                                    \
		    peer_of(NET_UDP, "udp:192.0.2.5:40000");              \
		struct sip_msg *m_ = NULL;                                \
		CHECK_INT(stamp("Via: " via_line "\r\n", &src_, &m_), 0); \
		CHECK_STR(top_via(m_), want);                             \
		sip_msg_free(m_);                                         \
	} while (0)

static int test_via_rport_bare_rport_filled_in_place(void)
{
	CHECK_STAMPED("SIP/2.0/UDP 192.0.2.5:5060;rport;branch=z9hG4bKa",
		      "SIP/2.0/UDP 192.0.2.5:5060;rport=40000;branch=z9hG4bKa;"
		      "received=192.0.2.5");
	CHECK_STAMPED("SIP/2.0/UDP 192.0.2.5;branch=z9hG4bKa;rport",
		      "SIP/2.0/UDP 192.0.2.5;branch=z9hG4bKa;rport=40000;"
		      "received=192.0.2.5");
	return 0;
}

static int test_via_rport_received_only_when_host_differs(void)
{
	CHECK_STAMPED("SIP/2.0/UDP 192.0.2.5:5070;branch=z9hG4bKb",
		      "SIP/2.0/UDP 192.0.2.5:5070;branch=z9hG4bKb");
	CHECK_STAMPED("SIP/2.0/UDP pc.example.com;branch=z9hG4bKb",
		      "SIP/2.0/UDP pc.example.com;branch=z9hG4bKb;"
		      "received=192.0.2.5");
	CHECK_STAMPED("SIP/2.0/UDP 10.0.0.1:5060",
		      "SIP/2.0/UDP 10.0.0.1:5060;received=192.0.2.5");
	/* A value already set by the client is left alone. */
	CHECK_STAMPED("SIP/2.0/UDP 10.0.0.1;rport=7000;branch=z9hG4bKb",
		      "SIP/2.0/UDP 10.0.0.1;rport=7000;branch=z9hG4bKb;"
		      "received=192.0.2.5");
	return 0;
}

static int test_via_rport_stale_received_replaced(void)
{
	CHECK_STAMPED(
	    "SIP/2.0/UDP 10.0.0.1;received=10.9.9.9;branch=z9hG4bKc",
	    "SIP/2.0/UDP 10.0.0.1;received=192.0.2.5;branch=z9hG4bKc");
	return 0;
}

static int test_via_rport_later_values_kept(void)
{
	CHECK_STAMPED("SIP/2.0/UDP h.example.com;branch=z9hG4bKd;rport ,"
		      "SIP/2.0/TCP p.example.net;branch=z9hG4bKe",
		      "SIP/2.0/UDP h.example.com;branch=z9hG4bKd;rport=40000;"
		      "received=192.0.2.5 ,SIP/2.0/TCP p.example.net;"
		      "branch=z9hG4bKe");
	return 0;
}

static int test_via_rport_compact_first_of_two_headers(void)
{
	struct net_peer src = peer_of(NET_UDP, "udp:192.0.2.5:40000");
	struct sip_msg *m = NULL;
	const struct sip_hdr *h;
	char out[1024];
	size_t n;

	CHECK_INT(stamp("v: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n"
			"Via: SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n",
			&src, &m),
		  0);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_VIA), 2);
	h = sip_msg_hdr(m, SIP_HDR_VIA);
	CHECK_STR(h->value, "SIP/2.0/UDP a.example.com;branch=z9hG4bK1;"
			    "received=192.0.2.5");
	h = sip_msg_hdr_next(m, h);
	CHECK_STR(h->value, "SIP/2.0/UDP b.example.com;branch=z9hG4bK2");
	CHECK_STR(m->via.received, "192.0.2.5");
	CHECK_STR(m->via.branch, "z9hG4bK1");
	/* Printed, the stamped Via still comes first. */
	CHECK_INT(sip_msg_print(m, out, sizeof(out), &n), 0);
	out[n] = '\0';
	CHECK(strstr(out, "a.example.com") < strstr(out, "b.example.com"));
	sip_msg_free(m);
	return 0;
}

static int test_via_rport_ipv6_received_unbracketed(void)
{
	struct net_peer src = peer_of(NET_UDP, "udp:[2001:db8::5]:40000");
	struct sip_msg *m = NULL;

	CHECK_INT(
	    stamp("Via: SIP/2.0/UDP [2001:db8::9]:5060;rport\r\n", &src, &m),
	    0);
	CHECK_STR(top_via(m), "SIP/2.0/UDP [2001:db8::9]:5060;rport=40000;"
			      "received=2001:db8::5");
	sip_msg_free(m);
	/* The same IP in another spelling is not "different". */
	CHECK_INT(stamp("Via: SIP/2.0/UDP [2001:DB8:0::5]:5060\r\n", &src, &m),
		  0);
	CHECK_STR(top_via(m), "SIP/2.0/UDP [2001:DB8:0::5]:5060");
	sip_msg_free(m);
	return 0;
}

static int reply_port(const char *via, enum net_transport t, uint16_t *port,
		      struct net_peer *out)
{
	struct net_peer src = peer_of(t, "udp:192.0.2.5:40000");
	struct sip_msg *m = NULL;
	char line[256];

	snprintf(line, sizeof(line), "Via: %s\r\n", via);
	src.listener = 3;
	src.conn = t == NET_UDP ? 0 : 77;
	CHECK_INT(stamp(line, &src, &m), 0);
	net_via_reply_peer(m, &src, out);
	*port = net_addr_port(&out->addr);
	CHECK_INT(out->listener, 3);
	CHECK(net_addr_ip_is(&out->addr, S("192.0.2.5")));
	sip_msg_free(m);
	return 0;
}

static int test_via_rport_reply_peer_by_the_rules(void)
{
	struct net_peer out;
	uint16_t port;

	CHECK_INT(
	    reply_port("SIP/2.0/UDP 10.0.0.1:5070;rport", NET_UDP, &port, &out),
	    0);
	CHECK_INT(port, 40000);
	CHECK_INT(reply_port("SIP/2.0/UDP 10.0.0.1:5070", NET_UDP, &port, &out),
		  0);
	CHECK_INT(port, 5070);
	CHECK_INT(reply_port("SIP/2.0/UDP 10.0.0.1", NET_UDP, &port, &out), 0);
	CHECK_INT(port, 5060);
	/* maddr: never multicast, the received address it is. */
	CHECK_INT(reply_port("SIP/2.0/UDP 10.0.0.1:5071;maddr=224.0.1.75",
			     NET_UDP, &port, &out),
		  0);
	CHECK_INT(port, 5071);
	/* A stream answers on its connection, to the source. */
	CHECK_INT(reply_port("SIP/2.0/TCP 10.0.0.1:5072", NET_TCP, &port, &out),
		  0);
	CHECK_INT(port, 40000);
	CHECK_INT(out.conn, 77);
	CHECK_INT(out.transport, NET_TCP);
	return 0;
}

static int test_via_rport_stamp_oom_leaves_message_whole(void)
{
	struct net_peer src = peer_of(NET_UDP, "udp:192.0.2.5:40000");
	struct sip_msg *m = NULL;
	int rc =
	    stamp("Via: SIP/2.0/UDP h.example.com;rport;branch=z9hG4bKo\r\n",
		  &src, &m);

	if (rc == ENOMEM && m) {
		/* The parse succeeded; the stamp failed and changed nothing. */
		CHECK_STR(top_via(m),
			  "SIP/2.0/UDP h.example.com;rport;branch=z9hG4bKo");
		CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_VIA), 1);
		CHECK(m->has_via);
	} else if (rc == 0) {
		CHECK_STR(top_via(m), "SIP/2.0/UDP h.example.com;rport=40000;"
				      "branch=z9hG4bKo;received=192.0.2.5");
	}
	sip_msg_free(m);
	return rc;
}

static const struct test_case cases[] = {
	TEST(test_via_rport_bare_rport_filled_in_place),
	TEST(test_via_rport_received_only_when_host_differs),
	TEST(test_via_rport_stale_received_replaced),
	TEST(test_via_rport_later_values_kept),
	TEST(test_via_rport_compact_first_of_two_headers),
	TEST(test_via_rport_ipv6_received_unbracketed),
	TEST(test_via_rport_reply_peer_by_the_rules),
	TEST_OOM(test_via_rport_stamp_oom_leaves_message_whole),
};
TEST_MAIN(cases)
