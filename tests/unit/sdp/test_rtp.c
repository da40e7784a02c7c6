/*
 * What a relay reads (rtp.c): direction at media and session level, hold
 * in all its forms (RFC 3264 §8.4 and the RFC 2543 c=0.0.0.0), rtpmap by
 * payload type with the RFC 3551 static table, a=rtcp and a=rtcp-mux.
 */
#include <string.h>

#include "sdp_bodies.h"

#define HEAD                                         \
	"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n" \
	"c=IN IP4 192.0.2.1\r\nt=0 0\r\n"

static int check_direction(const char *text, size_t index,
			   enum sdp_direction want, bool hold)
{
	struct sdp_session *s;

	PARSE(text, s);
	CHECK_INT(sdp_media_direction(s, index), want);
	CHECK_INT(sdp_media_on_hold(s, index), hold);
	sdp_session_free(s);
	return 0;
}

static int test_rtp_direction_levels(void)
{
	/* default */
	CHECK_OK(check_direction(HEAD "m=audio 4000 RTP/AVP 0\r\n", 0,
				 SDP_SENDRECV, false));
	/* session level applies to sections that say nothing */
	CHECK_OK(check_direction(HEAD "a=recvonly\r\n"
				      "m=audio 4000 RTP/AVP 0\r\n",
				 0, SDP_RECVONLY, false));
	/* media level wins */
	CHECK_OK(check_direction(HEAD "a=sendonly\r\n"
				      "m=audio 4000 RTP/AVP 0\r\n"
				      "a=sendrecv\r\n",
				 0, SDP_SENDRECV, false));
	CHECK_OK(check_direction(PBX_OFFER, 0, SDP_SENDRECV, false));
	CHECK_OK(check_direction(SOFTSWITCH_LF, 0, SDP_SENDONLY, true));
	CHECK(strcmp(sdp_direction_name(SDP_INACTIVE), "inactive") == 0);
	CHECK(strcmp(sdp_direction_name((enum sdp_direction)9), "?") == 0);
	return 0;
}

static int test_rtp_hold_forms(void)
{
	CHECK_OK(check_direction(HEAD "m=audio 4000 RTP/AVP 0\r\n"
				      "a=inactive\r\n",
				 0, SDP_INACTIVE, true));
	CHECK_OK(check_direction(HEAD "m=audio 4000 RTP/AVP 0\r\n"
				      "a=sendonly\r\n",
				 0, SDP_SENDONLY, true));
	/* the legacy form, at session and at media level */
	CHECK_OK(check_direction("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
				 "c=IN IP4 0.0.0.0\r\nt=0 0\r\n"
				 "m=audio 4000 RTP/AVP 0\r\n",
				 0, SDP_SENDRECV, true));
	CHECK_OK(check_direction(HEAD "m=audio 4000 RTP/AVP 0\r\n"
				      "c=IN IP4 0.0.0.0\r\n",
				 0, SDP_SENDRECV, true));
	/* a media c= overrides a session 0.0.0.0 */
	CHECK_OK(check_direction("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
				 "c=IN IP4 0.0.0.0\r\nt=0 0\r\n"
				 "m=audio 4000 RTP/AVP 0\r\n"
				 "c=IN IP4 192.0.2.1\r\n",
				 0, SDP_SENDRECV, false));
	return 0;
}

static int check_session_hold(const char *text, bool want)
{
	struct sdp_session *s;

	PARSE(text, s);
	CHECK_INT(sdp_session_on_hold(s), want);
	sdp_session_free(s);
	return 0;
}

static int test_rtp_session_hold(void)
{
	CHECK_OK(check_session_hold(HEAD "m=audio 4000 RTP/AVP 0\r\n"
					 "a=sendonly\r\n"
					 "m=video 0 RTP/AVP 31\r\n",
				    true));
	CHECK_OK(check_session_hold(HEAD "m=audio 4000 RTP/AVP 0\r\n"
					 "a=sendonly\r\n"
					 "m=video 5000 RTP/AVP 31\r\n",
				    false));
	CHECK_OK(check_session_hold(HEAD "a=inactive\r\n"
					 "m=audio 4000 RTP/AVP 0\r\n"
					 "m=video 5000 RTP/AVP 31\r\n",
				    true));
	/* nothing active: not a hold */
	CHECK_OK(check_session_hold(HEAD "a=inactive\r\n"
					 "m=audio 0 RTP/AVP 0\r\n",
				    false));
	return 0;
}

static int rtpmaps(struct sdp_session *s)
{
	struct sdp_rtpmap r;

	CHECK_INT(sdp_media_rtpmap(s, 0, 111, &r), 0);
	CHECK_INT(r.payload_type, 111);
	CHECK_STR(r.encoding, "opus");
	CHECK_INT(r.clock_rate, 48000);
	CHECK_INT(r.channels, 2);
	CHECK(!r.is_static);
	CHECK_INT(sdp_media_rtpmap(s, 0, 0, &r), 0);
	CHECK_STR(r.encoding, "PCMU");
	CHECK_INT(r.clock_rate, 8000);
	CHECK_INT(r.channels, 1);
	CHECK(!r.is_static);
	/* not mapped: the static table, or nothing for dynamic types */
	CHECK_INT(sdp_media_rtpmap(s, 0, 9, &r), 0);
	CHECK_STR(r.encoding, "G722");
	CHECK_INT(r.clock_rate, 8000);
	CHECK(r.is_static);
	CHECK_INT(sdp_media_rtpmap(s, 0, 10, &r), 0);
	CHECK_INT(r.clock_rate, 44100);
	CHECK_INT(r.channels, 2);
	CHECK_INT(sdp_media_rtpmap(s, 0, 2, &r), ENOENT);
	CHECK_INT(sdp_media_rtpmap(s, 0, 96, &r), ENOENT);
	CHECK_INT(sdp_media_rtpmap(s, 1, 0, &r), EINVAL);
	return 0;
}

static int test_rtp_rtpmap_lookup(void)
{
	return with_session(WEBRTC_OFFER, rtpmaps);
}

static int bad_rtpmaps(struct sdp_session *s)
{
	struct sdp_rtpmap r;

	CHECK_INT(sdp_media_rtpmap(s, 0, 96, &r), EBADMSG);
	CHECK_INT(sdp_media_rtpmap(s, 0, 97, &r), EBADMSG);
	CHECK_INT(sdp_media_rtpmap(s, 0, 98, &r), EBADMSG);
	CHECK_INT(sdp_media_rtpmap(s, 0, 99, &r), EBADMSG);
	CHECK_INT(sdp_media_rtpmap(s, 0, 100, &r), 0);
	CHECK_STR(r.encoding, "AMR");
	return 0;
}

static int test_rtp_rtpmap_malformed(void)
{
	return with_session(HEAD "m=audio 4000 RTP/AVP 96 97 98 99 100\r\n"
				 "a=rtpmap:x PCMU/8000\r\n"
				 "a=rtpmap:96 PCMU\r\n"
				 "a=rtpmap:97 L16/0\r\n"
				 "a=rtpmap:98 L16/8000/0\r\n"
				 "a=rtpmap:99 L16/8000 x\r\n"
				 "a=rtpmap:100 AMR/8000\r\n",
			    bad_rtpmaps);
}

static int rtcp_attrs(struct sdp_session *s)
{
	struct sdp_rtcp r;

	CHECK_INT(sdp_media_rtcp(s, 0, &r), 0);
	CHECK_INT(r.port, 53020);
	CHECK(r.has_address);
	CHECK_STR(r.nettype, "IN");
	CHECK_STR(r.addrtype, "IP6");
	CHECK_STR(r.address, "2001:db8::2");
	CHECK(!sdp_media_rtcp_mux(s, 0));
	CHECK_INT(sdp_media_rtcp(s, 1, &r), 0);
	CHECK_INT(r.port, 5001);
	CHECK(!r.has_address);
	CHECK(sdp_media_rtcp_mux(s, 1));
	CHECK_INT(sdp_media_rtcp(s, 2, &r), ENOENT);
	CHECK_INT(sdp_media_rtcp(s, 3, &r), EBADMSG);
	CHECK_INT(sdp_media_rtcp(s, 4, &r), EBADMSG);
	CHECK_INT(sdp_media_rtcp(s, 5, &r), EBADMSG);
	CHECK_INT(sdp_media_rtcp(s, 6, &r), EINVAL);
	CHECK(!sdp_media_rtcp_mux(s, SDP_SESSION));
	return 0;
}

static int test_rtp_rtcp_and_mux(void)
{
	return with_session(HEAD
			    "m=audio 4000 RTP/AVP 0\r\n"
			    "a=rtcp:53020 IN IP6 2001:db8::2\r\n"
			    "m=audio 5000 RTP/AVP 0\r\n"
			    "a=rtcp:5001\r\na=rtcp-mux\r\n"
			    "m=audio 6000 RTP/AVP 0\r\n"
			    "m=audio 7000 RTP/AVP 0\r\na=rtcp:70000\r\n"
			    "m=audio 8000 RTP/AVP 0\r\na=rtcp\r\n"
			    "m=audio 9000 RTP/AVP 0\r\na=rtcp:9 IN IP4\r\n",
			    rtcp_attrs);
}

static const struct test_case cases[] = {
	TEST(test_rtp_direction_levels), TEST(test_rtp_hold_forms),
	TEST(test_rtp_session_hold),     TEST(test_rtp_rtpmap_lookup),
	TEST(test_rtp_rtpmap_malformed), TEST(test_rtp_rtcp_and_mux),
};

TEST_MAIN(cases)
