/*
 * Attributes (attr.c): the first by name, all by name, flags, names in
 * any case; adding, replacing and removing at session and media level
 * with the exact text printed after; ICE stripped; a=rtcp set; refused
 * names and values. Edits run under TEST_OOM and must leave the session
 * as it was when they run out of memory.
 */
#include <string.h>

#include "sdp_bodies.h"

static int find_values(struct sdp_session *s)
{
	struct tnd_slice v;
	size_t cursor = 0, n = 0;
	const char *want[] = { "0 PCMU/8000", "8 PCMA/8000",
			       "101 telephone-event/8000" };

	CHECK(sdp_attr_find(s, 0, "ptime", &v));
	CHECK_STR(v, "20");
	CHECK(sdp_attr_find(s, 0, "PTIME", &v));
	CHECK(sdp_attr_find(s, 0, "sendrecv", &v));
	CHECK(v.p == NULL && v.len == 0);
	CHECK(sdp_attr_find(s, 0, "sendrecv", NULL));
	CHECK(!sdp_attr_find(s, 0, "ptim", &v));
	CHECK(!sdp_attr_find(s, SDP_SESSION, "ptime", &v));
	CHECK(!sdp_attr_find(s, 1, "ptime", &v));
	while (sdp_attr_next(s, 0, "rtpmap", &cursor, &v)) {
		CHECK(n < 3);
		CHECK_STR(v, want[n]);
		n++;
	}
	CHECK_INT(n, 3);
	/* the cursor stays at the end */
	CHECK(!sdp_attr_next(s, 0, "rtpmap", &cursor, &v));
	return 0;
}

static int test_attr_find_and_walk(void)
{
	return with_session(PBX_OFFER, find_values);
}

static int find_empty_value(struct sdp_session *s)
{
	struct tnd_slice v;

	CHECK(sdp_attr_find(s, SDP_SESSION, "tool", &v));
	CHECK(v.p != NULL);
	CHECK_INT(v.len, 0);
	return 0;
}

static int test_attr_empty_value_is_not_a_flag(void)
{
	return with_session("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
			    "t=0 0\r\na=tool:\r\n",
			    find_empty_value);
}

#define IPV6_BODY                                              \
	"v=0\r\n"                                              \
	"o=alice 2890844526 2890844526 IN IP6 2001:db8::1\r\n" \
	"s=-\r\n"                                              \
	"c=IN IP6 2001:db8::1\r\n"                             \
	"t=0 0\r\n"

static int add_attrs(struct sdp_session *s)
{
	EDIT(s, sdp_attr_add(s, 0, "ptime", S("30")));
	EDIT(s, sdp_attr_add(s, 0, "sendonly", TND_SLICE_NULL));
	EDIT(s, sdp_attr_add(s, SDP_SESSION, "tool", S("tandem")));
	CHECK_PRINT(s, IPV6_BODY "a=tool:tandem\r\n"
				 "m=audio 49170 RTP/AVP 0\r\n"
				 "a=rtpmap:0 PCMU/8000\r\n"
				 "a=ptime:30\r\n"
				 "a=sendonly\r\n");
	return 0;
}

static int test_attr_add(void)
{
	return with_session(IPV6_OFFER, add_attrs);
}

static int set_attrs(struct sdp_session *s)
{
	EDIT(s, sdp_attr_set(s, 0, "rtpmap", S("0 PCMU/8000/1")));
	EDIT(s, sdp_attr_set(s, 0, "ptime", S("20")));
	EDIT(s, sdp_attr_set(s, 0, "sendrecv", TND_SLICE_NULL));
	CHECK_PRINT(s, "v=0\r\n"
		       "o=root 1821138745 1821138745 IN IP4 192.0.2.10\r\n"
		       "s=Asterisk PBX 18.10.0\r\n"
		       "c=IN IP4 192.0.2.10\r\n"
		       "t=0 0\r\n"
		       "m=audio 10000 RTP/AVP 0 8 101\r\n"
		       "a=rtpmap:0 PCMU/8000/1\r\n"
		       "a=fmtp:101 0-16\r\n"
		       "a=ptime:20\r\n"
		       "a=maxptime:150\r\n"
		       "a=sendrecv\r\n");
	return 0;
}

/* Replaces the first in place and drops the others. */
static int test_attr_set_replaces_first_drops_rest(void)
{
	return with_session(PBX_OFFER, set_attrs);
}

static int remove_attrs(struct sdp_session *s)
{
	size_t n = 99;

	CHECK_INT(sdp_attr_remove(s, 0, "RTPMAP", &n), 0);
	CHECK_INT(n, 3);
	CHECK_INT(sdp_attr_remove(s, 0, "rtpmap", &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(sdp_attr_remove(s, 0, "sendrecv", NULL), 0);
	CHECK_INT(sdp_attr_remove(s, 2, "sendrecv", NULL), EINVAL);
	CHECK_PRINT(s, "v=0\r\n"
		       "o=root 1821138745 1821138745 IN IP4 192.0.2.10\r\n"
		       "s=Asterisk PBX 18.10.0\r\n"
		       "c=IN IP4 192.0.2.10\r\n"
		       "t=0 0\r\n"
		       "m=audio 10000 RTP/AVP 0 8 101\r\n"
		       "a=fmtp:101 0-16\r\n"
		       "a=ptime:20\r\n"
		       "a=maxptime:150\r\n");
	return 0;
}

static int test_attr_remove(void)
{
	return with_session(PBX_OFFER, remove_attrs);
}

static int strip_ice(struct sdp_session *s)
{
	size_t n;

	CHECK_INT(sdp_ice_remove(s, 0, &n), 0);
	CHECK_INT(n, 6);
	CHECK_INT(sdp_ice_remove(s, SDP_SESSION, &n), 0);
	CHECK_INT(n, 1);
	CHECK_PRINT(s,
		    "v=0\r\n"
		    "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
		    "s=-\r\n"
		    "t=0 0\r\n"
		    "a=group:BUNDLE 0\r\n"
		    "a=extmap-allow-mixed\r\n"
		    "a=msid-semantic: WMS stream\r\n"
		    "m=audio 54400 UDP/TLS/RTP/SAVPF 111 0\r\n"
		    "c=IN IP4 203.0.113.7\r\n"
		    "a=rtcp:9 IN IP4 0.0.0.0\r\n"
		    "a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:"
		    "13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:"
		    "0F\r\n"
		    "a=setup:actpass\r\n"
		    "a=mid:0\r\n"
		    "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
		    "a=sendrecv\r\n"
		    "a=msid:stream track\r\n"
		    "a=rtcp-mux\r\n"
		    "a=rtpmap:111 opus/48000/2\r\n"
		    "a=rtcp-fb:111 transport-cc\r\n"
		    "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
		    "a=rtpmap:0 PCMU/8000\r\n"
		    "a=ssrc:3735928559 cname:abcd\r\n");
	return 0;
}

static int test_attr_ice_remove(void)
{
	return with_session(WEBRTC_OFFER, strip_ice);
}

static int set_rtcp(struct sdp_session *s)
{
	struct sdp_rtcp r;

	EDIT(s, sdp_media_set_rtcp(s, 0, 20001));
	CHECK_INT(sdp_media_rtcp(s, 0, &r), 0);
	CHECK_INT(r.port, 20001);
	CHECK(!r.has_address);
	CHECK_INT(sdp_media_set_rtcp(s, 0, 65536), EINVAL);
	CHECK_INT(sdp_media_set_rtcp(s, SDP_SESSION, 5), EINVAL);
	CHECK_PRINT(s, IPV6_BODY "m=audio 49170 RTP/AVP 0\r\n"
				 "a=rtpmap:0 PCMU/8000\r\n"
				 "a=rtcp:20001\r\n");
	return 0;
}

static int test_attr_set_rtcp(void)
{
	return with_session(IPV6_OFFER, set_rtcp);
}

static int refuse(struct sdp_session *s)
{
	CHECK_INT(sdp_attr_add(s, 0, "", S("x")), EINVAL);
	CHECK_INT(sdp_attr_add(s, 0, "a b", S("x")), EINVAL);
	CHECK_INT(sdp_attr_add(s, 0, "a:b", S("x")), EINVAL);
	CHECK_INT(sdp_attr_add(s, 0, "ok", S("x\r\na=evil")), EINVAL);
	CHECK_INT(sdp_attr_set(s, 0, "ok", S("x\ny")), EINVAL);
	CHECK_INT(sdp_attr_add(s, 1, "ok", S("x")), EINVAL);
	CHECK_PRINT(s, IPV6_OFFER);
	return 0;
}

static int test_attr_refuses_bad_names_and_values(void)
{
	return with_session(IPV6_OFFER, refuse);
}

static const struct test_case cases[] = {
	TEST(test_attr_find_and_walk),
	TEST(test_attr_empty_value_is_not_a_flag),
	TEST_OOM(test_attr_add),
	TEST_OOM(test_attr_set_replaces_first_drops_rest),
	TEST_OOM(test_attr_remove),
	TEST_OOM(test_attr_ice_remove),
	TEST_OOM(test_attr_set_rtcp),
	TEST(test_attr_refuses_bad_names_and_values),
};

TEST_MAIN(cases)
