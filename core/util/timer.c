/*
 * The timer facility of timer.h: an intrusive pairing heap of struct
 * tnd_timer ordered by (due_ms, seq), the monotonic clock, and the manual
 * clock tests drive. It owns nothing but the heap links inside the timers
 * scheduled on it: no call here allocates, so starting a timer never fails.
 *
 * Heap shape: each node points to its leftmost child, its right sibling
 * (`next`) and, through `prev`, to its left sibling or, for a leftmost
 * child, its parent. The root has neither `prev` nor `next`.
 *
 * A run fires the timers due by the time read when it starts and started
 * before it started (libuv's rule): a timer a callback starts, even with
 * delay 0, waits for the next run, so a callback restarting itself can
 * never hold the event loop. tnd_timers_advance steps the manual clock
 * through each due instant with one run per step; a timer restarting
 * itself with delay 0 keeps it at that instant, so tests must not.
 */
#include <assert.h>
#include <stddef.h>
#include <time.h>

#include "tandem/timer.h"

static bool fires_before(const struct tnd_timer *a, const struct tnd_timer *b)
{
	return a->due_ms < b->due_ms ||
	       (a->due_ms == b->due_ms && a->seq < b->seq);
}

/* Melds two detached heaps (no prev, no next); either may be NULL. */
static struct tnd_timer *meld(struct tnd_timer *a, struct tnd_timer *b)
{
	struct tnd_timer *tmp;

	if (!a)
		return b;
	if (!b)
		return a;
	if (fires_before(b, a)) {
		tmp = a;
		a = b;
		b = tmp;
	}
	b->prev = a;
	b->next = a->child;
	if (a->child)
		a->child->prev = b;
	a->child = b;
	return a;
}

/*
 * Melds a sibling list into one heap, two-pass: pair left to right, then
 * fold the pairs right to left. The second pass is what gives delete-min
 * its O(log n) amortized cost. Pairs are kept on a stack threaded through
 * `next`, so no memory is needed beyond the nodes themselves.
 */
static struct tnd_timer *merge_pairs(struct tnd_timer *first)
{
	struct tnd_timer *pairs = NULL, *root = NULL;

	while (first) {
		struct tnd_timer *a = first, *b = first->next, *pair;

		first = b ? b->next : NULL;
		a->prev = a->next = NULL;
		if (b)
			b->prev = b->next = NULL;
		pair = meld(a, b);
		pair->next = pairs;
		pairs = pair;
	}
	while (pairs) {
		struct tnd_timer *pair = pairs;

		pairs = pair->next;
		pair->next = NULL;
		root = meld(root, pair);
	}
	return root;
}

static void heap_remove(struct tnd_timers *timers, struct tnd_timer *timer)
{
	struct tnd_timer *rest;

	if (timer == timers->root) {
		timers->root = merge_pairs(timer->child);
	} else {
		/* Unlink from the sibling list; the rest of the heap is intact.
		 */
		if (timer->prev->child == timer)
			timer->prev->child = timer->next;
		else
			timer->prev->next = timer->next;
		if (timer->next)
			timer->next->prev = timer->prev;
		rest = merge_pairs(timer->child);
		timers->root = meld(timers->root, rest);
	}
	timer->child = timer->next = timer->prev = NULL;
	timer->active = false;
	timers->count--;
}

static uint64_t monotonic_now_ms(void *arg)
{
	struct timespec ts;

	(void)arg;
	/* Cannot fail with a valid clock id and pointer on Linux. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const struct tnd_clock tnd_clock_monotonic = { monotonic_now_ms, NULL };

static uint64_t manual_now_ms(void *arg)
{
	const struct tnd_timers *timers = arg;

	return timers->manual_now;
}

void tnd_timers_init(struct tnd_timers *timers, struct tnd_clock clock)
{
	*timers = (struct tnd_timers){ .clock = clock };
}

/*
 * The manual clock reads the facility it belongs to, so the struct must
 * not be copied once initialised: the copy would read the original.
 */
void tnd_timers_init_manual(struct tnd_timers *timers, uint64_t start_ms)
{
	tnd_timers_init(timers, (struct tnd_clock){ manual_now_ms, timers });
	timers->manual_now = start_ms;
}

uint64_t tnd_timers_now(const struct tnd_timers *timers)
{
	return timers->clock.now_ms(timers->clock.arg);
}

uint64_t tnd_timers_count(const struct tnd_timers *timers)
{
	return timers->count;
}

void tnd_timer_init(struct tnd_timer *timer)
{
	*timer = (struct tnd_timer){ 0 };
}

void tnd_timer_start(struct tnd_timers *timers, struct tnd_timer *timer,
		     uint64_t delay_ms, tnd_timer_fn fn, void *arg)
{
	uint64_t now;

	if (timer->active)
		heap_remove(timers, timer);
	now = tnd_timers_now(timers);
	/* Saturate: a delay of UINT64_MAX means "never", not "long ago". */
	timer->due_ms =
	    delay_ms > UINT64_MAX - now ? UINT64_MAX : now + delay_ms;
	timer->seq = timers->next_seq++;
	timer->fn = fn;
	timer->arg = arg;
	timer->child = timer->next = timer->prev = NULL;
	timer->active = true;
	timers->root = meld(timers->root, timer);
	timers->count++;
}

void tnd_timer_cancel(struct tnd_timers *timers, struct tnd_timer *timer)
{
	if (timer->active)
		heap_remove(timers, timer);
}

int64_t tnd_timers_next_delay(const struct tnd_timers *timers)
{
	uint64_t now, due;

	if (!timers->root)
		return -1;
	now = tnd_timers_now(timers);
	due = timers->root->due_ms;
	if (due <= now)
		return 0;
	return due - now > INT64_MAX ? INT64_MAX : (int64_t)(due - now);
}

uint64_t tnd_timers_run(struct tnd_timers *timers)
{
	uint64_t now = tnd_timers_now(timers), fired = 0;
	uint64_t started_before = timers->next_seq;
	struct tnd_timer *timer;

	/*
	 * The minimum is read afresh after every callback: the callback may
	 * have started, moved or cancelled any timer, or freed the one that
	 * just fired, which is why `timer` is not touched after fn returns.
	 * Timers started during the run are due no earlier than `now` and
	 * come after every older timer due by then, so meeting the first of
	 * them ends the run.
	 */
	while ((timer = timers->root) && timer->due_ms <= now &&
	       timer->seq < started_before) {
		heap_remove(timers, timer);
		timer->fn(timer, timer->arg);
		fired++;
	}
	return fired;
}

uint64_t tnd_timers_advance(struct tnd_timers *timers, uint64_t ms)
{
	uint64_t target, fired = 0;

	assert(timers->clock.now_ms == manual_now_ms &&
	       timers->clock.arg == timers);
	target = ms > UINT64_MAX - timers->manual_now ? UINT64_MAX
						      : timers->manual_now + ms;
	/*
	 * Step to each due instant in turn, so every callback reads its own
	 * due time; a timer a callback starts within the window is met by a
	 * later step. Overdue timers fire at the current time.
	 */
	while (timers->root && timers->root->due_ms <= target) {
		if (timers->root->due_ms > timers->manual_now)
			timers->manual_now = timers->root->due_ms;
		fired += tnd_timers_run(timers);
	}
	timers->manual_now = target;
	return fired;
}
