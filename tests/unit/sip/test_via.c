/*
 * Via values (via.c, RFC 3261 §20.42): sent-protocol, sent-by and the
 * branch, received, rport (RFC 3581), maddr and ttl parameters, with the
 * IPv6 forms of RFC 5118 and the whitespace of RFC 4475 wsinv.
 */
#include <string.h>

#include "tandem/mem.h"
#include "tandem/sip_hdr.h"
#include "test.h"

/* A parse failed with a 400 saying `text` about byte `off` of the value. */
#define CHECK_FAIL(rc, err, text, off)            \
	do {                                      \
		CHECK_INT((rc), EBADMSG);         \
		CHECK_INT((err).status, 400);     \
		CHECK_STR(S((err).what), (text)); \
		CHECK_INT((err).offset, (off));   \
	} while (0)

/* Parses a literal Via value. */
static int parse_via(const char *text, struct sip_via *via)
{
	return sip_via_parse(S(text), via, NULL);
}

/* Parses a literal Via value that should fail, for its error. */
static int via_error(const char *text, struct sip_parse_error *err)
{
	struct sip_via via;

	return sip_via_parse(S(text), &via, err);
}

/* ---- accepted values --------------------------------------------------- */

/* RFC 3261 §24.2, message F1. */
static int test_via_udp_hostname_and_branch(void)
{
	const char *v = "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds";
	struct sip_via via;

	CHECK_INT(sip_via_parse(S(v), &via, NULL), 0);
	CHECK_STR(via.protocol, "SIP/2.0");
	CHECK_STR(via.transport, "UDP");
	CHECK_STR(via.host, "pc33.atlanta.com");
	CHECK_INT(via.host_type, SIP_HOST_NAME);
	CHECK_INT(via.port, 0);
	CHECK_STR(via.params, ";branch=z9hG4bK776asdhds");
	CHECK(via.params.p == v + 28);
	CHECK_STR(via.branch, "z9hG4bK776asdhds");
	CHECK(via.received.p == NULL && via.maddr.p == NULL);
	CHECK(!via.has_rport);
	CHECK_INT(via.rport, 0);
	CHECK_INT(via.ttl, -1);
	return 0;
}

static int test_via_ipv4_host_with_port(void)
{
	struct sip_via via;

	CHECK_INT(parse_via("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKj", &via),
		  0);
	CHECK_STR(via.host, "192.0.2.1");
	CHECK_INT(via.host_type, SIP_HOST_IPV4);
	CHECK_INT(via.port, 5060);
	CHECK_STR(via.branch, "z9hG4bKj");
	return 0;
}

/* RFC 5118 §4.7: "[2001:db8::9:1]:6050". */
static int test_via_ipv6_host_drops_brackets_and_keeps_port(void)
{
	struct sip_via via;

	CHECK_INT(
	    parse_via("SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111",
		      &via),
	    0);
	CHECK_STR(via.host, "2001:db8::9:1");
	CHECK_INT(via.host_type, SIP_HOST_IPV6);
	CHECK_INT(via.port, 6050);
	CHECK_STR(via.branch, "z9hG4bKas3-111");
	return 0;
}

/* RFC 5118 §4.10: the three-colon form of RFC 3261's ABNF. */
static int test_via_ipv6_three_colon_host_tolerated(void)
{
	struct sip_via via;

	CHECK_INT(parse_via("SIP/2.0/UDP [2001:db8:::192.0.2.1]", &via), 0);
	CHECK_STR(via.host, "2001:db8:::192.0.2.1");
	CHECK_INT(via.host_type, SIP_HOST_IPV6);
	return 0;
}

/* RFC 4475 transports: SCTP and an unknown one; case is kept too. */
static int test_via_transport_kept_as_written(void)
{
	static const char *const v[] = {
		"SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf",
		"SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en",
		"SIP/2.0/tls t3.example.com",
	};
	static const char *const transport[] = { "SCTP", "UNKNOWN", "tls" };
	struct sip_via via;

	for (size_t i = 0; i < 3; i++) {
		CHECK_INT(sip_via_parse(S(v[i]), &via, NULL), 0);
		CHECK_STR(via.transport, transport[i]);
	}
	return 0;
}

static int test_via_protocol_name_is_case_insensitive(void)
{
	struct sip_via via;

	CHECK_INT(parse_via("sip/2.0/udp host", &via), 0);
	CHECK_STR(via.protocol, "sip/2.0");
	CHECK_STR(via.transport, "udp");
	return 0;
}

static int test_via_port_absent_is_zero_and_65535_taken(void)
{
	struct sip_via via;

	CHECK_INT(parse_via("SIP/2.0/TCP host.example.com", &via), 0);
	CHECK_INT(via.port, 0);
	CHECK(via.params.p == NULL && via.params.len == 0);
	CHECK_INT(parse_via("SIP/2.0/TCP host:65535", &via), 0);
	CHECK_INT(via.port, 65535);
	CHECK_INT(parse_via("SIP/2.0/TCP host:1", &via), 0);
	CHECK_INT(via.port, 1);
	return 0;
}

/* sent-by = host [ COLON port ], COLON = SWS ":" SWS. */
static int test_via_lws_around_port_colon(void)
{
	struct sip_via via;

	CHECK_INT(parse_via("SIP/2.0/UDP host \r\n : 5062 ;rport", &via), 0);
	CHECK_STR(via.host, "host");
	CHECK_INT(via.port, 5062);
	CHECK_STR(via.params, ";rport");
	return 0;
}

static int test_via_received_ipv4(void)
{
	struct sip_via via;

	CHECK_INT(parse_via("SIP/2.0/TCP [2001:db8::9:255];branch="
			    "z9hG4bK451jj;received=192.0.2.200",
			    &via),
		  0);
	CHECK_STR(via.host, "2001:db8::9:255");
	CHECK_STR(via.branch, "z9hG4bK451jj");
	CHECK_STR(via.received, "192.0.2.200");
	return 0;
}

/* RFC 5118 §4.5, via-received-param-no-delim. */
static int test_via_received_ipv6_without_brackets(void)
{
	struct sip_via via;

	CHECK_INT(parse_via("SIP/2.0/UDP [2001:db8::9:1];received="
			    "2001:db8::9:255;branch=z9hG4bKas3-111",
			    &via),
		  0);
	CHECK_STR(via.received, "2001:db8::9:255");
	CHECK_STR(via.branch, "z9hG4bKas3-111");
	return 0;
}

/* RFC 5118 §4.5, via-received-param-with-delim: brackets removed. */
static int test_via_received_ipv6_with_brackets_removed(void)
{
	const char *v = "SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255]"
			";branch=z9hG4bKas3";
	struct sip_via via;

	CHECK_INT(sip_via_parse(S(v), &via, NULL), 0);
	CHECK_STR(via.received, "2001:db8::9:255");
	CHECK(via.received.p == strchr(v, '=') + 2);
	CHECK_STR(via.params, ";received=[2001:db8::9:255];branch=z9hG4bKas3");
	return 0;
}

static int test_via_rport_with_value(void)
{
	struct sip_via via;

	CHECK_INT(
	    parse_via("SIP/2.0/UDP h;rport=5066;received=192.0.2.9", &via), 0);
	CHECK(via.has_rport);
	CHECK_INT(via.rport, 5066);
	CHECK_STR(via.received, "192.0.2.9");
	return 0;
}

/* RFC 3581 §3: a client asks for rport with the bare parameter. */
static int test_via_bare_rport_has_zero_port(void)
{
	struct sip_via via;

	CHECK_INT(
	    parse_via("SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bKx", &via),
	    0);
	CHECK(via.has_rport);
	CHECK_INT(via.rport, 0);
	CHECK_STR(via.branch, "z9hG4bKx");
	return 0;
}

/* RFC 3261 §18.2.1 example: maddr and ttl on a multicast Via. */
static int test_via_maddr_and_ttl(void)
{
	struct sip_via via;

	CHECK_INT(parse_via("SIP/2.0/UDP first.example.com:4000;ttl=16;"
			    "maddr=224.2.0.1;branch=z9hG4bKa7c6a8dlze.1",
			    &via),
		  0);
	CHECK_INT(via.port, 4000);
	CHECK_INT(via.ttl, 16);
	CHECK_STR(via.maddr, "224.2.0.1");
	CHECK_STR(via.branch, "z9hG4bKa7c6a8dlze.1");
	CHECK_INT(parse_via("SIP/2.0/UDP h;ttl=255;ttl=0", &via), 0);
	CHECK_INT(via.ttl, 0);
	return 0;
}

static int test_via_param_names_are_case_insensitive(void)
{
	struct sip_via via;

	CHECK_INT(parse_via("SIP/2.0/UDP h;BRANCH=z9hG4bKA;Received=192.0.2.1"
			    ";RPort=7;TTL=3;MAddr=m.example.com",
			    &via),
		  0);
	CHECK_STR(via.branch, "z9hG4bKA");
	CHECK_STR(via.received, "192.0.2.1");
	CHECK(via.has_rport);
	CHECK_INT(via.rport, 7);
	CHECK_INT(via.ttl, 3);
	CHECK_STR(via.maddr, "m.example.com");
	return 0;
}

static int test_via_unknown_params_stay_in_region(void)
{
	struct sip_via via;
	struct tnd_slice v;

	CHECK_INT(
	    parse_via("SIP/2.0/UDP h;x-flag;x-q=\"a;b\";branch=z9hG4bK1", &via),
	    0);
	CHECK_STR(via.params, ";x-flag;x-q=\"a;b\";branch=z9hG4bK1");
	CHECK_STR(via.branch, "z9hG4bK1");
	CHECK(sip_params_get(via.params, "x-q", &v));
	CHECK_STR(v, "\"a;b\"");
	return 0;
}

/* RFC 4475 wsinv, the first Via. */
static int test_via_wsinv_lws_everywhere(void)
{
	struct sip_via via;

	CHECK_INT(parse_via("SIP  /   2.0\r\n /UDP\r\n    192.0.2.2"
			    ";branch=390skdjuw",
			    &via),
		  0);
	CHECK_STR(via.protocol, "SIP  /   2.0");
	CHECK_STR(via.transport, "UDP");
	CHECK_STR(via.host, "192.0.2.2");
	CHECK_INT(via.host_type, SIP_HOST_IPV4);
	CHECK_STR(via.branch, "390skdjuw");
	return 0;
}

/* RFC 4475 wsinv, the folded "v:" list of two values. */
static int test_via_wsinv_folded_list(void)
{
	struct tnd_slice value =
	    S("  SIP  / 2.0  / TCP     spindle.example.com   ;\r\n"
	      "  branch  =   z9hG4bK9ikj8  ,\r\n"
	      " SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n"
	      " z9hG4bK30239");
	struct tnd_slice item;
	struct sip_via via;
	size_t pos = 0;

	CHECK(sip_value_next(value, &pos, &item));
	CHECK_INT(sip_via_parse(item, &via, NULL), 0);
	CHECK_STR(via.protocol, "SIP  / 2.0");
	CHECK_STR(via.transport, "TCP");
	CHECK_STR(via.host, "spindle.example.com");
	CHECK_STR(via.params, ";\r\n  branch  =   z9hG4bK9ikj8");
	CHECK_STR(via.branch, "z9hG4bK9ikj8");
	CHECK(sip_value_next(value, &pos, &item));
	CHECK_INT(sip_via_parse(item, &via, NULL), 0);
	CHECK_STR(via.transport, "UDP");
	CHECK_STR(via.host, "192.168.255.111");
	CHECK_STR(via.branch, "z9hG4bK30239");
	CHECK(!sip_value_next(value, &pos, &item));
	return 0;
}

static int test_via_leading_and_trailing_lws_ignored(void)
{
	struct sip_via via;

	CHECK_INT(parse_via(" \t SIP/2.0/UDP host:5060 ;rport \r\n ", &via), 0);
	CHECK_STR(via.protocol, "SIP/2.0");
	CHECK_INT(via.port, 5060);
	CHECK_STR(via.params, ";rport");
	return 0;
}

/* ---- rejected values --------------------------------------------------- */

static int test_via_empty_value_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("", &err), err, "Malformed Via protocol", 0);
	CHECK_FAIL(via_error("  ", &err), err, "Malformed Via protocol", 2);
	return 0;
}

static int test_via_incomplete_protocol_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP host", &err), err, "Malformed Via protocol",
		   3);
	CHECK_FAIL(via_error("SIP/2.0 host", &err), err,
		   "Malformed Via transport", 7);
	CHECK_FAIL(via_error("SIP/2.0/ ;branch=z9hG4bK1", &err), err,
		   "Malformed Via transport", 9);
	return 0;
}

static int test_via_non_sip_protocol_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("HTTP/2.0/TCP host", &err), err,
		   "Unsupported Via protocol", 0);
	CHECK_FAIL(via_error(" SIP/3.0/UDP host", &err), err,
		   "Unsupported Via protocol", 1);
	CHECK_FAIL(via_error("SIP/2.00/UDP host", &err), err,
		   "Unsupported Via protocol", 0);
	return 0;
}

static int test_via_missing_host_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP", &err), err, "Malformed Via host",
		   11);
	CHECK_FAIL(via_error("SIP/2.0/UDP ;branch=z9hG4bK1", &err), err,
		   "Malformed Via host", 12);
	CHECK_FAIL(via_error("SIP/2.0/UDP [2001:db8::1", &err), err,
		   "Malformed Via host", 12);
	return 0;
}

static int test_via_port_zero_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP host:0;branch=z9hG4bK1", &err), err,
		   "Bad port in Via", 17);
	return 0;
}

static int test_via_port_70000_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP host:70000", &err), err,
		   "Bad port in Via", 17);
	CHECK_FAIL(via_error("SIP/2.0/UDP host:65536", &err), err,
		   "Bad port in Via", 17);
	return 0;
}

static int test_via_missing_port_after_colon_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP host:", &err), err, "Bad port in Via",
		   17);
	CHECK_FAIL(via_error("SIP/2.0/UDP host:;rport", &err), err,
		   "Bad port in Via", 17);
	return 0;
}

/* RFC 5118 §4.2: an IPv6 sent-by needs its brackets. */
static int test_via_unbracketed_ipv6_host_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP 2001:db8::10;branch=z9hG4bK1", &err),
		   err, "Bad port in Via", 17);
	return 0;
}

/* RFC 4475 badinv01: "Via: SIP/2.0/UDP 192.0.2.15;;,;,,". */
static int test_via_empty_params_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP 192.0.2.15;;", &err), err,
		   "Empty or malformed parameter", 23);
	CHECK_FAIL(via_error(";", &err), err, "Malformed Via protocol", 0);
	return 0;
}

static int test_via_trailing_semicolon_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP host;branch=z9hG4bK1;", &err), err,
		   "Empty or malformed parameter", 33);
	return 0;
}

static int test_via_param_without_value_after_equal_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP host;branch=", &err), err,
		   "Malformed parameter value", 24);
	return 0;
}

static int test_via_junk_after_value_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP host junk", &err), err,
		   "Junk after Via value", 17);
	CHECK_FAIL(via_error("SIP/2.0/UDP host;branch=z9hG4bK1 ,x", &err), err,
		   "Junk after Via value", 33);
	CHECK_FAIL(via_error("SIP/2.0/UDP host:5060x", &err), err,
		   "Junk after Via value", 21);
	return 0;
}

/* received = "received" EQUAL (IPv4address / IPv6address): no names. */
static int test_via_received_hostname_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP host;received=example.com", &err),
		   err, "Bad received in Via", 26);
	CHECK_FAIL(via_error("SIP/2.0/UDP h;received=192.0.2.256;rport", &err),
		   err, "Bad received in Via", 23);
	CHECK_FAIL(via_error("SIP/2.0/UDP h;received", &err), err,
		   "Bad received in Via", 22);
	return 0;
}

/* Brackets belong around IPv6 only. */
static int test_via_received_bracketed_ipv4_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP host;received=[192.0.2.1]", &err),
		   err, "Malformed parameter value", 26);
	return 0;
}

static int test_via_bad_rport_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP host;rport=0", &err), err,
		   "Bad rport in Via", 23);
	CHECK_FAIL(
	    via_error("SIP/2.0/UDP host;rport=70000;branch=z9hG4bK", &err), err,
	    "Bad rport in Via", 23);
	CHECK_FAIL(via_error("SIP/2.0/UDP host;rport=x1", &err), err,
		   "Bad rport in Via", 23);
	return 0;
}

/* ttl = 1*3DIGIT ; 0 to 255 */
static int test_via_ttl_above_255_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(via_error("SIP/2.0/UDP host;ttl=256", &err), err,
		   "Bad ttl in Via", 21);
	CHECK_FAIL(via_error("SIP/2.0/UDP host;ttl", &err), err,
		   "Bad ttl in Via", 20);
	CHECK_FAIL(via_error("SIP/2.0/UDP host;ttl=-1", &err), err,
		   "Bad ttl in Via", 21);
	return 0;
}

/* A parse starts from a clean struct: nothing left from the last one. */
static int test_via_parse_resets_output(void)
{
	struct sip_via via;

	CHECK_INT(parse_via("SIP/2.0/UDP h:5;rport=9;ttl=1;maddr=m;"
			    "branch=b;received=192.0.2.1",
			    &via),
		  0);
	CHECK_INT(parse_via("SIP/2.0/TCP other", &via), 0);
	CHECK_INT(via.port, 0);
	CHECK(!via.has_rport && via.rport == 0);
	CHECK_INT(via.ttl, -1);
	CHECK(via.maddr.p == NULL && via.branch.p == NULL);
	CHECK(via.received.p == NULL && via.params.p == NULL);
	CHECK_INT(parse_via("x", &via), EBADMSG);
	CHECK(via.host.p == NULL && via.transport.p == NULL);
	return 0;
}

/*
 * Every prefix of each value, in a heap block of exactly its length, so
 * that a read past the slice trips the address sanitizer.
 */
static void parse_prefix(struct tnd_slice text)
{
	struct sip_via via;
	struct sip_parse_error err;

	(void)sip_via_parse(text, &via, &err);
}

static int test_via_never_reads_past_value(void)
{
	static const char *const values[] = {
		"SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw",
		"SIP/2.0/UDP [2001:db8::9:1]:6050;received=[2001:db8::9:255]",
		"SIP/2.0/UDP h;received=2001:db8:::192.0.2.1;rport;ttl=1",
		"SIP/2.0/UDP h:5060;x=\"a\\\";b\";maddr=m",
	};
	size_t n = sizeof(values) / sizeof(values[0]);
	struct sip_via via;

	CHECK_OK(test_each_prefix(values, n, parse_prefix));
	for (size_t i = 0; i < n; i++)
		CHECK_INT(sip_via_parse(S(values[i]), &via, NULL), 0);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_via_udp_hostname_and_branch),
	TEST(test_via_ipv4_host_with_port),
	TEST(test_via_ipv6_host_drops_brackets_and_keeps_port),
	TEST(test_via_ipv6_three_colon_host_tolerated),
	TEST(test_via_transport_kept_as_written),
	TEST(test_via_protocol_name_is_case_insensitive),
	TEST(test_via_port_absent_is_zero_and_65535_taken),
	TEST(test_via_lws_around_port_colon),
	TEST(test_via_received_ipv4),
	TEST(test_via_received_ipv6_without_brackets),
	TEST(test_via_received_ipv6_with_brackets_removed),
	TEST(test_via_rport_with_value),
	TEST(test_via_bare_rport_has_zero_port),
	TEST(test_via_maddr_and_ttl),
	TEST(test_via_param_names_are_case_insensitive),
	TEST(test_via_unknown_params_stay_in_region),
	TEST(test_via_wsinv_lws_everywhere),
	TEST(test_via_wsinv_folded_list),
	TEST(test_via_leading_and_trailing_lws_ignored),
	TEST(test_via_empty_value_rejected),
	TEST(test_via_incomplete_protocol_rejected),
	TEST(test_via_non_sip_protocol_rejected),
	TEST(test_via_missing_host_rejected),
	TEST(test_via_port_zero_rejected),
	TEST(test_via_port_70000_rejected),
	TEST(test_via_missing_port_after_colon_rejected),
	TEST(test_via_unbracketed_ipv6_host_rejected),
	TEST(test_via_empty_params_rejected),
	TEST(test_via_trailing_semicolon_rejected),
	TEST(test_via_param_without_value_after_equal_rejected),
	TEST(test_via_junk_after_value_rejected),
	TEST(test_via_received_hostname_rejected),
	TEST(test_via_received_bracketed_ipv4_rejected),
	TEST(test_via_bad_rport_rejected),
	TEST(test_via_ttl_above_255_rejected),
	TEST(test_via_parse_resets_output),
	TEST(test_via_never_reads_past_value),
};

TEST_MAIN(cases)
