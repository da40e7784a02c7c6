/*
 * Slice helpers of util/slice.c: construction from C strings, exact and
 * ASCII case-insensitive comparison, decimal conversion with a bound, and
 * the one helper that allocates, tnd_slice_dup.
 */
#include <stdio.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/slice.h"
#include "test.h"

static int test_slice_from_cstr_measures_length(void)
{
	const char *text = "Via";
	struct tnd_slice s = tnd_slice_from_cstr(text);

	CHECK(s.p == text);
	CHECK_INT(s.len, 3);
	s = tnd_slice_from_cstr("");
	CHECK(s.p != NULL);
	CHECK_INT(s.len, 0);
	return 0;
}

static int test_slice_from_null_cstr_is_empty(void)
{
	struct tnd_slice s = tnd_slice_from_cstr(NULL);

	CHECK(s.p == NULL);
	CHECK_INT(s.len, 0);
	CHECK(tnd_slice_eq(s, TND_SLICE_NULL));
	return 0;
}

static int test_slice_lit_leaves_out_the_nul(void)
{
	struct tnd_slice s = TND_SLICE_LIT("a\0b");

	CHECK_INT(s.len, 3);
	CHECK_INT(s.p[1], '\0');
	CHECK_INT(TND_SLICE_LIT("").len, 0);
	return 0;
}

static int test_slice_fmt_prints_only_the_slice(void)
{
	const char *text = "INVITE sip:bob@example.com";
	struct tnd_slice method = { text, 6 };
	char out[32];

	snprintf(out, sizeof(out), "[%.*s]", TND_SLICE_FMT(method));
	CHECK(strcmp(out, "[INVITE]") == 0);
	return 0;
}

static int test_slice_eq_compares_length_and_bytes(void)
{
	const char a[] = "abc\0x", b[] = "abc\0y";

	CHECK(tnd_slice_eq(S("abc"), S("abc")));
	CHECK(!tnd_slice_eq(S("abc"), S("abd")));
	CHECK(!tnd_slice_eq(S("abc"), S("ab")));
	CHECK(!tnd_slice_eq(S("ABC"), S("abc")));
	/* Bytes after an embedded NUL still count. */
	CHECK(!tnd_slice_eq((struct tnd_slice){ a, 5 },
			    (struct tnd_slice){ b, 5 }));
	CHECK(tnd_slice_eq((struct tnd_slice){ a, 4 },
			   (struct tnd_slice){ b, 4 }));
	return 0;
}

static int test_slice_eq_empty_slices_equal_whatever_pointer(void)
{
	CHECK(tnd_slice_eq(TND_SLICE_NULL, S("")));
	CHECK(tnd_slice_eq((struct tnd_slice){ "x", 0 },
			   (struct tnd_slice){ "y", 0 }));
	CHECK(tnd_slice_eq_cstr(TND_SLICE_NULL, ""));
	CHECK(!tnd_slice_eq(TND_SLICE_NULL, S("a")));
	return 0;
}

static int test_slice_caseeq_folds_ascii_letters(void)
{
	CHECK(tnd_slice_caseeq(S("Call-ID"), S("cALL-id")));
	CHECK(tnd_slice_caseeq(S("z9hG4bK"), S("Z9HG4BK")));
	CHECK(!tnd_slice_caseeq(S("Call-ID"), S("Call-IDs")));
	CHECK(!tnd_slice_caseeq(S("Call-ID"), S("Call_ID")));
	CHECK(tnd_slice_caseeq(TND_SLICE_NULL, S("")));
	return 0;
}

/* '@' and '`', '[' and '{' differ by the case bit but are not letters. */
static int test_slice_caseeq_leaves_non_letters_alone(void)
{
	CHECK(!tnd_slice_caseeq(S("@"), S("`")));
	CHECK(!tnd_slice_caseeq(S("["), S("{")));
	CHECK(!tnd_slice_caseeq(S("]"), S("}")));
	CHECK(!tnd_slice_caseeq(S("^"), S("~")));
	CHECK(!tnd_slice_caseeq(S("\xc3\xa9"), S("\xc3\x89")));
	return 0;
}

static int test_slice_cstr_comparisons(void)
{
	struct tnd_slice s = { "TAG=1", 3 };

	CHECK(tnd_slice_eq_cstr(s, "TAG"));
	CHECK(!tnd_slice_eq_cstr(s, "tag"));
	CHECK(!tnd_slice_eq_cstr(s, "TAG="));
	CHECK(tnd_slice_caseeq_cstr(s, "tag"));
	CHECK(!tnd_slice_caseeq_cstr(s, "ta"));
	return 0;
}

static int test_slice_to_u32_reads_digits_and_leading_zeros(void)
{
	uint32_t v = 7;

	CHECK_INT(tnd_slice_to_u32(S("0"), 10, &v), 0);
	CHECK_INT(v, 0);
	CHECK_INT(tnd_slice_to_u32(S("0009"), UINT32_MAX, &v), 0);
	CHECK_INT(v, 9);
	CHECK_INT(tnd_slice_to_u32(S("0000000000000000000070"), 70, &v), 0);
	CHECK_INT(v, 70);
	return 0;
}

static int test_slice_to_u32_bound_is_inclusive(void)
{
	uint32_t v = 0;

	CHECK_INT(tnd_slice_to_u32(S("4294967295"), UINT32_MAX, &v), 0);
	CHECK_INT(v, 4294967295u);
	CHECK_INT(tnd_slice_to_u32(S("255"), 255, &v), 0);
	CHECK_INT(v, 255);
	v = 1;
	CHECK_INT(tnd_slice_to_u32(S("256"), 255, &v), ERANGE);
	CHECK_INT(v, 1); /* untouched on error */
	CHECK_INT(tnd_slice_to_u32(S("4294967296"), UINT32_MAX, &v), ERANGE);
	CHECK_INT(v, 1);
	return 0;
}

/* RFC 4475 scalar02: 2^65 must not wrap around to something small. */
static int test_slice_to_u32_huge_number_is_erange(void)
{
	uint32_t v = 1;

	CHECK_INT(tnd_slice_to_u32(S("36893488147419103232"), UINT32_MAX, &v),
		  ERANGE);
	CHECK_INT(tnd_slice_to_u32(S("18446744073709551616"), UINT32_MAX, &v),
		  ERANGE);
	CHECK_INT(tnd_slice_to_u32(S("100000000000000000000000000000000000000"
				     "00000000"),
				   UINT32_MAX, &v),
		  ERANGE);
	CHECK_INT(v, 1);
	return 0;
}

static int test_slice_to_u32_rejects_non_digits(void)
{
	uint32_t v = 5;

	CHECK_INT(tnd_slice_to_u32(S(""), 10, &v), EINVAL);
	CHECK_INT(tnd_slice_to_u32(TND_SLICE_NULL, 10, &v), EINVAL);
	CHECK_INT(tnd_slice_to_u32(S("-1"), 10, &v), EINVAL);
	CHECK_INT(tnd_slice_to_u32(S("+1"), 10, &v), EINVAL);
	CHECK_INT(tnd_slice_to_u32(S("1 "), 10, &v), EINVAL);
	CHECK_INT(tnd_slice_to_u32(S(" 1"), 10, &v), EINVAL);
	CHECK_INT(tnd_slice_to_u32(S("0x10"), 100, &v), EINVAL);
	CHECK_INT(tnd_slice_to_u32(S("1.5"), 10, &v), EINVAL);
	CHECK_INT(v, 5);
	return 0;
}

static int test_slice_dup_copies_and_terminates(void)
{
	const char *text = "sip:alice@atlanta.com;tag=1";
	char *copy = tnd_slice_dup((struct tnd_slice){ text, 21 });

	if (!copy)
		return ENOMEM;
	CHECK(copy != text);
	CHECK(strcmp(copy, "sip:alice@atlanta.com") == 0);
	tnd_free(copy);
	return 0;
}

static int test_slice_dup_of_empty_is_empty_string(void)
{
	char *a = tnd_slice_dup(TND_SLICE_NULL), *b;

	if (!a)
		return ENOMEM;
	b = tnd_slice_dup((struct tnd_slice){ "xyz", 0 });
	if (!b) {
		tnd_free(a);
		return ENOMEM;
	}
	CHECK_INT(a[0], '\0');
	CHECK_INT(b[0], '\0');
	tnd_free(a);
	tnd_free(b);
	return 0;
}

static int test_slice_dup_keeps_embedded_nul(void)
{
	char *copy = tnd_slice_dup((struct tnd_slice){ "a\0b", 3 });

	if (!copy)
		return ENOMEM;
	CHECK(memcmp(copy, "a\0b\0", 4) == 0);
	tnd_free(copy);
	return 0;
}

static int test_slice_dup_is_one_counted_block(void)
{
	size_t before = tnd_mem_live_blocks();
	char *copy = tnd_slice_dup(S("x"));

	if (!copy)
		return ENOMEM;
	CHECK_INT(tnd_mem_live_blocks(), before + 1);
	tnd_free(copy);
	CHECK_INT(tnd_mem_live_blocks(), before);
	return 0;
}

static int test_slice_trim_drops_outer_blanks_only(void)
{
	CHECK_STR(tnd_slice_trim(tnd_slice_from_cstr(" \t a b\t ")), "a b");
	CHECK_STR(tnd_slice_trim(tnd_slice_from_cstr("ab")), "ab");
	CHECK_INT(tnd_slice_trim(tnd_slice_from_cstr(" \t ")).len, 0);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_slice_from_cstr_measures_length),
	TEST(test_slice_from_null_cstr_is_empty),
	TEST(test_slice_lit_leaves_out_the_nul),
	TEST(test_slice_fmt_prints_only_the_slice),
	TEST(test_slice_eq_compares_length_and_bytes),
	TEST(test_slice_eq_empty_slices_equal_whatever_pointer),
	TEST(test_slice_caseeq_folds_ascii_letters),
	TEST(test_slice_caseeq_leaves_non_letters_alone),
	TEST(test_slice_cstr_comparisons),
	TEST(test_slice_to_u32_reads_digits_and_leading_zeros),
	TEST(test_slice_to_u32_bound_is_inclusive),
	TEST(test_slice_to_u32_huge_number_is_erange),
	TEST(test_slice_to_u32_rejects_non_digits),
	TEST(test_slice_trim_drops_outer_blanks_only),
	TEST_OOM(test_slice_dup_copies_and_terminates),
	TEST_OOM(test_slice_dup_of_empty_is_empty_string),
	TEST_OOM(test_slice_dup_keeps_embedded_nul),
	TEST_OOM(test_slice_dup_is_one_counted_block),
};

TEST_MAIN(cases)
