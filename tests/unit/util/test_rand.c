/*
 * Random tokens and branches of util/rand.c: exact lengths, termination,
 * an alphabet that stays inside RFC 3261's token set, the branch cookie,
 * and that two draws differ.
 */
#include <string.h>

#include "tandem/rand.h"
#include "test.h"

/* RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" /
 * "_" / "+" / "`" / "'" / "~"). */
static bool is_token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c != '\0' && strchr("-.!%*_+`'~", c));
}

static int test_rand_token_writes_exact_length_and_nul(void)
{
	char out[TND_RAND_TOKEN_CHARS + 2];

	memset(out, 'X', sizeof(out));
	CHECK_INT(tnd_rand_token(out, TND_RAND_TOKEN_CHARS), 0);
	CHECK_INT(strlen(out), TND_RAND_TOKEN_CHARS);
	/* Nothing written past the NUL. */
	CHECK_INT(out[TND_RAND_TOKEN_CHARS + 1], 'X');
	return 0;
}

static int test_rand_token_of_zero_chars_is_empty(void)
{
	char out[2] = { 'X', 'X' };

	CHECK_INT(tnd_rand_token(out, 0), 0);
	CHECK_INT(out[0], '\0');
	CHECK_INT(out[1], 'X');
	return 0;
}

/* Longer than one draw from the generator (64 bytes at a time). */
static int test_rand_token_longer_than_one_draw(void)
{
	char out[201];

	CHECK_INT(tnd_rand_token(out, 200), 0);
	CHECK_INT(strlen(out), 200);
	for (size_t i = 0; i < 200; i++)
		CHECK(is_token_char(out[i]));
	return 0;
}

static int test_rand_token_uses_only_token_characters(void)
{
	char out[TND_RAND_TOKEN_CHARS + 1];

	for (int round = 0; round < 200; round++) {
		CHECK_INT(tnd_rand_token(out, TND_RAND_TOKEN_CHARS), 0);
		for (size_t i = 0; i < TND_RAND_TOKEN_CHARS; i++)
			CHECK(is_token_char(out[i]));
	}
	return 0;
}

/*
 * 64 symbols carry 6 bits each only if all of them turn up: over 4400
 * draws, missing any one alphanumeric has odds below e^-68.
 */
static int test_rand_token_spreads_over_the_alphabet(void)
{
	char out[TND_RAND_TOKEN_CHARS + 1];
	bool seen[256] = { false };
	int alnum = 0;

	for (int round = 0; round < 200; round++) {
		CHECK_INT(tnd_rand_token(out, TND_RAND_TOKEN_CHARS), 0);
		for (size_t i = 0; i < TND_RAND_TOKEN_CHARS; i++)
			seen[(unsigned char)out[i]] = true;
	}
	for (int c = 0; c < 256; c++) {
		if (seen[c] &&
		    ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		     (c >= '0' && c <= '9')))
			alnum++;
	}
	CHECK_INT(alnum, 62);
	return 0;
}

static int test_rand_tokens_differ(void)
{
	char a[TND_RAND_TOKEN_CHARS + 1], b[TND_RAND_TOKEN_CHARS + 1];

	CHECK_INT(tnd_rand_token(a, TND_RAND_TOKEN_CHARS), 0);
	CHECK_INT(tnd_rand_token(b, TND_RAND_TOKEN_CHARS), 0);
	CHECK(strcmp(a, b) != 0);
	return 0;
}

static int test_rand_branch_starts_with_cookie_and_has_length(void)
{
	char out[TND_BRANCH_LEN + 1];

	CHECK_INT(TND_BRANCH_LEN, 7 + 22);
	CHECK_INT(tnd_rand_branch(out, sizeof(out)), 0);
	CHECK_INT(strlen(out), TND_BRANCH_LEN);
	CHECK(strncmp(out, "z9hG4bK", 7) == 0);
	for (size_t i = 7; i < TND_BRANCH_LEN; i++)
		CHECK(is_token_char(out[i]));
	return 0;
}

static int test_rand_branch_fits_a_larger_buffer(void)
{
	char out[64];

	memset(out, 'X', sizeof(out));
	CHECK_INT(tnd_rand_branch(out, sizeof(out)), 0);
	CHECK_INT(strlen(out), TND_BRANCH_LEN);
	CHECK_INT(out[TND_BRANCH_LEN + 1], 'X');
	return 0;
}

static int test_rand_branch_refuses_a_short_buffer(void)
{
	char out[TND_BRANCH_LEN + 1];

	memset(out, 'X', sizeof(out));
	CHECK_INT(tnd_rand_branch(out, TND_BRANCH_LEN), ENOSPC);
	CHECK_INT(tnd_rand_branch(out, 0), ENOSPC);
	CHECK_INT(out[0], 'X'); /* nothing written */
	return 0;
}

static int test_rand_branches_differ(void)
{
	char a[TND_BRANCH_LEN + 1], b[TND_BRANCH_LEN + 1];

	CHECK_INT(tnd_rand_branch(a, sizeof(a)), 0);
	CHECK_INT(tnd_rand_branch(b, sizeof(b)), 0);
	CHECK(strcmp(a, b) != 0);
	CHECK(strcmp(a + 7, b + 7) != 0);
	return 0;
}

/* 64 bits from the CSPRNG: ten draws, all different, some high bits set. */
static int test_rand_u64_draws_differ(void)
{
	uint64_t v[10], any_high = 0;

	for (size_t i = 0; i < 10; i++) {
		CHECK_INT(tnd_rand_u64(&v[i]), 0);
		any_high |= v[i] >> 56;
		for (size_t j = 0; j < i; j++)
			CHECK(v[i] != v[j]);
	}
	CHECK(any_high != 0);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_rand_u64_draws_differ),
	TEST(test_rand_token_writes_exact_length_and_nul),
	TEST(test_rand_token_of_zero_chars_is_empty),
	TEST(test_rand_token_longer_than_one_draw),
	TEST(test_rand_token_uses_only_token_characters),
	TEST(test_rand_token_spreads_over_the_alphabet),
	TEST(test_rand_tokens_differ),
	TEST(test_rand_branch_starts_with_cookie_and_has_length),
	TEST(test_rand_branch_fits_a_larger_buffer),
	TEST(test_rand_branch_refuses_a_short_buffer),
	TEST(test_rand_branches_differ),
};

TEST_MAIN(cases)
