/*
 * Requests assembled without a parse (msg_request.c) read exactly like a
 * strict parse of their own text, and a spec whose text such a parse
 * would refuse is refused. What each request holds is tested in
 * test_msg_build.c.
 */
#include <string.h>

#include "tandem/sip_msg.h"
#include "msg_same.h"
#include "test.h"

static const char *const no_extra[] = { NULL };
static const char *const extras[] = {
	"Route: <sip:p1.example.com;lr>",
	"X-Custom:value",
	"Subject :  hi  ",
	"Via: SIP/2.0/UDP second.example.com;branch=z9hG4bKx",
	"Content-Length: 4",
	NULL
};

static struct sip_request_spec spec_for(int variant)
{
	struct sip_request_spec s = {
		.method = SIP_METHOD_INVITE,
		.ruri = S("sip:bob@biloxi.example.com;transport=tcp"),
		.via_host = S(SIP_UNSENT_HOST),
		.from = S("\"Tandem\" <sip:tandem@example.com>"),
		.to = S("sip:bob@biloxi.example.com"),
		.cseq = 1,
		.extra = no_extra,
	};

	switch (variant) {
	case 1: /* in a dialog: everything given, a body, IPv6 */
		s.method = SIP_METHOD_BYE;
		s.via_transport = S("TCP");
		s.via_host = S("2001:db8::1");
		s.via_port = 5070;
		s.branch = S("z9hG4bKgiven");
		s.from_tag = S("ft");
		s.to = S("<sip:bob@192.0.2.4>;tag=tt");
		s.call_id = S("cid@host");
		s.cseq = 4711;
		s.contact = S("<sip:tandem@192.0.2.10:5060>");
		s.max_forwards = 255;
		s.content_type = S("application/sdp");
		s.body = S("v=0\n");
		s.extra = extras;
		break;
	case 2: /* an extension method, URI parameters and headers-free */
		s.method = SIP_METHOD_UNKNOWN;
		s.method_name = "PUBLISH";
		s.ruri = S("sips:[2001:db8::2]:5061;maddr=192.0.2.1");
		s.to = S("  <sips:x@y>;a=b  ");
		break;
	default: break;
	}
	return s;
}

static int test_request_reads_like_its_parse(void)
{
	for (int v = 0; v < 3; v++) {
		struct sip_request_spec spec = spec_for(v);
		struct sip_msg *m;
		int rc = sip_msg_request_new(&spec, &m);

		if (rc == ENOMEM)
			return ENOMEM;
		CHECK_INT(rc, 0);
		rc = msg_same_as_parse(
		    m, spec.method_name ? spec.method_name : "request", true);
		sip_msg_free(m);
		if (rc)
			return rc;
	}
	return 0;
}

/* Specs whose text a strict parse would refuse, each refused. */
static int test_request_refuses_what_would_not_parse(void)
{
	static const char *const bad_extra[] = { "No colon here", NULL };
	static const char *const bad_via[] = { "Via: nonsense", NULL };
	static const char *const bad_length[] = { "Content-Length: 3", NULL };
	static const char *const empty_line[] = { "", NULL };
	static const char *const fold[] = { " folded: in", NULL };
	struct sip_request_spec s;
	struct sip_msg *m = NULL;

	s = spec_for(0), s.ruri = S("sip:bob@b?subject=x");
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	s = spec_for(0), s.ruri = S("not a uri");
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	s = spec_for(0), s.ruri = S("sip:");
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	s = spec_for(0), s.from = S("<sip:unclosed@x");
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	s = spec_for(0), s.to = S("\"open");
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	s = spec_for(0), s.call_id = S("two words");
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	s = spec_for(0), s.max_forwards = 256;
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	s = spec_for(0), s.via_host = S("bad host!");
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	s = spec_for(0), s.extra = bad_extra;
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	s = spec_for(0), s.extra = bad_via;
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	s = spec_for(0), s.extra = bad_length;
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	/* An empty line would end the headers, a leading space fold the
	 * line into the one before: neither is a header line. */
	s = spec_for(0), s.extra = empty_line;
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	s = spec_for(0), s.extra = fold;
	CHECK_INT(sip_msg_request_new(&s, &m), EINVAL);
	CHECK(m == NULL);
	return 0;
}

static const struct test_case cases[] = {
	TEST_OOM(test_request_reads_like_its_parse),
	TEST(test_request_refuses_what_would_not_parse),
};

TEST_MAIN(cases)
