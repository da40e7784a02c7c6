/*
 * Responses built without a parse (msg_response.c) read exactly like a
 * parse of their own text: every header slice and every parsed field, for
 * requests good and broken, compact and folded, tagged or not. What each
 * response holds is tested in test_msg_build.c.
 */
#include <stdio.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/sip_msg.h"
#include "msg_same.h"
#include "test.h"

/* Builds `status` (with `tag`) to `text` and compares it with a parse;
 * ENOMEM ends the case. Parse failures still answerable are built too. */
static int same_for(const char *text, uint16_t status, const char *reason,
		    const char *tag)
{
	struct sip_msg *req = NULL, *res = NULL;
	int rc = sip_msg_parse(NULL, text, strlen(text), &req, NULL);

	if (rc == ENOMEM)
		return ENOMEM;
	CHECK(req != NULL);
	rc = sip_msg_response_new(req, status, reason,
				  tag ? S(tag) : TND_SLICE_NULL, &res);
	if (rc == 0) {
		/* The request goes first: nothing may still point into it. */
		sip_msg_free(req);
		req = NULL;
		rc = msg_same_as_parse(res, text, false);
	}
	sip_msg_free(res);
	sip_msg_free(req);
	return rc;
}

#define SAME(text, status, reason, tag)                                \
	do {                                                           \
		int rc_ = same_for((text), (status), (reason), (tag)); \
		if (rc_)                                               \
			return rc_;                                    \
	} while (0)

static const char *const requests[] = {
	/* Long and compact names, two Via headers, one with two values. */
	("INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
	 "Via: SIP/2.0/UDP p2.example.com;branch=z9hG4bKp2,"
	 " SIP/2.0/TCP p1.example.com;branch=z9hG4bKp1\r\n"
	 "v: SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bKuac;rport=5;"
	 "received=192.0.2.1;ttl=3;maddr=224.0.0.1\r\n"
	 "Max-Forwards: 68\r\n"
	 "t: \"Bob B\" <sip:bob@biloxi.example.com>;x=1\r\n"
	 "f: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
	 "i: a84b4c76e66710@host\r\n"
	 "CSeq: 314159 INVITE\r\n"
	 "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
	 "Content-Type: application/sdp\r\n"
	 "Content-Length: 4\r\n\r\nv=0\n"),
	/* A To already tagged; a bare addr-spec From; folded headers. */
	("BYE sip:bob@192.0.2.4 SIP/2.0\r\n"
	 "Via: SIP/2.0/UDP h.example.com\r\n ;branch=z9hG4bK1\r\n"
	 "To: <sip:bob@biloxi.example.com>;tag=existing\r\n"
	 "From: sip:alice@atlanta.example.com;tag=1\r\n"
	 "Call-ID:\r\n c\r\nCSeq: 2 BYE\r\n\r\n"),
	/* A To with no parameters at all, bare. */
	("OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/TCP a;branch=z9hG4bKo\r\n"
	 "To: sip:x@y\r\nFrom: <sip:a@b>;tag=f\r\nCall-ID: o\r\n"
	 "CSeq: 7 OPTIONS\r\n\r\n"),
	/* Broken essentials: answered with what they were (a 400). */
	("INVITE sip:bob@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	 "Via: nonsense here\r\nTo: <sip:bob@b\r\nFrom: <sip:a@b>;tag=1\r\n"
	 "Call-ID: c\r\nCSeq: 1 INVITE\r\n\r\n"),
	("INVITE sip:bob@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	 "To: <sip:bob@b>\r\nFrom: garbage <\r\nCall-ID: c\r\n"
	 "CSeq: x INVITE\r\nMax-Forwards: 1000\r\n\r\n"),
	/* Essentials missing entirely; the second of a kind not copied. */
	("MESSAGE sip:bob@b SIP/2.0\r\nTo: <sip:bob@b>\r\nTo: <sip:c@d>\r\n"
	 "CSeq: 3 MESSAGE\r\nCSeq: 4 MESSAGE\r\n\r\n"),
};

static int test_response_reads_like_its_parse(void)
{
	static const uint16_t statuses[] = { 100, 180, 200, 400, 487, 699 };

	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		for (size_t k = 0; k < sizeof(statuses) / sizeof(statuses[0]);
		     k++) {
			SAME(requests[i], statuses[k], NULL, "a6c85cf");
			SAME(requests[i], statuses[k], NULL, NULL);
		}
		SAME(requests[i], 603, "", "t");
		SAME(requests[i], 603, "Go \xc3\xa0\taway", "t");
	}
	return 0;
}

/* What a parse of the text would refuse is refused before building. */
static int test_response_refuses_what_would_not_parse(void)
{
	struct sip_msg *req, *res = NULL;
	const char *text = requests[2];

	CHECK_INT(sip_msg_parse(NULL, text, strlen(text), &req, NULL), 0);
	CHECK_INT(sip_msg_response_new(req, 200, "O\x01K", S("t"), &res),
		  EINVAL);
	CHECK_INT(sip_msg_response_new(req, 200, NULL, S("a b"), &res), EINVAL);
	CHECK_INT(sip_msg_response_new(req, 200, NULL, S("a;b=c"), &res),
		  EINVAL);
	CHECK(res == NULL);
	sip_msg_free(req);
	return 0;
}

static const struct test_case cases[] = {
	TEST_OOM(test_response_reads_like_its_parse),
	TEST(test_response_refuses_what_would_not_parse),
};

TEST_MAIN(cases)
