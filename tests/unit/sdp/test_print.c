/*
 * Printing (print.c): every realistic body prints back byte for byte with
 * CRLF line ends, unknown lines in place; a bare-LF body comes out with
 * CRLF; parse(print(x)) has the same line table as x, edits included;
 * the print is one block and survives allocation failures.
 */
#include <string.h>

#include "sdp_bodies.h"

/* The line tables of a and b are the same, line by line. */
static int same_model(const struct sdp_session *a, const struct sdp_session *b)
{
	CHECK_INT(sdp_session_line_count(a), sdp_session_line_count(b));
	CHECK_INT(sdp_session_media_count(a), sdp_session_media_count(b));
	for (size_t i = 0; i < sdp_session_line_count(a); i++) {
		struct sdp_line_ref la, lb;

		CHECK_INT(sdp_session_line(a, i, &la), 0);
		CHECK_INT(sdp_session_line(b, i, &lb), 0);
		CHECK_INT(la.type, lb.type);
		CHECK(la.level == lb.level);
		CHECK(tnd_slice_eq(la.value, lb.value));
	}
	return 0;
}

/* Prints s, parses the print and compares the two models. */
static int reparse_same(const struct sdp_session *s)
{
	struct sdp_session *again;
	char *text;
	size_t len;
	int rc = sdp_session_print(s, &text, &len);

	if (rc)
		return rc;
	rc = sdp_session_parse((struct tnd_slice){ text, len }, NULL, &again,
			       NULL);
	tnd_free(text);
	if (rc)
		return rc;
	rc = same_model(s, again);
	sdp_session_free(again);
	return rc;
}

static int round_trip(const char *text)
{
	struct sdp_session *s;
	int rc;

	PARSE(text, s);
	rc = sdp_print_check(s, text, __FILE__, __LINE__);
	if (rc == 0)
		rc = reparse_same(s);
	sdp_session_free(s);
	return rc;
}

static int test_print_round_trips(void)
{
	CHECK_OK(round_trip(PBX_OFFER));
	CHECK_OK(round_trip(WEBRTC_OFFER));
	CHECK_OK(round_trip(IPV6_OFFER));
	CHECK_OK(round_trip(TWO_MEDIA));
	CHECK_OK(round_trip(SDES_OFFER));
	return 0;
}

static int lf_to_crlf(struct sdp_session *s)
{
	CHECK_PRINT(s,
		    "v=0\r\n"
		    "o=FreeSWITCH 1700000000 1700000001 IN IP4 192.0.2.50\r\n"
		    "s=FreeSWITCH\r\n"
		    "i=a session\r\n"
		    "u=http://example.com/\r\n"
		    "e=ops@example.com\r\n"
		    "c=IN IP4 192.0.2.50\r\n"
		    "b=AS:84\r\n"
		    "t=0 0\r\n"
		    "y=0123456789\r\n"
		    "m=audio 24000 RTP/AVP 9 101\r\n"
		    "i=voice\r\n"
		    "b=TIAS:64000\r\n"
		    "a=rtpmap:9 G722/8000\r\n"
		    "a=x-custom-thing:42\r\n"
		    "a=sendonly\r\n");
	return reparse_same(s);
}

static int test_print_bare_lf_becomes_crlf(void)
{
	return with_session(SOFTSWITCH_LF, lf_to_crlf);
}

static int sloppy(struct sdp_session *s)
{
	CHECK_PRINT(s, "v=0\r\n"
		       "o=- 1 1 IN IP4 192.0.2.1\r\n"
		       "m=audio 4000 RTP/AVP 0\r\n"
		       "c=IN IP4 192.0.2.1\r\n"
		       "a=trailing-blank \r\n");
	return reparse_same(s);
}

/* Empty lines go; a missing s= or t= is not made up; blanks stay. */
static int test_print_sloppy_body(void)
{
	return with_session("v=0\n\no=- 1 1 IN IP4 192.0.2.1\r\n"
			    "m=audio 4000 RTP/AVP 0\nc=IN IP4 192.0.2.1\n"
			    "a=trailing-blank \n\n",
			    sloppy);
}

static int edited(struct sdp_session *s)
{
	EDIT(s, sdp_attr_add(s, 1, "inactive", TND_SLICE_NULL));
	EDIT(s, sdp_connection_set(s, SDP_SESSION, S("IP4"), S("192.0.2.99")));
	EDIT(s, sdp_media_set_port(s, 0, 30000));
	CHECK_OK(reparse_same(s));
	return 0;
}

static int test_print_edits_reparse_the_same(void)
{
	return with_session(TWO_MEDIA, edited);
}

/* One block, NUL-terminated, *len without the NUL. */
static int one_block(struct sdp_session *s)
{
	size_t before = tnd_mem_live_blocks(), len;
	char *text;

	CHECK_OK(sdp_session_print(s, &text, &len));
	CHECK_INT(tnd_mem_live_blocks() - before, 1);
	CHECK_INT(len, strlen(IPV6_OFFER));
	CHECK_INT(text[len], '\0');
	tnd_free(text);
	return 0;
}

static int test_print_one_block(void)
{
	return with_session(IPV6_OFFER, one_block);
}

static const struct test_case cases[] = {
	TEST_OOM(test_print_round_trips),
	TEST(test_print_bare_lf_becomes_crlf),
	TEST(test_print_sloppy_body),
	TEST_OOM(test_print_edits_reparse_the_same),
	TEST_OOM(test_print_one_block),
};

TEST_MAIN(cases)
