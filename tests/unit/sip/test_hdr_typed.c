/*
 * Typed header parsers of hdr_auth.c, hdr_lists.c and hdr_misc.c:
 * challenges and credentials (RFC 3261 §25.1, RFC 7616), token lists,
 * Content-Type, RAck (RFC 3262), Replaces (RFC 3891), Event and
 * Subscription-State (RFC 6665) and Session-Expires (RFC 4028).
 * Examples come from those RFCs and RFC 3665 / RFC 4475.
 */
#include <stdio.h>
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

/* ---- WWW-Authenticate / Authorization ---------------------------------- */

/* RFC 3261 §20.44, as folded in the RFC. */
static int test_auth_digest_challenge_fields(void)
{
	const char *v =
	    "Digest realm=\"atlanta.com\",\r\n"
	    "        domain=\"sip:boxesbybob.com\", qop=\"auth\",\r\n"
	    "        nonce=\"f84f1cec41e6cbe5aea9c8e88d359\",\r\n"
	    "        opaque=\"\", stale=FALSE, algorithm=MD5";
	struct sip_auth a;
	struct sip_parse_error err;

	CHECK_INT(sip_auth_parse(S(v), &a, &err), 0);
	CHECK_STR(a.scheme, "Digest");
	CHECK_STR(a.realm, "atlanta.com");
	CHECK_STR(a.domain, "sip:boxesbybob.com");
	CHECK_STR(a.qop, "auth");
	CHECK_STR(a.nonce, "f84f1cec41e6cbe5aea9c8e88d359");
	CHECK_STR(a.opaque, "");
	CHECK(a.opaque.p != NULL); /* present though empty */
	CHECK_STR(a.stale, "FALSE");
	CHECK_STR(a.algorithm, "MD5");
	CHECK(a.username.p == NULL && a.response.p == NULL);
	CHECK(a.params.p == v + 7);
	CHECK_INT(a.params.len, strlen(v) - 7);
	return 0;
}

/* RFC 7616 §3.9.1, with the scheme alone on the first line. */
static int test_auth_credentials_with_folding(void)
{
	const char *v =
	    "Digest\r\n"
	    "    username=\"Mufasa\",\r\n"
	    "    realm=\"http-auth@example.org\",\r\n"
	    "    uri=\"/dir/index.html\",\r\n"
	    "    algorithm=SHA-256,\r\n"
	    "    nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n"
	    "    nc=00000001,\r\n"
	    "    cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\",\r\n"
	    "    qop=auth,\r\n"
	    "    response=\"753927fa0e85d155564e2e272a28d1802ca10daf44967"
	    "94697cf8db5856cb6c1\",\r\n"
	    "    opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
	struct sip_auth a;

	CHECK_INT(sip_auth_parse(S(v), &a, NULL), 0);
	CHECK_STR(a.scheme, "Digest");
	CHECK_STR(a.username, "Mufasa");
	CHECK_STR(a.realm, "http-auth@example.org");
	CHECK_STR(a.uri, "/dir/index.html");
	CHECK_STR(a.algorithm, "SHA-256");
	CHECK_STR(a.nonce, "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v");
	CHECK_STR(a.nc, "00000001");
	CHECK_STR(a.cnonce, "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
	CHECK_STR(a.qop, "auth");
	CHECK_STR(a.response, "753927fa0e85d155564e2e272a28d1802ca10daf4496794"
			      "697cf8db5856cb6c1");
	CHECK_STR(a.opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
	CHECK(a.params.p == strstr(v, "username="));
	return 0;
}

/* RFC 3665 §2.1, message F3: REGISTER credentials with an empty opaque. */
static int test_auth_register_credentials(void)
{
	const char *v =
	    "Digest username=\"bob\", realm=\"atlanta.example.com\",\r\n"
	    " nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", opaque=\"\",\r\n"
	    " uri=\"sips:ss2.biloxi.example.com\",\r\n"
	    " response=\"dfe56131d1958046689d83306477ecc\"";
	struct sip_auth a;

	CHECK_INT(sip_auth_parse(S(v), &a, NULL), 0);
	CHECK_STR(a.username, "bob");
	CHECK_STR(a.realm, "atlanta.example.com");
	CHECK_STR(a.nonce, "ea9c8e88df84f1cec4341ae6cbe5a359");
	CHECK_STR(a.opaque, "");
	CHECK_STR(a.uri, "sips:ss2.biloxi.example.com");
	CHECK_STR(a.response, "dfe56131d1958046689d83306477ecc");
	CHECK(a.cnonce.p == NULL && a.nc.p == NULL && a.qop.p == NULL);
	return 0;
}

/* RFC 4475 regaut01: a scheme nobody knows still parses. */
static int test_auth_unknown_scheme_parses(void)
{
	struct sip_auth a;
	struct tnd_slice v;

	CHECK_INT(sip_auth_parse(S("NoOneKnowsThisScheme opaque-data=here"), &a,
				 NULL),
		  0);
	CHECK_STR(a.scheme, "NoOneKnowsThisScheme");
	CHECK_STR(a.params, "opaque-data=here");
	CHECK(a.opaque.p == NULL); /* opaque-data is not opaque */
	CHECK(sip_auth_param(&a, "OPAQUE-DATA", &v));
	CHECK_STR(v, "here");
	return 0;
}

/* Scheme and parameter names are tokens: case-insensitive (§7.3.1). */
static int test_auth_names_case_insensitive(void)
{
	struct sip_auth a;
	struct tnd_slice v;

	CHECK_INT(
	    sip_auth_parse(S("dIGEST REALM=\"Biloxi\", Nonce=abc"), &a, NULL),
	    0);
	CHECK_STR(a.scheme, "dIGEST"); /* as written */
	CHECK_STR(a.realm, "Biloxi");  /* quoted values keep their case */
	CHECK_STR(a.nonce, "abc");
	CHECK(sip_auth_param(&a, "realm", &v));
	CHECK_STR(v, "Biloxi");
	return 0;
}

/* RFC 7616 parameters without a convenience field, as in §3.9.2. */
static int test_auth_param_finds_other_params(void)
{
	const char *v =
	    "Digest realm=\"api@example.org\", qop=\"auth\",\r\n"
	    "  algorithm=SHA-512-256,\r\n"
	    "  nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\",\r\n"
	    "  opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\",\r\n"
	    "  charset=UTF-8, userhash=true";
	struct sip_auth a;
	struct tnd_slice got;

	CHECK_INT(sip_auth_parse(S(v), &a, NULL), 0);
	CHECK(sip_auth_param(&a, "charset", &got));
	CHECK_STR(got, "UTF-8");
	CHECK(sip_auth_param(&a, "userhash", &got));
	CHECK_STR(got, "true");
	CHECK(sip_auth_param(&a, "qop", &got));
	CHECK_STR(got, "auth"); /* unquoted, as the fields are */
	CHECK(sip_auth_param(&a, "algorithm", NULL));
	CHECK(!sip_auth_param(&a, "stale", &got));
	CHECK(!sip_auth_param(&a, "charse", &got));
	return 0;
}

/* Commas and escaped quotes inside a quoted value belong to the value. */
static int test_auth_quoted_values_kept_as_written(void)
{
	struct sip_auth a;

	CHECK_INT(sip_auth_parse(S("Digest realm=\"say \\\"hi\\\", then go\","
				   " qop=\"auth,auth-int\""),
				 &a, NULL),
		  0);
	CHECK_STR(a.realm, "say \\\"hi\\\", then go");
	CHECK_STR(a.qop, "auth,auth-int");
	return 0;
}

static int test_auth_duplicate_param_rejected(void)
{
	struct sip_auth a;
	struct sip_parse_error err;
	int rc;

	rc = sip_auth_parse(S("Digest realm=\"a\", nonce=\"n\", REALM=\"b\""),
			    &a, &err);
	CHECK_FAIL(rc, err, "Duplicate auth parameter", 29);
	/* Unknown parameters may not repeat either (RFC 7616 §3.3). */
	rc = sip_auth_parse(S("Foo x=1, y=2, x=1"), &a, &err);
	CHECK_FAIL(rc, err, "Duplicate auth parameter", 14);
	return 0;
}

static int test_auth_unterminated_quote_rejected(void)
{
	struct sip_auth a;
	struct sip_parse_error err;
	int rc;

	rc = sip_auth_parse(S("Digest realm=\"atlanta.com, nonce=abc"), &a,
			    &err);
	CHECK_FAIL(rc, err, "Unterminated quoted string", 13);
	/* A backslash cannot escape the end of the value. */
	rc = sip_auth_parse(S("Digest realm=\"a\\\""), &a, &err);
	CHECK_FAIL(rc, err, "Unterminated quoted string", 13);
	return 0;
}

static int test_auth_missing_scheme_rejected(void)
{
	struct sip_auth a;
	struct sip_parse_error err;
	int rc;

	rc = sip_auth_parse(S("\"Digest\" realm=x"), &a, &err);
	CHECK_FAIL(rc, err, "Missing auth scheme", 0);
	rc = sip_auth_parse(S("realm=\"x\""), &a, &err);
	CHECK_FAIL(rc, err, "Malformed auth scheme", 5);
	rc = sip_auth_parse(S("Digest"), &a, &err);
	CHECK_FAIL(rc, err, "Missing auth parameters", 6);
	return 0;
}

static int test_auth_param_without_value_rejected(void)
{
	struct sip_auth a;
	struct sip_parse_error err;
	int rc;

	rc = sip_auth_parse(S("Digest realm, nonce=\"x\""), &a, &err);
	CHECK_FAIL(rc, err, "Auth parameter without value", 12);
	rc = sip_auth_parse(S("Digest realm=, nonce=\"x\""), &a, &err);
	CHECK_FAIL(rc, err, "Malformed auth parameter value", 13);
	/* RFC 8898 token68 credentials are not auth-params */
	rc = sip_auth_parse(S("Bearer mF_9.B5f-4.1JqM"), &a, &err);
	CHECK_FAIL(rc, err, "Auth parameter without value", 22);
	return 0;
}

static int test_auth_empty_param_rejected(void)
{
	struct sip_auth a;
	struct sip_parse_error err;
	int rc;

	rc = sip_auth_parse(S("Digest realm=\"a\",,nonce=\"b\""), &a, &err);
	CHECK_FAIL(rc, err, "Empty auth parameter", 17);
	rc = sip_auth_parse(S("Digest realm=\"a\", "), &a, &err);
	CHECK_FAIL(rc, err, "Empty auth parameter", 18);
	rc = sip_auth_parse(S("Digest , realm=\"a\""), &a, &err);
	CHECK_FAIL(rc, err, "Empty auth parameter", 7);
	rc = sip_auth_parse(S("Digest realm=\"a\", @=b"), &a, &err);
	CHECK_FAIL(rc, err, "Malformed auth parameter", 18);
	return 0;
}

static int test_auth_trailing_garbage_rejected(void)
{
	struct sip_auth a;
	struct sip_parse_error err;
	int rc;

	rc = sip_auth_parse(S("Digest realm=\"a\" nonce=\"b\""), &a, &err);
	CHECK_FAIL(rc, err, "Malformed auth parameter list", 17);
	rc = sip_auth_parse(S("Digest realm=\"a\"x"), &a, &err);
	CHECK_FAIL(rc, err, "Malformed auth parameter list", 16);
	return 0;
}

static int test_auth_too_many_params_rejected(void)
{
	char v[1024];
	size_t len = (size_t)snprintf(v, sizeof(v), "Digest p0=0");
	struct sip_auth a;
	struct sip_parse_error err;

	for (int i = 1; i < 64; i++)
		len +=
		    (size_t)snprintf(v + len, sizeof(v) - len, ",p%d=%d", i, i);
	CHECK_INT(sip_auth_parse(S(v), &a, &err), 0);
	CHECK_INT(a.params.len, len - 7);
	snprintf(v + len, sizeof(v) - len, ",p64=64");
	CHECK_FAIL(sip_auth_parse(S(v), &a, &err), err,
		   "Too many auth parameters", len + 1);
	return 0;
}

/* ---- Token lists --------------------------------------------------------- */

static int test_tokens_check_accepts_lws(void)
{
	struct sip_parse_error err;

	CHECK_INT(sip_tokens_check(S("100rel,timer"), &err), 0);
	CHECK_INT(sip_tokens_check(S("100rel , timer\t,\r\n replaces"), &err),
		  0);
	CHECK_INT(
	    sip_tokens_check(S("INVITE, ACK, OPTIONS, CANCEL, BYE"), &err), 0);
	return 0;
}

/* "Supported:" with nothing after it says "no extensions" (§20.37). */
static int test_tokens_check_accepts_empty_list(void)
{
	CHECK_INT(sip_tokens_check(S(""), NULL), 0);
	CHECK_INT(sip_tokens_check(TND_SLICE_NULL, NULL), 0);
	CHECK(!sip_tokens_contains(S(""), "timer"));
	return 0;
}

static int test_tokens_check_rejects_empty_element(void)
{
	struct sip_parse_error err;
	int rc;

	rc = sip_tokens_check(S("100rel,,timer"), &err);
	CHECK_FAIL(rc, err, "Empty element in token list", 7);
	rc = sip_tokens_check(S("100rel, ,timer"), &err);
	CHECK_FAIL(rc, err, "Empty element in token list", 8);
	rc = sip_tokens_check(S(",timer"), &err);
	CHECK_FAIL(rc, err, "Empty element in token list", 0);
	return 0;
}

static int test_tokens_check_rejects_trailing_comma(void)
{
	struct sip_parse_error err;
	int rc;

	rc = sip_tokens_check(S("100rel, timer,"), &err);
	CHECK_FAIL(rc, err, "Empty element in token list", 14);
	return 0;
}

static int test_tokens_check_rejects_non_token(void)
{
	struct sip_parse_error err;
	int rc;

	rc = sip_tokens_check(S("100rel, time r"), &err);
	CHECK_FAIL(rc, err, "Malformed token in list", 13);
	rc = sip_tokens_check(S("timer;x=1"), &err);
	CHECK_FAIL(rc, err, "Malformed token in list", 5);
	rc = sip_tokens_check(S("\"timer\""), &err);
	CHECK_FAIL(rc, err, "Malformed token in list", 0);
	return 0;
}

static int test_tokens_contains_is_case_insensitive(void)
{
	struct tnd_slice v = S("100REL, Timer,\r\n\treplaces");

	CHECK(sip_tokens_contains(v, "100rel"));
	CHECK(sip_tokens_contains(v, "TIMER"));
	CHECK(sip_tokens_contains(v, "replaces"));
	CHECK(!sip_tokens_contains(v, "time"));
	CHECK(!sip_tokens_contains(v, "timers"));
	CHECK(!sip_tokens_contains(v, "path"));
	return 0;
}

/* A malformed element matches nothing, but does not hide the others. */
static int test_tokens_contains_skips_malformed_elements(void)
{
	struct tnd_slice v = S("foo bar, ,timer");

	CHECK(sip_tokens_contains(v, "timer"));
	CHECK(!sip_tokens_contains(v, "foo"));
	CHECK(!sip_tokens_contains(v, "foo bar"));
	CHECK(!sip_tokens_contains(v, ""));
	return 0;
}

/* ---- Content-Type -------------------------------------------------------- */

static int test_media_type_sdp(void)
{
	struct sip_media_type m;

	CHECK_INT(sip_media_type_parse(S("application/sdp"), &m, NULL), 0);
	CHECK_STR(m.type, "application");
	CHECK_STR(m.subtype, "sdp");
	CHECK_INT(m.params.len, 0);
	CHECK_INT(sip_media_type_parse(S("application/pidf+xml"), &m, NULL), 0);
	CHECK_STR(m.subtype, "pidf+xml");
	return 0;
}

/* RFC 3261 §20.15. */
static int test_media_type_with_params(void)
{
	struct sip_media_type m;
	struct tnd_slice v;

	CHECK_INT(
	    sip_media_type_parse(S("text/html; charset=ISO-8859-4"), &m, NULL),
	    0);
	CHECK_STR(m.type, "text");
	CHECK_STR(m.subtype, "html");
	CHECK_STR(m.params, "; charset=ISO-8859-4");
	CHECK(sip_params_get(m.params, "CHARSET", &v));
	CHECK_STR(v, "ISO-8859-4");
	return 0;
}

/* SLASH is LWS "/" LWS (§25.1); quoted parameter values keep quotes. */
static int test_media_type_lws_and_quoted_param(void)
{
	struct sip_media_type m;
	struct tnd_slice v;

	CHECK_INT(sip_media_type_parse(S("multipart /\r\n mixed ;boundary="
					 "\"simple boundary\""),
				       &m, NULL),
		  0);
	CHECK_STR(m.type, "multipart");
	CHECK_STR(m.subtype, "mixed");
	CHECK_STR(m.params, ";boundary=\"simple boundary\"");
	CHECK(sip_params_get(m.params, "boundary", &v));
	CHECK_STR(v, "\"simple boundary\"");
	return 0;
}

static int test_media_type_missing_subtype_rejected(void)
{
	struct sip_media_type m;
	struct sip_parse_error err;
	int rc;

	rc = sip_media_type_parse(S("application"), &m, &err);
	CHECK_FAIL(rc, err, "Missing media subtype", 11);
	rc = sip_media_type_parse(S("application/"), &m, &err);
	CHECK_FAIL(rc, err, "Missing media subtype", 12);
	rc = sip_media_type_parse(S("/sdp"), &m, &err);
	CHECK_FAIL(rc, err, "Malformed media type", 0);
	return 0;
}

static int test_media_type_bad_params_rejected(void)
{
	struct sip_media_type m;
	struct sip_parse_error err;
	int rc;

	rc = sip_media_type_parse(S("application/sdp x"), &m, &err);
	CHECK_FAIL(rc, err, "Malformed media type", 16);
	rc = sip_media_type_parse(S("text/plain;"), &m, &err);
	CHECK_FAIL(rc, err, "Empty or malformed parameter", 11);
	rc = sip_media_type_parse(S("text/plain;charset=\"utf-8"), &m, &err);
	CHECK_FAIL(rc, err, "Malformed parameter value", 19);
	return 0;
}

/* ---- RAck ---------------------------------------------------------------- */

/* RFC 3262 §7.2. */
static int test_rack_fields(void)
{
	struct sip_rack r;

	CHECK_INT(sip_rack_parse(S("776656 1 INVITE"), &r, NULL), 0);
	CHECK_INT(r.rseq, 776656);
	CHECK_INT(r.cseq, 1);
	CHECK_INT(r.method, SIP_METHOD_INVITE);
	CHECK_STR(r.method_name, "INVITE");
	return 0;
}

static int test_rack_folding_and_extension_method(void)
{
	struct sip_rack r;

	CHECK_INT(
	    sip_rack_parse(S("4294967295\r\n 4294967295\t FOO"), &r, NULL), 0);
	CHECK_INT(r.rseq, 4294967295u);
	CHECK_INT(r.cseq, 4294967295u);
	CHECK_INT(r.method, SIP_METHOD_UNKNOWN);
	CHECK_STR(r.method_name, "FOO");
	/* Methods are case-sensitive (RFC 3261 §7.1). */
	CHECK_INT(sip_rack_parse(S("1 2 invite"), &r, NULL), 0);
	CHECK_INT(r.method, SIP_METHOD_UNKNOWN);
	CHECK_STR(r.method_name, "invite");
	return 0;
}

static int test_rack_overflow_rejected(void)
{
	struct sip_rack r;
	struct sip_parse_error err;
	int rc;

	rc = sip_rack_parse(S("4294967296 1 INVITE"), &r, &err);
	CHECK_FAIL(rc, err, "Number too large", 0);
	rc = sip_rack_parse(S("1 99999999999999999999 INVITE"), &r, &err);
	CHECK_FAIL(rc, err, "Number too large", 2);
	return 0;
}

static int test_rack_malformed_rejected(void)
{
	struct sip_rack r;
	struct sip_parse_error err;
	int rc;

	rc = sip_rack_parse(S("776656 1"), &r, &err);
	CHECK_FAIL(rc, err, "Malformed RAck header", 8);
	rc = sip_rack_parse(S("776656 1INVITE"), &r, &err);
	CHECK_FAIL(rc, err, "Malformed RAck header", 8);
	rc = sip_rack_parse(S("776656,1 INVITE"), &r, &err);
	CHECK_FAIL(rc, err, "Malformed RAck header", 6);
	rc = sip_rack_parse(S("-1 1 INVITE"), &r, &err);
	CHECK_FAIL(rc, err, "Malformed RAck header", 0);
	rc = sip_rack_parse(S("1 1 INVITE x"), &r, &err);
	CHECK_FAIL(rc, err, "Malformed RAck header", 11);
	return 0;
}

/* ---- Replaces ------------------------------------------------------------ */

/* RFC 3891 §6.1. */
static int test_replaces_tags_and_early_only(void)
{
	struct sip_replaces r;

	CHECK_INT(
	    sip_replaces_parse(S("98732@sip.example.com;from-tag=r33th4x0r"
				 ";to-tag=ff87ff;early-only"),
			       &r, NULL),
	    0);
	CHECK_STR(r.call_id, "98732@sip.example.com");
	CHECK_STR(r.from_tag, "r33th4x0r");
	CHECK_STR(r.to_tag, "ff87ff");
	CHECK(r.early_only);
	CHECK_STR(r.params, ";from-tag=r33th4x0r;to-tag=ff87ff;early-only");
	return 0;
}

/* RFC 3891 §7, with LWS and case the grammar allows. */
static int test_replaces_without_early_only(void)
{
	struct sip_replaces r;

	CHECK_INT(
	    sip_replaces_parse(S("425928@bobster.example.org ; TO-TAG=7743"
				 ";from-tag=6472;x=1"),
			       &r, NULL),
	    0);
	CHECK_STR(r.call_id, "425928@bobster.example.org");
	CHECK_STR(r.to_tag, "7743");
	CHECK_STR(r.from_tag, "6472");
	CHECK(!r.early_only);
	CHECK(sip_params_get(r.params, "x", NULL));
	/* Call-ID words without a host, with word characters. */
	CHECK_INT(sip_replaces_parse(
		      S("a84b{4c}76:e6/67?10;to-tag=1;from-tag=2"), &r, NULL),
		  0);
	CHECK_STR(r.call_id, "a84b{4c}76:e6/67?10");
	return 0;
}

static int test_replaces_missing_to_tag_rejected(void)
{
	struct sip_replaces r;
	struct sip_parse_error err;
	int rc;

	rc = sip_replaces_parse(S("425928@bobster.example.org;from-tag=6472"),
				&r, &err);
	CHECK_FAIL(rc, err, "Missing to-tag in Replaces", 40);
	rc = sip_replaces_parse(S("425928@bobster.example.org;to-tag=7743"), &r,
				&err);
	CHECK_FAIL(rc, err, "Missing from-tag in Replaces", 38);
	/* A valueless tag is no tag. */
	rc = sip_replaces_parse(S("abc;to-tag;from-tag=1"), &r, &err);
	CHECK_FAIL(rc, err, "Malformed Replaces header", 10);
	return 0;
}

static int test_replaces_malformed_rejected(void)
{
	struct sip_replaces r;
	struct sip_parse_error err;
	int rc;

	rc = sip_replaces_parse(S(";to-tag=1;from-tag=2"), &r, &err);
	CHECK_FAIL(rc, err, "Malformed Call-ID in Replaces", 0);
	rc = sip_replaces_parse(S("abc@;to-tag=1;from-tag=2"), &r, &err);
	CHECK_FAIL(rc, err, "Malformed Call-ID in Replaces", 4);
	/* to-tag = "to-tag" EQUAL token: a quoted tag is not one. */
	rc = sip_replaces_parse(S("abc;to-tag=\"1\";from-tag=2"), &r, &err);
	CHECK_FAIL(rc, err, "Malformed Replaces header", 11);
	rc = sip_replaces_parse(S("abc def;to-tag=1;from-tag=2"), &r, &err);
	CHECK_FAIL(rc, err, "Malformed Replaces header", 4);
	return 0;
}

/* ---- Event --------------------------------------------------------------- */

/* RFC 3515 §2.4.6: each REFER's implicit subscription has an id. */
static int test_event_package_and_id(void)
{
	struct sip_event e;

	CHECK_INT(sip_event_parse(S("refer;id=93809824"), &e, NULL), 0);
	CHECK_STR(e.package, "refer");
	CHECK_STR(e.id, "93809824");
	CHECK_STR(e.params, ";id=93809824");
	CHECK_INT(
	    sip_event_parse(S("dialog ;\r\n ID=a.b-c;call-id=x"), &e, NULL), 0);
	CHECK_STR(e.package, "dialog");
	CHECK_STR(e.id, "a.b-c");
	return 0;
}

/* RFC 6665 §8.4: event-package *( "." event-template ). */
static int test_event_template_package(void)
{
	struct sip_event e;

	CHECK_INT(sip_event_parse(S("presence.winfo"), &e, NULL), 0);
	CHECK_STR(e.package, "presence.winfo");
	CHECK(e.id.p == NULL);
	CHECK_INT(e.params.len, 0);
	return 0;
}

static int test_event_empty_dot_part_rejected(void)
{
	struct sip_event e;
	struct sip_parse_error err;
	int rc;

	rc = sip_event_parse(S("presence..winfo"), &e, &err);
	CHECK_FAIL(rc, err, "Malformed Event header", 8);
	rc = sip_event_parse(S(".presence"), &e, &err);
	CHECK_FAIL(rc, err, "Malformed Event header", 0);
	rc = sip_event_parse(S("presence.;id=1"), &e, &err);
	CHECK_FAIL(rc, err, "Malformed Event header", 8);
	return 0;
}

static int test_event_malformed_rejected(void)
{
	struct sip_event e;
	struct sip_parse_error err;
	int rc;

	rc = sip_event_parse(S("dialog;id=\"x\""), &e, &err);
	CHECK_FAIL(rc, err, "Malformed Event header", 10);
	rc = sip_event_parse(S("dialog, presence"), &e, &err);
	CHECK_FAIL(rc, err, "Malformed Event header", 6);
	rc = sip_event_parse(S(";id=1"), &e, &err);
	CHECK_FAIL(rc, err, "Malformed Event header", 0);
	return 0;
}

/* ---- Subscription-State -------------------------------------------------- */

/* Subscription-State of NOTIFYs as RFC 6665 and RFC 3515 show them. */
static int test_substate_active_expires(void)
{
	struct sip_substate st;

	CHECK_INT(sip_substate_parse(S("active;expires=60"), &st, NULL), 0);
	CHECK_STR(st.state, "active");
	CHECK(st.has_expires);
	CHECK_INT(st.expires, 60);
	CHECK(!st.has_retry_after);
	CHECK(st.reason.p == NULL);
	CHECK_STR(st.params, ";expires=60");
	CHECK_INT(sip_substate_parse(S("pending"), &st, NULL), 0);
	CHECK_STR(st.state, "pending");
	CHECK(!st.has_expires);
	return 0;
}

static int test_substate_terminated_reason(void)
{
	struct sip_substate st;

	CHECK_INT(
	    sip_substate_parse(S("terminated;reason=noresource"), &st, NULL),
	    0);
	CHECK_STR(st.state, "terminated");
	CHECK_STR(st.reason, "noresource");
	CHECK(!st.has_expires && !st.has_retry_after);
	CHECK_INT(sip_substate_parse(S("terminated;reason=probation;"
				       "retry-after=3600"),
				     &st, NULL),
		  0);
	CHECK_STR(st.reason, "probation");
	CHECK(st.has_retry_after);
	CHECK_INT(st.retry_after, 3600);
	return 0;
}

static int test_substate_bad_expires_rejected(void)
{
	struct sip_substate st;
	struct sip_parse_error err;
	int rc;

	rc = sip_substate_parse(S("active;expires=abc"), &st, &err);
	CHECK_FAIL(rc, err, "Malformed Subscription-State header", 15);
	rc = sip_substate_parse(S("active;expires=4294967296"), &st, &err);
	CHECK_FAIL(rc, err, "Number too large", 15);
	rc = sip_substate_parse(S("active;expires"), &st, &err);
	CHECK_FAIL(rc, err, "Malformed Subscription-State header", 14);
	rc = sip_substate_parse(S("terminated;retry-after=1x"), &st, &err);
	CHECK_FAIL(rc, err, "Malformed Subscription-State header", 24);
	rc = sip_substate_parse(S("terminated;reason=\"timeout\""), &st, &err);
	CHECK_FAIL(rc, err, "Malformed Subscription-State header", 18);
	return 0;
}

/* ---- Session-Expires ----------------------------------------------------- */

/* RFC 4028 §4. */
static int test_session_expires_refresher(void)
{
	struct sip_session_expires se;

	CHECK_INT(sip_session_expires_parse(S("4000;refresher=uac"), &se, NULL),
		  0);
	CHECK_INT(se.delta, 4000);
	CHECK_INT(se.refresher, SIP_REFRESHER_UAC);
	CHECK_STR(se.params, ";refresher=uac");
	CHECK_INT(
	    sip_session_expires_parse(S("1800 ; Refresher = UAS"), &se, NULL),
	    0);
	CHECK_INT(se.delta, 1800);
	CHECK_INT(se.refresher, SIP_REFRESHER_UAS);
	return 0;
}

static int test_session_expires_without_refresher(void)
{
	struct sip_session_expires se;

	CHECK_INT(sip_session_expires_parse(S("90"), &se, NULL), 0);
	CHECK_INT(se.delta, 90);
	CHECK_INT(se.refresher, SIP_REFRESHER_NONE);
	CHECK_INT(se.params.len, 0);
	CHECK_INT(sip_session_expires_parse(S("3600;x-ext=1"), &se, NULL), 0);
	CHECK_INT(se.refresher, SIP_REFRESHER_NONE);
	CHECK_STR(se.params, ";x-ext=1");
	return 0;
}

static int test_session_expires_bad_refresher_rejected(void)
{
	struct sip_session_expires se;
	struct sip_parse_error err;
	int rc;

	rc = sip_session_expires_parse(S("1800;refresher=both"), &se, &err);
	CHECK_FAIL(rc, err, "Bad refresher in Session-Expires", 15);
	rc = sip_session_expires_parse(S("1800;refresher"), &se, &err);
	CHECK_FAIL(rc, err, "Bad refresher in Session-Expires", 14);
	rc = sip_session_expires_parse(S("1800;refresher=\"uac\""), &se, &err);
	CHECK_FAIL(rc, err, "Bad refresher in Session-Expires", 15);
	return 0;
}

static int test_session_expires_bad_delta_rejected(void)
{
	struct sip_session_expires se;
	struct sip_parse_error err;
	int rc;

	rc = sip_session_expires_parse(S("abc"), &se, &err);
	CHECK_FAIL(rc, err, "Malformed Session-Expires header", 0);
	rc = sip_session_expires_parse(S("18OO"), &se, &err);
	CHECK_FAIL(rc, err, "Malformed Session-Expires header", 2);
	rc = sip_session_expires_parse(S("99999999999"), &se, &err);
	CHECK_FAIL(rc, err, "Number too large", 0);
	rc = sip_session_expires_parse(S("1800;"), &se, &err);
	CHECK_FAIL(rc, err, "Empty or malformed parameter", 5);
	return 0;
}

/* ---- Every parser -------------------------------------------------------- */

/* Out structs are cleared first: a failed parse leaves nothing stale. */
static int test_parsers_clear_output_on_error(void)
{
	struct sip_auth a;
	struct sip_rack r;
	struct sip_session_expires se;
	struct sip_replaces rp;

	memset(&a, 0xa5, sizeof(a));
	memset(&r, 0xa5, sizeof(r));
	memset(&se, 0xa5, sizeof(se));
	memset(&rp, 0xa5, sizeof(rp));
	CHECK_INT(sip_auth_parse(S(",x"), &a, NULL), EBADMSG);
	CHECK(a.scheme.p == NULL && a.realm.p == NULL && a.params.len == 0);
	CHECK_INT(sip_rack_parse(S("x"), &r, NULL), EBADMSG);
	CHECK_INT(r.rseq, 0);
	CHECK(r.method_name.p == NULL);
	CHECK_INT(sip_session_expires_parse(S(""), &se, NULL), EBADMSG);
	CHECK_INT(se.refresher, SIP_REFRESHER_NONE);
	CHECK_INT(sip_replaces_parse(S("x;to-tag=1"), &rp, NULL), EBADMSG);
	CHECK(!rp.early_only && rp.from_tag.p == NULL);
	return 0;
}

/*
 * Every prefix of a valid value, in a heap block of exactly its length,
 * so that a read past the slice trips the address sanitizer. Results are
 * ignored: most prefixes are malformed, and must just fail cleanly.
 */
static void parse_all(struct tnd_slice v)
{
	struct sip_auth a;
	struct sip_media_type m;
	struct sip_rack r;
	struct sip_replaces rp;
	struct sip_event e;
	struct sip_substate st;
	struct sip_session_expires se;
	struct sip_parse_error err;

	(void)sip_auth_parse(v, &a, &err);
	(void)sip_tokens_check(v, &err);
	(void)sip_tokens_contains(v, "timer");
	(void)sip_media_type_parse(v, &m, &err);
	(void)sip_rack_parse(v, &r, &err);
	(void)sip_replaces_parse(v, &rp, &err);
	(void)sip_event_parse(v, &e, &err);
	(void)sip_substate_parse(v, &st, &err);
	(void)sip_session_expires_parse(v, &se, &err);
}

static int test_parsers_never_read_past_value(void)
{
	static const char *const values[] = {
		"Digest realm=\"a\\\"b\",\r\n nonce=\"x\", stale=TRUE",
		"100rel , timer,\r\n replaces",
		"multipart/mixed;boundary=\"b\"",
		"776656\r\n 1 INVITE",
		"98732@sip.example.com;from-tag=r33;to-tag=ff;early-only",
		"presence.winfo;id=1",
		"terminated;reason=probation;retry-after=3600",
		"1800;refresher=uas",
	};

	CHECK_OK(test_each_prefix(values, sizeof(values) / sizeof(values[0]),
				  parse_all));
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_auth_digest_challenge_fields),
	TEST(test_auth_credentials_with_folding),
	TEST(test_auth_register_credentials),
	TEST(test_auth_unknown_scheme_parses),
	TEST(test_auth_names_case_insensitive),
	TEST(test_auth_param_finds_other_params),
	TEST(test_auth_quoted_values_kept_as_written),
	TEST(test_auth_duplicate_param_rejected),
	TEST(test_auth_unterminated_quote_rejected),
	TEST(test_auth_missing_scheme_rejected),
	TEST(test_auth_param_without_value_rejected),
	TEST(test_auth_empty_param_rejected),
	TEST(test_auth_trailing_garbage_rejected),
	TEST(test_auth_too_many_params_rejected),
	TEST(test_tokens_check_accepts_lws),
	TEST(test_tokens_check_accepts_empty_list),
	TEST(test_tokens_check_rejects_empty_element),
	TEST(test_tokens_check_rejects_trailing_comma),
	TEST(test_tokens_check_rejects_non_token),
	TEST(test_tokens_contains_is_case_insensitive),
	TEST(test_tokens_contains_skips_malformed_elements),
	TEST(test_media_type_sdp),
	TEST(test_media_type_with_params),
	TEST(test_media_type_lws_and_quoted_param),
	TEST(test_media_type_missing_subtype_rejected),
	TEST(test_media_type_bad_params_rejected),
	TEST(test_rack_fields),
	TEST(test_rack_folding_and_extension_method),
	TEST(test_rack_overflow_rejected),
	TEST(test_rack_malformed_rejected),
	TEST(test_replaces_tags_and_early_only),
	TEST(test_replaces_without_early_only),
	TEST(test_replaces_missing_to_tag_rejected),
	TEST(test_replaces_malformed_rejected),
	TEST(test_event_package_and_id),
	TEST(test_event_template_package),
	TEST(test_event_empty_dot_part_rejected),
	TEST(test_event_malformed_rejected),
	TEST(test_substate_active_expires),
	TEST(test_substate_terminated_reason),
	TEST(test_substate_bad_expires_rejected),
	TEST(test_session_expires_refresher),
	TEST(test_session_expires_without_refresher),
	TEST(test_session_expires_bad_refresher_rejected),
	TEST(test_session_expires_bad_delta_rejected),
	TEST(test_parsers_clear_output_on_error),
	TEST(test_parsers_never_read_past_value),
};

TEST_MAIN(cases)
