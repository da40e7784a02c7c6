/*
 * A small unit-test harness. Each case is a function returning 0 or an
 * errno; CHECK macros record failures with file and line. The runner
 * checks every case for leaked blocks (util/mem counts them), and cases
 * declared with TEST_OOM are rerun failing the 1st, 2nd, ... allocation:
 * they must return ENOMEM cleanly, without leaks, until they succeed.
 *
 *   static int test_via_parses_branch(void) { ...; CHECK(x == 1); return 0; }
 *   static const struct test_case cases[] = {
 *       TEST(test_via_parses_branch), TEST_OOM(test_msg_edit), };
 *   TEST_MAIN(cases)
 *
 * `prog --list` prints the case names (ctest registers each); `prog NAME`
 * runs one; `prog` runs all.
 */
#ifndef TANDEM_TEST_H
#define TANDEM_TEST_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "tandem/slice.h"

struct test_case {
	const char *name;
	int (*fn)(void);
	bool oom;
};

#define TEST(fn)               \
	{                      \
#fn, fn, false \
	}
#define TEST_OOM(fn)          \
	{                     \
#fn, fn, true \
	}
#define TEST_MAIN(cases)                                            \
	int main(int argc, char **argv)                             \
	{                                                           \
		return test_main(argc, argv, cases,                 \
				 sizeof(cases) / sizeof(cases[0])); \
	}

int test_main(int argc, char **argv, const struct test_case *cases,
	      size_t ncases);
void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool test_slice_is(struct tnd_slice s, const char *expected);
/*
 * Calls fn on every non-empty prefix of each text, each copied into a heap
 * block of exactly its length, so a read past a slice's end trips the
 * sanitizers. Returns 0, or ENOMEM.
 */
int test_each_prefix(const char *const *texts, size_t ntexts,
		     void (*fn)(struct tnd_slice text));
/* Reads a whole file; returns a util/mem buffer the caller frees, or NULL. */
char *test_read_file(const char *path, size_t *len);

#define CHECK(cond)                                                 \
	do {                                                        \
		if (!(cond)) {                                      \
			test_fail(__FILE__, __LINE__, "%s", #cond); \
			return EPROTO;                              \
		}                                                   \
	} while (0)

#define CHECK_INT(a, b)                                                        \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_) {                                                \
			test_fail(__FILE__, __LINE__, "%s == %lld, want %lld", \
				  #a, a_, b_);                                 \
			return EPROTO;                                         \
		}                                                              \
	} while (0)

#define CHECK_STR(slice, str)                                            \
	do {                                                             \
		struct tnd_slice s_ = (slice);                           \
		if (!test_slice_is(s_, (str))) {                         \
			test_fail(__FILE__, __LINE__,                    \
				  "%s is \"%.*s\", want \"%s\"", #slice, \
				  TND_SLICE_FMT(s_), (str));             \
			return EPROTO;                                   \
		}                                                        \
	} while (0)

/* In TEST_OOM cases: hand an injected ENOMEM back to the runner. */
#define CHECK_OK(expr)                                                       \
	do {                                                                 \
		int rc_ = (expr);                                            \
		if (rc_ == ENOMEM)                                           \
			return ENOMEM;                                       \
		if (rc_ != 0) {                                              \
			test_fail(__FILE__, __LINE__, "%s returned %d (%s)", \
				  #expr, rc_, strerror(rc_));                \
			return EPROTO;                                       \
		}                                                            \
	} while (0)

#define S(str) tnd_slice_from_cstr(str)

#endif
