/*
 * Offer/answer helpers (oa.c): the o= tandem stamps and its version (RFC
 * 3264 §5, §8: same content keeps the version, a change adds one, a
 * re-send after a change keeps the new one), where its address comes
 * from, and the answer checks of §6 with their error texts and lines.
 */
#include <string.h>

#include "sdp_bodies.h"
#include "tandem/sdp_oa.h"

/* Parses text, stamps it on oa and checks the o= line it got. */
static int stamp_check(struct sdp_oa *oa, const char *text, const char *want)
{
	struct sdp_session *s;
	struct sdp_line_ref ref;
	uint64_t version = oa->sess_version;
	size_t last_len = oa->last_len;
	int rc;

	PARSE(text, s);
	rc = sdp_oa_stamp_origin(oa, s);
	if (rc == ENOMEM) {
		/* nothing changed, on the session or the side */
		CHECK_INT(oa->sess_version, version);
		CHECK_INT(oa->last_len, last_len);
		sdp_session_free(s);
		return ENOMEM;
	}
	CHECK_INT(rc, 0);
	CHECK_INT(sdp_session_line(s, 1, &ref), 0);
	CHECK_INT(ref.type, 'o');
	if (!test_slice_is(ref.value, want)) {
		test_fail(__FILE__, __LINE__, "o=%.*s, want o=%s",
			  TND_SLICE_FMT(ref.value), want);
		sdp_session_free(s);
		return EPROTO;
	}
	sdp_session_free(s);
	return 0;
}

#define CHANGED_PBX                                          \
	"v=0\r\n"                                            \
	"o=root 1821138745 1821138746 IN IP4 192.0.2.10\r\n" \
	"s=Asterisk PBX 18.10.0\r\n"                         \
	"c=IN IP4 192.0.2.10\r\n"                            \
	"t=0 0\r\n"                                          \
	"m=audio 10000 RTP/AVP 0 8 101\r\n"                  \
	"a=rtpmap:0 PCMU/8000\r\n"                           \
	"a=sendonly\r\n"

/* The peer's o= changed, nothing else did. */
#define CHANGED_PBX_SAME_MEDIA                               \
	"v=0\r\n"                                            \
	"o=root 1821138745 1821138799 IN IP4 192.0.2.10\r\n" \
	"s=Asterisk PBX 18.10.0\r\n"                         \
	"c=IN IP4 192.0.2.10\r\n"                            \
	"t=0 0\r\n"                                          \
	"m=audio 10000 RTP/AVP 0 8 101\r\n"                  \
	"a=rtpmap:0 PCMU/8000\r\n"                           \
	"a=rtpmap:8 PCMA/8000\r\n"                           \
	"a=rtpmap:101 telephone-event/8000\r\n"              \
	"a=fmtp:101 0-16\r\n"                                \
	"a=ptime:20\r\n"                                     \
	"a=maxptime:150\r\n"                                 \
	"a=sendrecv\r\n"

static int version_sequence(struct sdp_oa *oa)
{
	CHECK_OK(
	    stamp_check(oa, PBX_OFFER, "tandem 12345 1 IN IP4 192.0.2.10"));
	/* the same content (another o= does not count) keeps the version */
	CHECK_OK(
	    stamp_check(oa, PBX_OFFER, "tandem 12345 1 IN IP4 192.0.2.10"));
	CHECK_OK(
	    stamp_check(oa, CHANGED_PBX, "tandem 12345 2 IN IP4 192.0.2.10"));
	/* re-sent after the change: stays */
	CHECK_OK(
	    stamp_check(oa, CHANGED_PBX, "tandem 12345 2 IN IP4 192.0.2.10"));
	/* back to the first content is a change again */
	CHECK_OK(
	    stamp_check(oa, PBX_OFFER, "tandem 12345 3 IN IP4 192.0.2.10"));
	return 0;
}

static int test_oa_version_rules(void)
{
	struct sdp_oa oa;
	int rc;

	sdp_oa_init(&oa, 12345);
	CHECK_INT(oa.state, SDP_OA_NONE);
	rc = version_sequence(&oa);
	sdp_oa_release(&oa);
	CHECK(oa.last == NULL);
	return rc;
}

static int origin_addresses(struct sdp_oa *oa)
{
	/* no session c=: the first media c= */
	CHECK_OK(stamp_check(oa, TWO_MEDIA, "tandem 3 1 IN IP4 198.51.100.5"));
	CHECK_OK(stamp_check(oa, IPV6_OFFER, "tandem 3 2 IN IP6 2001:db8::1"));
	/* no c= at all: the o= address stays */
	CHECK_OK(stamp_check(oa,
			     "v=0\r\no=x 9 9 IN IP4 192.0.2.77\r\ns=-\r\n"
			     "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
			     "tandem 3 3 IN IP4 192.0.2.77"));
	return 0;
}

static int test_oa_origin_address(void)
{
	struct sdp_oa oa;
	int rc;

	/* 2^64 - 1 reduced below 2^62 - 1 (RFC 3264 §5) */
	sdp_oa_init(&oa, UINT64_MAX);
	CHECK_INT(oa.sess_id, 3);
	rc = origin_addresses(&oa);
	sdp_oa_release(&oa);
	return rc;
}

/* Parses, anchors to the relay and stamps, as b2b does before sending. */
static int anchor_and_stamp(struct sdp_oa *oa, const char *text,
			    const char *want)
{
	static const struct sdp_anchor relay = {
		.addrtype = { "IP4", 3 },
		.address = { "203.0.113.50", 12 },
		.rtp_port = 40000,
	};
	struct sdp_session *s;
	char *printed;
	size_t len;
	int rc;

	PARSE(text, s);
	rc = sdp_media_anchor(s, 0, &relay);
	if (rc == 0)
		rc = sdp_oa_stamp_origin(oa, s);
	if (rc == 0)
		rc = sdp_session_print(s, &printed, &len);
	sdp_session_free(s);
	if (rc)
		return rc;
	rc = strcmp(printed, want) == 0 ? 0 : EPROTO;
	if (rc)
		test_fail(__FILE__, __LINE__, "printed:\n%s", printed);
	tnd_free(printed);
	return rc;
}

#define ANCHORED(version)                                 \
	"v=0\r\n"                                         \
	"o=tandem 77 " version " IN IP4 203.0.113.50\r\n" \
	"s=Asterisk PBX 18.10.0\r\n"                      \
	"c=IN IP4 203.0.113.50\r\n"                       \
	"t=0 0\r\n"                                       \
	"m=audio 40000 RTP/AVP 0 8 101\r\n"               \
	"a=rtpmap:0 PCMU/8000\r\n"                        \
	"a=rtpmap:8 PCMA/8000\r\n"                        \
	"a=rtpmap:101 telephone-event/8000\r\n"           \
	"a=fmtp:101 0-16\r\n"                             \
	"a=ptime:20\r\n"                                  \
	"a=maxptime:150\r\n"                              \
	"a=sendrecv\r\n"                                  \
	"a=rtcp:40001\r\n"

static int anchored_sequence(struct sdp_oa *oa)
{
	CHECK_OK(anchor_and_stamp(oa, PBX_OFFER, ANCHORED("1")));
	/* the peer re-sends its SDP with a new version: ours stays */
	CHECK_OK(anchor_and_stamp(oa, CHANGED_PBX_SAME_MEDIA, ANCHORED("1")));
	return 0;
}

/* What b2b sends: the relay's address in c= and o=, versioned. */
static int test_oa_anchored_offer_stamped(void)
{
	struct sdp_oa oa;
	int rc;

	sdp_oa_init(&oa, 77);
	rc = anchored_sequence(&oa);
	sdp_oa_release(&oa);
	return rc;
}

static int check_answer(const char *offer_text, const char *answer_text,
			const char *what, size_t line)
{
	struct sdp_session *offer, *answer;
	struct sdp_error err;
	int rc;

	PARSE(offer_text, offer);
	rc = sdp_session_parse(S(answer_text), NULL, &answer, NULL);
	if (rc) {
		sdp_session_free(offer);
		return rc == ENOMEM ? ENOMEM : EPROTO;
	}
	rc = sdp_oa_check_answer(offer, answer, &err);
	sdp_session_free(offer);
	sdp_session_free(answer);
	CHECK_INT(rc, what ? EBADMSG : 0);
	if (!what) {
		CHECK(err.what == NULL);
		return 0;
	}
	if (strcmp(err.what, what) != 0) {
		test_fail(__FILE__, __LINE__, "\"%s\", want \"%s\"", err.what,
			  what);
		return EPROTO;
	}
	CHECK_INT(err.line, line);
	return 0;
}

#define ANS_HEAD                                                           \
	"v=0\r\no=- 5 5 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\n" \
	"t=0 0\r\n"

static int test_oa_answer_checks(void)
{
	CHECK_OK(check_answer(TWO_MEDIA,
			      ANS_HEAD "m=audio 6000 RTP/AVP 0\r\n"
				       "m=video 0 RTP/AVP 31\r\n",
			      NULL, 0));
	/* the answerer may reject what the offer accepted */
	CHECK_OK(check_answer(TWO_MEDIA,
			      ANS_HEAD "m=audio 0 RTP/AVP 0\r\n"
				       "m=video 0 RTP/AVP 31\r\n",
			      NULL, 0));
	CHECK_OK(check_answer(TWO_MEDIA, ANS_HEAD "m=audio 6000 RTP/AVP 0\r\n",
			      "answer has fewer m= lines than the offer", 0));
	CHECK_OK(check_answer(TWO_MEDIA,
			      ANS_HEAD "m=audio 6000 RTP/AVP 0\r\n"
				       "m=video 0 RTP/AVP 31\r\n"
				       "m=text 0 RTP/AVP 98\r\n",
			      "answer has more m= lines than the offer", 8));
	CHECK_OK(check_answer(TWO_MEDIA,
			      ANS_HEAD "m=video 6000 RTP/AVP 31\r\n"
				       "m=audio 0 RTP/AVP 0\r\n",
			      "answer m= media type differs from the offer",
			      6));
	CHECK_OK(check_answer(TWO_MEDIA,
			      ANS_HEAD "m=audio 6000 RTP/AVP 0\r\n"
				       "m=video 7000 RTP/AVP 31\r\n",
			      "answer accepts a stream the offer rejected", 7));
	return 0;
}

static const struct test_case cases[] = {
	TEST_OOM(test_oa_version_rules),
	TEST_OOM(test_oa_origin_address),
	TEST_OOM(test_oa_anchored_offer_stamped),
	TEST_OOM(test_oa_answer_checks),
};

TEST_MAIN(cases)
