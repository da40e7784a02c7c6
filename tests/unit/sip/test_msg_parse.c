/*
 * sip_msg_parse (msg_parse.c) and header access (msg_access.c): start
 * lines, header splitting and folding, limits, Content-Length framing of
 * a datagram, the headers read at parse time, what an error reports and
 * which broken messages come back so that a 400 can be built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/sip_msg.h"
#include "test.h"

#define VIA "Via: SIP/2.0/UDP pc33.atlanta.com:5060;branch=z9hG4bK776asdhds\r\n"
#define MANDATORY                                                    \
	VIA "Max-Forwards: 70\r\n"                                   \
	    "To: Bob <sip:bob@biloxi.com>\r\n"                       \
	    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n" \
	    "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
#define INVITE_HEAD                                       \
	"INVITE sip:bob@biloxi.com SIP/2.0\r\n" MANDATORY \
	"CSeq: 314159 INVITE\r\n"
#define RESPONSE_HEAD "SIP/2.0 200 OK\r\n" MANDATORY "CSeq: 314159 INVITE\r\n"

static int parse_text(const struct sip_limits *lim, const char *text,
		      struct sip_msg **m, struct sip_parse_error *err)
{
	return sip_msg_parse(lim, text, strlen(text), m, err);
}

static size_t offset_of(const char *text, const char *what)
{
	const char *at = strstr(text, what);

	return at ? (size_t)(at - text) : (size_t)-1;
}

/* A refusal: status, reason and the exact offset of the fault. */
#define CHECK_REFUSED(rc, err, code, text, off)   \
	do {                                      \
		CHECK_INT((rc), EBADMSG);         \
		CHECK_INT((err).status, (code));  \
		CHECK_STR(S((err).what), (text)); \
		CHECK_INT((err).offset, (off));   \
	} while (0)

/* ---- start lines --------------------------------------------------------- */

static int test_parse_request_line_fields(void)
{
	const char *text = INVITE_HEAD "Content-Length: 0\r\n\r\n";
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK(m->is_request);
	CHECK_INT(m->method, SIP_METHOD_INVITE);
	CHECK_STR(m->method_name, "INVITE");
	CHECK_STR(m->ruri_text, "sip:bob@biloxi.com");
	CHECK_INT(m->ruri.scheme, SIP_URI_SIP);
	CHECK_STR(m->ruri.user, "bob");
	CHECK_STR(m->ruri.host, "biloxi.com");
	CHECK_INT(m->status, 0);
	CHECK_INT(m->nhdrs, 7);
	CHECK_INT(m->body.len, 0);
	sip_msg_free(m);
	return 0;
}

/* Methods are case-sensitive tokens (RFC 3261 §7.1): "invite" is another. */
static int test_parse_extension_method_kept_as_written(void)
{
	const char *text = "invite sip:bob@biloxi.com SIP/2.0\r\n" MANDATORY
			   "CSeq: 1 invite\r\n\r\n";
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK_INT(m->method, SIP_METHOD_UNKNOWN);
	CHECK_STR(m->method_name, "invite");
	CHECK_STR(m->cseq.method_name, "invite");
	sip_msg_free(m);
	return 0;
}

/* The version is compared case-insensitively for "SIP/" (§7.1 ABNF). */
static int test_parse_version_literal_case(void)
{
	const char *text = "OPTIONS sip:b@example.com sip/2.0\r\n" MANDATORY
			   "CSeq: 1 OPTIONS\r\n\r\n";
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK_INT(m->method, SIP_METHOD_OPTIONS);
	sip_msg_free(m);
	return 0;
}

static int test_parse_status_line_fields(void)
{
	const char *text =
	    "SIP/2.0 180 Ringing\r\n" MANDATORY "CSeq: 314159 INVITE\r\n\r\n";
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK(!m->is_request);
	CHECK_INT(m->status, 180);
	CHECK_STR(m->reason, "Ringing");
	CHECK_INT(m->method_name.len, 0);
	CHECK_INT(m->ruri_text.len, 0);
	CHECK_INT(m->cseq.method, SIP_METHOD_INVITE);
	sip_msg_free(m);
	return 0;
}

/* Status-Code = 3DIGIT, and RFC 3261 §21 uses 100..699 only. */
static int test_parse_status_code_bounds(void)
{
	static const char *const good[] = { "100", "699", "200", "599" };
	static const char *const bad[] = { "099", "700", "000", "999",
					   "20",  "2x0", "-10", "+20" };
	struct sip_parse_error err;
	struct sip_msg *m;
	char text[512];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text),
			 "SIP/2.0 %s Whatever\r\n" MANDATORY
			 "CSeq: 1 INVITE\r\n\r\n",
			 good[i]);
		CHECK_INT(parse_text(NULL, text, &m, &err), 0);
		CHECK_INT(m->status, atoi(good[i]));
		CHECK_STR(m->reason, "Whatever");
		sip_msg_free(m);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
			 "SIP/2.0 %s Whatever\r\n" MANDATORY
			 "CSeq: 1 INVITE\r\n\r\n",
			 bad[i]);
		m = (struct sip_msg *)&err; /* must be cleared */
		CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
			      "Bad status code", 8);
		CHECK(m == NULL); /* a broken response is never answered */
	}
	return 0;
}

/* Exactly three digits: a fourth is no separator. */
static int test_parse_status_code_four_digits_rejected(void)
{
	const char *text =
	    "SIP/2.0 2000 OK\r\n" MANDATORY "CSeq: 1 INVITE\r\n\r\n";
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
		      "Bad status code", 8);
	CHECK(m == NULL);
	return 0;
}

/* RFC 4475 §3.1.1.13: the reason may be empty, with or without its SP. */
static int test_parse_status_empty_reason(void)
{
	static const char *const lines[] = { "SIP/2.0 100 \r\n",
					     "SIP/2.0 100\r\n" };
	struct sip_msg *m;
	char text[512];

	for (size_t i = 0; i < 2; i++) {
		snprintf(text, sizeof(text),
			 "%s" MANDATORY "CSeq: 1 INVITE\r\n\r\n", lines[i]);
		CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
		CHECK_INT(m->status, 100);
		CHECK_INT(m->reason.len, 0);
		CHECK(m->reason.p >= m->buf && m->reason.p <= m->buf + m->len);
		sip_msg_free(m);
	}
	return 0;
}

/* Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII /
 * UTF8-CONT / SP / HTAB): kept as written, inner spaces included. */
static int test_parse_status_utf8_reason(void)
{
	const char *text = "SIP/2.0 200 \xc3\x87"
			   "a va  tr\xc3\xa8s\tbien \xe2\x9c\x93\r\n" MANDATORY
			   "CSeq: 1 INVITE\r\n\r\n";
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK_STR(m->reason, "\xc3\x87"
			     "a va  tr\xc3\xa8s\tbien \xe2\x9c\x93");
	sip_msg_free(m);
	return 0;
}

static int test_parse_status_reason_control_rejected(void)
{
	const char *text =
	    "SIP/2.0 200 O\x01K\r\n" MANDATORY "CSeq: 1 INVITE\r\n\r\n";
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
		      "Bad reason phrase", 13);
	CHECK(m == NULL);
	return 0;
}

/* RFC 3261 §7.5: CRLFs before the start line are ignored. */
static int test_parse_leading_crlf_skipped(void)
{
	static const char *const prefixes[] = { "\r\n", "\r\n\r\n\r\n",
						"\n\n" };
	struct sip_msg *m;
	char text[1024];

	for (size_t i = 0; i < 3; i++) {
		snprintf(text, sizeof(text), "%s" INVITE_HEAD "\r\n",
			 prefixes[i]);
		CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
		CHECK_STR(m->method_name, "INVITE");
		CHECK_INT(m->nhdrs, 6);
		CHECK(m->buf[0] == 'I');
		sip_msg_free(m);
	}
	return 0;
}

/* Offsets count the skipped CRLFs: they are offsets in the caller's bytes. */
static int test_parse_leading_crlf_counted_in_offsets(void)
{
	const char *text = "\r\n\r\n" INVITE_HEAD "Max-Forwards: 256\r\n\r\n";
	struct sip_parse_error err;
	struct sip_msg *m;

	const char *bad =
	    "\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\nBad Name: x\r\n\r\n";

	CHECK_REFUSED(parse_text(NULL, bad, &m, &err), err, 400,
		      "Malformed header name", offset_of(bad, "Name"));
	CHECK(m == NULL);
	/* A second Max-Forwards is not read; the first one counts. */
	CHECK_INT(parse_text(NULL, text, &m, &err), 0);
	CHECK_INT(m->max_forwards, 70);
	sip_msg_free(m);
	return 0;
}

/* Only CRLFs: nothing to parse. */
static int test_parse_empty_datagram_rejected(void)
{
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_REFUSED(parse_text(NULL, "\r\n\r\n", &m, &err), err, 400,
		      "Missing empty line after headers", 4);
	CHECK(m == NULL);
	CHECK_INT(sip_msg_parse(NULL, "", 0, &m, &err), EBADMSG);
	CHECK(m == NULL);
	return 0;
}

static int test_parse_missing_empty_line_rejected(void)
{
	const char *text = INVITE_HEAD "Content-Length: 0\r\n";
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
		      "Missing empty line after headers", strlen(text));
	CHECK(m == NULL);
	return 0;
}

/* ---- header fields ------------------------------------------------------- */

/* RFC 3261 §7.3.1: a line starting with SP or HTAB continues the field. */
static int test_parse_folding_crlf(void)
{
	const char *text =
	    INVITE_HEAD "Subject: I know you're there,\r\n"
			"         pick up the phone\r\n"
			"\tand talk to me!\r\n"
			"Route: <sip:a@b;lr>,\r\n <sip:c@d;lr>\r\n\r\n";
	const struct sip_hdr *h;
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK_INT(m->nhdrs, 8);
	h = sip_msg_hdr(m, SIP_HDR_SUBJECT);
	CHECK(h != NULL);
	CHECK_STR(h->value, "I know you're there,\r\n         pick up the phone"
			    "\r\n\tand talk to me!");
	h = sip_msg_hdr(m, SIP_HDR_ROUTE);
	CHECK_STR(h->value, "<sip:a@b;lr>,\r\n <sip:c@d;lr>");
	CHECK(&m->hdrs[m->nhdrs - 1] == h);
	sip_msg_free(m);
	return 0;
}

/* Bare LF line ends (RFC 3261 §7.5 asks for CRLF, but tolerate LF). */
static int test_parse_folding_lf_only(void)
{
	const char *text = "OPTIONS sip:bob@biloxi.com SIP/2.0\n"
			   "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bKlf\n"
			   "To: <sip:bob@biloxi.com>\n"
			   "From: <sip:alice@atlanta.com>\n ;tag=88\n"
			   "Call-ID: lf@h\n"
			   "CSeq: 7\n\tOPTIONS\n"
			   "Content-Length: 4\n"
			   "\n"
			   "body";
	const struct sip_hdr *h;
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK_INT(m->nhdrs, 6);
	CHECK_STR(m->from.tag, "88");
	CHECK_INT(m->cseq.number, 7);
	CHECK_INT(m->cseq.method, SIP_METHOD_OPTIONS);
	h = sip_msg_hdr(m, SIP_HDR_FROM);
	CHECK_STR(h->value, "<sip:alice@atlanta.com>\n ;tag=88");
	CHECK_STR(m->body, "body");
	sip_msg_free(m);
	return 0;
}

/* A value may start on the next line; an empty value stays empty. */
static int test_parse_value_trimmed_and_empty(void)
{
	const char *text = INVITE_HEAD "Subject:\r\n  folded start \t \r\n"
				       "X-Empty:\r\n"
				       "X-Blank:   \t\r\n\r\n";
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK_STR(m->hdrs[6].value, "folded start");
	CHECK_STR(m->hdrs[7].name, "X-Empty");
	CHECK_STR(m->hdrs[7].value, "");
	CHECK_STR(m->hdrs[8].value, "");
	sip_msg_free(m);
	return 0;
}

static int test_parse_fold_before_first_header_rejected(void)
{
	const char *text = "OPTIONS sip:a@b SIP/2.0\r\n folded: x\r\n" MANDATORY
			   "CSeq: 1 OPTIONS\r\n\r\n";
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
		      "Fold before any header", 25);
	CHECK(m == NULL);
	return 0;
}

/* RFC 3261 §7.3.3 compact forms, and names as written. */
static int test_parse_compact_names(void)
{
	const char *text = "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
			   "v: SIP/2.0/UDP h.example.com;branch=z9hG4bKc1\r\n"
			   "t: <sip:bob@biloxi.com>\r\n"
			   "f: <sip:alice@atlanta.com>;tag=1\r\n"
			   "i: compact@h\r\n"
			   "CSeq: 2 INVITE\r\n"
			   "m: <sip:alice@192.0.2.4>\r\n"
			   "k: 100rel\r\n"
			   "s: hello\r\n"
			   "c: application/sdp\r\n"
			   "L: 3\r\n\r\nv=0";
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK_STR(m->hdrs[0].name, "v");
	CHECK_INT(m->hdrs[0].id, SIP_HDR_VIA);
	CHECK_STR(m->via.branch, "z9hG4bKc1");
	CHECK_STR(m->to.uri, "sip:bob@biloxi.com");
	CHECK_STR(m->from.tag, "1");
	CHECK_STR(m->call_id, "compact@h");
	CHECK_INT(m->hdrs[5].id, SIP_HDR_CONTACT);
	CHECK_INT(m->hdrs[6].id, SIP_HDR_SUPPORTED);
	CHECK_INT(m->hdrs[7].id, SIP_HDR_SUBJECT);
	CHECK_INT(m->hdrs[8].id, SIP_HDR_CONTENT_TYPE);
	CHECK_INT(m->hdrs[9].id, SIP_HDR_CONTENT_LENGTH);
	CHECK(m->has_content_length);
	CHECK_INT(m->content_length, 3);
	CHECK_STR(m->body, "v=0");
	sip_msg_free(m);
	return 0;
}

/* HCOLON = *( SP / HTAB ) ":" SWS (RFC 3261 §25.1). */
static int test_parse_whitespace_before_colon(void)
{
	const char *text =
	    "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
	    "Via  \t: SIP/2.0/UDP h.example.com;branch=z9hG4bKw\r\n"
	    "To : <sip:bob@biloxi.com>\r\n"
	    "From\t:<sip:alice@atlanta.com>;tag=2\r\n"
	    "Call-ID  :  ws@h  \r\n"
	    "CSeq:1 INVITE\r\n\r\n";
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK_STR(m->hdrs[0].name, "Via");
	CHECK_STR(m->hdrs[1].name, "To");
	CHECK_STR(m->hdrs[2].name, "From");
	CHECK_STR(m->hdrs[2].value, "<sip:alice@atlanta.com>;tag=2");
	CHECK_STR(m->hdrs[3].value, "ws@h");
	CHECK_STR(m->call_id, "ws@h");
	CHECK_STR(m->via.host, "h.example.com");
	sip_msg_free(m);
	return 0;
}

static int test_parse_malformed_header_name_rejected(void)
{
	static const struct {
		const char *line;
		size_t fault; /* offset of the fault within the line */
	} cases[] = {
		{ "Sub ject: x", 4 },
		{ "NoColonHere", 11 },
		{ "@at: x", 0 },
		{ ": empty name", 0 },
		{ "Subject\r\n : folded colon", 7 }, /* no fold before ':' */
	};
	struct sip_parse_error err;
	struct sip_msg *m;
	char text[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), INVITE_HEAD "%s\r\n\r\n",
			 cases[i].line);
		CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
			      "Malformed header name",
			      strlen(INVITE_HEAD) + cases[i].fault);
		/* The fields could not be split: nothing to answer from. */
		CHECK(m == NULL);
	}
	return 0;
}

/* ---- limits -------------------------------------------------------------- */

static int test_parse_too_many_headers(void)
{
	const struct sip_limits lim = { .max_message = 65535,
					.max_headers = 7,
					.max_line = 8192 };
	const char *exact = INVITE_HEAD "Subject: a\r\n b\r\n\tc\r\n\r\n";
	const char *over =
	    INVITE_HEAD "Subject: a\r\n b\r\nX-One: too many\r\n\r\n";
	struct sip_parse_error err;
	struct sip_msg *m;

	/* Folded lines belong to their field and do not count. */
	CHECK_INT(parse_text(&lim, exact, &m, &err), 0);
	CHECK_INT(m->nhdrs, 7);
	sip_msg_free(m);
	CHECK_REFUSED(parse_text(&lim, over, &m, &err), err, 400,
		      "Too many headers", offset_of(over, "X-One"));
	CHECK(m == NULL);
	return 0;
}

/* A header field is measured with its folded lines, CRLFs included. */
static int test_parse_header_line_too_long(void)
{
	char text[2048], subject[128];
	struct sip_limits lim = { .max_message = 65535, .max_headers = 256 };
	struct sip_parse_error err;
	struct sip_msg *m;
	size_t line;

	memset(subject, 'x', 100);
	subject[100] = '\0';
	snprintf(text, sizeof(text), INVITE_HEAD "Subject: %s\r\n\r\n",
		 subject);
	line = strlen("Subject: ") + 100;
	lim.max_line = line;
	CHECK_INT(parse_text(&lim, text, &m, &err), 0);
	sip_msg_free(m);
	lim.max_line = line - 1;
	CHECK_REFUSED(parse_text(&lim, text, &m, &err), err, 400,
		      "Header too long", strlen(INVITE_HEAD));
	CHECK(m == NULL);

	/* Two short lines, one long field. */
	subject[50] = '\0';
	snprintf(text, sizeof(text), INVITE_HEAD "Subject: %s\r\n %s\r\n\r\n",
		 subject, subject);
	lim.max_line = 80;
	CHECK_REFUSED(parse_text(&lim, text, &m, &err), err, 400,
		      "Header too long", strlen(INVITE_HEAD));
	lim.max_line = strlen("Subject: ") + 50 + 3 + 50;
	CHECK_INT(parse_text(&lim, text, &m, &err), 0);
	sip_msg_free(m);
	return 0;
}

static int test_parse_start_line_too_long(void)
{
	const char *text = "OPTIONS sip:bob@biloxi.example.com SIP/2.0\r\n"
			   "CSeq: 1 OPTIONS\r\n\r\n";
	struct sip_limits lim = { .max_message = 65535,
				  .max_headers = 256,
				  .max_line = 42 };
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_INT(parse_text(&lim, text, &m, &err), 0);
	sip_msg_free(m);
	lim.max_line = 41;
	CHECK_REFUSED(parse_text(&lim, text, &m, &err), err, 400,
		      "Start line too long", 0);
	CHECK(m == NULL);
	return 0;
}

static int test_parse_message_too_large(void)
{
	const char *text = INVITE_HEAD "Content-Length: 4\r\n\r\nbody";
	struct sip_limits lim = { .max_message = strlen(text),
				  .max_headers = 256,
				  .max_line = 8192 };
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_INT(parse_text(&lim, text, &m, &err), 0);
	sip_msg_free(m);
	lim.max_message--;
	CHECK_REFUSED(parse_text(&lim, text, &m, &err), err, 413,
		      "Message Too Large", 0);
	CHECK(m == NULL);
	return 0;
}

/* ---- Content-Length ------------------------------------------------------ */

/* RFC 3261 §18.3: bytes past Content-Length are not part of the message. */
static int test_parse_body_cut_to_content_length(void)
{
	const char *text = INVITE_HEAD "Content-Length: 4\r\n\r\nbodyTRAILING";
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK(m->has_content_length);
	CHECK_INT(m->content_length, 4);
	CHECK_STR(m->body, "body");
	CHECK(m->body.p == m->buf + offset_of(text, "bodyTRAILING"));
	sip_msg_free(m);
	return 0;
}

/* Without Content-Length a datagram's body is the rest of it (§18.3). */
static int test_parse_missing_content_length_takes_rest(void)
{
	const char *text =
	    INVITE_HEAD "\r\nv=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n";
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK(!m->has_content_length);
	CHECK_STR(m->body, "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n");
	sip_msg_free(m);
	CHECK_INT(parse_text(NULL, INVITE_HEAD "\r\n", &m, NULL), 0);
	CHECK_INT(m->body.len, 0);
	sip_msg_free(m);
	return 0;
}

/* RFC 4475 §3.1.2.2 (clerr): the request is answered 400. */
static int test_parse_content_length_larger_than_data(void)
{
	const char *text = INVITE_HEAD "Content-Length: 10\r\n\r\nshort";
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
		      "Content-Length larger than message",
		      offset_of(text, "short"));
	CHECK(m != NULL);
	CHECK(m->is_request);
	/* What is valid is read, for the response. */
	CHECK_STR(m->call_id, "a84b4c76e66710@pc33.atlanta.com");
	CHECK(m->has_to && m->has_from && m->has_via && m->has_cseq);
	sip_msg_free(m);
	return 0;
}

/* RFC 4475 §3.1.2.5 (ncl): a negative Content-Length. */
static int test_parse_negative_content_length(void)
{
	static const char *const values[] = { "-999", "4x", "", "99999999999" };
	struct sip_parse_error err;
	struct sip_msg *m;
	char text[1024];

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		snprintf(text, sizeof(text),
			 INVITE_HEAD "Content-Length: %s\r\n\r\nbody",
			 values[i]);
		CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
			      "Bad Content-Length",
			      strlen(INVITE_HEAD) + strlen("Content-Length: "));
		CHECK(m != NULL);
		sip_msg_free(m);
	}
	return 0;
}

/* RFC 4475 §3.3.9 (mcl01): every Content-Length must agree. */
static int test_parse_conflicting_content_length(void)
{
	const char *text = INVITE_HEAD "Content-Length: 4\r\nl: 5\r\n\r\nbodyX";
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
		      "Conflicting Content-Length", offset_of(text, "5\r\n"));
	CHECK(m != NULL);
	sip_msg_free(m);
	return 0;
}

static int test_parse_equal_content_lengths_accepted(void)
{
	const char *text =
	    INVITE_HEAD "Content-Length: 4\r\nl: 004\r\n\r\nbodyX";
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK_INT(m->content_length, 4);
	CHECK_STR(m->body, "body");
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_CONTENT_LENGTH), 2);
	sip_msg_free(m);
	return 0;
}

/* ---- the headers read at parse time -------------------------------------- */

static int test_parse_essentials(void)
{
	const char *text =
	    "BYE sip:bob@192.0.2.4 SIP/2.0\r\n"
	    "Via: SIP/2.0/TCP client.atlanta.example.com:5060;"
	    "branch=z9hG4bK74b43;received=192.0.2.101;rport=5061,"
	    " SIP/2.0/UDP second.example.com;branch=z9hG4bK2nd\r\n"
	    "Max-Forwards: 69\r\n"
	    "From: \"Alice A.\" "
	    "<sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
	    "To: sip:bob@biloxi.example.com;tag=8321234356\r\n"
	    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
	    "CSeq: 2 BYE\r\n"
	    "Content-Length: 0\r\n\r\n";
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	CHECK(m->has_via);
	CHECK_STR(m->via.transport, "TCP");
	CHECK_STR(m->via.host, "client.atlanta.example.com");
	CHECK_INT(m->via.port, 5060);
	CHECK_STR(m->via.branch, "z9hG4bK74b43");
	CHECK_STR(m->via.received, "192.0.2.101");
	CHECK(m->via.has_rport);
	CHECK_INT(m->via.rport, 5061);
	CHECK(m->has_from && m->has_to && m->has_cseq && m->has_max_forwards);
	CHECK_STR(m->from.display, "Alice A.");
	CHECK_STR(m->from.uri, "sip:alice@atlanta.example.com");
	CHECK_STR(m->from.tag, "9fxced76sl");
	CHECK(!m->to.bracketed);
	CHECK_STR(m->to.uri, "sip:bob@biloxi.example.com");
	CHECK_STR(m->to.tag, "8321234356");
	CHECK_STR(m->call_id, "3848276298220188511@atlanta.example.com");
	CHECK_INT(m->cseq.number, 2);
	CHECK_INT(m->cseq.method, SIP_METHOD_BYE);
	CHECK_INT(m->max_forwards, 69);
	CHECK(m->has_content_length);
	CHECK_INT(m->content_length, 0);
	/* Slices point into the message's own copy. */
	CHECK(m->call_id.p > m->buf && m->call_id.p < m->buf + m->len);
	sip_msg_free(m);
	return 0;
}

static int test_parse_absent_essentials(void)
{
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, "OPTIONS sip:a@example.com SIP/2.0\r\n\r\n",
			     &m, NULL),
		  0);
	CHECK(!m->has_via && !m->has_from && !m->has_to && !m->has_cseq);
	CHECK(!m->has_max_forwards && !m->has_content_length);
	CHECK_INT(m->call_id.len, 0);
	CHECK_INT(m->via.ttl, -1);
	CHECK_INT(m->nhdrs, 0);
	CHECK(sip_msg_hdr(m, SIP_HDR_VIA) == NULL);
	sip_msg_free(m);
	return 0;
}

/* RFC 3261 §8.1.1.5; RFC 4475 §3.1.2.17 (mismatch01, case included). */
static int test_parse_cseq_method_mismatch(void)
{
	static const char *const cseqs[] = { "1 BYE", "1 invite" };
	struct sip_parse_error err;
	struct sip_msg *m;
	char text[1024];

	for (size_t i = 0; i < 2; i++) {
		snprintf(text, sizeof(text),
			 "INVITE sip:bob@biloxi.com SIP/2.0\r\n" MANDATORY
			 "CSeq: %s\r\n\r\n",
			 cseqs[i]);
		CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
			      "CSeq method does not match request",
			      offset_of(text, cseqs[i]));
		CHECK_STR(err.header, "CSeq");
		CHECK(m != NULL);
		sip_msg_free(m);
	}
	/* A response's CSeq names the request it answers. */
	CHECK_INT(parse_text(NULL,
			     "SIP/2.0 200 OK\r\n" MANDATORY
			     "CSeq: 1 BYE\r\n\r\n",
			     &m, &err),
		  0);
	sip_msg_free(m);
	return 0;
}

/* RFC 4475 §3.1.2.16 (badvers): 505, and the request can be answered. */
static int test_parse_version_not_supported(void)
{
	const char *req = "INVITE sip:bob@biloxi.com SIP/7.0\r\n" MANDATORY
			  "CSeq: 1 INVITE\r\n\r\n";
	const char *resp =
	    "SIP/3.0 200 OK\r\n" MANDATORY "CSeq: 1 INVITE\r\n\r\n";
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_REFUSED(parse_text(NULL, req, &m, &err), err, 505,
		      "Version Not Supported", offset_of(req, "SIP/7.0"));
	CHECK(m != NULL);
	CHECK_STR(m->call_id, "a84b4c76e66710@pc33.atlanta.com");
	sip_msg_free(m);
	CHECK_REFUSED(parse_text(NULL, resp, &m, &err), err, 505,
		      "Version Not Supported", 0);
	CHECK(m == NULL);
	return 0;
}

static int test_parse_malformed_version_rejected(void)
{
	static const char *const versions[] = { "SIP/2.0x", "SIP/", "SIP/2",
						"HTTP/1.1", "SIP/.0" };
	struct sip_parse_error err;
	struct sip_msg *m;
	char text[1024];

	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		snprintf(text, sizeof(text),
			 "INVITE sip:bob@biloxi.com %s\r\n" MANDATORY
			 "CSeq: 1 INVITE\r\n\r\n",
			 versions[i]);
		CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
			      "Malformed SIP version", 26);
		CHECK(m != NULL);
		sip_msg_free(m);
	}
	return 0;
}

/* RFC 4475 §3.1.2.9-10: extra spaces in the request line may be refused. */
static int test_parse_malformed_request_line(void)
{
	static const struct {
		const char *line;
		size_t off;
		bool replyable;
	} cases[] = {
		{ "INVITE sip:bob@biloxi.com", 7, true },
		{ "INVITE  sip:bob@biloxi.com SIP/2.0", 7, true },
		{ "INVITE sip:bob@biloxi.com SIP/2.0 ", 26, true },
		{ "INV@TE sip:bob@biloxi.com SIP/2.0", 3, false },
		{ "INVITE", 6, false },
	};
	struct sip_parse_error err;
	struct sip_msg *m;
	char text[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
			 "%s\r\n" MANDATORY "CSeq: 1 INVITE\r\n\r\n",
			 cases[i].line);
		CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
			      "Malformed request line", cases[i].off);
		CHECK((m != NULL) == cases[i].replyable);
		sip_msg_free(m);
	}
	return 0;
}

static int test_parse_bad_request_uri(void)
{
	const char *hdrs =
	    "INVITE sip:bob@biloxi.com?Subject=hi SIP/2.0\r\n" MANDATORY
	    "CSeq: 1 INVITE\r\n\r\n";
	const char *bad = "INVITE sip:bob@bi<loxi.com SIP/2.0\r\n" MANDATORY
			  "CSeq: 1 INVITE\r\n\r\n";
	struct sip_parse_error err, uri_err;
	struct sip_uri uri;
	struct sip_msg *m;

	/* RFC 3261 §19.1.1: no headers in a Request-URI. */
	CHECK_REFUSED(parse_text(NULL, hdrs, &m, &err), err, 400,
		      "Headers in Request-URI", 7);
	CHECK(m != NULL);
	sip_msg_free(m);
	CHECK_INT(sip_uri_parse(S("sip:bob@bi<loxi.com"), &uri, &uri_err),
		  EBADMSG);
	CHECK_REFUSED(parse_text(NULL, bad, &m, &err), err, 400,
		      "Malformed Request-URI", 7 + uri_err.offset);
	CHECK(m != NULL);
	sip_msg_free(m);
	return 0;
}

/*
 * A request whose header fields split but whose Via is broken comes back
 * with the error, so that the 400 can be built; the error names the
 * header in the caller's bytes and points at the fault exactly.
 */
static int test_parse_broken_request_is_replyable(void)
{
	const char *text =
	    "\r\nINVITE sip:bob@biloxi.com SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP pc33.atlanta.com;;branch=z9hG4bK1\r\n"
	    "Max-Forwards: 70\r\n"
	    "To: <sip:bob@biloxi.com>\r\n"
	    "From: <sip:alice@atlanta.com>;tag=1\r\n"
	    "Call-ID: broken@h\r\n"
	    "CSeq: 1 INVITE\r\n\r\n";
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
		      "Empty or malformed parameter",
		      offset_of(text, ";;") + 1);
	CHECK(err.header.p == text + offset_of(text, "Via:"));
	CHECK_INT(err.header.len, 3);
	CHECK(m != NULL);
	CHECK(m->is_request);
	CHECK_INT(m->method, SIP_METHOD_INVITE);
	CHECK_INT(m->nhdrs, 6);
	/* The headers past the fault are read where valid; the bad one not. */
	CHECK(!m->has_via);
	CHECK_STR(m->call_id, "broken@h");
	CHECK_INT(m->cseq.number, 1);
	CHECK(m->has_to && m->to.tag.p == NULL);
	sip_msg_free(m);
	return 0;
}

/* The same fault in a response: dropped, and err still names the header. */
static int test_parse_broken_response_not_returned(void)
{
	const char *text =
	    "SIP/2.0 200 OK\r\n"
	    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK1\r\n"
	    "To: <sip:bob@biloxi.com>;tag=2\r\n"
	    "From: <sip:alice@atlanta.com>;tag=1\r\n"
	    "Call-ID: broken@h\r\n"
	    "CSeq: 1 INVITE\r\n"
	    "Max-Forwards: 256\r\n\r\n";
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
		      "Number out of range", offset_of(text, "256"));
	CHECK(m == NULL);
	CHECK(err.header.p == text + offset_of(text, "Max-Forwards"));
	CHECK_STR(err.header, "Max-Forwards");
	return 0;
}

/* Offsets of faults inside typed values, past folds and compact names. */
static int test_parse_error_offsets_exact(void)
{
	static const struct {
		const char *line;
		const char *fault; /* the text the offset must point at */
		const char *what;
	} cases[] = {
		{ "CSeq: abc INVITE", "abc", "Malformed CSeq number" },
		{ "CSeq: 1 INVITE x", "x\r\n", "Junk after CSeq" },
		{ "v: SIP/2.0/UDP h.example.com;branch=z9hG4bK1,\r\n"
		  " SIP/2.0/UDP h2.example.com:0",
		  "0\r\n\r\n", "Bad port in Via" },
		{ "Call-ID: a b", "b\r\n", "Malformed Call-ID" },
		{ "Max-Forwards: 7a", "a\r\n", "Junk after number" },
	};
	struct sip_parse_error err;
	struct sip_msg *m;
	char text[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
			 "OPTIONS sip:bob@biloxi.com SIP/2.0\r\n"
			 "To: <sip:bob@biloxi.com>\r\n%s\r\n\r\n",
			 cases[i].line);
		CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
			      cases[i].what, offset_of(text, cases[i].fault));
		CHECK(err.header.p == text + offset_of(text, cases[i].line));
		CHECK(m != NULL);
		sip_msg_free(m);
	}
	return 0;
}

/* Every Via value is checked, not only the top one (responses route by
 * the whole list). */
static int test_parse_every_via_value_checked(void)
{
	const char *text = "OPTIONS sip:bob@biloxi.com SIP/2.0\r\n"
			   "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
			   "Via: SIP/2.0/UDP h2.example.com;branch=z9hG4bK2,,"
			   " SIP/2.0/UDP h3.example.com\r\n\r\n";
	struct sip_parse_error err;
	struct sip_msg *m;

	CHECK_REFUSED(parse_text(NULL, text, &m, &err), err, 400,
		      "Empty Via value", offset_of(text, ", SIP/2.0/UDP h3"));
	CHECK_STR(err.header, "Via");
	sip_msg_free(m);
	return 0;
}

/* ---- header access ------------------------------------------------------- */

static const char access_text[] =
    "OPTIONS sip:bob@biloxi.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,"
    " SIP/2.0/TCP b.example.com;branch=z9hG4bK2\r\n"
    "X-Foo: 1\r\n"
    "v: SIP/2.0/UDP c.example.com;branch=z9hG4bK3\r\n"
    "x-foo: 2\r\n"
    "X-Bar: 3\r\n"
    "Supported: timer,\r\n 100rel\r\n"
    "k: replaces\r\n"
    "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n"
    "WWW-Authenticate: Digest realm=\"a\", nonce=\"b\"\r\n"
    "Date: Sun, 14 Nov 2010 00:00:00 GMT\r\n"
    "\r\n";

static int test_access_headers_by_kind_and_name(void)
{
	const struct sip_hdr *h, *first;
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, access_text, &m, NULL), 0);
	first = sip_msg_hdr(m, SIP_HDR_VIA);
	CHECK(first == &m->hdrs[0]);
	h = sip_msg_hdr_next(m, first);
	CHECK(h == &m->hdrs[2]);
	CHECK_STR(h->name, "v");
	CHECK(sip_msg_hdr_next(m, h) == NULL);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_VIA), 2);
	CHECK(sip_msg_hdr_by_name(m, S("v")) == first);
	CHECK(sip_msg_hdr_by_name(m, S("VIA")) == first);

	/* Unknown headers match by name, case-insensitively. */
	h = sip_msg_hdr_by_name(m, S("x-FOO"));
	CHECK(h == &m->hdrs[1]);
	h = sip_msg_hdr_next(m, h);
	CHECK(h == &m->hdrs[3]);
	CHECK_STR(h->value, "2");
	CHECK(sip_msg_hdr_next(m, h) == NULL); /* X-Bar is another header */
	CHECK(sip_msg_hdr_by_name(m, S("X-Missing")) == NULL);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_OTHER), 3);

	CHECK(sip_msg_hdr(m, SIP_HDR_CONTACT) == NULL);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_CONTACT), 0);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_SUPPORTED), 2);
	sip_msg_free(m);
	return 0;
}

static int test_access_values_across_header_lines(void)
{
	static const char *const vias[] = {
		"SIP/2.0/UDP a.example.com;branch=z9hG4bK1",
		"SIP/2.0/TCP b.example.com;branch=z9hG4bK2",
		"SIP/2.0/UDP c.example.com;branch=z9hG4bK3",
	};
	static const char *const supported[] = { "timer", "100rel",
						 "replaces" };
	struct sip_value_iter it = { 0 };
	struct tnd_slice v;
	struct sip_msg *m;
	size_t n = 0;

	CHECK_INT(parse_text(NULL, access_text, &m, NULL), 0);
	while (sip_msg_value_next(m, SIP_HDR_VIA, &it, &v)) {
		CHECK(n < 3);
		CHECK_STR(v, vias[n]);
		n++;
	}
	CHECK_INT(n, 3);
	CHECK(!sip_msg_value_next(m, SIP_HDR_VIA, &it, &v)); /* stays done */
	it = (struct sip_value_iter){ 0 };
	n = 0;
	while (sip_msg_value_next(m, SIP_HDR_SUPPORTED, &it, &v)) {
		CHECK(n < 3);
		CHECK_STR(v, supported[n]);
		n++;
	}
	CHECK_INT(n, 3);
	it = (struct sip_value_iter){ 0 };
	CHECK(!sip_msg_value_next(m, SIP_HDR_CONTACT, &it, &v));
	sip_msg_free(m);
	return 0;
}

/* Date and the challenge headers hold bare commas: one value per line. */
static int test_access_non_list_values_not_split(void)
{
	struct sip_value_iter it = { 0 };
	struct tnd_slice v;
	struct sip_msg *m;

	CHECK_INT(parse_text(NULL, access_text, &m, NULL), 0);
	CHECK(sip_msg_value_next(m, SIP_HDR_DATE, &it, &v));
	CHECK_STR(v, "Sat, 13 Nov 2010 23:29:00 GMT");
	CHECK(sip_msg_value_next(m, SIP_HDR_DATE, &it, &v));
	CHECK_STR(v, "Sun, 14 Nov 2010 00:00:00 GMT");
	CHECK(!sip_msg_value_next(m, SIP_HDR_DATE, &it, &v));
	it = (struct sip_value_iter){ 0 };
	CHECK(sip_msg_value_next(m, SIP_HDR_WWW_AUTHENTICATE, &it, &v));
	CHECK_STR(v, "Digest realm=\"a\", nonce=\"b\"");
	CHECK(!sip_msg_value_next(m, SIP_HDR_WWW_AUTHENTICATE, &it, &v));
	sip_msg_free(m);
	return 0;
}

/* Empty elements come back so that callers can reject them. */
static int test_access_empty_list_elements(void)
{
	const char *text = "OPTIONS sip:bob@biloxi.com SIP/2.0\r\n"
			   "Require:\r\n"
			   "Require: a,,b\r\n\r\n";
	static const char *const want[] = { "a", "", "b" };
	struct sip_value_iter it = { 0 };
	struct tnd_slice v;
	struct sip_msg *m;
	size_t n = 0;

	CHECK_INT(parse_text(NULL, text, &m, NULL), 0);
	while (sip_msg_value_next(m, SIP_HDR_REQUIRE, &it, &v)) {
		CHECK(n < 3);
		CHECK_STR(v, want[n]);
		n++;
	}
	CHECK_INT(n, 3);
	sip_msg_free(m);
	return 0;
}

/* A parse that runs out of memory fails cleanly. */
static int test_parse_out_of_memory(void)
{
	struct sip_msg *m;
	int rc = parse_text(NULL, INVITE_HEAD "\r\n", &m, NULL);

	if (rc == ENOMEM) {
		CHECK(m == NULL);
		return ENOMEM;
	}
	CHECK_INT(rc, 0);
	sip_msg_free(m);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_parse_request_line_fields),
	TEST(test_parse_extension_method_kept_as_written),
	TEST(test_parse_version_literal_case),
	TEST(test_parse_status_line_fields),
	TEST(test_parse_status_code_bounds),
	TEST(test_parse_status_code_four_digits_rejected),
	TEST(test_parse_status_empty_reason),
	TEST(test_parse_status_utf8_reason),
	TEST(test_parse_status_reason_control_rejected),
	TEST(test_parse_leading_crlf_skipped),
	TEST(test_parse_leading_crlf_counted_in_offsets),
	TEST(test_parse_empty_datagram_rejected),
	TEST(test_parse_missing_empty_line_rejected),
	TEST(test_parse_folding_crlf),
	TEST(test_parse_folding_lf_only),
	TEST(test_parse_value_trimmed_and_empty),
	TEST(test_parse_fold_before_first_header_rejected),
	TEST(test_parse_compact_names),
	TEST(test_parse_whitespace_before_colon),
	TEST(test_parse_malformed_header_name_rejected),
	TEST(test_parse_too_many_headers),
	TEST(test_parse_header_line_too_long),
	TEST(test_parse_start_line_too_long),
	TEST(test_parse_message_too_large),
	TEST(test_parse_body_cut_to_content_length),
	TEST(test_parse_missing_content_length_takes_rest),
	TEST(test_parse_content_length_larger_than_data),
	TEST(test_parse_negative_content_length),
	TEST(test_parse_conflicting_content_length),
	TEST(test_parse_equal_content_lengths_accepted),
	TEST(test_parse_essentials),
	TEST(test_parse_absent_essentials),
	TEST(test_parse_cseq_method_mismatch),
	TEST(test_parse_version_not_supported),
	TEST(test_parse_malformed_version_rejected),
	TEST(test_parse_malformed_request_line),
	TEST(test_parse_bad_request_uri),
	TEST(test_parse_broken_request_is_replyable),
	TEST(test_parse_broken_response_not_returned),
	TEST(test_parse_error_offsets_exact),
	TEST(test_parse_every_via_value_checked),
	TEST(test_access_headers_by_kind_and_name),
	TEST(test_access_values_across_header_lines),
	TEST(test_access_non_list_values_not_split),
	TEST(test_access_empty_list_elements),
	TEST_OOM(test_parse_out_of_memory),
};

TEST_MAIN(cases)
