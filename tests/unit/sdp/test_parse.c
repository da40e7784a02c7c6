/*
 * Parsing (parse.c): real bodies with CRLF and bare LF line ends, what a
 * sloppy peer may leave out (noted, accepted), what makes a body unusable
 * (refused with what and which line), the limits, every prefix of every
 * body, and allocation failures.
 */
#include <stdio.h>
#include <string.h>

#include "sdp_bodies.h"

static int check_counts(const char *text, size_t nlines, size_t nmedia,
			unsigned notes)
{
	struct sdp_session *s;

	PARSE(text, s);
	CHECK_INT(sdp_session_line_count(s), nlines);
	CHECK_INT(sdp_session_media_count(s), nmedia);
	CHECK_INT(sdp_session_notes(s), notes);
	sdp_session_free(s);
	return 0;
}

static int test_parse_real_bodies(void)
{
	CHECK_OK(check_counts(PBX_OFFER, 13, 1, 0));
	CHECK_OK(check_counts(WEBRTC_OFFER, 29, 1, 0));
	CHECK_OK(check_counts(IPV6_OFFER, 7, 1, 0));
	CHECK_OK(check_counts(TWO_MEDIA, 9, 2, 0));
	CHECK_OK(check_counts(SOFTSWITCH_LF, 16, 1, 0));
	CHECK_OK(check_counts(SDES_OFFER, 8, 1, 0));
	return 0;
}

static int test_parse_forgives_missing_s_and_t(void)
{
	CHECK_OK(
	    check_counts("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n"
			 "c=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/AVP 0\r\n",
			 4, 1, SDP_NOTE_NO_S | SDP_NOTE_NO_T));
	return 0;
}

static int test_parse_notes_empty_lines_and_missing_c(void)
{
	CHECK_OK(check_counts("v=0\n\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\n"
			      "m=audio 4000 RTP/AVP 0\n\r\n",
			      5, 1,
			      SDP_NOTE_EMPTY_LINE | SDP_NOTE_NO_CONNECTION));
	return 0;
}

static int test_parse_line_levels(void)
{
	struct sdp_session *s;
	struct sdp_line_ref ref;

	PARSE(TWO_MEDIA, s);
	CHECK_INT(sdp_session_line(s, 3, &ref), 0);
	CHECK_INT(ref.type, 't');
	CHECK_STR(ref.value, "0 0");
	CHECK(ref.level == SDP_SESSION);
	CHECK_INT(sdp_session_line(s, 6, &ref), 0);
	CHECK_STR(ref.value, "rtpmap:0 PCMU/8000");
	CHECK_INT(ref.level, 0);
	CHECK_INT(sdp_session_line(s, 8, &ref), 0);
	CHECK_INT(ref.type, 'c');
	CHECK_INT(ref.level, 1);
	CHECK_INT(sdp_session_line(s, 9, &ref), EINVAL);
	sdp_session_free(s);
	return 0;
}

/* The copy: the session must not point into the caller's buffer. */
static int test_parse_copies_the_text(void)
{
	char buf[] = IPV6_OFFER;
	struct sdp_session *s;
	struct sdp_line_ref ref;

	PARSE(buf, s);
	memset(buf, 'x', sizeof(buf) - 1);
	CHECK_INT(sdp_session_line(s, 5, &ref), 0);
	CHECK_STR(ref.value, "audio 49170 RTP/AVP 0");
	sdp_session_free(s);
	return 0;
}

struct bad_case {
	const char *text;
	int rc;
	const char *what;
	size_t line;
};

#define HEAD "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"

static const struct bad_case bad_cases[] = {
	{ "", EBADMSG, "missing v= line", 0 },
	{ "\r\n\n", EBADMSG, "missing v= line", 0 },
	{ "o=- 1 1 IN IP4 192.0.2.1\r\nv=0\r\n", EBADMSG, "missing v= line",
	  1 },
	{ "v=1\r\n", EBADMSG, "bad v= line", 1 },
	{ "v=0\r\ns=-\r\n", EBADMSG, "missing o= line", 0 },
	{ "v=0\r\no=- 1 1 IN IP4\r\n", EBADMSG, "bad o= line", 2 },
	{ "v=0\r\no=- 1 1 IN IP4 a b\r\n", EBADMSG, "bad o= line", 2 },
	{ HEAD "o=- 2 2 IN IP4 192.0.2.1\r\n", EBADMSG, "duplicate o= line",
	  5 },
	{ HEAD "m=audio x RTP/AVP 0\r\n", EBADMSG, "bad m= line", 5 },
	{ HEAD "m=audio 65536 RTP/AVP 0\r\n", EBADMSG, "bad m= line", 5 },
	{ HEAD "m=audio 4000\r\n", EBADMSG, "bad m= line", 5 },
	{ HEAD "m=audio 4000/0 RTP/AVP 0\r\n", EBADMSG, "bad m= line", 5 },
	{ HEAD "m=audio 4000/2/2 RTP/AVP 0\r\n", EBADMSG, "bad m= line", 5 },
	{ HEAD "m=audio -1 RTP/AVP 0\r\n", EBADMSG, "bad m= line", 5 },
	{ HEAD "c=IN IP4\r\n", EBADMSG, "bad c= line", 5 },
	{ HEAD "c=IN IP4 192.0.2.1 x\r\n", EBADMSG, "bad c= line", 5 },
	{ HEAD "c=IN IP4 bad$host\r\n", EBADMSG, "bad c= line", 5 },
	{ HEAD "c=IN IP6 ff15::1/2/3\r\n", EBADMSG, "bad c= line", 5 },
	{ HEAD "c=IN IP4 224.2.1.1/127/0\r\n", EBADMSG, "bad c= line", 5 },
	{ HEAD "m=audio 4000 RTP/AVP 0\r\nc=IN IP4 1.2.3.4/x\r\n", EBADMSG,
	  "bad c= line", 6 },
	{ HEAD "just text\r\n", EBADMSG, "malformed line", 5 },
	{ HEAD "1=x\r\n", EBADMSG, "malformed line", 5 },
	{ HEAD "a\r\n", EBADMSG, "malformed line", 5 },
	{ HEAD "a=x\ry\r\n", EBADMSG, "bad character in line", 5 },
};

static int test_parse_refuses_with_what_and_line(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];
		struct sdp_session *s = (void *)1;
		struct sdp_error err;

		CHECK_INT(sdp_session_parse(S(bc->text), NULL, &s, &err),
			  bc->rc);
		CHECK(s == NULL);
		CHECK(err.what != NULL);
		if (strcmp(err.what, bc->what) != 0) {
			test_fail(__FILE__, __LINE__, "case %zu: \"%s\"", i,
				  err.what);
			return EPROTO;
		}
		CHECK_INT(err.line, bc->line);
	}
	return 0;
}

static int test_parse_refuses_nul(void)
{
	static const char text[] = HEAD "a=x\0y\r\n";
	struct sdp_session *s;
	struct sdp_error err;

	CHECK_INT(
	    sdp_session_parse((struct tnd_slice){ text, sizeof(text) - 1 },
			      NULL, &s, &err),
	    EBADMSG);
	CHECK(strcmp(err.what, "bad character in line") == 0);
	CHECK_INT(err.line, 5);
	/* err may be NULL */
	CHECK_INT(sdp_session_parse(S("v=2"), NULL, &s, NULL), EBADMSG);
	return 0;
}

static int test_parse_error_print(void)
{
	struct sdp_error err = { "bad m= line", 7 };
	char buf[64];

	sdp_error_print(&err, buf, sizeof(buf));
	CHECK(strcmp(buf, "bad m= line 7") == 0);
	err.line = 0;
	sdp_error_print(&err, buf, sizeof(buf));
	CHECK(strcmp(buf, "bad m= line") == 0);
	return 0;
}

static int check_limit(const char *text, struct sdp_limits lim,
		       const char *what, size_t line)
{
	struct sdp_session *s;
	struct sdp_error err;

	CHECK_INT(sdp_session_parse(S(text), &lim, &s, &err), EMSGSIZE);
	CHECK(strcmp(err.what, what) == 0);
	CHECK_INT(err.line, line);
	return 0;
}

static int test_parse_limits(void)
{
	struct sdp_session *s;

	CHECK_OK(check_limit(PBX_OFFER, (struct sdp_limits){ .max_lines = 12 },
			     "too many lines", 13));
	CHECK_OK(check_limit(TWO_MEDIA, (struct sdp_limits){ .max_media = 1 },
			     "too many m= lines", 8));
	CHECK_OK(check_limit(PBX_OFFER, (struct sdp_limits){ .max_bytes = 100 },
			     "SDP too large", 0));
	/* exactly at the limits is fine */
	CHECK_INT(sdp_session_parse(
		      S(TWO_MEDIA),
		      &(struct sdp_limits){ .max_lines = 9, .max_media = 2 },
		      &s, NULL),
		  0);
	sdp_session_free(s);
	return 0;
}

static void parse_prefix(struct tnd_slice text)
{
	struct sdp_session *s;

	if (sdp_session_parse(text, NULL, &s, NULL) == 0)
		sdp_session_free(s);
}

static int test_parse_every_prefix(void)
{
	static const char *const bodies[] = { PBX_OFFER,     WEBRTC_OFFER,
					      IPV6_OFFER,    TWO_MEDIA,
					      SOFTSWITCH_LF, SDES_OFFER };

	CHECK_OK(test_each_prefix(bodies, sizeof(bodies) / sizeof(bodies[0]),
				  parse_prefix));
	return 0;
}

/* Two blocks: the session with its text, and the line table. */
static int test_parse_oom(void)
{
	struct sdp_session *s;
	size_t before = tnd_mem_live_blocks();

	PARSE(WEBRTC_OFFER, s);
	CHECK_INT(tnd_mem_live_blocks() - before, 2);
	CHECK_INT(sdp_session_media_count(s), 1);
	sdp_session_free(s);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_parse_real_bodies),
	TEST(test_parse_forgives_missing_s_and_t),
	TEST(test_parse_notes_empty_lines_and_missing_c),
	TEST(test_parse_line_levels),
	TEST(test_parse_copies_the_text),
	TEST(test_parse_refuses_with_what_and_line),
	TEST(test_parse_refuses_nul),
	TEST(test_parse_error_print),
	TEST(test_parse_limits),
	TEST(test_parse_every_prefix),
	TEST_OOM(test_parse_oom),
};

TEST_MAIN(cases)
