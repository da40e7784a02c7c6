/*
 * The runner behind test.h: case selection, leak checks, OOM reruns.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "tandem/mem.h"
#include "test.h"

static int failures;

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: check failed: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures++;
}

bool test_slice_is(struct tnd_slice s, const char *expected)
{
	return tnd_slice_eq(s, tnd_slice_from_cstr(expected));
}

int test_each_prefix(const char *const *texts, size_t ntexts,
		     void (*fn)(struct tnd_slice text))
{
	for (size_t i = 0; i < ntexts; i++) {
		size_t len = strlen(texts[i]);

		for (size_t n = 1; n <= len; n++) {
			char *copy = tnd_malloc(n);

			if (!copy)
				return ENOMEM;
			memcpy(copy, texts[i], n);
			fn((struct tnd_slice){ copy, n });
			tnd_free(copy);
		}
	}
	return 0;
}

char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = tnd_malloc((size_t)size + 1);
		if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
			tnd_free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[size] = '\0';
			*len = (size_t)size;
		}
	}
	fclose(f);
	return buf;
}

static int run_once(const struct test_case *tc, int *rc)
{
	size_t before = tnd_mem_live_blocks();
	int start_failures = failures;

	*rc = tc->fn();
	tnd_mem_fail_after(0);
	if (tnd_mem_live_blocks() != before) {
		fprintf(stderr, "%s: leaked %zu block(s)\n", tc->name,
			tnd_mem_live_blocks() - before);
		failures++;
	}
	return failures == start_failures ? 0 : 1;
}

static int run_case(const struct test_case *tc)
{
	int rc;

	if (run_once(tc, &rc) || rc != 0) {
		fprintf(stderr, "FAIL %s (returned %d)\n", tc->name, rc);
		return 1;
	}
	if (!tc->oom) {
		printf("ok   %s\n", tc->name);
		return 0;
	}
	/* Fail the nth allocation, for n = 1, 2, ... until none is hit. */
	for (size_t n = 1;; n++) {
		size_t injected;

		tnd_mem_fail_after(n);
		if (run_once(tc, &rc)) {
			fprintf(stderr, "FAIL %s (allocation %zu failing)\n",
				tc->name, n);
			return 1;
		}
		injected = tnd_mem_failures_injected();
		tnd_mem_fail_after(0);
		if (injected == 0) {
			if (rc != 0) {
				fprintf(stderr, "FAIL %s returned %d\n",
					tc->name, rc);
				return 1;
			}
			printf("ok   %s (and %zu allocation failures)\n",
			       tc->name, n - 1);
			return 0;
		}
		if (rc != ENOMEM && rc != 0) {
			fprintf(
			    stderr,
			    "FAIL %s returned %d with allocation %zu failing\n",
			    tc->name, rc, n);
			return 1;
		}
	}
}

int test_main(int argc, char **argv, const struct test_case *cases,
	      size_t ncases)
{
	int bad = 0;

	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (size_t i = 0; i < ncases; i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	for (size_t i = 0; i < ncases; i++) {
		if (argc >= 2 && strcmp(argv[1], cases[i].name) != 0)
			continue;
		bad |= run_case(&cases[i]);
		if (argc >= 2)
			return bad;
	}
	if (argc >= 2 && !bad) {
		bool found = false;
		for (size_t i = 0; i < ncases; i++)
			found |= strcmp(argv[1], cases[i].name) == 0;
		if (!found) {
			fprintf(stderr, "no case named %s\n", argv[1]);
			return 2;
		}
	}
	return bad;
}
