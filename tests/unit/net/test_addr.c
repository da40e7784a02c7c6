/*
 * core/net/addr.c: listen specs, address equality and hashing, ports,
 * and the IP comparison behind Via received (RFC 3261 §18.2.1).
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "net_int.h"
#include "test.h"

static int test_addr_spec_ipv4_and_ipv6(void)
{
	struct sockaddr_storage ss;
	enum net_transport t;
	socklen_t len;
	char ip[64];

	CHECK_INT(net_spec_parse("udp:127.0.0.1:5060", &t, &ss, &len), 0);
	CHECK_INT(t, NET_UDP);
	CHECK_INT(ss.ss_family, AF_INET);
	CHECK_INT(len, sizeof(struct sockaddr_in));
	CHECK_INT(net_addr_port(&ss), 5060);
	net_addr_ip_print(&ss, ip, sizeof(ip));
	CHECK_STR(S(ip), "127.0.0.1");
	CHECK_INT(net_spec_parse("TCP:[::1]:0", &t, &ss, &len), 0);
	CHECK_INT(t, NET_TCP);
	CHECK_INT(ss.ss_family, AF_INET6);
	CHECK_INT(len, sizeof(struct sockaddr_in6));
	CHECK_INT(net_addr_port(&ss), 0);
	net_addr_ip_print(&ss, ip, sizeof(ip));
	CHECK_STR(S(ip), "::1");
	CHECK_INT(net_spec_parse("udp:0.0.0.0:65535", &t, &ss, &len), 0);
	CHECK_INT(net_addr_port(&ss), 65535);
	return 0;
}

static int test_addr_spec_rejects_bad_ones(void)
{
	static const char *const bad[] = {
		"",
		"udp",
		"udp:",
		"udp:127.0.0.1",
		"udp:127.0.0.1:",
		"udp:127.0.0.1:65536",
		"udp:127.0.0.1:123456",
		"udp:127.0.0.1:50x",
		"udp:127.0.0.1:-1",
		"udp::::1:5060",
		"udp:[::1:5060",
		"udp:[::1]5060",
		"udp:[]:5060",
		"udp:[127.0.0.1]:5060",
		"udp:localhost:5060",
		"udp:1.2.3:5060",
		"sctp:127.0.0.1:5060",
		"udp:256.0.0.1:5060",
	};
	struct sockaddr_storage ss;
	enum net_transport t;
	socklen_t len;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (net_spec_parse(bad[i], &t, &ss, &len) != EINVAL) {
			test_fail(__FILE__, __LINE__, "accepted \"%s\"",
				  bad[i]);
			return EPROTO;
		}
	}
	CHECK_INT(net_spec_parse(NULL, &t, &ss, &len), EINVAL);
	CHECK_INT(net_spec_parse("tls:127.0.0.1:5061", &t, &ss, &len), 0);
	CHECK_INT(t, NET_TLS);
	return 0;
}

static int test_addr_eq_and_hash(void)
{
	struct sockaddr_storage a, b;
	enum net_transport t;
	socklen_t len;

	CHECK_INT(net_spec_parse("udp:10.0.0.1:5060", &t, &a, &len), 0);
	CHECK_INT(net_spec_parse("tcp:10.0.0.1:5060", &t, &b, &len), 0);
	CHECK(net_addr_eq(&a, &b));
	CHECK(net_addr_hash(&a, 7) == net_addr_hash(&b, 7));
	net_addr_set_port(&b, 5061);
	CHECK(!net_addr_eq(&a, &b));
	CHECK(net_addr_hash(&a, 7) != net_addr_hash(&b, 7));
	/* The seed changes the hash: peers cannot aim at one bucket. */
	CHECK(net_addr_hash(&a, 7) != net_addr_hash(&a, 8));
	CHECK_INT(net_spec_parse("udp:[::ffff:10.0.0.1]:5060", &t, &b, &len),
		  0);
	CHECK(!net_addr_eq(&a, &b));
	CHECK_INT(net_spec_parse("udp:[2001:db8::1]:5060", &t, &a, &len), 0);
	CHECK_INT(net_spec_parse("udp:[2001:db8:0::1]:5060", &t, &b, &len), 0);
	CHECK(net_addr_eq(&a, &b));
	return 0;
}

static int test_addr_ip_is_compares_binary(void)
{
	struct sockaddr_storage a;
	enum net_transport t;
	socklen_t len;

	CHECK_INT(net_spec_parse("udp:[2001:db8::1]:5060", &t, &a, &len), 0);
	CHECK(net_addr_ip_is(&a, S("2001:db8::1")));
	CHECK(net_addr_ip_is(&a, S("2001:DB8:0:0::1")));
	CHECK(!net_addr_ip_is(&a, S("2001:db8::2")));
	CHECK(!net_addr_ip_is(&a, S("host.example.com")));
	CHECK(!net_addr_ip_is(&a, S("")));
	CHECK_INT(net_spec_parse("udp:192.0.2.1:5060", &t, &a, &len), 0);
	CHECK(net_addr_ip_is(&a, S("192.0.2.1")));
	CHECK(!net_addr_ip_is(&a, S("192.0.2.10")));
	CHECK(!net_addr_ip_is(&a, S("::ffff:192.0.2.1")));
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_addr_spec_ipv4_and_ipv6),
	TEST(test_addr_spec_rejects_bad_ones),
	TEST(test_addr_eq_and_hash),
	TEST(test_addr_ip_is_compares_binary),
};
TEST_MAIN(cases)
