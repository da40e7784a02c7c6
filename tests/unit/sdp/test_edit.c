/*
 * Editing c=, m= and o= (edit.c) with the exact text printed after: c=
 * replaced in place or added in RFC 8866 order, the m= port changed with
 * the rest of the line kept (port count, odd spacing, formats), the proto
 * swapped, o= rewritten; what is refused. Edits run under TEST_OOM and
 * must leave the session as it was when they run out of memory.
 */
#include <string.h>

#include "sdp_bodies.h"

static int set_session_c(struct sdp_session *s)
{
	EDIT(s, sdp_connection_set(s, SDP_SESSION, S("IP6"), S("2001:db8::9")));
	CHECK_PRINT(s, "v=0\r\n"
		       "o=root 1821138745 1821138745 IN IP4 192.0.2.10\r\n"
		       "s=Asterisk PBX 18.10.0\r\n"
		       "c=IN IP6 2001:db8::9\r\n"
		       "t=0 0\r\n"
		       "m=audio 10000 RTP/AVP 0 8 101\r\n"
		       "a=rtpmap:0 PCMU/8000\r\n"
		       "a=rtpmap:8 PCMA/8000\r\n"
		       "a=rtpmap:101 telephone-event/8000\r\n"
		       "a=fmtp:101 0-16\r\n"
		       "a=ptime:20\r\n"
		       "a=maxptime:150\r\n"
		       "a=sendrecv\r\n");
	return 0;
}

static int test_edit_connection_replaced(void)
{
	return with_session(PBX_OFFER, set_session_c);
}

/* A new media c= goes after m= and i=, before b= and a= (§5). */
static int add_media_c(struct sdp_session *s)
{
	struct sdp_connection c;

	EDIT(s, sdp_connection_set(s, 0, S("IP4"), S("203.0.113.1")));
	CHECK_INT(sdp_media_connection(s, 0, &c), 0);
	CHECK_STR(c.address, "203.0.113.1");
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
		    "c=IN IP4 203.0.113.1\r\n"
		    "b=TIAS:64000\r\n"
		    "a=rtpmap:9 G722/8000\r\n"
		    "a=x-custom-thing:42\r\n"
		    "a=sendonly\r\n");
	return 0;
}

static int test_edit_connection_added_in_order(void)
{
	return with_session(SOFTSWITCH_LF, add_media_c);
}

/* A session without c= gets one before t= (after s=, i=, u=, e=, p=). */
static int add_session_c(struct sdp_session *s)
{
	EDIT(s,
	     sdp_connection_set(s, SDP_SESSION, S("IP4"), S("relay.example")));
	CHECK_PRINT(s, "v=0\r\n"
		       "o=bob 2808844564 2808844564 IN IP4 198.51.100.5\r\n"
		       "s=call\r\n"
		       "c=IN IP4 relay.example\r\n"
		       "t=0 0\r\n"
		       "m=audio 49172 RTP/AVP 0 8\r\n"
		       "c=IN IP4 198.51.100.5\r\n"
		       "a=rtpmap:0 PCMU/8000\r\n"
		       "m=video 0 RTP/AVP 31\r\n"
		       "c=IN IP4 198.51.100.5\r\n");
	return 0;
}

static int test_edit_session_connection_added(void)
{
	return with_session(TWO_MEDIA, add_session_c);
}

static int set_ports(struct sdp_session *s)
{
	struct sdp_media m;

	EDIT(s, sdp_media_set_port(s, 0, 0));
	EDIT(s, sdp_media_set_port(s, 1, 65535));
	CHECK_INT(sdp_media_get(s, 1, &m), 0);
	CHECK_INT(m.port, 65535);
	CHECK_INT(m.port_count, 2);
	CHECK_PRINT(s, "v=0\r\n"
		       "o=- 1 1 IN IP4 192.0.2.1\r\n"
		       "s=-\r\n"
		       "c=IN IP4 192.0.2.1\r\n"
		       "t=0 0\r\n"
		       "m=audio  0   RTP/AVP 0  8 \r\n"
		       "m=video 65535/2 RTP/AVP 31\r\n");
	return 0;
}

/* The rest of the line stays byte for byte, odd spacing included. */
static int test_edit_port_keeps_the_rest(void)
{
	return with_session("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
			    "c=IN IP4 192.0.2.1\r\nt=0 0\r\n"
			    "m=audio  4000   RTP/AVP 0  8 \r\n"
			    "m=video 5000/2 RTP/AVP 31\r\n",
			    set_ports);
}

static int set_proto(struct sdp_session *s)
{
	EDIT(s, sdp_media_set_proto(s, 0, S("RTP/SAVP")));
	CHECK_PRINT(s, "v=0\r\n"
		       "o=alice 2890844526 2890844526 IN IP6 2001:db8::1\r\n"
		       "s=-\r\n"
		       "c=IN IP6 2001:db8::1\r\n"
		       "t=0 0\r\n"
		       "m=audio 49170 RTP/SAVP 0\r\n"
		       "a=rtpmap:0 PCMU/8000\r\n");
	return 0;
}

static int test_edit_proto(void)
{
	return with_session(IPV6_OFFER, set_proto);
}

static int set_origin(struct sdp_session *s)
{
	struct sdp_origin o;

	CHECK_INT(sdp_session_origin(s, &o), 0);
	o.username = S("tandem");
	o.sess_version = S("2890844527");
	EDIT(s, sdp_session_set_origin(s, &o));
	CHECK_INT(sdp_session_origin(s, &o), 0);
	CHECK_STR(o.username, "tandem");
	CHECK_STR(o.sess_id, "2890844526");
	CHECK_PRINT(s, "v=0\r\n"
		       "o=tandem 2890844526 2890844527 IN IP6 2001:db8::1\r\n"
		       "s=-\r\n"
		       "c=IN IP6 2001:db8::1\r\n"
		       "t=0 0\r\n"
		       "m=audio 49170 RTP/AVP 0\r\n"
		       "a=rtpmap:0 PCMU/8000\r\n");
	return 0;
}

static int test_edit_origin(void)
{
	return with_session(IPV6_OFFER, set_origin);
}

static int refuse(struct sdp_session *s)
{
	struct sdp_origin o;

	CHECK_INT(sdp_connection_set(s, SDP_SESSION, S("IP4"), S("a b")),
		  EINVAL);
	CHECK_INT(sdp_connection_set(s, SDP_SESSION, S("IP4"), S("bad$")),
		  EINVAL);
	CHECK_INT(sdp_connection_set(s, SDP_SESSION, S(""), S("192.0.2.1")),
		  EINVAL);
	CHECK_INT(sdp_connection_set(s, 1, S("IP4"), S("192.0.2.1")), EINVAL);
	CHECK_INT(sdp_media_set_port(s, 0, 65536), EINVAL);
	CHECK_INT(sdp_media_set_port(s, 1, 1), EINVAL);
	CHECK_INT(sdp_media_set_port(s, SDP_SESSION, 1), EINVAL);
	CHECK_INT(sdp_media_set_proto(s, 0, S("RTP AVP")), EINVAL);
	CHECK_INT(sdp_media_set_proto(s, 0, S("")), EINVAL);
	CHECK_INT(sdp_session_origin(s, &o), 0);
	o.address = S("");
	CHECK_INT(sdp_session_set_origin(s, &o), EINVAL);
	o.address = S("x\r\n");
	CHECK_INT(sdp_session_set_origin(s, &o), EINVAL);
	CHECK_PRINT(s, IPV6_OFFER);
	return 0;
}

static int test_edit_refused_changes_nothing(void)
{
	return with_session(IPV6_OFFER, refuse);
}

static const struct test_case cases[] = {
	TEST_OOM(test_edit_connection_replaced),
	TEST_OOM(test_edit_connection_added_in_order),
	TEST_OOM(test_edit_session_connection_added),
	TEST_OOM(test_edit_port_keeps_the_rest),
	TEST_OOM(test_edit_proto),
	TEST_OOM(test_edit_origin),
	TEST(test_edit_refused_changes_nothing),
};

TEST_MAIN(cases)
