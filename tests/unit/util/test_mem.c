/*
 * The counting allocator of util/mem.c: live-block counts across malloc,
 * calloc, realloc and free, and failure injection (the nth allocation
 * from arming on fails, and every one after it until disarmed).
 */
#include <string.h>

#include "tandem/mem.h"
#include "test.h"

static int test_mem_malloc_and_free_count_blocks(void)
{
	size_t before = tnd_mem_live_blocks();
	void *a = tnd_malloc(16), *b = tnd_malloc(1);

	CHECK(a != NULL && b != NULL);
	CHECK_INT(tnd_mem_live_blocks(), before + 2);
	tnd_free(a);
	CHECK_INT(tnd_mem_live_blocks(), before + 1);
	tnd_free(b);
	CHECK_INT(tnd_mem_live_blocks(), before);
	return 0;
}

static int test_mem_calloc_zeroes_and_counts(void)
{
	size_t before = tnd_mem_live_blocks();
	unsigned char *p = tnd_calloc(8, 4);

	CHECK(p != NULL);
	CHECK_INT(tnd_mem_live_blocks(), before + 1);
	for (size_t i = 0; i < 32; i++)
		CHECK_INT(p[i], 0);
	tnd_free(p);
	CHECK_INT(tnd_mem_live_blocks(), before);
	return 0;
}

/* A zero-size request still gives a block that must be freed. */
static int test_mem_zero_size_gives_a_counted_block(void)
{
	size_t before = tnd_mem_live_blocks();
	void *a = tnd_malloc(0), *b = tnd_calloc(0, 0);

	CHECK(a != NULL && b != NULL);
	CHECK_INT(tnd_mem_live_blocks(), before + 2);
	tnd_free(a);
	tnd_free(b);
	CHECK_INT(tnd_mem_live_blocks(), before);
	return 0;
}

static int test_mem_realloc_keeps_count_and_contents(void)
{
	size_t before = tnd_mem_live_blocks();
	char *p = tnd_malloc(4), *q;

	CHECK(p != NULL);
	memcpy(p, "abcd", 4);
	q = tnd_realloc(p, 4096);
	CHECK(q != NULL);
	CHECK(memcmp(q, "abcd", 4) == 0);
	CHECK_INT(tnd_mem_live_blocks(), before + 1);
	tnd_free(q);
	CHECK_INT(tnd_mem_live_blocks(), before);
	return 0;
}

static int test_mem_realloc_of_null_allocates(void)
{
	size_t before = tnd_mem_live_blocks();
	void *p = tnd_realloc(NULL, 10);

	CHECK(p != NULL);
	CHECK_INT(tnd_mem_live_blocks(), before + 1);
	tnd_free(p);
	CHECK_INT(tnd_mem_live_blocks(), before);
	return 0;
}

static int test_mem_free_null_changes_nothing(void)
{
	size_t before = tnd_mem_live_blocks();

	tnd_free(NULL);
	CHECK_INT(tnd_mem_live_blocks(), before);
	return 0;
}

static int test_mem_fail_after_one_fails_the_next(void)
{
	size_t before = tnd_mem_live_blocks();

	tnd_mem_fail_after(1);
	CHECK(tnd_malloc(8) == NULL);
	CHECK_INT(tnd_mem_failures_injected(), 1);
	CHECK_INT(tnd_mem_live_blocks(), before);
	tnd_mem_fail_after(0);
	return 0;
}

static int test_mem_fail_after_n_lets_earlier_ones_through(void)
{
	void *a, *b, *c;

	tnd_mem_fail_after(3);
	a = tnd_malloc(8);
	b = tnd_calloc(1, 8);
	c = tnd_malloc(8);
	tnd_mem_fail_after(0);
	CHECK(a != NULL && b != NULL);
	CHECK(c == NULL);
	CHECK_INT(tnd_mem_failures_injected(), 1);
	tnd_free(a);
	tnd_free(b);
	return 0;
}

static int test_mem_every_later_allocation_fails_while_armed(void)
{
	void *first;

	tnd_mem_fail_after(2);
	first = tnd_malloc(8);
	for (int i = 0; i < 5; i++)
		CHECK(tnd_malloc(8) == NULL);
	CHECK_INT(tnd_mem_failures_injected(), 5);
	tnd_mem_fail_after(0);
	CHECK(first != NULL);
	tnd_free(first);
	return 0;
}

static int test_mem_failures_hit_every_allocator(void)
{
	size_t before = tnd_mem_live_blocks();
	void *block = tnd_malloc(8);

	CHECK(block != NULL);
	tnd_mem_fail_after(1);
	CHECK(tnd_malloc(8) == NULL);
	CHECK(tnd_calloc(2, 8) == NULL);
	CHECK(tnd_realloc(NULL, 8) == NULL);
	CHECK(tnd_realloc(block, 64) == NULL);
	CHECK_INT(tnd_mem_failures_injected(), 4);
	tnd_mem_fail_after(0);
	CHECK_INT(tnd_mem_live_blocks(), before + 1);
	tnd_free(block);
	return 0;
}

/* As with realloc(3), a failed resize leaves the old block intact. */
static int test_mem_failed_realloc_keeps_the_block(void)
{
	char *p = tnd_malloc(4), *q;

	CHECK(p != NULL);
	memcpy(p, "abc", 4);
	tnd_mem_fail_after(1);
	q = tnd_realloc(p, 1024);
	tnd_mem_fail_after(0);
	CHECK(q == NULL);
	CHECK(strcmp(p, "abc") == 0);
	tnd_free(p);
	return 0;
}

/* Freeing is never an allocation: it neither fails nor moves the count. */
static int test_mem_free_does_not_count_towards_failure(void)
{
	void *a = tnd_malloc(8), *b;

	CHECK(a != NULL);
	tnd_mem_fail_after(2);
	tnd_free(a);
	b = tnd_malloc(8);
	tnd_mem_fail_after(0);
	CHECK(b != NULL);
	CHECK_INT(tnd_mem_failures_injected(), 0);
	tnd_free(b);
	return 0;
}

static int test_mem_zero_disarms(void)
{
	void *p;

	tnd_mem_fail_after(1);
	tnd_mem_fail_after(0);
	p = tnd_malloc(8);
	CHECK(p != NULL);
	tnd_free(p);
	CHECK_INT(tnd_mem_failures_injected(), 0);
	return 0;
}

/*
 * The runner disarms after each case and only then asks how many
 * failures were injected: disarming must not forget them.
 */
static int test_mem_disarming_keeps_the_failure_count(void)
{
	tnd_mem_fail_after(1);
	CHECK(tnd_malloc(8) == NULL);
	CHECK(tnd_malloc(8) == NULL);
	tnd_mem_fail_after(0);
	CHECK_INT(tnd_mem_failures_injected(), 2);
	return 0;
}

static int test_mem_arming_resets_the_failure_count(void)
{
	tnd_mem_fail_after(1);
	CHECK(tnd_malloc(8) == NULL);
	CHECK_INT(tnd_mem_failures_injected(), 1);
	tnd_mem_fail_after(5);
	CHECK_INT(tnd_mem_failures_injected(), 0);
	tnd_mem_fail_after(0);
	return 0;
}

static int test_mem_rearming_restarts_the_countdown(void)
{
	void *a, *b, *c;

	tnd_mem_fail_after(2);
	a = tnd_malloc(8);
	tnd_mem_fail_after(2); /* counts from here again */
	b = tnd_malloc(8);
	c = tnd_malloc(8);
	tnd_mem_fail_after(0);
	CHECK(a != NULL && b != NULL && c == NULL);
	tnd_free(a);
	tnd_free(b);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_mem_malloc_and_free_count_blocks),
	TEST(test_mem_calloc_zeroes_and_counts),
	TEST(test_mem_zero_size_gives_a_counted_block),
	TEST(test_mem_realloc_keeps_count_and_contents),
	TEST(test_mem_realloc_of_null_allocates),
	TEST(test_mem_free_null_changes_nothing),
	TEST(test_mem_fail_after_one_fails_the_next),
	TEST(test_mem_fail_after_n_lets_earlier_ones_through),
	TEST(test_mem_every_later_allocation_fails_while_armed),
	TEST(test_mem_failures_hit_every_allocator),
	TEST(test_mem_failed_realloc_keeps_the_block),
	TEST(test_mem_free_does_not_count_towards_failure),
	TEST(test_mem_zero_disarms),
	TEST(test_mem_disarming_keeps_the_failure_count),
	TEST(test_mem_arming_resets_the_failure_count),
	TEST(test_mem_rearming_restarts_the_countdown),
};

TEST_MAIN(cases)
