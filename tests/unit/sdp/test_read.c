/*
 * Reading o=, c= and m= (read.c): the origin's six fields, session and
 * media connections with IPv4, IPv6, host names and multicast suffixes,
 * the media fields with a port count and the format list, and levels that
 * do not exist.
 */
#include <string.h>

#include "sdp_bodies.h"

static int read_origin(struct sdp_session *s)
{
	struct sdp_origin o;

	CHECK_INT(sdp_session_origin(s, &o), 0);
	CHECK_STR(o.username, "root");
	CHECK_STR(o.sess_id, "1821138745");
	CHECK_STR(o.sess_version, "1821138745");
	CHECK_STR(o.nettype, "IN");
	CHECK_STR(o.addrtype, "IP4");
	CHECK_STR(o.address, "192.0.2.10");
	return 0;
}

static int test_read_origin(void)
{
	return with_session(PBX_OFFER, read_origin);
}

static int read_session_connection(struct sdp_session *s)
{
	struct sdp_connection c;

	CHECK_INT(sdp_connection_get(s, SDP_SESSION, &c), 0);
	CHECK_STR(c.nettype, "IN");
	CHECK_STR(c.addrtype, "IP4");
	CHECK_STR(c.address, "192.0.2.10");
	CHECK_INT(c.kind, SDP_ADDR_IP4);
	CHECK_INT(c.ttl, 0);
	CHECK_INT(c.count, 1);
	/* the section has none of its own and inherits the session's */
	CHECK_INT(sdp_connection_get(s, 0, &c), ENOENT);
	CHECK_INT(sdp_media_connection(s, 0, &c), 0);
	CHECK_STR(c.address, "192.0.2.10");
	CHECK_INT(sdp_connection_get(s, 1, &c), EINVAL);
	CHECK_INT(sdp_media_connection(s, 1, &c), EINVAL);
	CHECK_INT(sdp_media_connection(s, SDP_SESSION, &c), EINVAL);
	return 0;
}

static int test_read_session_connection(void)
{
	return with_session(PBX_OFFER, read_session_connection);
}

static int read_media_connection(struct sdp_session *s)
{
	struct sdp_connection c;

	CHECK_INT(sdp_connection_get(s, SDP_SESSION, &c), ENOENT);
	CHECK_INT(sdp_media_connection(s, 1, &c), 0);
	CHECK_STR(c.address, "198.51.100.5");
	return 0;
}

static int test_read_media_connection(void)
{
	return with_session(TWO_MEDIA, read_media_connection);
}

static int read_ipv6(struct sdp_session *s)
{
	struct sdp_connection c;
	struct sdp_origin o;

	CHECK_INT(sdp_media_connection(s, 0, &c), 0);
	CHECK_STR(c.addrtype, "IP6");
	CHECK_STR(c.address, "2001:db8::1");
	CHECK_INT(c.kind, SDP_ADDR_IP6);
	CHECK_INT(sdp_session_origin(s, &o), 0);
	CHECK_STR(o.address, "2001:db8::1");
	return 0;
}

static int test_read_ipv6(void)
{
	return with_session(IPV6_OFFER, read_ipv6);
}

#define C_HEAD "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"

static int read_multicast4(struct sdp_session *s)
{
	struct sdp_connection c;

	CHECK_INT(sdp_connection_get(s, SDP_SESSION, &c), 0);
	CHECK_STR(c.address, "224.2.36.42");
	CHECK_INT(c.ttl, 127);
	CHECK_INT(c.count, 3);
	CHECK_INT(sdp_connection_get(s, 0, &c), 0);
	CHECK_STR(c.address, "ff15::101");
	CHECK_INT(c.kind, SDP_ADDR_IP6);
	CHECK_INT(c.ttl, 0);
	CHECK_INT(c.count, 3);
	return 0;
}

static int test_read_multicast_suffixes(void)
{
	return with_session(C_HEAD "c=IN IP4 224.2.36.42/127/3\r\nt=0 0\r\n"
				   "m=audio 5000 RTP/AVP 0\r\n"
				   "c=IN IP6 ff15::101/3\r\n",
			    read_multicast4);
}

static int read_fqdn(struct sdp_session *s)
{
	struct sdp_connection c;

	CHECK_INT(sdp_connection_get(s, SDP_SESSION, &c), 0);
	CHECK_STR(c.address, "media.example.com");
	CHECK_INT(c.kind, SDP_ADDR_FQDN);
	return 0;
}

static int test_read_fqdn_kept_as_text(void)
{
	return with_session(C_HEAD "c=IN IP4 media.example.com\r\nt=0 0\r\n",
			    read_fqdn);
}

static int read_media(struct sdp_session *s)
{
	struct sdp_media m;
	struct tnd_slice fmts, fmt;
	const char *want[] = { "0", "8", "101" };
	size_t n = 0;

	CHECK_INT(sdp_media_get(s, 0, &m), 0);
	CHECK_STR(m.media, "audio");
	CHECK_INT(m.port, 10000);
	CHECK_INT(m.port_count, 1);
	CHECK_STR(m.proto, "RTP/AVP");
	CHECK_STR(m.fmts, "0 8 101");
	fmts = m.fmts;
	while (sdp_token_next(&fmts, &fmt)) {
		CHECK(n < 3);
		CHECK_STR(fmt, want[n]);
		n++;
	}
	CHECK_INT(n, 3);
	CHECK_INT(sdp_media_get(s, 1, &m), EINVAL);
	CHECK_INT(sdp_media_get(s, SDP_SESSION, &m), EINVAL);
	return 0;
}

static int test_read_media_fields(void)
{
	return with_session(PBX_OFFER, read_media);
}

static int read_port_count(struct sdp_session *s)
{
	struct sdp_media m;

	CHECK_INT(sdp_media_get(s, 0, &m), 0);
	CHECK_STR(m.media, "video");
	CHECK_INT(m.port, 49170);
	CHECK_INT(m.port_count, 2);
	CHECK_STR(m.proto, "RTP/AVP");
	CHECK_STR(m.fmts, "31");
	/* a rejected answer that lists no format is accepted */
	CHECK_INT(sdp_media_get(s, 1, &m), 0);
	CHECK_INT(m.port, 0);
	CHECK_INT(m.fmts.len, 0);
	return 0;
}

static int test_read_port_count_and_empty_fmts(void)
{
	return with_session(C_HEAD "c=IN IP4 192.0.2.1\r\nt=0 0\r\n"
				   "m=video 49170/2 RTP/AVP 31\r\n"
				   "m=audio 0 RTP/AVP\r\n",
			    read_port_count);
}

static const struct test_case cases[] = {
	TEST(test_read_origin),
	TEST(test_read_session_connection),
	TEST(test_read_media_connection),
	TEST(test_read_ipv6),
	TEST(test_read_multicast_suffixes),
	TEST(test_read_fqdn_kept_as_text),
	TEST(test_read_media_fields),
	TEST(test_read_port_count_and_empty_fmts),
};

TEST_MAIN(cases)
