/*
 * Header and method names (names.c): long and compact header forms in any
 * case (RFC 3261 §7.3.1, §7.3.3), list headers, case-sensitive methods.
 */
#include <string.h>

#include "sip_int.h"
#include "tandem/mem.h"
#include "tandem/sip_hdr.h"
#include "test.h"

static struct sip_scan scan_of(struct tnd_slice text)
{
	struct sip_scan s;

	sip_scan_init(&s, text);
	return s;
}

/* ---- header and method names ------------------------------------------- */

static int test_hdr_lookup_every_compact_form(void)
{
	static const struct {
		const char *name;
		enum sip_hdr_id id;
	} compact[] = {
		{ "i", SIP_HDR_CALL_ID },
		{ "m", SIP_HDR_CONTACT },
		{ "f", SIP_HDR_FROM },
		{ "t", SIP_HDR_TO },
		{ "v", SIP_HDR_VIA },
		{ "l", SIP_HDR_CONTENT_LENGTH },
		{ "c", SIP_HDR_CONTENT_TYPE },
		{ "k", SIP_HDR_SUPPORTED },
		{ "s", SIP_HDR_SUBJECT },
		{ "e", SIP_HDR_CONTENT_ENCODING },
		{ "o", SIP_HDR_EVENT },
		{ "u", SIP_HDR_ALLOW_EVENTS },
		{ "r", SIP_HDR_REFER_TO },
		{ "b", SIP_HDR_REFERRED_BY },
		{ "x", SIP_HDR_SESSION_EXPIRES },
		{ "y", SIP_HDR_IDENTITY },
		{ "a", SIP_HDR_ACCEPT_CONTACT },
		{ "j", SIP_HDR_REJECT_CONTACT },
		{ "d", SIP_HDR_REQUEST_DISPOSITION },
	};

	for (size_t i = 0; i < sizeof(compact) / sizeof(compact[0]); i++) {
		char upper[2] = { (char)(compact[i].name[0] - 32), '\0' };

		CHECK_INT(sip_hdr_lookup(S(compact[i].name)), compact[i].id);
		CHECK_INT(sip_hdr_lookup(S(upper)), compact[i].id);
	}
	return 0;
}

static int test_hdr_lookup_other_letters_are_unknown(void)
{
	static const char letters[] = "ghnpqwzGHNPQWZ0-";

	for (const char *c = letters; *c; c++) {
		char name[2] = { *c, '\0' };

		CHECK_INT(sip_hdr_lookup(S(name)), SIP_HDR_OTHER);
	}
	return 0;
}

static int test_hdr_lookup_long_names_in_any_case(void)
{
	CHECK_INT(sip_hdr_lookup(S("Call-ID")), SIP_HDR_CALL_ID);
	CHECK_INT(sip_hdr_lookup(S("call-id")), SIP_HDR_CALL_ID);
	CHECK_INT(sip_hdr_lookup(S("CALL-ID")), SIP_HDR_CALL_ID);
	CHECK_INT(sip_hdr_lookup(S("MaX-fOrWaRdS")), SIP_HDR_MAX_FORWARDS);
	CHECK_INT(sip_hdr_lookup(S("cseq")), SIP_HDR_CSEQ);
	CHECK_INT(sip_hdr_lookup(S("www-authenticate")),
		  SIP_HDR_WWW_AUTHENTICATE);
	CHECK_INT(sip_hdr_lookup(S("Content-Length")), SIP_HDR_CONTENT_LENGTH);
	CHECK_INT(sip_hdr_lookup(S("VIA")), SIP_HDR_VIA);
	CHECK_INT(sip_hdr_lookup(S("rack")), SIP_HDR_RACK);
	return 0;
}

static int test_hdr_lookup_near_misses_are_unknown(void)
{
	CHECK_INT(sip_hdr_lookup(TND_SLICE_NULL), SIP_HDR_OTHER);
	CHECK_INT(sip_hdr_lookup(S("Vi")), SIP_HDR_OTHER);
	CHECK_INT(sip_hdr_lookup(S("Vias")), SIP_HDR_OTHER);
	CHECK_INT(sip_hdr_lookup(S("Call_ID")), SIP_HDR_OTHER);
	CHECK_INT(sip_hdr_lookup(S("C%6Fntact")), SIP_HDR_OTHER); /* esc02 */
	CHECK_INT(sip_hdr_lookup(S("NewFangledHeader")), SIP_HDR_OTHER);
	/* A slice that stops inside a longer name. */
	CHECK_INT(sip_hdr_lookup((struct tnd_slice){ "Contact", 3 }),
		  SIP_HDR_OTHER);
	return 0;
}

static int test_hdr_name_round_trips_every_id(void)
{
	for (int id = 1; id < SIP_HDR_COUNT; id++) {
		const char *name = sip_hdr_name((enum sip_hdr_id)id);

		CHECK(name[0] != '\0');
		CHECK_INT(sip_hdr_lookup(S(name)), id);
	}
	CHECK(strcmp(sip_hdr_name(SIP_HDR_OTHER), "") == 0);
	CHECK(strcmp(sip_hdr_name(SIP_HDR_COUNT), "") == 0);
	CHECK(strcmp(sip_hdr_name(SIP_HDR_CALL_ID), "Call-ID") == 0);
	return 0;
}

static int test_hdr_is_list_only_for_splittable_headers(void)
{
	CHECK(sip_hdr_is_list(SIP_HDR_VIA));
	CHECK(sip_hdr_is_list(SIP_HDR_CONTACT));
	CHECK(sip_hdr_is_list(SIP_HDR_ROUTE));
	CHECK(sip_hdr_is_list(SIP_HDR_RECORD_ROUTE));
	CHECK(sip_hdr_is_list(SIP_HDR_SUPPORTED));
	CHECK(sip_hdr_is_list(SIP_HDR_ALLOW));
	CHECK(!sip_hdr_is_list(SIP_HDR_DATE));
	CHECK(!sip_hdr_is_list(SIP_HDR_WWW_AUTHENTICATE));
	CHECK(!sip_hdr_is_list(SIP_HDR_PROXY_AUTHENTICATE));
	CHECK(!sip_hdr_is_list(SIP_HDR_AUTHORIZATION));
	CHECK(!sip_hdr_is_list(SIP_HDR_PROXY_AUTHORIZATION));
	CHECK(!sip_hdr_is_list(SIP_HDR_CALL_ID));
	CHECK(!sip_hdr_is_list(SIP_HDR_FROM));
	CHECK(!sip_hdr_is_list(SIP_HDR_OTHER));
	CHECK(!sip_hdr_is_list(SIP_HDR_COUNT));
	return 0;
}

/* RFC 3261 §7.1: the method is case-sensitive. */
static int test_method_lookup_is_case_sensitive(void)
{
	CHECK_INT(sip_method_lookup(S("INVITE")), SIP_METHOD_INVITE);
	CHECK_INT(sip_method_lookup(S("invite")), SIP_METHOD_UNKNOWN);
	CHECK_INT(sip_method_lookup(S("Invite")), SIP_METHOD_UNKNOWN);
	CHECK_INT(sip_method_lookup(S("INVITEX")), SIP_METHOD_UNKNOWN);
	CHECK_INT(sip_method_lookup(S("RE%47IST%45R")), SIP_METHOD_UNKNOWN);
	CHECK_INT(sip_method_lookup(TND_SLICE_NULL), SIP_METHOD_UNKNOWN);
	return 0;
}

static int test_method_names_round_trip(void)
{
	for (int m = SIP_METHOD_INVITE; m <= SIP_METHOD_PUBLISH; m++) {
		const char *name = sip_method_name((enum sip_method)m);

		CHECK(name[0] != '\0');
		CHECK_INT(sip_method_lookup(S(name)), m);
	}
	CHECK(strcmp(sip_method_name(SIP_METHOD_ACK), "ACK") == 0);
	CHECK(strcmp(sip_method_name(SIP_METHOD_UNKNOWN), "") == 0);
	CHECK(strcmp(sip_method_name((enum sip_method)99), "") == 0);
	return 0;
}

/*
 * Every prefix of each text, in a heap block of exactly its length, so
 * that a read past the slice trips the address sanitizer.
 */
static void scan_all(struct tnd_slice v)
{
	struct sip_scan s;
	struct tnd_slice t;
	enum sip_host_type type;
	uint32_t u;
	size_t pos = 0;

	s = scan_of(v);
	sip_scan_lws(&s);
	(void)sip_scan_quoted(&s, &t);
	s = scan_of(v);
	(void)sip_scan_params(&s, &t, NULL);
	s = scan_of(v);
	(void)sip_scan_host(&s, &t, &type);
	s = scan_of(v);
	(void)sip_scan_uint(&s, UINT32_MAX, &u);
	(void)sip_scan_rest(&s);
	(void)sip_is_ipv4(v);
	(void)sip_is_ipv6(v);
	while (sip_value_next(v, &pos, &t))
		;
	(void)sip_params_get(v, "zz", &t);
	(void)sip_hdr_lookup(v);
	(void)sip_method_lookup(v);
}

static int test_scanner_never_reads_past_slice(void)
{
	static const char *const texts[] = {
		" \r\n \"a\\\"b\r\n c\"",
		";a = \"x;y\" ;\r\n b=[2001:db8::1];c=2001:db8:::192.0.2.1",
		"[2001:db8::9:255]:5060",
		"4294967295",
		"\"a,b\" <sip:x;y,z>, c ,",
		"1:2:3:4:5:6:192.0.2.1",
	};

	CHECK_OK(test_each_prefix(texts, sizeof(texts) / sizeof(texts[0]),
				  scan_all));
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_hdr_lookup_every_compact_form),
	TEST(test_hdr_lookup_other_letters_are_unknown),
	TEST(test_hdr_lookup_long_names_in_any_case),
	TEST(test_hdr_lookup_near_misses_are_unknown),
	TEST(test_hdr_name_round_trips_every_id),
	TEST(test_hdr_is_list_only_for_splittable_headers),
	TEST(test_method_lookup_is_case_sensitive),
	TEST(test_method_names_round_trip),
	TEST(test_scanner_never_reads_past_slice),
};

TEST_MAIN(cases)
