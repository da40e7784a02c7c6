/*
 * The relay rewrite (anchor.c) with the exact text printed after: a plain
 * PBX offer; a browser offer with ICE stripped and rtcp-mux kept or not;
 * RTP/AVP to RTP/SAVP with a new crypto line and back; a rejected section
 * left alone; where c= goes when sections share the session's. Runs under
 * TEST_OOM: a rewrite that runs out of memory returns ENOMEM cleanly.
 */
#include <string.h>

#include "sdp_bodies.h"

#define ANCHOR(s, index, a)                                    \
	do {                                                   \
		int rc_ = sdp_media_anchor((s), (index), (a)); \
		if (rc_ == ENOMEM)                             \
			return ENOMEM;                         \
		CHECK_INT(rc_, 0);                             \
	} while (0)

static const struct sdp_anchor relay4 = {
	.addrtype = { "IP4", 3 },
	.address = { "203.0.113.50", 12 },
	.rtp_port = 40000,
};

static int plain(struct sdp_session *s)
{
	ANCHOR(s, 0, &relay4);
	CHECK_PRINT(s, "v=0\r\n"
		       "o=root 1821138745 1821138745 IN IP4 192.0.2.10\r\n"
		       "s=Asterisk PBX 18.10.0\r\n"
		       "c=IN IP4 203.0.113.50\r\n"
		       "t=0 0\r\n"
		       "m=audio 40000 RTP/AVP 0 8 101\r\n"
		       "a=rtpmap:0 PCMU/8000\r\n"
		       "a=rtpmap:8 PCMA/8000\r\n"
		       "a=rtpmap:101 telephone-event/8000\r\n"
		       "a=fmtp:101 0-16\r\n"
		       "a=ptime:20\r\n"
		       "a=maxptime:150\r\n"
		       "a=sendrecv\r\n"
		       "a=rtcp:40001\r\n");
	return 0;
}

static int test_anchor_plain(void)
{
	return with_session(PBX_OFFER, plain);
}

#define WEBRTC_HEAD                                      \
	"v=0\r\n"                                        \
	"o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n" \
	"s=-\r\n"                                        \
	"t=0 0\r\n"                                      \
	"a=group:BUNDLE 0\r\n"                           \
	"a=extmap-allow-mixed\r\n"                       \
	"a=msid-semantic: WMS stream\r\n"                \
	"m=audio 40000 UDP/TLS/RTP/SAVPF 111 0\r\n"      \
	"c=IN IP4 203.0.113.50\r\n"

#define WEBRTC_MIDDLE                                                      \
	"a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:" \
	"84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F\r\n"        \
	"a=setup:actpass\r\n"                                              \
	"a=mid:0\r\n"                                                      \
	"a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"       \
	"a=sendrecv\r\n"                                                   \
	"a=msid:stream track\r\n"

#define WEBRTC_TAIL                                 \
	"a=rtpmap:111 opus/48000/2\r\n"             \
	"a=rtcp-fb:111 transport-cc\r\n"            \
	"a=fmtp:111 minptime=10;useinbandfec=1\r\n" \
	"a=rtpmap:0 PCMU/8000\r\n"                  \
	"a=ssrc:3735928559 cname:abcd\r\n"

static int ice_mux_kept(struct sdp_session *s)
{
	struct sdp_anchor a = relay4;

	a.strip_ice = true;
	a.keep_rtcp_mux = true;
	ANCHOR(s, 0, &a);
	CHECK_PRINT(s, WEBRTC_HEAD WEBRTC_MIDDLE "a=rtcp-mux\r\n" WEBRTC_TAIL);
	return 0;
}

static int test_anchor_ice_stripped_mux_kept(void)
{
	return with_session(WEBRTC_OFFER, ice_mux_kept);
}

static int ice_mux_dropped(struct sdp_session *s)
{
	struct sdp_anchor a = relay4;

	a.strip_ice = true;
	ANCHOR(s, 0, &a);
	CHECK(!sdp_media_rtcp_mux(s, 0));
	CHECK_PRINT(s,
		    WEBRTC_HEAD "a=rtcp:40001\r\n" WEBRTC_MIDDLE WEBRTC_TAIL);
	return 0;
}

/* Without mux on this leg, a=rtcp names the relay's RTCP port in place. */
static int test_anchor_ice_stripped_mux_dropped(void)
{
	return with_session(WEBRTC_OFFER, ice_mux_dropped);
}

#define KEY "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"

static int to_savp(struct sdp_session *s)
{
	struct sdp_crypto c = {
		.tag = 1,
		.suite = S("AES_CM_128_HMAC_SHA1_80"),
		.keys = { { .method = S("inline"), .key_salt = S(KEY) } },
		.nkeys = 1,
	};
	struct sdp_anchor a = relay4;

	a.proto = S("RTP/SAVP");
	a.replace_crypto = true;
	a.crypto = &c;
	a.ncrypto = 1;
	ANCHOR(s, 0, &a);
	CHECK_PRINT(s, "v=0\r\n"
		       "o=alice 2890844526 2890844526 IN IP6 2001:db8::1\r\n"
		       "s=-\r\n"
		       "c=IN IP4 203.0.113.50\r\n"
		       "t=0 0\r\n"
		       "m=audio 40000 RTP/SAVP 0\r\n"
		       "a=rtpmap:0 PCMU/8000\r\n"
		       "a=rtcp:40001\r\n"
		       "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "\r\n");
	return 0;
}

static int test_anchor_savp_with_new_crypto(void)
{
	return with_session(IPV6_OFFER, to_savp);
}

static int to_avp(struct sdp_session *s)
{
	struct sdp_anchor a = relay4;

	a.proto = S("RTP/AVP");
	a.replace_crypto = true;
	ANCHOR(s, 0, &a);
	CHECK_PRINT(s, "v=0\r\n"
		       "o=sam 2890844526 2890842807 IN IP4 192.0.2.30\r\n"
		       "s=SRTP\r\n"
		       "c=IN IP4 203.0.113.50\r\n"
		       "t=0 0\r\n"
		       "m=audio 40000 RTP/AVP 0\r\n"
		       "a=rtcp:40001\r\n");
	return 0;
}

static int test_anchor_savp_to_avp_drops_crypto(void)
{
	return with_session(SDES_OFFER, to_avp);
}

static int rejected(struct sdp_session *s)
{
	ANCHOR(s, 0, &relay4);
	ANCHOR(s, 1, &relay4);
	CHECK_PRINT(s, "v=0\r\n"
		       "o=bob 2808844564 2808844564 IN IP4 198.51.100.5\r\n"
		       "s=call\r\n"
		       "t=0 0\r\n"
		       "m=audio 40000 RTP/AVP 0 8\r\n"
		       "c=IN IP4 203.0.113.50\r\n"
		       "a=rtpmap:0 PCMU/8000\r\n"
		       "a=rtcp:40001\r\n"
		       "m=video 0 RTP/AVP 31\r\n"
		       "c=IN IP4 198.51.100.5\r\n");
	return 0;
}

/* Own c= rewritten; the rejected video section stays as it was. */
static int test_anchor_rejected_section_left_alone(void)
{
	return with_session(TWO_MEDIA, rejected);
}

#define SHARED                                       \
	"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n" \
	"c=IN IP4 192.0.2.1\r\nt=0 0\r\n"            \
	"m=audio 4000 RTP/AVP 0\r\n"                 \
	"m=video 5000 RTP/AVP 31\r\n"

static int shared_same(struct sdp_session *s)
{
	struct sdp_anchor video = relay4;

	video.rtp_port = 40002;
	ANCHOR(s, 0, &relay4);
	ANCHOR(s, 1, &video);
	CHECK_PRINT(s, "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
		       "c=IN IP4 203.0.113.50\r\nt=0 0\r\n"
		       "m=audio 40000 RTP/AVP 0\r\n"
		       "a=rtcp:40001\r\n"
		       "m=video 40002 RTP/AVP 31\r\n"
		       "a=rtcp:40003\r\n");
	return 0;
}

/* Sections sharing the session c= and one relay address: one c=. */
static int test_anchor_shared_session_connection(void)
{
	return with_session(SHARED, shared_same);
}

static int shared_differs(struct sdp_session *s)
{
	struct sdp_anchor video = {
		.addrtype = S("IP6"),
		.address = S("2001:db8::50"),
		.rtp_port = 40002,
	};

	ANCHOR(s, 0, &relay4);
	ANCHOR(s, 1, &video);
	CHECK_PRINT(s, "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
		       "c=IN IP4 203.0.113.50\r\nt=0 0\r\n"
		       "m=audio 40000 RTP/AVP 0\r\n"
		       "a=rtcp:40001\r\n"
		       "m=video 40002 RTP/AVP 31\r\n"
		       "c=IN IP6 2001:db8::50\r\n"
		       "a=rtcp:40003\r\n");
	return 0;
}

/* Another address for the second section: it gets its own c=. */
static int test_anchor_second_address_gets_media_connection(void)
{
	return with_session(SHARED, shared_differs);
}

static int both_levels(struct sdp_session *s)
{
	ANCHOR(s, 0, &relay4);
	CHECK_PRINT(s, "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
		       "c=IN IP4 203.0.113.50\r\nt=0 0\r\n"
		       "m=audio 40000 RTP/AVP 0\r\n"
		       "c=IN IP4 203.0.113.50\r\n"
		       "a=rtcp:40001\r\n");
	return 0;
}

/* A session c= beside the section's own: no peer address stays. */
static int test_anchor_session_and_media_connection(void)
{
	return with_session("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
			    "c=IN IP4 192.0.2.1\r\nt=0 0\r\n"
			    "m=audio 4000 RTP/AVP 0\r\n"
			    "c=IN IP4 192.0.2.2\r\n",
			    both_levels);
}

static int refused(struct sdp_session *s)
{
	struct sdp_anchor a = relay4;

	CHECK_INT(sdp_media_anchor(s, 1, &a), EINVAL);
	CHECK_INT(sdp_media_anchor(s, SDP_SESSION, &a), EINVAL);
	a.rtp_port = 0;
	CHECK_INT(sdp_media_anchor(s, 0, &a), EINVAL);
	a.rtp_port = 65535;
	CHECK_INT(sdp_media_anchor(s, 0, &a), EINVAL);
	a = relay4;
	a.address = S("bad address");
	CHECK_INT(sdp_media_anchor(s, 0, &a), EINVAL);
	a = relay4;
	a.ncrypto = 1;
	CHECK_INT(sdp_media_anchor(s, 0, &a), EINVAL);
	CHECK_PRINT(s, IPV6_OFFER);
	return 0;
}

static int test_anchor_refused(void)
{
	return with_session(IPV6_OFFER, refused);
}

static const struct test_case cases[] = {
	TEST_OOM(test_anchor_plain),
	TEST_OOM(test_anchor_ice_stripped_mux_kept),
	TEST_OOM(test_anchor_ice_stripped_mux_dropped),
	TEST_OOM(test_anchor_savp_with_new_crypto),
	TEST_OOM(test_anchor_savp_to_avp_drops_crypto),
	TEST_OOM(test_anchor_rejected_section_left_alone),
	TEST_OOM(test_anchor_shared_session_connection),
	TEST_OOM(test_anchor_second_address_gets_media_connection),
	TEST_OOM(test_anchor_session_and_media_connection),
	TEST(test_anchor_refused),
};

TEST_MAIN(cases)
