/*
 * Building messages (msg_build.c, reason.c): responses to requests,
 * including requests too broken to accept but fit for a 400 (RFC 3261
 * §8.2.6), new requests from a spec (§8.1.1), and reason phrases.
 */
#include <stdio.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/rand.h"
#include "tandem/sip_msg.h"
#include "test.h"

#define REQUEST                                                         \
	"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"                 \
	"Via: SIP/2.0/UDP p2.example.com;branch=z9hG4bKp2,"             \
	" SIP/2.0/TCP p1.example.com;branch=z9hG4bKp1\r\n"              \
	"v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKuac\r\n" \
	"Max-Forwards: 68\r\n"                                          \
	"To: Bob <sip:bob@biloxi.example.com>\r\n"                      \
	"f: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"   \
	"Call-ID: a84b4c76e66710\r\n"                                   \
	"CSeq: 314159 INVITE\r\n"                                       \
	"Contact: <sip:alice@pc33.atlanta.example.com>\r\n"             \
	"Subject: lunch\r\n"                                            \
	"Content-Type: application/sdp\r\n"                             \
	"Content-Length: 4\r\n"                                         \
	"\r\n"                                                          \
	"v=0\n"

/* Parses `text`; under TEST_OOM a failed allocation ends the case. */
#define PARSE(text, m)                                                     \
	do {                                                               \
		int rc_ =                                                  \
		    sip_msg_parse(NULL, (text), strlen(text), &(m), NULL); \
		if (rc_ == ENOMEM)                                         \
			return ENOMEM;                                     \
		CHECK_INT(rc_, 0);                                         \
	} while (0)

/* Runs a builder; ENOMEM frees `req` and ends the case. */
#define BUILD(req, expr)                   \
	do {                               \
		int rc_ = (expr);          \
		if (rc_ == ENOMEM) {       \
			sip_msg_free(req); \
			return ENOMEM;     \
		}                          \
		CHECK_INT(rc_, 0);         \
	} while (0)

static size_t count_text(const struct sip_msg *m, char *out, size_t size)
{
	size_t len = 0;

	if (sip_msg_print(m, out, size - 1, &len) != 0)
		return 0;
	out[len] = '\0';
	return len;
}

/* ---- responses ----------------------------------------------------------- */

static int test_response_copies_dialog_headers(void)
{
	struct sip_msg *req, *resp;
	char text[2048];

	PARSE(REQUEST, req);
	BUILD(req, sip_msg_response_new(req, 180, NULL, S("a6c85cf"), &resp));
	CHECK(!resp->is_request);
	CHECK_INT(resp->status, 180);
	CHECK_STR(resp->reason, "Ringing");
	/* Via (every one, in order, as written), From, To, Call-ID, CSeq. */
	CHECK_INT(resp->nhdrs, 7);
	CHECK_STR(resp->hdrs[0].name, "Via");
	CHECK(tnd_slice_eq(resp->hdrs[0].value, req->hdrs[0].value));
	CHECK_STR(resp->hdrs[1].name, "v");
	CHECK_STR(resp->hdrs[1].value, "SIP/2.0/UDP pc33.atlanta.example.com;"
				       "branch=z9hG4bKuac");
	CHECK_INT(resp->hdrs[2].id, SIP_HDR_TO);
	CHECK_INT(resp->hdrs[3].id, SIP_HDR_FROM);
	CHECK_STR(resp->hdrs[3].name, "f");
	CHECK_INT(resp->hdrs[4].id, SIP_HDR_CALL_ID);
	CHECK_INT(resp->hdrs[5].id, SIP_HDR_CSEQ);
	CHECK_INT(resp->hdrs[6].id, SIP_HDR_CONTENT_LENGTH);
	CHECK_STR(resp->via.branch, "z9hG4bKp2");
	CHECK_STR(resp->from.tag, "1928301774");
	CHECK_STR(resp->to.tag, "a6c85cf");
	CHECK_STR(resp->to.uri, "sip:bob@biloxi.example.com");
	CHECK_STR(resp->call_id, "a84b4c76e66710");
	CHECK_INT(resp->cseq.number, 314159);
	CHECK_INT(resp->cseq.method, SIP_METHOD_INVITE);
	CHECK(!resp->has_max_forwards);
	CHECK(sip_msg_hdr(resp, SIP_HDR_CONTACT) == NULL);
	CHECK(sip_msg_hdr(resp, SIP_HDR_SUBJECT) == NULL);
	CHECK_INT(resp->body.len, 0);
	CHECK(count_text(resp, text, sizeof(text)) > 0);
	CHECK(strncmp(text, "SIP/2.0 180 Ringing\r\n", 21) == 0);
	sip_msg_free(resp);
	sip_msg_free(req);
	return 0;
}

/* RFC 3261 §8.2.6.2: a tag is added to a To without one, only. */
static int test_response_to_tag_only_when_absent(void)
{
	const char *tagged =
	    "BYE sip:bob@192.0.2.4 SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
	    "To: <sip:bob@biloxi.example.com>;tag=existing\r\n"
	    "From: <sip:alice@atlanta.example.com>;tag=1\r\n"
	    "Call-ID: c\r\nCSeq: 2 BYE\r\n\r\n";
	struct sip_msg *req, *resp;

	PARSE(tagged, req);
	BUILD(req, sip_msg_response_new(req, 200, NULL, S("ours"), &resp));
	CHECK_STR(resp->to.tag, "existing");
	CHECK_STR(resp->hdrs[1].value,
		  "<sip:bob@biloxi.example.com>;tag=existing");
	sip_msg_free(resp);
	sip_msg_free(req);

	PARSE(REQUEST, req);
	/* No tag given (a 100 Trying): none added. */
	BUILD(req, sip_msg_response_new(req, 100, NULL, TND_SLICE_NULL, &resp));
	CHECK_INT(resp->to.tag.len, 0);
	CHECK_STR(resp->hdrs[2].value, "Bob <sip:bob@biloxi.example.com>");
	sip_msg_free(resp);
	sip_msg_free(req);
	return 0;
}

static int test_response_reason_phrases(void)
{
	struct sip_msg *req, *resp;
	char text[2048];

	PARSE(REQUEST, req);
	BUILD(req, sip_msg_response_new(req, 486, NULL, S("t"), &resp));
	CHECK_STR(resp->reason, "Busy Here");
	sip_msg_free(resp);
	BUILD(req,
	      sip_msg_response_new(req, 603, "Go \xc3\xa0 way", S("t"), &resp));
	CHECK_STR(resp->reason, "Go \xc3\xa0 way");
	sip_msg_free(resp);
	/* A code without a standard phrase: empty reason, SP kept. */
	BUILD(req, sip_msg_response_new(req, 499, NULL, S("t"), &resp));
	CHECK_INT(resp->status, 499);
	CHECK_INT(resp->reason.len, 0);
	CHECK(count_text(resp, text, sizeof(text)) > 0);
	CHECK(strncmp(text, "SIP/2.0 499 \r\n", 14) == 0);
	sip_msg_free(resp);
	sip_msg_free(req);
	return 0;
}

static int test_response_refuses_bad_status_and_reason(void)
{
	static const uint16_t bad[] = { 0, 99, 700, 1000, 65535 };
	struct sip_msg *req, *resp, *not_req;

	PARSE(REQUEST, req);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		resp = req;
		CHECK_INT(
		    sip_msg_response_new(req, bad[i], NULL, S("t"), &resp),
		    EINVAL);
		CHECK(resp == NULL);
	}
	CHECK_INT(sip_msg_response_new(req, 100, NULL, S("t"), &resp), 0);
	sip_msg_free(resp);
	CHECK_INT(sip_msg_response_new(req, 699, NULL, S("t"), &resp), 0);
	sip_msg_free(resp);
	CHECK_INT(
	    sip_msg_response_new(req, 200, "OK\r\nX-Evil: 1", S("t"), &resp),
	    EINVAL);
	CHECK(resp == NULL);
	CHECK_INT(sip_msg_response_new(req, 200, "OK\nmore", S("t"), &resp),
		  EINVAL);
	CHECK_INT(sip_msg_response_new(req, 200, "O\rK", S("t"), &resp),
		  EINVAL);
	/* Only requests are answered. */
	CHECK_INT(sip_msg_response_new(req, 200, NULL, S("t"), &not_req), 0);
	CHECK_INT(sip_msg_response_new(not_req, 200, NULL, S("t"), &resp),
		  EINVAL);
	CHECK(resp == NULL);
	sip_msg_free(not_req);
	sip_msg_free(req);
	return 0;
}

/* Contact is not copied, so a malformed one is no obstacle. */
static int test_response_to_request_with_malformed_contact(void)
{
	const char *text = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
			   "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
			   "To: <sip:bob@biloxi.example.com>\r\n"
			   "From: <sip:alice@atlanta.example.com>;tag=1\r\n"
			   "Call-ID: c@h\r\nCSeq: 1 INVITE\r\n"
			   "Contact: \"Alice <sip:alice@;;>\r\n\r\n";
	struct sip_msg *req, *resp;

	PARSE(text, req);
	BUILD(req,
	      sip_msg_response_new(req, 400, "Bad Contact", S("t"), &resp));
	CHECK_STR(resp->reason, "Bad Contact");
	CHECK(sip_msg_hdr(resp, SIP_HDR_CONTACT) == NULL);
	CHECK_STR(resp->call_id, "c@h");
	sip_msg_free(resp);
	sip_msg_free(req);
	return 0;
}

/*
 * A request refused for its Via comes back from the parse so that the
 * 400 can be built: the bad Via is copied as it was, and the headers
 * after it are still read in the response.
 */
static int test_response_to_request_with_malformed_via(void)
{
	const char *text =
	    "OPTIONS sip:bob@biloxi.example.com SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1;;x\r\n"
	    "To: <sip:bob@biloxi.example.com>\r\n"
	    "From: <sip:alice@atlanta.example.com>;tag=1\r\n"
	    "Call-ID: c@h\r\nCSeq: 7 OPTIONS\r\n\r\n";
	struct sip_parse_error err;
	struct sip_msg *req, *resp;
	int rc;

	rc = sip_msg_parse(NULL, text, strlen(text), &req, &err);
	if (rc == ENOMEM)
		return ENOMEM;
	CHECK_INT(rc, EBADMSG);
	CHECK(req != NULL);
	BUILD(req,
	      sip_msg_response_new(req, err.status, NULL, S("t400"), &resp));
	CHECK_INT(resp->status, 400);
	CHECK_STR(resp->reason, "Bad Request");
	CHECK_INT(resp->nhdrs, 6);
	CHECK_STR(resp->hdrs[0].value,
		  "SIP/2.0/UDP h.example.com;branch=z9hG4bK1;;x");
	CHECK(!resp->has_via);
	CHECK(resp->has_from && resp->has_to && resp->has_cseq);
	CHECK_STR(resp->to.tag, "t400");
	CHECK_STR(resp->call_id, "c@h");
	CHECK_INT(resp->cseq.number, 7);
	CHECK_INT(resp->cseq.method, SIP_METHOD_OPTIONS);
	sip_msg_free(resp);
	sip_msg_free(req);
	return 0;
}

/* The same for a bad To: no tag is glued onto a value that did not parse. */
static int test_response_to_request_with_malformed_to(void)
{
	const char *text = "OPTIONS sip:bob@biloxi.example.com SIP/2.0\r\n"
			   "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
			   "To: <sip:bob@biloxi.example.com\r\n"
			   "From: <sip:alice@atlanta.example.com>;tag=1\r\n"
			   "Call-ID: c@h\r\nCSeq: 7 OPTIONS\r\n\r\n";
	struct sip_parse_error err;
	struct sip_msg *req, *resp;
	int rc;

	rc = sip_msg_parse(NULL, text, strlen(text), &req, &err);
	if (rc == ENOMEM)
		return ENOMEM;
	CHECK_INT(rc, EBADMSG);
	CHECK_STR(err.header, "To");
	BUILD(req, sip_msg_response_new(req, 400, err.what, S("t400"), &resp));
	CHECK_STR(resp->hdrs[1].value, "<sip:bob@biloxi.example.com");
	CHECK(!resp->has_to);
	CHECK_STR(resp->via.branch, "z9hG4bK1");
	CHECK_STR(resp->call_id, "c@h");
	sip_msg_free(resp);
	sip_msg_free(req);
	return 0;
}

/* ---- requests ------------------------------------------------------------ */

static struct sip_request_spec invite_spec(void)
{
	return (struct sip_request_spec){
		.method = SIP_METHOD_INVITE,
		.ruri = S("sip:bob@biloxi.example.com"),
		.via_transport = S("TCP"),
		.via_host = S("tandem.example.com"),
		.via_port = 5060,
		.from = S("\"Tandem\" <sip:tandem@example.com>"),
		.to = S("<sip:bob@biloxi.example.com>"),
		.cseq = 1,
		.contact = S("<sip:tandem@192.0.2.10:5060;transport=tcp>"),
	};
}

/* What util/rand makes: alphanumerics, '-' and '.'. */
static bool is_token_chars(struct tnd_slice s)
{
	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || c == '-' || c == '.'))
			return false;
	}
	return s.len > 0;
}

static int test_request_new_mandatory_headers(void)
{
	struct sip_request_spec spec = invite_spec();
	struct sip_msg *m;
	int rc = sip_msg_request_new(&spec, &m);

	if (rc == ENOMEM)
		return ENOMEM;
	CHECK_INT(rc, 0);
	CHECK(m->is_request);
	CHECK_INT(m->method, SIP_METHOD_INVITE);
	CHECK_STR(m->method_name, "INVITE");
	CHECK_STR(m->ruri_text, "sip:bob@biloxi.example.com");
	CHECK_STR(m->ruri.host, "biloxi.example.com");
	CHECK_INT(m->hdrs[0].id, SIP_HDR_VIA);
	CHECK_STR(m->via.transport, "TCP");
	CHECK_STR(m->via.host, "tandem.example.com");
	CHECK_INT(m->via.port, 5060);
	/* RFC 3261 §8.1.1.7: the magic cookie, then something unique. */
	CHECK_INT(m->via.branch.len, TND_BRANCH_LEN);
	CHECK(strncmp(m->via.branch.p, TND_BRANCH_COOKIE, 7) == 0);
	CHECK(is_token_chars(
	    (struct tnd_slice){ m->via.branch.p + 7, m->via.branch.len - 7 }));
	CHECK(m->has_max_forwards);
	CHECK_INT(m->max_forwards, 70);
	CHECK_STR(m->from.display, "Tandem");
	CHECK_INT(m->from.tag.len, TND_RAND_TOKEN_CHARS);
	CHECK(is_token_chars(m->from.tag));
	CHECK_STR(m->to.uri, "sip:bob@biloxi.example.com");
	CHECK_INT(m->to.tag.len, 0);
	CHECK_INT(m->call_id.len, TND_RAND_TOKEN_CHARS);
	CHECK(is_token_chars(m->call_id));
	CHECK_INT(m->cseq.number, 1);
	CHECK_INT(m->cseq.method, SIP_METHOD_INVITE);
	CHECK_STR(sip_msg_hdr(m, SIP_HDR_CONTACT)->value,
		  "<sip:tandem@192.0.2.10:5060;transport=tcp>");
	CHECK(m->has_content_length);
	CHECK_INT(m->content_length, 0);
	CHECK(sip_msg_hdr(m, SIP_HDR_CONTENT_TYPE) == NULL);
	sip_msg_free(m);
	return 0;
}

/* Each request gets its own branch, tag and Call-ID. */
static int test_request_new_fresh_random_values(void)
{
	struct sip_request_spec spec = invite_spec();
	struct sip_msg *a, *b;

	CHECK_INT(sip_msg_request_new(&spec, &a), 0);
	CHECK_INT(sip_msg_request_new(&spec, &b), 0);
	CHECK(!tnd_slice_eq(a->via.branch, b->via.branch));
	CHECK(!tnd_slice_eq(a->from.tag, b->from.tag));
	CHECK(!tnd_slice_eq(a->call_id, b->call_id));
	sip_msg_free(a);
	sip_msg_free(b);
	return 0;
}

/* In a dialog the caller's values are kept (RFC 3261 §12.2.1.1). */
static int test_request_new_given_values_kept(void)
{
	struct sip_request_spec spec = invite_spec();
	struct sip_msg *m;
	int rc;

	spec.method = SIP_METHOD_BYE;
	spec.branch = S("z9hG4bKgiven");
	spec.from_tag = S("ftag");
	spec.to = S("<sip:bob@biloxi.example.com>;tag=ttag");
	spec.call_id = S("given@host");
	spec.cseq = 4294967295u;
	spec.max_forwards = 10;
	spec.contact = TND_SLICE_NULL;
	spec.via_port = 0;
	spec.via_transport = TND_SLICE_NULL;
	rc = sip_msg_request_new(&spec, &m);
	if (rc == ENOMEM)
		return ENOMEM;
	CHECK_INT(rc, 0);
	CHECK_STR(m->via.branch, "z9hG4bKgiven");
	CHECK_STR(m->via.transport, "UDP"); /* the default */
	CHECK_INT(m->via.port, 0);
	CHECK_STR(m->from.tag, "ftag");
	CHECK_STR(m->to.tag, "ttag");
	CHECK_STR(m->call_id, "given@host");
	CHECK_INT(m->cseq.number, 4294967295u);
	CHECK_INT(m->cseq.method, SIP_METHOD_BYE);
	CHECK_INT(m->max_forwards, 10);
	CHECK(sip_msg_hdr(m, SIP_HDR_CONTACT) == NULL);
	sip_msg_free(m);
	return 0;
}

/* RFC 5118 §4.5: an IPv6 sent-by is written as a reference, in brackets. */
static int test_request_new_ipv6_sent_by_bracketed(void)
{
	struct sip_request_spec spec = invite_spec();
	struct sip_msg *m;
	int rc;

	spec.via_host = S("2001:db8::9:1");
	spec.via_port = 5070;
	rc = sip_msg_request_new(&spec, &m);
	if (rc == ENOMEM)
		return ENOMEM;
	CHECK_INT(rc, 0);
	CHECK(strncmp(m->hdrs[0].value.p, "SIP/2.0/TCP [2001:db8::9:1]:5070;",
		      33) == 0);
	CHECK_STR(m->via.host, "2001:db8::9:1");
	CHECK_INT(m->via.host_type, SIP_HOST_IPV6);
	CHECK_INT(m->via.port, 5070);
	sip_msg_free(m);
	return 0;
}

static int test_request_new_extra_headers_in_order(void)
{
	static const char *const extra[] = {
		"Subject: hello",
		"Supported: timer, 100rel",
		"X-Custom: 1",
		"Route: <sip:edge.example.com;lr>",
		NULL,
	};
	struct sip_request_spec spec = invite_spec();
	struct sip_msg *m;
	size_t first;
	int rc;

	spec.extra = extra;
	rc = sip_msg_request_new(&spec, &m);
	if (rc == ENOMEM)
		return ENOMEM;
	CHECK_INT(rc, 0);
	first = (size_t)(sip_msg_hdr(m, SIP_HDR_SUBJECT) - m->hdrs);
	CHECK_STR(m->hdrs[first].value, "hello");
	CHECK_INT(m->hdrs[first + 1].id, SIP_HDR_SUPPORTED);
	CHECK_STR(m->hdrs[first + 2].name, "X-Custom");
	CHECK_INT(m->hdrs[first + 3].id, SIP_HDR_ROUTE);
	CHECK_INT(m->hdrs[first + 4].id, SIP_HDR_CONTENT_LENGTH);
	CHECK_INT(m->hdrs[first - 1].id, SIP_HDR_CONTACT);
	sip_msg_free(m);
	return 0;
}

static int test_request_new_body_with_content_type(void)
{
	const char *sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\n";
	struct sip_request_spec spec = invite_spec();
	struct sip_msg *m;
	int rc;

	spec.body = S(sdp);
	spec.content_type = S("application/sdp");
	rc = sip_msg_request_new(&spec, &m);
	if (rc == ENOMEM)
		return ENOMEM;
	CHECK_INT(rc, 0);
	CHECK_STR(sip_msg_hdr(m, SIP_HDR_CONTENT_TYPE)->value,
		  "application/sdp");
	CHECK_INT(m->content_length, strlen(sdp));
	CHECK_STR(m->body, sdp);
	sip_msg_free(m);
	return 0;
}

static int test_request_new_unknown_method_name(void)
{
	struct sip_request_spec spec = invite_spec();
	struct sip_msg *m;
	int rc;

	spec.method = SIP_METHOD_UNKNOWN;
	spec.method_name = "X-PING";
	rc = sip_msg_request_new(&spec, &m);
	if (rc == ENOMEM)
		return ENOMEM;
	CHECK_INT(rc, 0);
	CHECK_INT(m->method, SIP_METHOD_UNKNOWN);
	CHECK_STR(m->method_name, "X-PING");
	CHECK_STR(m->cseq.method_name, "X-PING");
	sip_msg_free(m);
	return 0;
}

/* No piece of a spec may smuggle in a header or a second message. */
static int test_request_new_refuses_injection(void)
{
	static const char *const bad_extra[] = { "Subject: a\r\nX-Evil: 1",
						 NULL };
	const struct tnd_slice evil = S("x\r\nX-Evil: 1");
	const struct tnd_slice lf = S("x\nX-Evil: 1");
	struct tnd_slice *fields[10];
	struct sip_request_spec spec;
	struct sip_msg *m;
	size_t n = 0;

	spec = invite_spec();
	fields[n++] = &spec.ruri;
	fields[n++] = &spec.via_transport;
	fields[n++] = &spec.via_host;
	fields[n++] = &spec.branch;
	fields[n++] = &spec.from;
	fields[n++] = &spec.from_tag;
	fields[n++] = &spec.to;
	fields[n++] = &spec.call_id;
	fields[n++] = &spec.contact;
	fields[n++] = &spec.content_type;
	for (size_t i = 0; i < n; i++) {
		struct tnd_slice saved = *fields[i];

		spec.body = S("v=0\r\n");
		spec.content_type = S("application/sdp");
		*fields[i] = evil;
		m = (struct sip_msg *)&spec;
		CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
		CHECK(m == NULL);
		*fields[i] = lf;
		CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
		*fields[i] = saved;
	}
	spec = invite_spec();
	spec.extra = bad_extra;
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	spec = invite_spec();
	spec.method = SIP_METHOD_UNKNOWN;
	spec.method_name = "FOO sip:x SIP/2.0\r\nX-Evil:";
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	spec.method_name = "FOO\r\n";
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	/* A method carrying its own request line and a CSeq to match. */
	spec.method_name = "A sip:evil@x SIP/2.0\r\nCSeq: 1 A\r\nX:";
	m = (struct sip_msg *)&spec;
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	CHECK(m == NULL);
	spec.method_name = "TWO WORDS";
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	return 0;
}

static int test_request_new_refuses_incomplete_spec(void)
{
	struct sip_request_spec spec = invite_spec();
	struct sip_msg *m;

	spec.body = S("v=0\r\n"); /* a body needs its type */
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	CHECK(m == NULL);
	spec = invite_spec();
	spec.ruri = TND_SLICE_NULL;
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	spec = invite_spec();
	spec.via_host = TND_SLICE_NULL;
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	spec = invite_spec();
	spec.from = TND_SLICE_NULL;
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	spec = invite_spec();
	spec.to = TND_SLICE_NULL;
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	spec = invite_spec();
	spec.method = SIP_METHOD_UNKNOWN;
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL); /* no method_name */
	spec.method_name = "";
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	/* What we send must parse as we would accept it. */
	spec = invite_spec();
	spec.from = S("<sip:broken");
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	spec = invite_spec();
	spec.ruri = S("sip:bob@biloxi.example.com?X=1");
	CHECK_INT(sip_msg_request_new(&spec, &m), EINVAL);
	return 0;
}

/* ---- reason phrases ------------------------------------------------------ */

/* ---- the ACK of a non-2xx final ------------------------------------------ */

#define ROUTED_INVITE                                                   \
	"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"                 \
	"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnash," \
	" SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1\r\n"              \
	"Max-Forwards: 70\r\n"                                          \
	"Route: <sip:p1.example.com;lr>\r\n"                            \
	"Route: <sip:p2.example.com;lr>\r\n"                            \
	"To: Bob <sip:bob@biloxi.example.com>\r\n"                      \
	"From: Alice <sip:alice@atlanta.example.com>;tag=88sja8x\r\n"   \
	"Call-ID: 987asjd97y7atg\r\n"                                   \
	"CSeq: 986759 INVITE\r\n"                                       \
	"Content-Length: 0\r\n\r\n"

/* RFC 3261 §17.1.1.3: URI, top Via, Routes, From, Call-ID, CSeq; To. */
static int test_ack_for_non_2xx_copies_what_the_rfc_names(void)
{
	struct sip_msg *inv, *res, *ack;
	const struct sip_hdr *route;

	PARSE(ROUTED_INVITE, inv);
	BUILD(inv, sip_msg_response_new(inv, 486, NULL, S("314"), &res));
	if (sip_msg_ack_new(inv, res, &ack) == ENOMEM) {
		sip_msg_free(res);
		sip_msg_free(inv);
		return ENOMEM;
	}
	CHECK(ack != NULL);
	CHECK(ack->method == SIP_METHOD_ACK);
	CHECK_STR(ack->ruri_text, "sip:bob@biloxi.example.com");
	CHECK_INT(sip_msg_hdr_count(ack, SIP_HDR_VIA), 1);
	CHECK_STR(sip_msg_hdr(ack, SIP_HDR_VIA)->value,
		  "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnash");
	route = sip_msg_hdr(ack, SIP_HDR_ROUTE);
	CHECK(route != NULL);
	CHECK_STR(route->value, "<sip:p1.example.com;lr>");
	route = sip_msg_hdr_next(ack, route);
	CHECK(route != NULL);
	CHECK_STR(route->value, "<sip:p2.example.com;lr>");
	CHECK_STR(ack->from.tag, "88sja8x");
	CHECK_STR(ack->to.tag, "314");
	CHECK_STR(ack->call_id, "987asjd97y7atg");
	CHECK_INT(ack->cseq.number, 986759);
	CHECK_STR(ack->cseq.method_name, "ACK");
	CHECK_INT(ack->body.len, 0);
	sip_msg_free(ack);
	sip_msg_free(res);
	sip_msg_free(inv);
	return 0;
}

static int test_ack_refused_for_other_methods(void)
{
	struct sip_msg *req, *res, *ack = NULL;

	PARSE(REQUEST, req);
	BUILD(req, sip_msg_response_new(req, 486, NULL, S("1"), &res));
	/* A response is no INVITE, and the INVITE is no response. */
	CHECK_INT(sip_msg_ack_new(res, res, &ack), EINVAL);
	CHECK_INT(sip_msg_ack_new(req, req, &ack), EINVAL);
	CHECK(ack == NULL);
	sip_msg_free(res);
	sip_msg_free(req);
	return 0;
}

/* RFC 3261 §9.1: URI, top Via, Routes, From, To, Call-ID, CSeq number. */
static int test_cancel_copies_what_the_rfc_names(void)
{
	struct sip_msg *inv, *cancel;
	const struct sip_hdr *route;

	PARSE(ROUTED_INVITE, inv);
	BUILD(inv, sip_msg_cancel_new(inv, &cancel));
	CHECK(cancel->method == SIP_METHOD_CANCEL);
	CHECK_STR(cancel->ruri_text, "sip:bob@biloxi.example.com");
	CHECK_INT(sip_msg_hdr_count(cancel, SIP_HDR_VIA), 1);
	CHECK_STR(cancel->via.branch, "z9hG4bKnash");
	route = sip_msg_hdr(cancel, SIP_HDR_ROUTE);
	CHECK(route != NULL);
	CHECK_STR(route->value, "<sip:p1.example.com;lr>");
	CHECK_STR(cancel->from.tag, "88sja8x");
	CHECK_INT(cancel->to.tag.len, 0);
	CHECK_STR(cancel->call_id, "987asjd97y7atg");
	CHECK_INT(cancel->cseq.number, 986759);
	CHECK_STR(cancel->cseq.method_name, "CANCEL");
	sip_msg_free(cancel);
	sip_msg_free(inv);
	return 0;
}

static int test_cancel_refused_for_other_methods(void)
{
	struct sip_msg *req, *res, *cancel;

	PARSE(REQUEST, req);
	BUILD(req, sip_msg_response_new(req, 180, NULL, S("1"), &res));
	CHECK_INT(sip_msg_cancel_new(res, &cancel), EINVAL);
	CHECK(cancel == NULL);
	sip_msg_free(res);
	sip_msg_free(req);
	return 0;
}

/* A copy owns its bytes, edits applied: it outlives the original. */
static int test_dup_applies_edits_and_owns_its_bytes(void)
{
	struct sip_msg *inv, *copy;

	PARSE(ROUTED_INVITE, inv);
	BUILD(inv, sip_msg_hdr_add(inv, "X-Edit", S("1"), SIP_HDR_APPEND));
	BUILD(inv, sip_msg_dup(inv, &copy));
	sip_msg_free(inv);
	CHECK_STR(sip_msg_hdr_by_name(copy, S("X-Edit"))->value, "1");
	CHECK_STR(copy->call_id, "987asjd97y7atg");
	CHECK_INT(copy->cseq.number, 986759);
	sip_msg_free(copy);
	return 0;
}

/*
 * Without edits the copy is not parsed again: every field must read the
 * same from the copy's own bytes once the original is gone.
 */
static int test_dup_unedited_reads_the_same_from_its_own_bytes(void)
{
	struct sip_msg *req, *copy;
	char a[1024], b[1024];
	size_t alen;

	PARSE(REQUEST, req);
	BUILD(req, sip_msg_hdr_remove(req, "Subject", NULL));
	alen = count_text(req, a, sizeof(a));
	BUILD(req, sip_msg_dup(req, &copy));
	sip_msg_free(req);
	CHECK(copy->is_request);
	CHECK_INT(copy->method, SIP_METHOD_INVITE);
	CHECK_STR(copy->method_name, "INVITE");
	CHECK_STR(copy->ruri_text, "sip:bob@biloxi.example.com");
	CHECK_STR(copy->ruri.user, "bob");
	CHECK_STR(copy->ruri.host, "biloxi.example.com");
	CHECK_STR(copy->via.host, "p2.example.com");
	CHECK_STR(copy->via.branch, "z9hG4bKp2");
	CHECK_STR(copy->via.transport, "UDP");
	CHECK_STR(copy->from.display, "Alice");
	CHECK_STR(copy->from.uri, "sip:alice@atlanta.example.com");
	CHECK_STR(copy->from.tag, "1928301774");
	CHECK_STR(copy->to.uri, "sip:bob@biloxi.example.com");
	CHECK(copy->to.tag.p == NULL);
	CHECK_STR(copy->call_id, "a84b4c76e66710");
	CHECK_INT(copy->cseq.number, 314159);
	CHECK_STR(copy->cseq.method_name, "INVITE");
	CHECK_INT(copy->max_forwards, 68);
	CHECK_STR(copy->body, "v=0\n");
	CHECK(sip_msg_hdr_by_name(copy, S("Subject")) == NULL);
	CHECK_INT(count_text(copy, b, sizeof(b)), alen);
	CHECK(memcmp(a, b, alen) == 0);
	/* The copy edits like any message. */
	BUILD(copy, sip_msg_hdr_set(copy, "Call-ID", S("new-id")));
	CHECK_STR(copy->call_id, "new-id");
	sip_msg_free(copy);
	return 0;
}

static int test_reason_phrase_table(void)
{
	CHECK_STR(S(sip_reason_phrase(100)), "Trying");
	CHECK_STR(S(sip_reason_phrase(200)), "OK");
	CHECK_STR(S(sip_reason_phrase(404)), "Not Found");
	CHECK_STR(S(sip_reason_phrase(420)), "Bad Extension");
	CHECK_STR(S(sip_reason_phrase(422)), "Session Interval Too Small");
	CHECK_STR(S(sip_reason_phrase(481)), "Call/Transaction Does Not Exist");
	CHECK_STR(S(sip_reason_phrase(505)), "Version Not Supported");
	CHECK_STR(S(sip_reason_phrase(606)), "Not Acceptable");
	CHECK_STR(S(sip_reason_phrase(0)), "");
	CHECK_STR(S(sip_reason_phrase(299)), "");
	CHECK_STR(S(sip_reason_phrase(700)), "");
	return 0;
}

static const struct test_case cases[] = {
	TEST_OOM(test_response_copies_dialog_headers),
	TEST_OOM(test_response_to_tag_only_when_absent),
	TEST_OOM(test_response_reason_phrases),
	TEST(test_response_refuses_bad_status_and_reason),
	TEST_OOM(test_response_to_request_with_malformed_contact),
	TEST_OOM(test_response_to_request_with_malformed_via),
	TEST_OOM(test_response_to_request_with_malformed_to),
	TEST_OOM(test_request_new_mandatory_headers),
	TEST(test_request_new_fresh_random_values),
	TEST_OOM(test_request_new_given_values_kept),
	TEST_OOM(test_request_new_ipv6_sent_by_bracketed),
	TEST_OOM(test_request_new_extra_headers_in_order),
	TEST_OOM(test_request_new_body_with_content_type),
	TEST_OOM(test_request_new_unknown_method_name),
	TEST(test_request_new_refuses_injection),
	TEST(test_request_new_refuses_incomplete_spec),
	TEST_OOM(test_ack_for_non_2xx_copies_what_the_rfc_names),
	TEST(test_ack_refused_for_other_methods),
	TEST_OOM(test_cancel_copies_what_the_rfc_names),
	TEST(test_cancel_refused_for_other_methods),
	TEST_OOM(test_dup_applies_edits_and_owns_its_bytes),
	TEST_OOM(test_dup_unedited_reads_the_same_from_its_own_bytes),
	TEST(test_reason_phrase_table),
};

TEST_MAIN(cases)
