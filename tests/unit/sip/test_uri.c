/*
 * Unit tests for core/sip/uri.c: SIP, SIPS, tel and other URIs parsed as
 * zero-copy slices, the torture cases of RFC 4475 and RFC 5118 that live
 * in a URI, error reasons and offsets, parameter lookup, unescaping, and
 * the equality rules of RFC 3261 §19.1.4 with its own examples.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tandem/sip_uri.h"
#include "test.h"

/* Parses `text`, expecting success. */
static int parse_ok(const char *text, struct sip_uri *uri)
{
	struct sip_parse_error err = { 0 };
	int rc = sip_uri_parse(S(text), uri, &err);

	if (rc != 0)
		test_fail(__FILE__, __LINE__, "\"%s\" failed: %s at %zu", text,
			  err.what ? err.what : "?", err.offset);
	return rc;
}

/* Parses `text`, expecting EBADMSG for `what` at `offset`. */
static int parse_bad(struct tnd_slice text, const char *what, size_t offset)
{
	struct sip_parse_error err = { 0 };
	struct sip_uri uri;
	int rc = sip_uri_parse(text, &uri, &err);

	if (rc != EBADMSG) {
		test_fail(__FILE__, __LINE__,
			  "\"%.*s\" returned %d, want EBADMSG",
			  TND_SLICE_FMT(text), rc);
		return EPROTO;
	}
	if (err.status != 400 || !err.what || strcmp(err.what, what) != 0 ||
	    err.offset != offset) {
		test_fail(__FILE__, __LINE__,
			  "\"%.*s\": %u \"%s\" at %zu, want 400 \"%s\" at %zu",
			  TND_SLICE_FMT(text), err.status,
			  err.what ? err.what : "(null)", err.offset, what,
			  offset);
		return EPROTO;
	}
	return 0;
}

/* True when the two texts parse and compare as `want` both ways round. */
static bool eq_is(const char *a, const char *b, bool want)
{
	struct sip_uri ua, ub;

	if (sip_uri_parse(S(a), &ua, NULL) || sip_uri_parse(S(b), &ub, NULL)) {
		test_fail(__FILE__, __LINE__, "\"%s\" or \"%s\" did not parse",
			  a, b);
		return false;
	}
	if (sip_uri_eq(&ua, &ub) != want || sip_uri_eq(&ub, &ua) != want) {
		test_fail(__FILE__, __LINE__, "\"%s\" vs \"%s\": want %s", a, b,
			  want ? "equal" : "unequal");
		return false;
	}
	return true;
}

#define CHECK_BAD(text, what, offset) \
	CHECK_INT(parse_bad(S(text), (what), (offset)), 0)
#define CHECK_EQ(a, b, want)   CHECK(eq_is((a), (b), (want)))
#define CHECK_PARSE(text, uri) CHECK_INT(parse_ok((text), (uri)), 0)

static int test_uri_sip_user_host_port(void)
{
	struct sip_uri uri;

	CHECK_PARSE("sip:alice@atlanta.com:5070", &uri);
	CHECK_INT(uri.scheme, SIP_URI_SIP);
	CHECK_STR(uri.scheme_text, "sip");
	CHECK_STR(uri.user, "alice");
	CHECK_INT(uri.password.len, 0);
	CHECK_STR(uri.host, "atlanta.com");
	CHECK_INT(uri.host_type, SIP_HOST_NAME);
	CHECK_INT(uri.port, 5070);
	CHECK_INT(uri.params.len, 0);
	CHECK_INT(uri.headers.len, 0);
	CHECK_INT(uri.opaque.len, 0);
	return 0;
}

static int test_uri_scheme_is_case_insensitive(void)
{
	struct sip_uri uri;

	CHECK_PARSE("SIPS:bob@Biloxi.COM", &uri);
	CHECK_INT(uri.scheme, SIP_URI_SIPS);
	CHECK_STR(uri.scheme_text, "SIPS");
	CHECK_STR(uri.host, "Biloxi.COM");
	CHECK_PARSE("Sip:carol@chicago.com", &uri);
	CHECK_INT(uri.scheme, SIP_URI_SIP);
	CHECK_PARSE("TEL:+358-555-1234567", &uri);
	CHECK_INT(uri.scheme, SIP_URI_TEL);
	return 0;
}

static int test_uri_user_and_password(void)
{
	struct sip_uri uri;

	CHECK_PARSE("sip:alice:secretword@atlanta.com;transport=tcp", &uri);
	CHECK_STR(uri.user, "alice");
	CHECK_STR(uri.password, "secretword");
	CHECK_STR(uri.host, "atlanta.com");
	CHECK_STR(uri.params, ";transport=tcp");
	/* password = *( ... ): it may be empty */
	CHECK_PARSE("sip:alice:@atlanta.com", &uri);
	CHECK_STR(uri.user, "alice");
	CHECK_INT(uri.password.len, 0);
	return 0;
}

/* RFC 4475 intmeth: every character userinfo may hold. */
static int test_uri_unusual_userinfo_characters(void)
{
	struct sip_uri uri;

	CHECK_PARSE("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"
		    ":&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"
		    "@example.com",
		    &uri);
	CHECK_STR(uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
	CHECK_STR(uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
	CHECK_STR(uri.host, "example.com");
	CHECK_INT(uri.params.len, 0);
	return 0;
}

static int test_uri_without_at_has_no_user(void)
{
	struct sip_uri uri;

	CHECK_PARSE("sip:atlanta.com;method=REGISTER"
		    "?to=alice%40atlanta.com",
		    &uri);
	CHECK_INT(uri.user.len, 0);
	CHECK_STR(uri.host, "atlanta.com");
	CHECK_STR(uri.params, ";method=REGISTER");
	CHECK_STR(uri.headers, "to=alice%40atlanta.com");
	return 0;
}

/* RFC 4475 semiuri. */
static int test_uri_user_may_hold_semicolon(void)
{
	struct sip_uri uri;

	CHECK_PARSE("sip:user;par=u%40example.net@example.com", &uri);
	CHECK_STR(uri.user, "user;par=u%40example.net");
	CHECK_STR(uri.host, "example.com");
	CHECK_INT(uri.params.len, 0);
	CHECK(!sip_uri_param(&uri, "par", NULL));
	CHECK_PARSE("sip:what?now@example.com;lr", &uri);
	CHECK_STR(uri.user, "what?now");
	CHECK_STR(uri.params, ";lr");
	CHECK_INT(uri.headers.len, 0);
	return 0;
}

static int test_uri_ipv4_host(void)
{
	struct sip_uri uri;

	CHECK_PARSE("sip:bob@192.0.2.4:5080;transport=udp", &uri);
	CHECK_STR(uri.host, "192.0.2.4");
	CHECK_INT(uri.host_type, SIP_HOST_IPV4);
	CHECK_INT(uri.port, 5080);
	return 0;
}

/* RFC 5118 §4.1 and §4.4. */
static int test_uri_ipv6_reference(void)
{
	struct sip_uri uri;

	CHECK_PARSE("sip:[2001:db8::10]", &uri);
	CHECK_STR(uri.host, "2001:db8::10");
	CHECK_INT(uri.host_type, SIP_HOST_IPV6);
	CHECK_INT(uri.port, 0);
	CHECK_PARSE("sip:user@[2001:db8::10]:5070;lr", &uri);
	CHECK_STR(uri.user, "user");
	CHECK_STR(uri.host, "2001:db8::10");
	CHECK_INT(uri.port, 5070);
	CHECK_STR(uri.params, ";lr");
	return 0;
}

/* RFC 5118 §4.2: an IPv6 host must be bracketed. */
static int test_uri_ipv6_without_brackets_rejected(void)
{
	CHECK_BAD("sip:2001:db8::10", "Malformed URI host", 4);
	CHECK_BAD("sip:user@2001:db8::10", "Malformed URI host", 9);
	return 0;
}

/* RFC 5118 §4.3: a port inside the brackets is part of the address. */
static int test_uri_ipv6_port_inside_brackets_is_address(void)
{
	struct sip_uri uri;

	CHECK_PARSE("sip:[2001:db8::10:5070]", &uri);
	CHECK_STR(uri.host, "2001:db8::10:5070");
	CHECK_INT(uri.host_type, SIP_HOST_IPV6);
	CHECK_INT(uri.port, 0);
	return 0;
}

/* RFC 5118 §4.10: RFC 3261's ABNF allowed ":::", so accept it. */
static int test_uri_three_colon_ipv6_tolerated(void)
{
	struct sip_uri uri;

	CHECK_PARSE("sip:[2001:db8:::192.0.2.1]", &uri);
	CHECK_STR(uri.host, "2001:db8:::192.0.2.1");
	CHECK_INT(uri.host_type, SIP_HOST_IPV6);
	return 0;
}

static int test_uri_ipv6_malformed_reference_rejected(void)
{
	CHECK_BAD("sip:[2001:db8::10", "Malformed URI host", 4);
	CHECK_BAD("sip:[2001:db8::g]", "Malformed URI host", 4);
	CHECK_BAD("sip:[]", "Malformed URI host", 4);
	CHECK_BAD("sip:[::1]x", "Malformed URI host", 9);
	return 0;
}

static int test_uri_hostname_label_rules(void)
{
	struct sip_uri uri;

	CHECK_PARSE("sip:3com.example.com.", &uri);
	CHECK_STR(uri.host, "3com.example.com.");
	CHECK_INT(uri.host_type, SIP_HOST_NAME);
	CHECK_BAD("sip:host-.com", "Malformed URI host", 4);
	CHECK_BAD("sip:a..b", "Malformed URI host", 4);
	CHECK_BAD("sip:-a.b", "Malformed URI host", 4);
	/* Neither a dotted quad within 0..255 nor a toplabel starting ALPHA. */
	CHECK_BAD("sip:256.0.0.1", "Malformed URI host", 4);
	CHECK_BAD("sip:u@12345", "Malformed URI host", 6);
	CHECK_BAD("sip:u@", "Malformed URI host", 6);
	CHECK_BAD("sip:u@ex_ample.com", "Malformed URI host", 8);
	return 0;
}

/* RFC 4475 esc01: escapes stay as written. */
static int test_uri_escapes_kept_as_written(void)
{
	struct sip_uri uri;
	char buf[64];

	CHECK_PARSE("sip:sips%3Auser%40example.com@example.net", &uri);
	CHECK_INT(uri.scheme, SIP_URI_SIP);
	CHECK_STR(uri.user, "sips%3Auser%40example.com");
	CHECK_STR(uri.host, "example.net");
	CHECK_INT(sip_unescape(uri.user, buf, sizeof(buf)), 21);
	CHECK(memcmp(buf, "sips:user@example.com", 21) == 0);
	return 0;
}

/*
 * esc01's Contact: "v%61lue%25%34%31" decodes once to the text
 * "value%41", which is not "valueA": escapes must not be decoded twice.
 */
static int test_uri_escape_value41_distinct_from_valueA(void)
{
	static const char contact[] =
	    "sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31";
	struct sip_uri uri;
	struct tnd_slice value;
	char buf[32];

	CHECK_PARSE(contact, &uri);
	CHECK_STR(uri.user, "cal%6Cer");
	CHECK_STR(uri.params, ";%6C%72;n%61me=v%61lue%25%34%31");
	CHECK(sip_uri_param(&uri, "lr", &value));
	CHECK_INT(value.len, 0);
	CHECK(sip_uri_param(&uri, "name", &value));
	CHECK_STR(value, "v%61lue%25%34%31");
	CHECK_INT(sip_unescape(value, buf, sizeof(buf)), 8);
	CHECK(memcmp(buf, "value%41", 8) == 0);
	CHECK_EQ(contact, "sip:caller@host5.example.net;lr;name=valueA", false);
	CHECK_EQ(contact, "sip:caller@host5.example.net;lr;name=value%2541",
		 true);
	return 0;
}

/* RFC 4475 escnull. */
static int test_uri_unescape_nul_is_binary(void)
{
	struct sip_uri uri;
	char buf[16];

	CHECK_PARSE("sip:null-%00-null@example.com", &uri);
	CHECK_STR(uri.user, "null-%00-null");
	CHECK_INT(sip_unescape(uri.user, buf, sizeof(buf)), 11);
	CHECK(memcmp(buf, "null-\0-null", 11) == 0);
	CHECK_INT(buf[5], 0);
	return 0;
}

static int test_uri_unescape_refuses_small_buffer_and_bad_escape(void)
{
	char buf[4];

	CHECK_INT(sip_unescape(S("a%41b"), buf, 3), 3);
	CHECK(memcmp(buf, "aAb", 3) == 0);
	CHECK(sip_unescape(S("a%41b"), buf, 2) == (size_t)-1);
	CHECK(sip_unescape(S("%4"), buf, sizeof(buf)) == (size_t)-1);
	CHECK(sip_unescape(S("%zz"), buf, sizeof(buf)) == (size_t)-1);
	CHECK(sip_unescape(S("ab%"), buf, sizeof(buf)) == (size_t)-1);
	CHECK_INT(sip_unescape(S(""), buf, 0), 0);
	CHECK_INT(sip_unescape(S("%7e%7E"), buf, sizeof(buf)), 2);
	CHECK(memcmp(buf, "~~", 2) == 0);
	return 0;
}

static int test_uri_bad_escape_rejected(void)
{
	CHECK_BAD("sip:us%4@example.com", "Bad escape in URI", 6);
	CHECK_BAD("sip:user@example.com;p=%G1", "Bad escape in URI", 23);
	CHECK_BAD("sip:user@example.com?h=%", "Bad escape in URI", 23);
	CHECK_BAD("mailto:a%2", "Bad escape in URI", 8);
	/* An escape is well formed but a host may not hold one. */
	CHECK_BAD("sip:u@ex%41mple.com", "Malformed URI host", 8);
	return 0;
}

static int test_uri_params_and_flags(void)
{
	struct sip_uri uri;
	struct tnd_slice value;

	CHECK_PARSE("sip:proxy.example.com;transport=tcp;lr", &uri);
	CHECK_STR(uri.params, ";transport=tcp;lr");
	CHECK(sip_uri_param(&uri, "transport", &value));
	CHECK_STR(value, "tcp");
	CHECK(sip_uri_param(&uri, "TRANSPORT", &value));
	CHECK_STR(value, "tcp");
	CHECK(sip_uri_param(&uri, "lr", &value));
	CHECK_INT(value.len, 0);
	CHECK(sip_uri_param(&uri, "lr", NULL));
	CHECK(!sip_uri_param(&uri, "maddr", &value));
	CHECK(!sip_uri_param(&uri, "l", NULL));
	CHECK(!sip_uri_param(&uri, "transports", NULL));
	return 0;
}

static int test_uri_param_repeated_first_wins(void)
{
	struct sip_uri uri;
	struct tnd_slice value;

	CHECK_PARSE("sip:h.example.com;ttl=1;maddr=[2001:db8::1];ttl=2", &uri);
	CHECK(sip_uri_param(&uri, "ttl", &value));
	CHECK_STR(value, "1");
	CHECK(sip_uri_param(&uri, "maddr", &value));
	CHECK_STR(value, "[2001:db8::1]");
	return 0;
}

static int test_uri_malformed_params_rejected(void)
{
	CHECK_BAD("sip:h.com;", "Malformed URI parameter", 10);
	CHECK_BAD("sip:h.com;=x", "Malformed URI parameter", 10);
	CHECK_BAD("sip:h.com;a=", "Malformed URI parameter", 12);
	CHECK_BAD("sip:h.com;a;;b", "Malformed URI parameter", 12);
	CHECK_BAD("sip:h.com;a=b{c", "Malformed URI parameter", 13);
	return 0;
}

static int test_uri_headers_after_question_mark(void)
{
	struct sip_uri uri;

	CHECK_PARSE("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
		    &uri);
	CHECK_STR(uri.host, "atlanta.com");
	CHECK_INT(uri.params.len, 0);
	CHECK_STR(uri.headers, "subject=project%20x&priority=urgent");
	/*
	 * RFC 4475 escruri: a valid URI, refused only as a Request-URI
	 * (RFC 3261 §19.1.1), which is the message parser's business. An
	 * empty hvalue is allowed.
	 */
	CHECK_PARSE("sip:user@example.com;lr"
		    "?Route=%3Csip:example.com%3E&X=",
		    &uri);
	CHECK_STR(uri.params, ";lr");
	CHECK_STR(uri.headers, "Route=%3Csip:example.com%3E&X=");
	return 0;
}

static int test_uri_malformed_headers_rejected(void)
{
	CHECK_BAD("sip:h.com?", "Malformed URI header", 10);
	CHECK_BAD("sip:h.com?a", "Malformed URI header", 11);
	CHECK_BAD("sip:h.com?=b", "Malformed URI header", 10);
	CHECK_BAD("sip:h.com?a=b&", "Malformed URI header", 14);
	CHECK_BAD("sip:h.com?a=b;c", "Malformed URI header", 13);
	return 0;
}

static int test_uri_tel_number_and_params(void)
{
	struct sip_uri uri;
	struct tnd_slice value;

	CHECK_PARSE("tel:+1-201-555-0123;ext=1234", &uri);
	CHECK_INT(uri.scheme, SIP_URI_TEL);
	CHECK_STR(uri.scheme_text, "tel");
	CHECK_STR(uri.user, "+1-201-555-0123");
	CHECK_INT(uri.host_type, SIP_HOST_NONE);
	CHECK_INT(uri.host.len, 0);
	CHECK_STR(uri.params, ";ext=1234");
	CHECK(sip_uri_param(&uri, "ext", &value));
	CHECK_STR(value, "1234");
	CHECK_PARSE("tel:7042;phone-context=example.com", &uri);
	CHECK_STR(uri.user, "7042");
	CHECK_STR(uri.params, ";phone-context=example.com");
	CHECK_PARSE("tel:*86#(A)", &uri);
	CHECK_STR(uri.user, "*86#(A)");
	CHECK_INT(uri.params.len, 0);
	return 0;
}

static int test_uri_tel_bad_number_rejected(void)
{
	CHECK_BAD("tel:", "Malformed tel number", 4);
	CHECK_BAD("tel:+", "Malformed tel number", 4);
	CHECK_BAD("tel:-.-", "Malformed tel number", 4);
	/* Hex digits, '*' and '#' belong to local numbers only. */
	CHECK_BAD("tel:+12a4", "Malformed tel number", 7);
	CHECK_BAD("tel:12+3", "Malformed tel number", 6);
	CHECK_BAD("tel:123?x=y", "Malformed tel number", 7);
	CHECK_BAD("tel:123;", "Malformed URI parameter", 8);
	return 0;
}

/* RFC 4475 novelsc and unksm: schemes we do not know. */
static int test_uri_other_scheme_kept_opaque(void)
{
	struct sip_uri uri;

	CHECK_PARSE("mailto:alice@example.com", &uri);
	CHECK_INT(uri.scheme, SIP_URI_OTHER);
	CHECK_STR(uri.scheme_text, "mailto");
	CHECK_STR(uri.opaque, "alice@example.com");
	CHECK_INT(uri.user.len, 0);
	CHECK_INT(uri.host.len, 0);
	CHECK_INT(uri.host_type, SIP_HOST_NONE);
	CHECK_PARSE("http://www.example.com/a;b?c=d&e#f", &uri);
	CHECK_STR(uri.scheme_text, "http");
	CHECK_STR(uri.opaque, "//www.example.com/a;b?c=d&e#f");
	CHECK_INT(uri.params.len, 0);
	CHECK_PARSE("soap.beep://192.0.2.103:3002", &uri);
	CHECK_STR(uri.scheme_text, "soap.beep");
	CHECK_STR(uri.opaque, "//192.0.2.103:3002");
	CHECK_PARSE("isbn:2983792873", &uri);
	CHECK_STR(uri.opaque, "2983792873");
	return 0;
}

static int test_uri_scheme_must_be_valid(void)
{
	CHECK_BAD("", "Empty URI", 0);
	CHECK_BAD("example.com", "Malformed URI scheme", 11);
	CHECK_BAD("alice@example.com", "Malformed URI scheme", 5);
	CHECK_BAD(":alice", "Malformed URI scheme", 0);
	CHECK_BAD("1sip:alice", "Malformed URI scheme", 0);
	CHECK_BAD("urn:", "Empty URI after scheme", 4);
	return 0;
}

/* RFC 4475 lwsruri: whitespace is never inside a URI. */
static int test_uri_whitespace_rejected(void)
{
	static const char nul[] = "sip:user@exa\0mple.com";

	CHECK_BAD("sip:user@example.com; lr", "Whitespace in URI", 21);
	CHECK_BAD("sip:user@example.com ", "Whitespace in URI", 20);
	CHECK_BAD(" sip:user@example.com", "Whitespace in URI", 0);
	CHECK_BAD("sip:us\ter@example.com", "Whitespace in URI", 6);
	CHECK_BAD("sip:user@example.com\r\n", "Whitespace in URI", 20);
	CHECK_BAD("mailto:a b", "Whitespace in URI", 8);
	CHECK_INT(parse_bad((struct tnd_slice){ nul, sizeof(nul) - 1 },
			    "Illegal character in URI", 12),
		  0);
	CHECK_BAD("sip:u@h.com;a=\x7f", "Illegal character in URI", 14);
	CHECK_BAD("sip:\xc3\xa9@h.com", "Illegal character in URI", 4);
	CHECK_BAD("http://a/\"b\"", "Illegal character in URI", 9);
	return 0;
}

/* RFC 4475 ltgtruri: a Request-URI is not in angle brackets. */
static int test_uri_angle_brackets_rejected(void)
{
	CHECK_BAD("<sip:user@example.com>", "Angle bracket in URI", 0);
	CHECK_BAD("sip:user@example.com>", "Angle bracket in URI", 20);
	CHECK_BAD("http://a/<b", "Angle bracket in URI", 9);
	return 0;
}

static int test_uri_bad_port_rejected(void)
{
	struct sip_uri uri;

	CHECK_BAD("sip:h.com:", "Bad port in URI", 10);
	CHECK_BAD("sip:h.com:;lr", "Bad port in URI", 10);
	CHECK_BAD("sip:h.com:65536", "Bad port in URI", 10);
	CHECK_BAD("sip:h.com:99999999999999999999", "Bad port in URI", 10);
	CHECK_BAD("sip:h.com:0", "Bad port in URI", 10);
	CHECK_BAD("sip:h.com:50a", "Bad port in URI", 12);
	CHECK_BAD("sip:h.com:-1", "Bad port in URI", 10);
	CHECK_PARSE("sip:h.com:65535", &uri);
	CHECK_INT(uri.port, 65535);
	CHECK_PARSE("sip:h.com:00001", &uri);
	CHECK_INT(uri.port, 1);
	return 0;
}

static int test_uri_bad_userinfo_rejected(void)
{
	CHECK_BAD("sip:@example.com", "Malformed URI user", 4);
	CHECK_BAD("sip::pw@example.com", "Malformed URI user", 4);
	CHECK_BAD("sip:us[er@example.com", "Malformed URI user", 6);
	CHECK_BAD("sip:a@b@example.com", "Malformed URI user", 5);
	CHECK_BAD("sip:a:p;w@example.com", "Malformed URI password", 7);
	CHECK_BAD("sip:a:p:w@example.com", "Malformed URI password", 7);
	return 0;
}

static int test_uri_error_offset_points_at_fault(void)
{
	struct sip_parse_error err = { 0 };
	struct sip_uri uri;
	/* Parsed from the middle of a larger buffer: offsets are from text.p.
	 */
	static const char line[] = "INVITE sip:bob@biloxi.com:70000 SIP/2.0";
	struct tnd_slice ruri = { line + 7, 24 };

	CHECK_INT(sip_uri_parse(ruri, &uri, &err), EBADMSG);
	CHECK_INT(err.status, 400);
	CHECK(strcmp(err.what, "Bad port in URI") == 0);
	CHECK_INT(err.offset, 19);
	CHECK_INT(err.header.len, 0);
	/* Nothing half-parsed is left behind. */
	CHECK_INT(uri.port, 0);
	CHECK_INT(uri.user.len, 0);
	CHECK_INT(uri.host.len, 0);
	/* A NULL err is allowed. */
	CHECK_INT(sip_uri_parse(S("sip:h.com;"), &uri, NULL), EBADMSG);
	CHECK_INT(parse_bad(S("sip:alice@atlanta.com;transport=tcp;x=%"),
			    "Bad escape in URI", 38),
		  0);
	return 0;
}

/* RFC 3261 §19.1.4, the equal examples. */
static int test_uri_eq_rules(void)
{
	CHECK_EQ("sip:%61lice@atlanta.com;transport=TCP",
		 "sip:alice@AtLanTa.CoM;Transport=tcp", true);
	CHECK_EQ("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5",
		 true);
	CHECK_EQ("sip:carol@chicago.com", "sip:carol@chicago.com;security=on",
		 true);
	CHECK_EQ("sip:carol@chicago.com;newparam=5",
		 "sip:carol@chicago.com;security=on", true);
	CHECK_EQ("sip:biloxi.com;transport=tcp;method=REGISTER"
		 "?to=sip:bob%40biloxi.com",
		 "sip:biloxi.com;method=REGISTER;transport=tcp"
		 "?to=sip:bob%40biloxi.com",
		 true);
	CHECK_EQ("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
		 "sip:alice@atlanta.com?priority=urgent&subject=project%20x",
		 true);
	return 0;
}

/* RFC 3261 §19.1.4, the unequal examples. */
static int test_uri_eq_rules_unequal_examples(void)
{
	CHECK_EQ("SIP:ALICE@AtLanTa.CoM;Transport=udp",
		 "sip:alice@AtLanTa.CoM;Transport=UDP", false);
	CHECK_EQ("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060", false);
	CHECK_EQ("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp",
		 false);
	CHECK_EQ("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp",
		 false);
	CHECK_EQ("sip:carol@chicago.com",
		 "sip:carol@chicago.com?Subject=next%20meeting", false);
	CHECK_EQ("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4", false);
	return 0;
}

static int test_uri_eq_sticky_and_shared_params(void)
{
	CHECK_EQ("sip:h.com;maddr=239.255.255.1", "sip:h.com", false);
	CHECK_EQ("sip:h.com;ttl=15", "sip:h.com", false);
	CHECK_EQ("sip:h.com;user=phone", "sip:h.com", false);
	CHECK_EQ("sip:h.com;method=INVITE", "sip:h.com", false);
	CHECK_EQ("sip:h.com;lr", "sip:h.com;lr=on", false);
	CHECK_EQ("sip:h.com;lr", "sip:h.com", true);
	CHECK_EQ("sip:h.com;foo=A;lr", "sip:h.com;LR;FOO=a", true);
	CHECK_EQ("sip:h.com;foo=1", "sip:h.com;foo=2", false);
	CHECK_EQ("sip:h.com;tr%61nsport=tcp", "sip:h.com;transport=TCP", true);
	return 0;
}

static int test_uri_eq_userinfo_case_and_reserved_escapes(void)
{
	CHECK_EQ("sip:Alice@h.com", "sip:alice@h.com", false);
	CHECK_EQ("sip:alice:pw@h.com", "sip:alice:PW@h.com", false);
	CHECK_EQ("sip:alice:pw@h.com", "sip:alice@h.com", false);
	CHECK_EQ("sip:alice:p%77@h.com", "sip:alice:pw@h.com", true);
	/* RFC 3261 §19.1.4: a reserved character differs from its escape. */
	CHECK_EQ("sip:a%3Bb@h.com", "sip:a;b@h.com", false);
	CHECK_EQ("sip:a%3bb@h.com", "sip:a%3Bb@h.com", true);
	CHECK_EQ("sip:h.com", "sip:alice@h.com", false);
	CHECK_EQ("sip:alice@h.com", "sips:alice@h.com", false);
	CHECK_EQ("sip:u@[2001:DB8::1]", "sip:u@[2001:db8::1]", true);
	return 0;
}

static int test_uri_eq_headers_must_match(void)
{
	CHECK_EQ("sip:h.com?a=1&b=2", "sip:h.com?B=2&A=1", true);
	CHECK_EQ("sip:h.com?a=1&b=2", "sip:h.com?a=1", false);
	CHECK_EQ("sip:h.com?subject=Hi", "sip:h.com?subject=hi", false);
	CHECK_EQ("sip:h.com?a=1&a=2", "sip:h.com?a=2&a=1", true);
	CHECK_EQ("sip:h.com?a=%31", "sip:h.com?a=1", true);
	return 0;
}

/* RFC 3966 §4. */
static int test_uri_eq_tel(void)
{
	CHECK_EQ("tel:+1-201-555-0123", "tel:+1(201)5550123", true);
	CHECK_EQ("tel:+12015550123", "tel:12015550123", false);
	CHECK_EQ("tel:7042;phone-context=Example.COM",
		 "tel:7042;phone-context=example.com", true);
	CHECK_EQ("tel:7042;phone-context=+1-201",
		 "tel:7042;phone-context=+1201", true);
	CHECK_EQ("tel:7042;phone-context=+1201", "tel:7042", false);
	CHECK_EQ("tel:+1201;ext=1-2;isub=x", "tel:+1201;isub=X;ext=12", true);
	CHECK_EQ("tel:abc", "tel:ABC", true);
	return 0;
}

static int test_uri_eq_other_scheme_as_text(void)
{
	CHECK_EQ("mailto:alice@example.com", "MAILTO:alice@example.com", true);
	CHECK_EQ("mailto:alice@example.com", "mailto:Alice@example.com", false);
	CHECK_EQ("mailto:alice@example.com", "sip:alice@example.com", false);
	CHECK_EQ("urn:a", "urx:a", false);
	return 0;
}

/*
 * A URI with more parameters than anyone writes is compared as text, so
 * equality cannot be made to cost the product of two long lists.
 */
static int test_uri_eq_long_param_lists_compare_as_text(void)
{
	char a[1024], b[1024];
	size_t n = 0;

	n += (size_t)snprintf(a + n, sizeof(a) - n, "sip:h.com");
	for (int i = 0; i < 70; i++)
		n += (size_t)snprintf(a + n, sizeof(a) - n, ";p%d", i);
	memcpy(b, a, n + 1);
	CHECK_EQ(a, b, true);
	b[10] = 'P'; /* ";P0": equal by the rules, different as text */
	CHECK_EQ(a, b, false);
	CHECK_EQ("sip:h.com;p0;p1", "sip:h.com;P0;p1", true);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_uri_sip_user_host_port),
	TEST(test_uri_scheme_is_case_insensitive),
	TEST(test_uri_user_and_password),
	TEST(test_uri_unusual_userinfo_characters),
	TEST(test_uri_without_at_has_no_user),
	TEST(test_uri_user_may_hold_semicolon),
	TEST(test_uri_ipv4_host),
	TEST(test_uri_ipv6_reference),
	TEST(test_uri_ipv6_without_brackets_rejected),
	TEST(test_uri_ipv6_port_inside_brackets_is_address),
	TEST(test_uri_three_colon_ipv6_tolerated),
	TEST(test_uri_ipv6_malformed_reference_rejected),
	TEST(test_uri_hostname_label_rules),
	TEST(test_uri_escapes_kept_as_written),
	TEST(test_uri_escape_value41_distinct_from_valueA),
	TEST(test_uri_unescape_nul_is_binary),
	TEST(test_uri_unescape_refuses_small_buffer_and_bad_escape),
	TEST(test_uri_bad_escape_rejected),
	TEST(test_uri_params_and_flags),
	TEST(test_uri_param_repeated_first_wins),
	TEST(test_uri_malformed_params_rejected),
	TEST(test_uri_headers_after_question_mark),
	TEST(test_uri_malformed_headers_rejected),
	TEST(test_uri_tel_number_and_params),
	TEST(test_uri_tel_bad_number_rejected),
	TEST(test_uri_other_scheme_kept_opaque),
	TEST(test_uri_scheme_must_be_valid),
	TEST(test_uri_whitespace_rejected),
	TEST(test_uri_angle_brackets_rejected),
	TEST(test_uri_bad_port_rejected),
	TEST(test_uri_bad_userinfo_rejected),
	TEST(test_uri_error_offset_points_at_fault),
	TEST(test_uri_eq_rules),
	TEST(test_uri_eq_rules_unequal_examples),
	TEST(test_uri_eq_sticky_and_shared_params),
	TEST(test_uri_eq_userinfo_case_and_reserved_escapes),
	TEST(test_uri_eq_headers_must_match),
	TEST(test_uri_eq_tel),
	TEST(test_uri_eq_other_scheme_as_text),
	TEST(test_uri_eq_long_param_lists_compare_as_text),
};

TEST_MAIN(cases)
