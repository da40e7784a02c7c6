/*
 * Counting allocator with failure injection. The counters are process-wide
 * on purpose: they describe the process's heap, which is process-wide too.
 * Atomics keep them right should a test ever allocate from two threads.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "tandem/mem.h"

static atomic_size_t live_blocks;
static atomic_size_t fail_countdown; /* 0 = disarmed */
static atomic_size_t failures_injected;

static int should_fail(void)
{
	size_t n = atomic_load(&fail_countdown);

	if (n == 0)
		return 0;
	if (n == 1) {
		atomic_fetch_add(&failures_injected, 1);
		return 1; /* stays armed at 1: every later call fails too */
	}
	atomic_store(&fail_countdown, n - 1);
	return 0;
}

void *tnd_malloc(size_t size)
{
	void *p;

	if (should_fail())
		return NULL;
	p = malloc(size ? size : 1);
	if (p)
		atomic_fetch_add(&live_blocks, 1);
	return p;
}

void *tnd_calloc(size_t n, size_t size)
{
	void *p;

	if (should_fail())
		return NULL;
	p = calloc(n ? n : 1, size ? size : 1);
	if (p)
		atomic_fetch_add(&live_blocks, 1);
	return p;
}

void *tnd_realloc(void *ptr, size_t size)
{
	void *p;

	if (!ptr)
		return tnd_malloc(size);
	if (should_fail())
		return NULL;
	p = realloc(ptr, size ? size : 1);
	return p;
}

void tnd_free(void *ptr)
{
	if (!ptr)
		return;
	atomic_fetch_sub(&live_blocks, 1);
	free(ptr);
}

size_t tnd_mem_live_blocks(void)
{
	return atomic_load(&live_blocks);
}

void tnd_mem_fail_after(size_t n)
{
	/*
	 * Only arming starts a new count: a test runner disarms first and
	 * then asks how many failures its run saw.
	 */
	if (n)
		atomic_store(&failures_injected, 0);
	atomic_store(&fail_countdown, n);
}

size_t tnd_mem_failures_injected(void)
{
	return atomic_load(&failures_injected);
}
