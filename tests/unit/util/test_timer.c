/*
 * The timer facility of util/timer.c: exact firing instants on the manual
 * clock, first-in first-out order for equal due times, cancel and restart
 * anywhere in the heap, callbacks that start, cancel, restart or free, the
 * wait the event loop is told, and a randomized run over 100k timers.
 * Only one case reads the real clock, and nothing sleeps.
 */
#include <stdint.h>

#include "tandem/mem.h"
#include "tandem/timer.h"
#include "test.h"

#define LOG_MAX 32

/* What fired, in order, and what the clock read when it did. */
struct fired_log {
	struct tnd_timers *timers;
	size_t n;
	int ids[LOG_MAX];
	uint64_t at[LOG_MAX];
	bool saw_active; /* a callback found its own timer still scheduled */
};

struct probe {
	struct tnd_timer timer;
	struct fired_log *log;
	int id;
};

static void on_probe(struct tnd_timer *timer, void *arg)
{
	struct probe *p = arg;
	struct fired_log *log = p->log;

	log->saw_active |= tnd_timer_active(timer);
	if (log->n < LOG_MAX) {
		log->ids[log->n] = p->id;
		log->at[log->n] = tnd_timers_now(log->timers);
	}
	log->n++;
}

static void probe_start(struct probe *p, struct fired_log *log, int id,
			uint64_t delay_ms)
{
	p->log = log;
	p->id = id;
	tnd_timer_start(log->timers, &p->timer, delay_ms, on_probe, p);
}

static bool log_ids_are(const struct fired_log *log, const int *ids, size_t n)
{
	if (log->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (log->ids[i] != ids[i])
			return false;
	return true;
}

/* The node whose prev link makes it a leftmost child, or NULL at the root. */
static const struct tnd_timer *parent_of(const struct tnd_timer *t)
{
	while (t->prev && t->prev->child != t)
		t = t->prev;
	return t->prev;
}

/*
 * Walks the heap without recursion: every node is active, fires no
 * earlier than its parent and is linked both ways, and the walk meets
 * exactly `count` nodes.
 */
static bool heap_is_sound(const struct tnd_timers *timers)
{
	const struct tnd_timer *parent = NULL, *t = timers->root;
	uint64_t n = 0;

	if (!t)
		return timers->count == 0;
	if (t->prev || t->next)
		return false;
	for (;;) {
		n++;
		if (!t->active || (parent && (t->due_ms < parent->due_ms ||
					      (t->due_ms == parent->due_ms &&
					       t->seq < parent->seq))))
			return false;
		if (t->child) {
			if (t->child->prev != t)
				return false;
			parent = t;
			t = t->child;
			continue;
		}
		while (!t->next) {
			if (!parent)
				return n == timers->count;
			t = parent;
			parent = parent_of(t);
		}
		if (t->next->prev != t)
			return false;
		t = t->next;
	}
}

static int test_timer_fires_at_its_exact_instant(void)
{
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct probe p;

	tnd_timers_init_manual(&timers, 1000);
	tnd_timer_init(&p.timer);
	probe_start(&p, &log, 1, 100);
	CHECK(tnd_timer_active(&p.timer));
	CHECK_INT(tnd_timers_advance(&timers, 250), 1);
	CHECK_INT(log.n, 1);
	CHECK_INT(log.at[0], 1100);
	CHECK(!log.saw_active);
	CHECK(!tnd_timer_active(&p.timer));
	CHECK_INT(tnd_timers_now(&timers), 1250);
	return 0;
}

static int test_timer_does_not_fire_before_due(void)
{
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct probe p = { 0 };

	tnd_timers_init_manual(&timers, 0);
	probe_start(&p, &log, 1, 100);
	CHECK_INT(tnd_timers_advance(&timers, 99), 0);
	CHECK_INT(tnd_timers_run(&timers), 0);
	CHECK(tnd_timer_active(&p.timer));
	CHECK_INT(tnd_timers_advance(&timers, 1), 1);
	CHECK_INT(log.at[0], 100);
	return 0;
}

/* The same due time reached by different delays from different starts. */
static int test_timer_equal_due_times_fire_in_start_order(void)
{
	static const int order[] = { 1, 2, 3, 4 };
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct probe p[4] = { 0 };

	tnd_timers_init_manual(&timers, 0);
	probe_start(&p[0], &log, 1, 50);
	probe_start(&p[1], &log, 2, 50);
	CHECK_INT(tnd_timers_advance(&timers, 20), 0);
	probe_start(&p[2], &log, 3, 30);
	CHECK_INT(tnd_timers_advance(&timers, 29), 0);
	probe_start(&p[3], &log, 4, 1);
	CHECK_INT(tnd_timers_advance(&timers, 1), 4);
	CHECK(log_ids_are(&log, order, 4));
	for (size_t i = 0; i < 4; i++)
		CHECK_INT(log.at[i], 50);
	return 0;
}

static int test_timer_cancel_before_due_never_fires(void)
{
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct probe p = { 0 };

	tnd_timers_init_manual(&timers, 0);
	probe_start(&p, &log, 1, 10);
	CHECK_INT(tnd_timers_advance(&timers, 9), 0);
	tnd_timer_cancel(&timers, &p.timer);
	CHECK(!tnd_timer_active(&p.timer));
	CHECK_INT(tnd_timers_count(&timers), 0);
	CHECK_INT(tnd_timers_advance(&timers, 1000), 0);
	CHECK_INT(log.n, 0);
	return 0;
}

static int test_timer_cancel_of_an_inactive_timer_is_harmless(void)
{
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct probe p = { 0 }, other = { 0 };

	tnd_timers_init_manual(&timers, 0);
	probe_start(&other, &log, 2, 20);
	tnd_timer_cancel(&timers, &p.timer); /* never started */
	probe_start(&p, &log, 1, 10);
	tnd_timer_cancel(&timers, &p.timer);
	tnd_timer_cancel(&timers, &p.timer); /* twice */
	CHECK_INT(tnd_timers_count(&timers), 1);
	CHECK_INT(tnd_timers_advance(&timers, 20), 1);
	tnd_timer_cancel(&timers, &other.timer); /* after it fired */
	CHECK_INT(tnd_timers_count(&timers), 0);
	CHECK(heap_is_sound(&timers));
	CHECK_INT(log.n, 1);
	CHECK_INT(log.ids[0], 2);
	return 0;
}

/*
 * Timers due at 1..8 (ids equal due times); firing the first pairs up
 * its children, which leaves a heap with depth: a root, inner nodes with
 * children and siblings, and leaves.
 */
static void start_eight_and_fire_one(struct tnd_timers *timers,
				     struct fired_log *log, struct probe *p)
{
	tnd_timers_init_manual(timers, 0);
	log->timers = timers;
	for (int i = 1; i <= 8; i++)
		probe_start(&p[i], log, i, (uint64_t)i);
	tnd_timers_advance(timers, 1);
	log->n = 0;
}

/* Fires the rest and checks they come in due order, `skipped` left out. */
static int fire_rest_in_order(struct tnd_timers *timers, struct fired_log *log,
			      int skipped)
{
	int want[8], n = 0;

	for (int i = 2; i <= 8; i++)
		if (i != skipped)
			want[n++] = i;
	CHECK(heap_is_sound(timers));
	CHECK_INT(tnd_timers_count(timers), n);
	CHECK_INT(tnd_timers_advance(timers, 100), n);
	CHECK(log_ids_are(log, want, (size_t)n));
	for (int i = 0; i < n; i++)
		CHECK_INT(log->at[i], want[i]);
	CHECK(timers->root == NULL);
	return 0;
}

static int test_timer_cancel_of_the_root_keeps_the_rest_in_order(void)
{
	struct tnd_timers timers;
	struct fired_log log = { 0 };
	struct probe p[9] = { 0 };

	start_eight_and_fire_one(&timers, &log, p);
	CHECK(timers.root == &p[2].timer);
	tnd_timer_cancel(&timers, &p[2].timer);
	return fire_rest_in_order(&timers, &log, 2);
}

static int test_timer_cancel_of_a_leaf_keeps_the_rest_in_order(void)
{
	struct tnd_timers timers;
	struct fired_log log = { 0 };
	struct probe p[9] = { 0 };
	int leaf = 0;

	start_eight_and_fire_one(&timers, &log, p);
	for (int i = 2; i <= 8 && !leaf; i++)
		if (!p[i].timer.child && parent_of(&p[i].timer) != timers.root)
			leaf = i;
	CHECK(leaf != 0); /* a leaf below the root's children exists */
	tnd_timer_cancel(&timers, &p[leaf].timer);
	return fire_rest_in_order(&timers, &log, leaf);
}

static int test_timer_cancel_of_a_middle_node_keeps_the_rest_in_order(void)
{
	struct tnd_timers timers;
	struct fired_log log = { 0 };
	struct probe p[9] = { 0 };
	int mid = 0;

	start_eight_and_fire_one(&timers, &log, p);
	for (int i = 2; i <= 8 && !mid; i++) {
		const struct tnd_timer *t = &p[i].timer;

		if (t->child && t->prev && t->next && t->prev->child != t)
			mid = i;
	}
	CHECK(mid != 0); /* has children and siblings on both sides */
	tnd_timer_cancel(&timers, &p[mid].timer);
	return fire_rest_in_order(&timers, &log, mid);
}

static int test_timer_restart_moves_it_earlier_or_later(void)
{
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct probe early = { 0 }, late = { 0 };

	tnd_timers_init_manual(&timers, 0);
	probe_start(&early, &log, 1, 100);
	probe_start(&late, &log, 2, 50);
	probe_start(&early, &log, 1, 30);
	probe_start(&late, &log, 2, 200);
	CHECK_INT(tnd_timers_count(&timers), 2);
	CHECK(heap_is_sound(&timers));
	CHECK_INT(tnd_timers_advance(&timers, 1000), 2);
	CHECK_INT(log.n, 2);
	CHECK_INT(log.ids[0], 1);
	CHECK_INT(log.at[0], 30);
	CHECK_INT(log.ids[1], 2);
	CHECK_INT(log.at[1], 200);
	return 0;
}

/* A restart goes to the back of its new instant's queue. */
static int test_timer_restart_counts_as_a_new_start_for_order(void)
{
	static const int order[] = { 2, 1 };
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct probe a = { 0 }, b = { 0 };

	tnd_timers_init_manual(&timers, 0);
	probe_start(&a, &log, 1, 10);
	probe_start(&b, &log, 2, 10);
	probe_start(&a, &log, 1, 10);
	CHECK_INT(tnd_timers_advance(&timers, 10), 2);
	CHECK(log_ids_are(&log, order, 2));
	return 0;
}

struct periodic {
	struct tnd_timers *timers;
	struct tnd_timer timer;
	uint64_t period, at[8];
	size_t n;
};

static void on_periodic(struct tnd_timer *timer, void *arg)
{
	struct periodic *pd = arg;

	if (pd->n < 8)
		pd->at[pd->n] = tnd_timers_now(pd->timers);
	pd->n++;
	tnd_timer_start(pd->timers, timer, pd->period, on_periodic, pd);
}

static int test_timer_callback_restarting_itself_fires_each_period(void)
{
	struct tnd_timers timers;
	struct periodic pd = { .timers = &timers, .period = 20 };

	tnd_timers_init_manual(&timers, 5);
	tnd_timer_start(&timers, &pd.timer, pd.period, on_periodic, &pd);
	CHECK_INT(tnd_timers_advance(&timers, 99), 4);
	CHECK_INT(tnd_timers_advance(&timers, 1), 1);
	CHECK_INT(pd.n, 5);
	for (size_t i = 0; i < 5; i++)
		CHECK_INT(pd.at[i], 5 + 20 * (i + 1));
	CHECK(tnd_timer_active(&pd.timer));
	CHECK_INT(tnd_timers_next_delay(&timers), 20);
	tnd_timer_cancel(&timers, &pd.timer);
	CHECK_INT(tnd_timers_count(&timers), 0);
	return 0;
}

struct canceller {
	struct probe probe;
	struct tnd_timer *victim;
};

static void on_cancel_victim(struct tnd_timer *timer, void *arg)
{
	struct canceller *c = arg;

	on_probe(timer, &c->probe);
	tnd_timer_cancel(c->probe.log->timers, c->victim);
}

static int test_timer_callback_cancelling_a_due_timer_prevents_it(void)
{
	static const int order[] = { 1, 3 };
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct canceller c = { .probe = { .log = &log, .id = 1 } };
	struct probe victim = { 0 }, bystander = { 0 };

	tnd_timers_init_manual(&timers, 0);
	tnd_timer_start(&timers, &c.probe.timer, 10, on_cancel_victim, &c);
	probe_start(&victim, &log, 2, 10);
	probe_start(&bystander, &log, 3, 10);
	c.victim = &victim.timer;
	CHECK_INT(tnd_timers_advance(&timers, 10), 2);
	CHECK(log_ids_are(&log, order, 2));
	CHECK(!tnd_timer_active(&victim.timer));
	CHECK_INT(tnd_timers_count(&timers), 0);
	return 0;
}

struct starter {
	struct probe probe;
	struct probe *started;
	uint64_t delay_ms;
};

static void on_start_another(struct tnd_timer *timer, void *arg)
{
	struct starter *s = arg;

	on_probe(timer, &s->probe);
	probe_start(s->started, s->probe.log, 3, s->delay_ms);
}

/*
 * A timer started with delay 0 during a run waits for the next run, at
 * the same instant: a callback can never keep a run going (libuv's rule).
 */
static int test_timer_callback_starting_a_zero_delay_timer_fires_next_run(void)
{
	static const int order[] = { 1, 2, 3 };
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct starter s = { .probe = { .log = &log, .id = 1 } };
	struct probe later = { 0 }, started = { 0 };

	tnd_timers_init_manual(&timers, 0);
	s.started = &started;
	tnd_timer_start(&timers, &s.probe.timer, 10, on_start_another, &s);
	probe_start(&later, &log, 2, 10);
	timers.manual_now = 10; /* move the clock without running */
	CHECK_INT(tnd_timers_run(&timers), 2);
	CHECK_INT(tnd_timers_next_delay(&timers), 0);
	CHECK_INT(tnd_timers_run(&timers), 1);
	CHECK(log_ids_are(&log, order, 3));
	for (size_t i = 0; i < 3; i++)
		CHECK_INT(log.at[i], 10);
	CHECK_INT(tnd_timers_count(&timers), 0);
	return 0;
}

/* One advance meets a timer a callback starts inside its window. */
static int test_timer_advance_fires_timers_started_by_callbacks(void)
{
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct starter s = { .probe = { .log = &log, .id = 1 }, .delay_ms = 5 };
	struct probe started = { 0 };

	tnd_timers_init_manual(&timers, 0);
	s.started = &started;
	tnd_timer_start(&timers, &s.probe.timer, 10, on_start_another, &s);
	CHECK_INT(tnd_timers_advance(&timers, 20), 2);
	CHECK_INT(log.n, 2);
	CHECK_INT(log.at[0], 10);
	CHECK_INT(log.ids[1], 3);
	CHECK_INT(log.at[1], 15);
	CHECK_INT(tnd_timers_now(&timers), 20);
	return 0;
}

/* A transaction-like owner: a retransmit timer and a timeout timer. */
struct owner {
	struct tnd_timers *timers;
	struct tnd_timer retransmit, timeout;
	int *retransmits, *freed;
};

static void owner_on_retransmit(struct tnd_timer *timer, void *arg)
{
	struct owner *o = arg;

	(*o->retransmits)++;
	tnd_timer_start(o->timers, timer, 10, owner_on_retransmit, o);
}

static void owner_on_timeout(struct tnd_timer *timer, void *arg)
{
	struct owner *o = arg;

	(void)timer;
	tnd_timer_cancel(o->timers, &o->retransmit);
	(*o->freed)++;
	tnd_free(o);
}

/*
 * At 40 both timers are due and the timeout comes first (the retransmit
 * was restarted later): freeing the owner there must keep its retransmit
 * from firing on freed memory, and the run must go on to other timers.
 */
static int test_timer_callback_may_free_its_owner(void)
{
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct probe after = { 0 };
	int retransmits = 0, freed = 0;
	struct owner *o = tnd_malloc(sizeof(*o));

	CHECK(o != NULL);
	*o = (struct owner){ .timers = &timers,
			     .retransmits = &retransmits,
			     .freed = &freed };
	tnd_timers_init_manual(&timers, 0);
	tnd_timer_start(&timers, &o->retransmit, 10, owner_on_retransmit, o);
	tnd_timer_start(&timers, &o->timeout, 40, owner_on_timeout, o);
	probe_start(&after, &log, 1, 40);
	CHECK_INT(tnd_timers_advance(&timers, 100), 3 + 1 + 1);
	CHECK_INT(retransmits, 3);
	CHECK_INT(freed, 1);
	CHECK_INT(log.n, 1);
	CHECK_INT(log.at[0], 40);
	CHECK_INT(tnd_timers_count(&timers), 0);
	return 0;
}

/* A clock the test sets, which can also tick on every read. */
struct fake_clock {
	uint64_t now, step;
};

static uint64_t fake_now(void *arg)
{
	struct fake_clock *c = arg;
	uint64_t t = c->now;

	c->now += c->step;
	return t;
}

static int test_timer_next_delay_is_the_wait_until_the_earliest(void)
{
	struct fake_clock clock = { .now = 500 };
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct probe a = { 0 }, b = { 0 };

	tnd_timers_init(&timers, (struct tnd_clock){ fake_now, &clock });
	CHECK_INT(tnd_timers_next_delay(&timers), -1);
	probe_start(&a, &log, 1, 30);
	probe_start(&b, &log, 2, 10);
	CHECK_INT(tnd_timers_next_delay(&timers), 10);
	clock.now = 509;
	CHECK_INT(tnd_timers_next_delay(&timers), 1);
	clock.now = 510;
	CHECK_INT(tnd_timers_next_delay(&timers), 0);
	clock.now = 525; /* overdue */
	CHECK_INT(tnd_timers_next_delay(&timers), 0);
	CHECK_INT(tnd_timers_run(&timers), 1);
	CHECK_INT(log.at[0], 525);
	CHECK_INT(tnd_timers_next_delay(&timers), 5);
	tnd_timer_cancel(&timers, &a.timer);
	CHECK_INT(tnd_timers_next_delay(&timers), -1);
	return 0;
}

/* A delay past the clock's end means never, not a wrapped-around past. */
static int test_timer_huge_delay_saturates_instead_of_wrapping(void)
{
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct probe p = { 0 };

	tnd_timers_init_manual(&timers, 1000);
	probe_start(&p, &log, 1, UINT64_MAX);
	CHECK_INT(tnd_timers_advance(&timers, 1000000), 0);
	CHECK_INT(tnd_timers_next_delay(&timers), INT64_MAX);
	tnd_timer_cancel(&timers, &p.timer);
	return 0;
}

static int test_timer_count_tracks_live_timers(void)
{
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct probe p[3] = { 0 };

	tnd_timers_init_manual(&timers, 0);
	CHECK_INT(tnd_timers_count(&timers), 0);
	for (int i = 0; i < 3; i++)
		probe_start(&p[i], &log, i, 10 * (uint64_t)(i + 1));
	CHECK_INT(tnd_timers_count(&timers), 3);
	probe_start(&p[0], &log, 0, 5); /* moved, not added */
	CHECK_INT(tnd_timers_count(&timers), 3);
	tnd_timer_cancel(&timers, &p[1].timer);
	tnd_timer_cancel(&timers, &p[1].timer);
	CHECK_INT(tnd_timers_count(&timers), 2);
	CHECK_INT(tnd_timers_advance(&timers, 5), 1);
	CHECK_INT(tnd_timers_count(&timers), 1);
	CHECK_INT(tnd_timers_advance(&timers, 25), 1);
	CHECK_INT(tnd_timers_count(&timers), 0);
	return 0;
}

struct chaser {
	struct tnd_timers *timers;
	struct tnd_timer timer;
	int fired;
};

static void on_chase(struct tnd_timer *timer, void *arg)
{
	struct chaser *ch = arg;

	/* Bounded so a broken run fails the check instead of hanging. */
	if (++ch->fired < 1000)
		tnd_timer_start(ch->timers, timer, 1, on_chase, ch);
}

/*
 * A run reads the clock once: a timer that keeps rescheduling itself
 * just ahead of a clock that moves on every read waits for the next run.
 */
static int test_timer_run_reads_the_clock_once(void)
{
	struct fake_clock clock = { .now = 0, .step = 1 };
	struct tnd_timers timers;
	struct chaser ch = { .timers = &timers };

	tnd_timers_init(&timers, (struct tnd_clock){ fake_now, &clock });
	tnd_timer_start(&timers, &ch.timer, 0, on_chase, &ch);
	CHECK_INT(tnd_timers_run(&timers), 1);
	CHECK_INT(ch.fired, 1);
	CHECK(tnd_timer_active(&ch.timer));
	tnd_timer_cancel(&timers, &ch.timer);
	return 0;
}

static int test_timer_monotonic_clock_fires_an_already_due_timer(void)
{
	struct tnd_timers timers;
	struct fired_log log = { .timers = &timers };
	struct probe due = { 0 }, hour = { 0 };
	uint64_t before;
	int64_t wait;

	tnd_timers_init(&timers, tnd_clock_monotonic);
	before = tnd_timers_now(&timers);
	probe_start(&due, &log, 1, 0);
	probe_start(&hour, &log, 2, 3600 * 1000);
	CHECK_INT(tnd_timers_run(&timers), 1);
	CHECK_INT(log.ids[0], 1);
	CHECK(log.at[0] >= before);
	CHECK(tnd_timers_now(&timers) >= log.at[0]);
	wait = tnd_timers_next_delay(&timers);
	CHECK(wait > 3500 * 1000 && wait <= 3600 * 1000);
	tnd_timer_cancel(&timers, &hour.timer);
	CHECK_INT(tnd_timers_next_delay(&timers), -1);
	return 0;
}

#define STRESS_TIMERS 100000
#define STRESS_ROUNDS 200

struct stress_timer {
	struct tnd_timer timer;
	struct stress *st;
	uint64_t due;
	unsigned fires;
	bool cancelled;
};

struct stress {
	struct tnd_timers timers;
	struct stress_timer *all;
	uint64_t rng, last_due, last_seq, fired;
	unsigned errors;
};

/* xorshift64: a fixed seed makes every run the same run. */
static uint64_t stress_rand(struct stress *st, uint64_t bound)
{
	st->rng ^= st->rng << 13;
	st->rng ^= st->rng >> 7;
	st->rng ^= st->rng << 17;
	return st->rng % bound;
}

static void on_stress(struct tnd_timer *timer, void *arg)
{
	struct stress_timer *s = arg;
	struct stress *st = s->st;
	uint64_t now = tnd_timers_now(&st->timers);

	if (now != s->due || s->cancelled || tnd_timer_active(timer))
		st->errors++;
	/* Firing order is (due, start order), never backwards. */
	if (st->fired && (s->due < st->last_due || (s->due == st->last_due &&
						    timer->seq < st->last_seq)))
		st->errors++;
	st->last_due = s->due;
	st->last_seq = timer->seq;
	st->fired++;
	s->fires++;
}

static void stress_start(struct stress *st, struct stress_timer *s)
{
	uint64_t delay = stress_rand(st, 100000);

	s->st = st;
	s->due = tnd_timers_now(&st->timers) + delay;
	s->fires = 0;
	s->cancelled = false;
	tnd_timer_start(&st->timers, &s->timer, delay, on_stress, s);
}

/* Cancel or restart random timers, fired or not. */
static void stress_shuffle(struct stress *st, unsigned ops)
{
	for (unsigned i = 0; i < ops; i++) {
		struct stress_timer *s =
		    &st->all[stress_rand(st, STRESS_TIMERS)];

		if (stress_rand(st, 3) == 0) {
			stress_start(st, s);
		} else if (tnd_timer_active(&s->timer)) {
			tnd_timer_cancel(&st->timers, &s->timer);
			s->cancelled = true;
		}
	}
}

static int test_timer_stress_random_starts_and_cancels(void)
{
	struct stress st = { .rng = 0x9e3779b97f4a7c15u };
	unsigned cancelled = 0;

	st.all = tnd_calloc(STRESS_TIMERS, sizeof(*st.all));
	CHECK(st.all != NULL);
	tnd_timers_init_manual(&st.timers, 0);
	for (size_t i = 0; i < STRESS_TIMERS; i++)
		stress_start(&st, &st.all[i]);
	CHECK_INT(tnd_timers_count(&st.timers), STRESS_TIMERS);
	for (unsigned round = 0; round < STRESS_ROUNDS; round++) {
		stress_shuffle(&st, 300);
		tnd_timers_advance(&st.timers, stress_rand(&st, 1000));
		if (round % 50 == 0 && !heap_is_sound(&st.timers))
			break;
	}
	CHECK(heap_is_sound(&st.timers));
	tnd_timers_advance(&st.timers, 1u << 20);
	CHECK_INT(st.errors, 0);
	CHECK(st.timers.root == NULL);
	CHECK_INT(tnd_timers_count(&st.timers), 0);
	CHECK_INT(tnd_timers_next_delay(&st.timers), -1);
	for (size_t i = 0; i < STRESS_TIMERS; i++) {
		const struct stress_timer *s = &st.all[i];

		cancelled += s->cancelled;
		if (s->fires != (s->cancelled ? 0u : 1u))
			st.errors++;
	}
	tnd_free(st.all);
	CHECK_INT(st.errors, 0);
	CHECK(cancelled > 1000); /* the cancels really happened */
	return 0;
}

static void on_restart_now(struct tnd_timer *timer, void *arg)
{
	struct tnd_timers *timers = arg;

	tnd_timer_start(timers, timer, 0, on_restart_now, timers);
}

/* A callback restarting itself with delay 0 cannot hold a run. */
static int test_timer_self_restart_at_zero_delay_ends_the_run(void)
{
	struct tnd_timers timers;
	struct tnd_timer timer;

	tnd_timers_init_manual(&timers, 0);
	tnd_timer_init(&timer);
	tnd_timer_start(&timers, &timer, 0, on_restart_now, &timers);
	CHECK_INT(tnd_timers_run(&timers), 1);
	CHECK_INT(tnd_timers_run(&timers), 1);
	CHECK(tnd_timer_active(&timer));
	tnd_timer_cancel(&timers, &timer);
	CHECK_INT(tnd_timers_count(&timers), 0);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_timer_fires_at_its_exact_instant),
	TEST(test_timer_does_not_fire_before_due),
	TEST(test_timer_equal_due_times_fire_in_start_order),
	TEST(test_timer_cancel_before_due_never_fires),
	TEST(test_timer_cancel_of_an_inactive_timer_is_harmless),
	TEST(test_timer_cancel_of_the_root_keeps_the_rest_in_order),
	TEST(test_timer_cancel_of_a_leaf_keeps_the_rest_in_order),
	TEST(test_timer_cancel_of_a_middle_node_keeps_the_rest_in_order),
	TEST(test_timer_restart_moves_it_earlier_or_later),
	TEST(test_timer_restart_counts_as_a_new_start_for_order),
	TEST(test_timer_callback_restarting_itself_fires_each_period),
	TEST(test_timer_callback_cancelling_a_due_timer_prevents_it),
	TEST(test_timer_callback_starting_a_zero_delay_timer_fires_next_run),
	TEST(test_timer_self_restart_at_zero_delay_ends_the_run),
	TEST(test_timer_advance_fires_timers_started_by_callbacks),
	TEST(test_timer_callback_may_free_its_owner),
	TEST(test_timer_next_delay_is_the_wait_until_the_earliest),
	TEST(test_timer_huge_delay_saturates_instead_of_wrapping),
	TEST(test_timer_count_tracks_live_timers),
	TEST(test_timer_run_reads_the_clock_once),
	TEST(test_timer_monotonic_clock_fires_an_already_due_timer),
	TEST(test_timer_stress_random_starts_and_cancels),
};

TEST_MAIN(cases)
