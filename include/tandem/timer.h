/*
 * The one timer facility: every timeout in tandem (SIP transaction timers,
 * idle connections, media timeouts, script sleeps) is a struct tnd_timer
 * embedded in its owner and scheduled on a struct tnd_timers, which reads
 * time from an injectable clock. Production drives it from the event
 * loop with the monotonic clock; tests drive a manual clock and see every
 * timer fire at its exact instant, without sleeping.
 *
 * Timers live in an intrusive pairing heap: starting, cancelling and
 * firing never allocate, and cost O(1) to O(log n) amortized, so hundreds
 * of thousands of live timers are cheap.
 */
#ifndef TANDEM_TIMER_H
#define TANDEM_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct tnd_timer;
typedef void (*tnd_timer_fn)(struct tnd_timer *timer, void *arg);

/* Embed in the owner; zero it (or tnd_timer_init) before first use. */
struct tnd_timer {
	uint64_t due_ms;
	uint64_t seq; /* start order: equal due times fire first-in first-out */
	tnd_timer_fn fn;
	void *arg;
	/* Heap links, private; prev is the parent or the left sibling. */
	struct tnd_timer *child, *next, *prev;
	bool active;
};

/* Where time comes from: milliseconds on a clock that never goes back. */
struct tnd_clock {
	uint64_t (*now_ms)(void *arg);
	void *arg;
};
/* CLOCK_MONOTONIC. */
extern const struct tnd_clock tnd_clock_monotonic;

struct tnd_timers {
	struct tnd_clock clock;
	struct tnd_timer *root;
	uint64_t next_seq;
	uint64_t count;
	uint64_t manual_now; /* the manual clock's time, see below */
};

/* A facility reading `clock`. */
void tnd_timers_init(struct tnd_timers *timers, struct tnd_clock clock);
/*
 * A facility on a manual clock starting at `start_ms`, for tests. The
 * clock points into the struct: do not copy or move it afterwards.
 */
void tnd_timers_init_manual(struct tnd_timers *timers, uint64_t start_ms);
uint64_t tnd_timers_now(const struct tnd_timers *timers);
/* Live timers. */
uint64_t tnd_timers_count(const struct tnd_timers *timers);

void tnd_timer_init(struct tnd_timer *timer);
/*
 * (Re)starts `timer` to fire `delay_ms` from now with fn(timer, arg).
 * Never fails. A running timer is moved, not duplicated.
 */
void tnd_timer_start(struct tnd_timers *timers, struct tnd_timer *timer,
		     uint64_t delay_ms, tnd_timer_fn fn, void *arg);
/* Stops `timer` if it runs; harmless otherwise. */
void tnd_timer_cancel(struct tnd_timers *timers, struct tnd_timer *timer);
static inline bool tnd_timer_active(const struct tnd_timer *timer)
{
	return timer->active;
}

/*
 * Milliseconds until the next timer is due (0 when one is overdue), or
 * -1 when none runs: what the event loop waits for.
 */
int64_t tnd_timers_next_delay(const struct tnd_timers *timers);
/*
 * Fires every timer due by now and started before this run, earliest
 * first (equal due times in start order). A callback may start and cancel
 * timers, including its own, and may free its owner after cancelling the
 * owner's other timers; what it starts fires in a later run, however
 * short its delay. Returns how many fired.
 */
uint64_t tnd_timers_run(struct tnd_timers *timers);

/*
 * Manual clock only (tnd_timers_init_manual): moves time forward by `ms`,
 * stopping at each due timer's exact instant to fire it, so a callback
 * reads now == its due time. A timer started during the advance fires
 * within it when due by its end.
 */
uint64_t tnd_timers_advance(struct tnd_timers *timers, uint64_t ms);

#endif
