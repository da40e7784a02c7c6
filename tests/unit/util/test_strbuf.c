/*
 * The bounded text builder of util/strbuf.c: text, slices and numbers
 * appended in order, truncation at the array's end, the NUL always kept.
 */
#include <string.h>

#include "tandem/strbuf.h"
#include "test.h"

static int test_strbuf_builds_in_order(void)
{
	char text[64];
	struct tnd_strbuf b;

	tnd_strbuf_init(&b, text, sizeof(text));
	CHECK(strcmp(text, "") == 0);
	tnd_strbuf_cstr(&b, "SIP/2.0/UDP ");
	tnd_strbuf_slice(&b, TND_SLICE_LIT("[::1]"));
	tnd_strbuf_put(&b, ":x", 1);
	tnd_strbuf_uint(&b, 5060);
	tnd_strbuf_cstr(&b, ";n=");
	tnd_strbuf_uint(&b, 0);
	tnd_strbuf_cstr(&b, ";max=");
	tnd_strbuf_uint(&b, UINT64_MAX);
	CHECK(tnd_strbuf_ok(&b));
	CHECK(strcmp(text,
		     "SIP/2.0/UDP [::1]:5060;n=0;max=18446744073709551615") ==
	      0);
	CHECK_INT(b.len, strlen(text));
	return 0;
}

static int test_strbuf_truncates_and_says_so(void)
{
	char text[8];
	struct tnd_strbuf b;

	memset(text, 'z', sizeof(text));
	tnd_strbuf_init(&b, text, sizeof(text));
	tnd_strbuf_cstr(&b, "1234567");
	CHECK(tnd_strbuf_ok(&b));
	CHECK(strcmp(text, "1234567") == 0);
	tnd_strbuf_cstr(&b, "89");
	CHECK(!tnd_strbuf_ok(&b));
	CHECK(strcmp(text, "1234567") == 0);
	tnd_strbuf_uint(&b, 42);
	CHECK_INT(b.len, 11);
	CHECK(strcmp(text, "1234567") == 0);

	tnd_strbuf_init(&b, text, 1);
	tnd_strbuf_cstr(&b, "a");
	CHECK(!tnd_strbuf_ok(&b));
	CHECK(text[0] == '\0');
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_strbuf_builds_in_order),
	TEST(test_strbuf_truncates_and_says_so),
};
TEST_MAIN(cases)
