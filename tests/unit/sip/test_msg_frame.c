/*
 * sip_msg_frame (msg_frame.c): cutting a byte stream into messages by
 * Content-Length (RFC 3261 §18.3) and CRLF keep-alives (RFC 5626 §3.5.1),
 * fed whole, in pieces and one byte at a time.
 */
#include <stdio.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/sip_msg.h"
#include "test.h"

#define HEAD                                                           \
	"OPTIONS sip:bob@biloxi.example.com SIP/2.0\r\n"               \
	"Via: SIP/2.0/TCP client.example.com;branch=z9hG4bKstream\r\n" \
	"Max-Forwards: 70\r\n"                                         \
	"To: <sip:bob@biloxi.example.com>\r\n"                         \
	"From: <sip:alice@atlanta.example.com>;tag=1\r\n"              \
	"Call-ID: stream@client.example.com\r\n"                       \
	"CSeq: 1 OPTIONS\r\n"

static const char msg_with_body[] = HEAD "Content-Length: 4\r\n\r\nbody";

struct frame_out {
	int rc;
	enum sip_frame_kind kind;
	size_t len;
	struct sip_parse_error err;
};

/*
 * Frames `len` bytes copied to a block of exactly that size, so that a
 * read past the end is caught under AddressSanitizer.
 */
static struct frame_out frame(const struct sip_limits *lim,
			      struct sip_frame_state *st, const char *data,
			      size_t len)
{
	struct frame_out o = { .kind = (enum sip_frame_kind) - 1, .len = 0 };
	char *copy = tnd_malloc(len ? len : 1);

	if (!copy) {
		o.rc = ENOMEM;
		return o;
	}
	memcpy(copy, data, len);
	o.rc = sip_msg_frame(lim, st, copy, len, &o.kind, &o.len, &o.err);
	tnd_free(copy);
	return o;
}

static struct frame_out frame_str(const char *text)
{
	struct sip_frame_state st = { 0 };

	return frame(NULL, &st, text, strlen(text));
}

#define CHECK_FRAME(o, k, n)              \
	do {                              \
		CHECK_INT((o).rc, 0);     \
		CHECK_INT((o).kind, (k)); \
		CHECK_INT((o).len, (n));  \
	} while (0)

#define CHECK_BAD(o, code, text)                    \
	do {                                        \
		CHECK_INT((o).rc, EBADMSG);         \
		CHECK_INT((o).err.status, (code));  \
		CHECK_STR(S((o).err.what), (text)); \
	} while (0)

static int test_frame_whole_message(void)
{
	struct frame_out o = frame_str(msg_with_body);

	CHECK_FRAME(o, SIP_FRAME_MESSAGE, strlen(msg_with_body));
	return 0;
}

static int test_frame_message_then_start_of_next(void)
{
	char text[1024];
	struct frame_out o;

	snprintf(text, sizeof(text), "%sINVITE sip:b", msg_with_body);
	o = frame_str(text);
	CHECK_FRAME(o, SIP_FRAME_MESSAGE, strlen(msg_with_body));
	/* The next one is not there yet. */
	o = frame_str(text + strlen(msg_with_body));
	CHECK_INT(o.rc, EAGAIN);
	return 0;
}

/* Every proper prefix waits: the message ends with its last body byte. */
static int test_frame_waits_until_last_body_byte(void)
{
	size_t total = strlen(msg_with_body);

	for (size_t n = 0; n < total; n++) {
		struct sip_frame_state st = { 0 };
		struct frame_out o = frame(NULL, &st, msg_with_body, n);

		CHECK_INT(o.rc, EAGAIN);
	}
	return 0;
}

/*
 * One byte at a time, with the state carried between calls as a
 * connection would: the same frame as when fed whole, found only at the
 * last byte, and the state records how far the header scan has come, so
 * that each call scans only the new bytes.
 */
static int test_frame_byte_at_a_time(void)
{
	size_t total = strlen(msg_with_body);
	size_t hdr_end = total - 4;
	struct sip_frame_state st = { 0 };
	struct frame_out o = { 0 };

	for (size_t n = 1; n <= total; n++) {
		o = frame(NULL, &st, msg_with_body, n);
		if (n < total)
			CHECK_INT(o.rc, EAGAIN);
		/* Up to the empty line, all but a possible line end is done. */
		if (n < hdr_end - 2)
			CHECK(st.scanned + 2 >= n && st.scanned <= n);
		/* Past it, the frame's length is known: no header rescans. */
		if (n > total - 4 && n < total)
			CHECK_INT(st.frame_len, total);
	}
	CHECK_FRAME(o, SIP_FRAME_MESSAGE, total);
	CHECK_INT(st.scanned, 0); /* reset for the next message */
	CHECK_INT(st.frame_len, 0);
	return 0;
}

/* Pieces split inside the CRLFCRLF and inside the Content-Length. */
static int test_frame_split_anywhere(void)
{
	size_t total = strlen(msg_with_body);

	for (size_t cut = 1; cut < total; cut++) {
		struct sip_frame_state st = { 0 };
		struct frame_out o = frame(NULL, &st, msg_with_body, cut);

		CHECK_INT(o.rc, EAGAIN);
		o = frame(NULL, &st, msg_with_body, total);
		CHECK_FRAME(o, SIP_FRAME_MESSAGE, total);
	}
	return 0;
}

/* RFC 5626 §3.5.1: "\r\n\r\n" is a ping, answered by a pong "\r\n". */
static int test_frame_keepalive_ping(void)
{
	char text[1024];
	struct frame_out o = frame_str("\r\n\r\n");

	CHECK_FRAME(o, SIP_FRAME_KEEPALIVE, 4);
	snprintf(text, sizeof(text), "\r\n\r\n%s", msg_with_body);
	o = frame_str(text);
	CHECK_FRAME(o, SIP_FRAME_KEEPALIVE, 4);
	o = frame_str(text + 4);
	CHECK_FRAME(o, SIP_FRAME_MESSAGE, strlen(msg_with_body));
	return 0;
}

/* A lone CRLF (a pong) before a message is consumed on its own. */
static int test_frame_lone_crlf_before_message(void)
{
	char text[1024];
	struct frame_out o;

	snprintf(text, sizeof(text), "\r\n%s", msg_with_body);
	o = frame_str(text);
	CHECK_FRAME(o, SIP_FRAME_KEEPALIVE, 2);
	o = frame_str(text + 2);
	CHECK_FRAME(o, SIP_FRAME_MESSAGE, strlen(msg_with_body));
	return 0;
}

/* "\r", "\r\n" and "\r\n\r" may still become a ping. */
static int test_frame_partial_ping_waits(void)
{
	CHECK_INT(frame_str("\r").rc, EAGAIN);
	CHECK_INT(frame_str("\r\n").rc, EAGAIN);
	CHECK_INT(frame_str("\r\n\r").rc, EAGAIN);
	return 0;
}

static int test_frame_stray_cr_rejected(void)
{
	struct frame_out o = frame_str("\rOPTIONS");

	CHECK_BAD(o, 400, "Stray CR in stream");
	CHECK_INT(o.err.offset, 0);
	/* A pong, then the stray CR. */
	o = frame_str("\r\n\rX");
	CHECK_FRAME(o, SIP_FRAME_KEEPALIVE, 2);
	o = frame_str("\rX");
	CHECK_BAD(o, 400, "Stray CR in stream");
	return 0;
}

/* RFC 3261 §18.3: on a stream Content-Length is mandatory. */
static int test_frame_missing_content_length(void)
{
	struct frame_out o = frame_str(HEAD "\r\nbody");

	CHECK_BAD(o, 400, "Content-Length required on streams");
	return 0;
}

static int test_frame_bad_content_length(void)
{
	static const char *const values[] = { "-1", "abc", "", "1 2",
					      "99999999999" };
	char text[1024];

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		snprintf(text, sizeof(text), HEAD "Content-Length: %s\r\n\r\n",
			 values[i]);
		CHECK_BAD(frame_str(text), 400, "Bad Content-Length");
	}
	return 0;
}

static int test_frame_conflicting_content_length(void)
{
	struct frame_out o;

	o = frame_str(HEAD "Content-Length: 4\r\nl: 5\r\n\r\nbodyX");
	CHECK_BAD(o, 400, "Bad Content-Length");
	o = frame_str(HEAD "Content-Length: 4\r\nl: 4\r\n\r\nbodyX");
	CHECK_FRAME(o, SIP_FRAME_MESSAGE,
		    strlen(HEAD "Content-Length: 4\r\n"
				"l: 4\r\n\r\nbody"));
	return 0;
}

/* The compact name, any case, with whitespace before the colon. */
static int test_frame_compact_content_length(void)
{
	static const char *const names[] = { "l", "L", "l \t",
					     "content-LENGTH" };
	char text[1024];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t hdr;

		snprintf(text, sizeof(text), HEAD "%s:3\r\n\r\n", names[i]);
		hdr = strlen(text);
		strcat(text, "v=0tail");
		CHECK_FRAME(frame_str(text), SIP_FRAME_MESSAGE, hdr + 3);
	}
	return 0;
}

/* A header value that merely mentions Content-Length does not count. */
static int test_frame_content_length_only_as_header_name(void)
{
	const char *text = HEAD "Subject: Content-Length: 9\r\n"
				"Content-Length: 1\r\n\r\nxyz";

	CHECK_FRAME(frame_str(text), SIP_FRAME_MESSAGE, strlen(text) - 2);
	return 0;
}

/* A folded value frames as the parser reads it (RFC 3261 §7.3.1). */
static int test_frame_folded_content_length(void)
{
	const char *text = HEAD "Content-Length:\r\n 2\r\n\r\nhiNEXT";
	struct sip_msg *m;

	CHECK_FRAME(frame_str(text), SIP_FRAME_MESSAGE, strlen(text) - 4);
	CHECK_INT(sip_msg_parse(NULL, text, strlen(text) - 4, &m, NULL), 0);
	CHECK_STR(m->body, "hi");
	sip_msg_free(m);
	return 0;
}

/*
 * Found by fuzz_msg: a Content-Length line ending "\r\t\n" parses (the
 * value is trimmed) and so must frame, at the same end.
 */
static int test_frame_trims_value_as_parser_does(void)
{
	static const char *const ends[] = { "\r\t\n", " \r\r\n", "\t\n",
					    "\r\n  \r\n" };
	char text[1024];
	struct sip_msg *m;

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		size_t len;

		snprintf(text, sizeof(text), HEAD "l: 2%s\r\nhiNEXT", ends[i]);
		len = strlen(text) - 4;
		CHECK_FRAME(frame_str(text), SIP_FRAME_MESSAGE, len);
		CHECK_INT(sip_msg_parse(NULL, text, len, &m, NULL), 0);
		CHECK_STR(m->body, "hi");
		sip_msg_free(m);
	}
	return 0;
}

/* Bare LF line ends frame too. */
static int test_frame_lf_line_ends(void)
{
	const char *text = "OPTIONS sip:b@example.com SIP/2.0\n"
			   "Via: SIP/2.0/TCP h;branch=z9hG4bKlf\n"
			   "Content-Length: 2\n\nhiNEXT";

	CHECK_FRAME(frame_str(text), SIP_FRAME_MESSAGE, strlen(text) - 4);
	return 0;
}

/* No empty line within max_message: 413, not an endless wait. */
static int test_frame_header_section_too_large(void)
{
	const struct sip_limits lim = { .max_message = 64,
					.max_headers = 256,
					.max_line = 8192 };
	char text[200];
	struct sip_frame_state st = { 0 };
	struct frame_out o;

	memset(text, 'x', sizeof(text));
	memcpy(text, "OPTIONS sip:b SIP/2.0\r\nSubject: ", 32);
	o = frame(&lim, &st, text, 63);
	CHECK_INT(o.rc, EAGAIN);
	o = frame(&lim, &st, text, 64);
	CHECK_BAD(o, 413, "Message Too Large");
	st = (struct sip_frame_state){ 0 };
	o = frame(&lim, &st, text, sizeof(text));
	CHECK_BAD(o, 413, "Message Too Large");
	return 0;
}

/* A Content-Length that takes the message past max_message: 413 at once. */
static int test_frame_content_length_over_limit(void)
{
	const char *head = "OPTIONS sip:b SIP/2.0\r\nContent-Length: ";
	struct sip_limits lim = { .max_message = 100,
				  .max_headers = 256,
				  .max_line = 8192 };
	char text[256];
	size_t hdr = strlen(head) + 2 + 4;
	struct sip_frame_state st = { 0 };
	struct frame_out o;

	snprintf(text, sizeof(text), "%s%zu\r\n\r\n", head,
		 lim.max_message - hdr);
	o = frame(&lim, &st, text, strlen(text));
	CHECK_INT(o.rc, EAGAIN); /* exactly at the limit: wait for the body */
	snprintf(text, sizeof(text), "%s%zu\r\n\r\n", head,
		 lim.max_message - hdr + 1);
	st = (struct sip_frame_state){ 0 }; /* a new stream */
	o = frame(&lim, &st, text, strlen(text));
	CHECK_BAD(o, 413, "Message Too Large");
	snprintf(text, sizeof(text), "%s4294967295\r\n\r\n", head);
	st = (struct sip_frame_state){ 0 };
	CHECK_BAD(frame(&lim, &st, text, strlen(text)), 413,
		  "Message Too Large");
	return 0;
}

/* Back-to-back messages each frame and parse on their own. */
static int test_frame_then_parse_each(void)
{
	char text[2048];
	size_t pos = 0, len, n = 0;

	len = (size_t)snprintf(text, sizeof(text), "%s\r\n\r\n%s\r\n%s",
			       msg_with_body, msg_with_body, msg_with_body);
	while (pos < len) {
		struct sip_frame_state st = { 0 };
		struct frame_out o = frame(NULL, &st, text + pos, len - pos);
		struct sip_msg *m;

		CHECK_INT(o.rc, 0);
		if (o.kind == SIP_FRAME_MESSAGE) {
			CHECK_INT(
			    sip_msg_parse(NULL, text + pos, o.len, &m, NULL),
			    0);
			CHECK_STR(m->body, "body");
			CHECK_STR(m->call_id, "stream@client.example.com");
			sip_msg_free(m);
			n++;
		}
		pos += o.len;
	}
	CHECK_INT(n, 3);
	CHECK_INT(pos, len);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_frame_whole_message),
	TEST(test_frame_message_then_start_of_next),
	TEST(test_frame_waits_until_last_body_byte),
	TEST(test_frame_byte_at_a_time),
	TEST(test_frame_split_anywhere),
	TEST(test_frame_keepalive_ping),
	TEST(test_frame_lone_crlf_before_message),
	TEST(test_frame_partial_ping_waits),
	TEST(test_frame_stray_cr_rejected),
	TEST(test_frame_missing_content_length),
	TEST(test_frame_bad_content_length),
	TEST(test_frame_conflicting_content_length),
	TEST(test_frame_compact_content_length),
	TEST(test_frame_content_length_only_as_header_name),
	TEST(test_frame_folded_content_length),
	TEST(test_frame_trims_value_as_parser_does),
	TEST(test_frame_lf_line_ends),
	TEST(test_frame_header_section_too_large),
	TEST(test_frame_content_length_over_limit),
	TEST(test_frame_then_parse_each),
};

TEST_MAIN(cases)
