/*
 * SDES a=crypto (crypto.c, RFC 4568 §9.1): values with a lifetime, an MKI
 * or both, several keys, session parameters, another key method; the
 * malformed ones; printing from fields and back; adding one to a section.
 */
#include <string.h>

#include "sdp_bodies.h"

#define KEY1 "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"
#define KEY2 "NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj"

static int test_crypto_parse_lifetime_mki_params(void)
{
	struct sdp_crypto c;

	CHECK_INT(sdp_crypto_parse(S("1 AES_CM_128_HMAC_SHA1_80 inline:" KEY1
				     "|2^20|1:4 FEC_ORDER=FEC_SRTP"),
				   &c),
		  0);
	CHECK_INT(c.tag, 1);
	CHECK_STR(c.suite, "AES_CM_128_HMAC_SHA1_80");
	CHECK_INT(c.nkeys, 1);
	CHECK_STR(c.keys[0].method, "inline");
	CHECK_STR(c.keys[0].key_salt, KEY1);
	CHECK_STR(c.keys[0].lifetime, "2^20");
	CHECK_STR(c.keys[0].mki, "1");
	CHECK_STR(c.keys[0].mki_length, "4");
	CHECK_STR(c.session_params, "FEC_ORDER=FEC_SRTP");
	return 0;
}

static int test_crypto_parse_one_optional_field(void)
{
	struct sdp_crypto c;

	/* a lone field with a colon is the MKI, else the lifetime */
	CHECK_INT(sdp_crypto_parse(
		      S("7 AES_CM_128_HMAC_SHA1_32 inline:" KEY2 "|5:2"), &c),
		  0);
	CHECK_INT(c.tag, 7);
	CHECK_INT(c.keys[0].lifetime.len, 0);
	CHECK_STR(c.keys[0].mki, "5");
	CHECK_STR(c.keys[0].mki_length, "2");
	CHECK_INT(c.session_params.len, 0);
	CHECK_INT(
	    sdp_crypto_parse(
		S("7 AES_CM_128_HMAC_SHA1_32 inline:" KEY2 "|1048576"), &c),
	    0);
	CHECK_STR(c.keys[0].lifetime, "1048576");
	CHECK_INT(c.keys[0].mki.len, 0);
	CHECK_INT(
	    sdp_crypto_parse(S("7 AES_CM_128_HMAC_SHA1_32 inline:" KEY2), &c),
	    0);
	CHECK_INT(c.keys[0].lifetime.len, 0);
	CHECK_INT(c.keys[0].mki.len, 0);
	return 0;
}

static int test_crypto_parse_several_keys(void)
{
	struct sdp_crypto c;

	CHECK_INT(sdp_crypto_parse(S("2 F8_128_HMAC_SHA1_80 inline:" KEY1
				     "|2^20|1:4;inline:" KEY2
				     "|2^20|2:4 KDR=1 UNENCRYPTED_SRTCP"),
				   &c),
		  0);
	CHECK_INT(c.nkeys, 2);
	CHECK_STR(c.keys[0].key_salt, KEY1);
	CHECK_STR(c.keys[1].key_salt, KEY2);
	CHECK_STR(c.keys[1].mki, "2");
	CHECK_STR(c.session_params, "KDR=1 UNENCRYPTED_SRTCP");
	/* a method this layer does not know keeps its info whole */
	CHECK_INT(sdp_crypto_parse(S("3 SUITE uri:https://k.example/x|y"), &c),
		  0);
	CHECK_STR(c.keys[0].method, "uri");
	CHECK_STR(c.keys[0].key_salt, "https://k.example/x|y");
	return 0;
}

static int test_crypto_parse_refuses(void)
{
	static const char *const bad[] = {
		"",
		"1",
		"1 SUITE",
		"x SUITE inline:" KEY1,
		"1234567890 SUITE inline:" KEY1,
		"1 SUITE inline",
		"1 SUITE inline:",
		"1 SUITE :" KEY1,
		"1 SUITE inline:" KEY1 "|",
		"1 SUITE inline:" KEY1 "|2^20|x",
		"1 SUITE inline:" KEY1 "|2^20|1:",
		"1 SUITE inline:" KEY1 "|2^20|1:1234",
		"1 SUITE inline:" KEY1 "|1:129",
		"1 SUITE inline:" KEY1 "||1:4",
		"1 SUITE inline:a;inline:b;inline:c;inline:d;inline:e",
		"1 SUITE inline:" KEY1 ";",
	};
	struct sdp_crypto c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (sdp_crypto_parse(S(bad[i]), &c) != EBADMSG) {
			test_fail(__FILE__, __LINE__, "accepted \"%s\"",
				  bad[i]);
			return EPROTO;
		}
	}
	CHECK_INT(sdp_crypto_parse(TND_SLICE_NULL, &c), EBADMSG);
	return 0;
}

static int test_crypto_print_from_fields(void)
{
	struct sdp_crypto c = {
		.tag = 1,
		.suite = S("AES_CM_128_HMAC_SHA1_80"),
		.keys = { { .method = S("inline"),
			    .key_salt = S(KEY1),
			    .lifetime = S("2^20"),
			    .mki = S("1"),
			    .mki_length = S("4") },
			  { .method = S("inline"), .key_salt = S(KEY2) } },
		.nkeys = 2,
		.session_params = S("KDR=1"),
	};
	const char *want = "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY1
			   "|2^20|1:4;inline:" KEY2 " KDR=1";
	char buf[256];
	size_t len;
	struct sdp_crypto again;

	CHECK_INT(sdp_crypto_print(&c, buf, sizeof(buf), &len), 0);
	CHECK(strcmp(buf, want) == 0);
	CHECK_INT(len, strlen(want));
	/* and back */
	CHECK_INT(sdp_crypto_parse((struct tnd_slice){ buf, len }, &again), 0);
	CHECK_INT(again.nkeys, 2);
	CHECK_STR(again.keys[0].mki_length, "4");
	/* exactly the size with its NUL fits; one less does not */
	CHECK_INT(sdp_crypto_print(&c, buf, len + 1, NULL), 0);
	CHECK_INT(sdp_crypto_print(&c, buf, len, &len), ENOSPC);
	c.nkeys = 0;
	CHECK_INT(sdp_crypto_print(&c, buf, sizeof(buf), &len), EINVAL);
	c.nkeys = 1;
	c.suite = S("A B");
	CHECK_INT(sdp_crypto_print(&c, buf, sizeof(buf), &len), EINVAL);
	c.suite = S("X");
	c.tag = 1000000000;
	CHECK_INT(sdp_crypto_print(&c, buf, sizeof(buf), &len), EINVAL);
	return 0;
}

static int add_crypto(struct sdp_session *s)
{
	struct sdp_crypto c = {
		.tag = 3,
		.suite = S("AES_256_CM_HMAC_SHA1_80"),
		.keys = { { .method = S("inline"), .key_salt = S(KEY1) } },
		.nkeys = 1,
	};
	struct tnd_slice v;
	size_t cursor = 0;

	EDIT(s, sdp_crypto_add(s, 0, &c));
	CHECK_INT(sdp_crypto_add(s, SDP_SESSION, &c), EINVAL);
	CHECK(sdp_attr_next(s, 0, "crypto", &cursor, &v));
	CHECK(sdp_attr_next(s, 0, "crypto", &cursor, &v));
	CHECK(sdp_attr_next(s, 0, "crypto", &cursor, &v));
	CHECK_STR(v, "3 AES_256_CM_HMAC_SHA1_80 inline:" KEY1);
	CHECK_PRINT(s, SDES_OFFER "a=crypto:3 AES_256_CM_HMAC_SHA1_80 "
				  "inline:" KEY1 "\r\n");
	return 0;
}

static int test_crypto_add_to_section(void)
{
	return with_session(SDES_OFFER, add_crypto);
}

static const struct test_case cases[] = {
	TEST(test_crypto_parse_lifetime_mki_params),
	TEST(test_crypto_parse_one_optional_field),
	TEST(test_crypto_parse_several_keys),
	TEST(test_crypto_parse_refuses),
	TEST(test_crypto_print_from_fields),
	TEST_OOM(test_crypto_add_to_section),
};

TEST_MAIN(cases)
