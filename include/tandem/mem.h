/*
 * Every allocation of the core goes through here, so tests can count live
 * blocks (leak checks after each case) and make the Nth allocation fail
 * (out-of-memory paths are exercised, not just written).
 */
#ifndef TANDEM_MEM_H
#define TANDEM_MEM_H

#include <stddef.h>

void *tnd_malloc(size_t size);
void *tnd_calloc(size_t n, size_t size);
void *tnd_realloc(void *ptr, size_t size);
void tnd_free(void *ptr);

/* Blocks allocated and not yet freed, process-wide. */
size_t tnd_mem_live_blocks(void);
/*
 * Make the allocation that comes `n` allocations from now fail (1 = the
 * next one), and every one after it while armed; 0 disarms. For tests only.
 */
void tnd_mem_fail_after(size_t n);
/* Allocations that failed on purpose since the last arming. */
size_t tnd_mem_failures_injected(void);

#endif
