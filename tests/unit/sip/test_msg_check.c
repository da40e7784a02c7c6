/*
 * The UAS request checks of msg_check.c (RFC 3261 §8.2) on hand-written
 * requests: mandatory headers, method, Request-URI scheme, required
 * extensions, body type and Accept, with the default and a custom policy.
 */
#include <stdio.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/sip_check.h"
#include "tandem/sip_msg.h"
#include "test.h"

#define VIA \
	"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\r\n"
#define MF     "Max-Forwards: 70\r\n"
#define TO     "To: Bob <sip:bob@biloxi.example.com>\r\n"
#define FROM   "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
#define CALLID "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
#define RURI   "sip:bob@biloxi.example.com"

/* res->unsupported points into the message: keep a copy past its free. */
static char unsupported[128];

static void keep_unsupported(struct sip_check_result *res)
{
	size_t n = res->unsupported.len < sizeof(unsupported)
		       ? res->unsupported.len
		       : sizeof(unsupported);

	if (n)
		memcpy(unsupported, res->unsupported.p, n);
	res->unsupported = (struct tnd_slice){ unsupported, n };
}

/*
 * Checks `method ruri` with the mandatory headers, CSeq of that method,
 * and `extra` (header lines, then the empty line and any body).
 */
static int check(const struct sip_check_policy *policy, const char *method,
		 const char *ruri, const char *extra,
		 struct sip_check_result *res)
{
	char text[4096];
	struct sip_msg *m;
	int rc;

	snprintf(text, sizeof(text),
		 "%s %s SIP/2.0\r\n" VIA MF TO FROM CALLID "CSeq: 1 %s\r\n%s",
		 method, ruri, method, extra);
	if ((rc = sip_msg_parse(NULL, text, strlen(text), &m, NULL))) {
		sip_msg_free(m);
		return -rc; /* the parse, not the check, refused it */
	}
	rc = sip_msg_check_request(m, policy, res);
	keep_unsupported(res);
	sip_msg_free(m);
	return rc;
}

/* Checks a whole request as written. */
static int check_text(const char *text, struct sip_check_result *res)
{
	struct sip_msg *m;
	int rc;

	if ((rc = sip_msg_parse(NULL, text, strlen(text), &m, NULL))) {
		sip_msg_free(m);
		return -rc;
	}
	rc = sip_msg_check_request(m, NULL, res);
	keep_unsupported(res);
	sip_msg_free(m);
	return rc;
}

#define CHECK_PASSES(rc, res)               \
	do {                                \
		CHECK_INT((rc), 0);         \
		CHECK_INT((res).status, 0); \
	} while (0)

#define CHECK_REFUSES(rc, res, code, text)          \
	do {                                        \
		CHECK_INT((rc), EBADMSG);           \
		CHECK_INT((res).status, (code));    \
		CHECK_STR(S((res).reason), (text)); \
	} while (0)

static int test_check_valid_invite_passes(void)
{
	struct sip_check_result res;

	CHECK_PASSES(check(NULL, "INVITE", RURI,
			   "Content-Type: application/sdp\r\n"
			   "Content-Length: 4\r\n\r\nv=0\n",
			   &res),
		     res);
	CHECK_INT(res.unsupported.len, 0);
	CHECK(res.reason == NULL);
	return 0;
}

/* RFC 3261 §8.1.1: To, From, CSeq, Call-ID and Via; Max-Forwards is not
 * enforced (RFC 2543 peers omit it). */
static int test_check_missing_mandatory_header(void)
{
	static const char *const requests[] = {
		"OPTIONS " RURI " SIP/2.0\r\n" MF TO FROM CALLID
		"CSeq: 1 OPTIONS\r\n\r\n",
		"OPTIONS " RURI " SIP/2.0\r\n" VIA MF FROM CALLID
		"CSeq: 1 OPTIONS\r\n\r\n",
		"OPTIONS " RURI " SIP/2.0\r\n" VIA MF TO CALLID
		"CSeq: 1 OPTIONS\r\n\r\n",
		"OPTIONS " RURI " SIP/2.0\r\n" VIA MF TO FROM
		"CSeq: 1 OPTIONS\r\n\r\n",
		"OPTIONS " RURI " SIP/2.0\r\n" VIA MF TO FROM CALLID "\r\n",
	};
	struct sip_check_result res;

	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
		CHECK_REFUSES(check_text(requests[i], &res), res, 400,
			      "Missing Mandatory Header");
	CHECK_PASSES(check_text("OPTIONS " RURI
				" SIP/2.0\r\n" VIA TO FROM CALLID
				"CSeq: 1 OPTIONS\r\n\r\n",
				&res),
		     res);
	return 0;
}

/* A missing header is refused before the method is looked at. */
static int test_check_missing_header_before_unknown_method(void)
{
	struct sip_check_result res;

	CHECK_REFUSES(check_text("FOO " RURI " SIP/2.0\r\n" VIA TO FROM
				 "CSeq: 1 FOO\r\n\r\n",
				 &res),
		      res, 400, "Missing Mandatory Header");
	return 0;
}

static int test_check_repeated_single_valued_header(void)
{
	static const char *const extra[] = {
		FROM,
		TO,
		CALLID,
		MF,
		"CSeq: 1 OPTIONS\r\n",
		"f: <sip:carol@chicago.example.com>;tag=2\r\n",
		"i: second@h\r\n",
	};
	struct sip_check_result res;
	char text[1024];

	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		snprintf(text, sizeof(text), "%s\r\n", extra[i]);
		CHECK_REFUSES(check(NULL, "OPTIONS", RURI, text, &res), res,
			      400, "Repeated Single-Valued Header");
	}
	/* Via, Route, Contact and the like are lists: repeats are fine. */
	CHECK_PASSES(check(NULL, "OPTIONS", RURI,
			   VIA "Route: <sip:a;lr>\r\n"
			       "Route: <sip:b;lr>\r\n\r\n",
			   &res),
		     res);
	return 0;
}

/* RFC 4475 §3.3.1 (badbranch): a branch of only the magic cookie. */
static int test_check_bare_magic_cookie_branch(void)
{
	struct sip_check_result res;

	CHECK_REFUSES(
	    check_text("OPTIONS " RURI " SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK\r\n" MF TO
			   FROM CALLID "CSeq: 1 OPTIONS\r\n\r\n",
		       &res),
	    res, 400, "Branch Is Only The Magic Cookie");
	/* Only the top Via is ours to judge. */
	CHECK_PASSES(
	    check(NULL, "OPTIONS", RURI,
		  "Via: SIP/2.0/UDP h2.example.com;branch=z9hG4bK\r\n\r\n",
		  &res),
	    res);
	return 0;
}

/* RFC 3261 §8.2.1: 501 for a method we do not know. */
static int test_check_unknown_method_501(void)
{
	static const char *const methods[] = { "FOO", "invite", "NEWMETHOD" };
	struct sip_check_result res;

	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		CHECK_REFUSES(check(NULL, methods[i], RURI, "\r\n", &res), res,
			      501, "Not Implemented");
	return 0;
}

/* RFC 3261 §8.2.2.1: 416 for a scheme we cannot serve; tel is one we can. */
static int test_check_unsupported_uri_scheme_416(void)
{
	struct sip_check_result res;

	CHECK_REFUSES(check(NULL, "INVITE",
			    "nobodyknowsthisscheme:totallyopaque", "\r\n",
			    &res),
		      res, 416, "Unsupported URI Scheme");
	CHECK_REFUSES(
	    check(NULL, "OPTIONS", "http://example.com/", "\r\n", &res), res,
	    416, "Unsupported URI Scheme");
	CHECK_PASSES(check(NULL, "INVITE", "tel:+1-201-555-0123", "\r\n", &res),
		     res);
	CHECK_PASSES(
	    check(NULL, "INVITE", "sips:bob@biloxi.example.com", "\r\n", &res),
	    res);
	CHECK_PASSES(
	    check(NULL, "INVITE", "SIP:bob@biloxi.example.com", "\r\n", &res),
	    res);
	return 0;
}

/* RFC 3261 §8.2.2.3: 420 naming the first option tag we do not support. */
static int test_check_unsupported_require_420(void)
{
	struct sip_check_result res;

	CHECK_REFUSES(check(NULL, "INVITE", RURI,
			    "Require: 100rel, foo, bar\r\n\r\n", &res),
		      res, 420, "Bad Extension");
	CHECK_STR(res.unsupported, "foo");
	/* Across header lines, in order. */
	CHECK_REFUSES(check(NULL, "INVITE", RURI,
			    "Require: timer\r\n"
			    "Require:\r\n replaces ,\r\n\tnosuch\r\n\r\n",
			    &res),
		      res, 420, "Bad Extension");
	CHECK_STR(res.unsupported, "nosuch");
	/* RFC 4475 §3.3.7 (bext01): Proxy-Require too. */
	CHECK_REFUSES(check(NULL, "OPTIONS", RURI,
			    "Require: 100rel\r\n"
			    "Proxy-Require: noProxiesSupportThis\r\n\r\n",
			    &res),
		      res, 420, "Bad Extension");
	CHECK_STR(res.unsupported, "noProxiesSupportThis");
	/* Require is looked at before Proxy-Require. */
	CHECK_REFUSES(check(NULL, "OPTIONS", RURI,
			    "Proxy-Require: second\r\n"
			    "Require: first\r\n\r\n",
			    &res),
		      res, 420, "Bad Extension");
	CHECK_STR(res.unsupported, "first");
	/* Option tags compare case-insensitively; empty ones are skipped. */
	CHECK_PASSES(check(NULL, "INVITE", RURI,
			   "Require: 100REL, Timer,,\r\n"
			   "Proxy-Require:\r\n\r\n",
			   &res),
		     res);
	return 0;
}

/* CANCEL must not be refused for extensions; an ACK's 2xx stands. */
static int test_check_no_420_for_cancel_and_ack(void)
{
	struct sip_check_result res;

	CHECK_PASSES(check(NULL, "CANCEL", RURI, "Require: foo\r\n\r\n", &res),
		     res);
	CHECK_PASSES(
	    check(NULL, "ACK", RURI, "Proxy-Require: foo\r\n\r\n", &res), res);
	CHECK_REFUSES(check(NULL, "BYE", RURI, "Require: foo\r\n\r\n", &res),
		      res, 420, "Bad Extension");
	return 0;
}

/* RFC 3261 §8.2.3: 415 for a session body we do not process. */
static int test_check_unsupported_body_415(void)
{
	struct sip_check_result res;

	CHECK_REFUSES(check(NULL, "INVITE", RURI,
			    "Content-Type: text/plain\r\n"
			    "Content-Length: 2\r\n\r\nhi",
			    &res),
		      res, 415, "Unsupported Media Type");
	/* No Content-Type at all. */
	CHECK_REFUSES(
	    check(NULL, "INVITE", RURI, "Content-Length: 4\r\n\r\nv=0\n", &res),
	    res, 415, "Unsupported Media Type");
	CHECK_REFUSES(check(NULL, "UPDATE", RURI,
			    "c: application/json\r\n"
			    "l: 2\r\n\r\n{}",
			    &res),
		      res, 415, "Unsupported Media Type");
	/* Type names compare case-insensitively, parameters aside. */
	CHECK_PASSES(check(NULL, "INVITE", RURI,
			   "c: Application/SDP ; charset=x\r\n"
			   "l: 4\r\n\r\nv=0\n",
			   &res),
		     res);
	/* A type without a body is not looked at. */
	CHECK_PASSES(check(NULL, "INVITE", RURI,
			   "Content-Type: text/plain\r\n"
			   "Content-Length: 0\r\n\r\n",
			   &res),
		     res);
	/* MESSAGE, INFO and the rest carry any body. */
	CHECK_PASSES(check(NULL, "MESSAGE", RURI,
			   "Content-Type: text/plain\r\n"
			   "Content-Length: 2\r\n\r\nhi",
			   &res),
		     res);
	CHECK_PASSES(check(NULL, "INFO", RURI,
			   "Content-Type: application/dtmf-relay\r\n"
			   "Content-Length: 2\r\n\r\nhi",
			   &res),
		     res);
	return 0;
}

/* RFC 4475 §3.3.15 (sdp01): an INVITE whose Accept excludes SDP: 406. */
static int test_check_accept_without_sdp_406(void)
{
	struct sip_check_result res;

	CHECK_REFUSES(check(NULL, "INVITE", RURI,
			    "Accept: text/nobodyKnowsThis\r\n\r\n", &res),
		      res, 406, "Not Acceptable");
	CHECK_REFUSES(check(NULL, "INVITE", RURI,
			    "Accept: text/plain\r\n"
			    "Accept: image/*\r\n\r\n",
			    &res),
		      res, 406, "Not Acceptable");
	CHECK_PASSES(check(NULL, "INVITE", RURI,
			   "Accept: text/plain, "
			   "application/sdp;level=1\r\n\r\n",
			   &res),
		     res);
	CHECK_PASSES(check(NULL, "INVITE", RURI,
			   "Accept: text/plain\r\n"
			   "Accept: APPLICATION/SDP\r\n\r\n",
			   &res),
		     res);
	CHECK_PASSES(check(NULL, "INVITE", RURI, "Accept: */*\r\n\r\n", &res),
		     res);
	CHECK_PASSES(
	    check(NULL, "INVITE", RURI, "Accept: application/*\r\n\r\n", &res),
	    res);
	/* Only an INVITE needs an answer we could write. */
	CHECK_PASSES(
	    check(NULL, "OPTIONS", RURI, "Accept: text/plain\r\n\r\n", &res),
	    res);
	return 0;
}

static int test_check_custom_policy(void)
{
	static const char *const supported[] = { "foo", "bar", NULL };
	static const char *const types[] = { "application/vnd.example+xml",
					     "application/sdp", NULL };
	const struct sip_check_policy own = { .supported = supported,
					      .body_types = types };
	const struct sip_check_policy any_body = { .supported = supported };
	const struct sip_check_policy nothing = { 0 };
	struct sip_check_result res;

	CHECK_PASSES(
	    check(&own, "INVITE", RURI, "Require: foo, BAR\r\n\r\n", &res),
	    res);
	CHECK_REFUSES(
	    check(&own, "INVITE", RURI, "Require: foo, 100rel\r\n\r\n", &res),
	    res, 420, "Bad Extension");
	CHECK_STR(res.unsupported, "100rel");
	CHECK_PASSES(check(&own, "INVITE", RURI,
			   "Content-Type: "
			   "application/vnd.example+xml\r\nl: 2\r\n\r\n<>",
			   &res),
		     res);
	CHECK_REFUSES(check(&own, "INVITE", RURI,
			    "Content-Type: text/plain\r\n"
			    "l: 2\r\n\r\nhi",
			    &res),
		      res, 415, "Unsupported Media Type");
	CHECK_PASSES(check(&own, "INVITE", RURI,
			   "Accept: application/vnd.example+xml"
			   "\r\n\r\n",
			   &res),
		     res);
	/* No body types: any body, and no Accept check. */
	CHECK_PASSES(check(&any_body, "INVITE", RURI,
			   "Content-Type: text/plain\r\n"
			   "Accept: text/plain\r\nl: 2\r\n\r\nhi",
			   &res),
		     res);
	/* No supported list: every required extension is unknown. */
	CHECK_REFUSES(
	    check(&nothing, "INVITE", RURI, "Require: timer\r\n\r\n", &res),
	    res, 420, "Bad Extension");
	CHECK_STR(res.unsupported, "timer");
	/* The default policy knows tandem's own extensions. */
	CHECK_PASSES(check(&sip_check_policy_default, "INVITE", RURI,
			   "Require: 100rel, timer, replaces\r\n\r\n", &res),
		     res);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_check_valid_invite_passes),
	TEST(test_check_missing_mandatory_header),
	TEST(test_check_missing_header_before_unknown_method),
	TEST(test_check_repeated_single_valued_header),
	TEST(test_check_bare_magic_cookie_branch),
	TEST(test_check_unknown_method_501),
	TEST(test_check_unsupported_uri_scheme_416),
	TEST(test_check_unsupported_require_420),
	TEST(test_check_no_420_for_cancel_and_ack),
	TEST(test_check_unsupported_body_415),
	TEST(test_check_accept_without_sdp_406),
	TEST(test_check_custom_policy),
};

TEST_MAIN(cases)
