/*
 * The loop timer of loop_timer.h, and the net's kick on it.
 */
#include "loop_timer.h"
#include "net_int.h"

static void on_event(evutil_socket_t fd, short what, void *arg)
{
	struct net_loop_timer *lt = arg;

	(void)fd;
	(void)what;
	tnd_timers_run(lt->timers);
	net_loop_timer_kick(lt);
}

void net_loop_timer_init(struct net_loop_timer *lt, struct event_base *base,
			 struct tnd_timers *timers)
{
	lt->timers = timers;
	evtimer_assign(&lt->ev, base, on_event, lt);
}

/* The delay to the end of the slot the next due timer falls in. */
static int64_t slot_delay(const struct tnd_timers *timers, int64_t delay)
{
	uint64_t now = tnd_timers_now(timers), at = now + (uint64_t)delay;

	if (delay <= 0)
		return delay;
	at = (at + NET_LOOP_TIMER_SLOT_MS - 1) / NET_LOOP_TIMER_SLOT_MS *
	     NET_LOOP_TIMER_SLOT_MS;
	return (int64_t)(at - now);
}

void net_loop_timer_kick(struct net_loop_timer *lt)
{
	int64_t delay =
	    slot_delay(lt->timers, tnd_timers_next_delay(lt->timers));
	struct timeval tv;

	if (delay < 0) {
		evtimer_del(&lt->ev);
		return;
	}
	tv.tv_sec = (time_t)(delay / 1000);
	tv.tv_usec = (suseconds_t)(delay % 1000) * 1000;
	evtimer_add(&lt->ev, &tv);
}

void net_loop_timer_stop(struct net_loop_timer *lt)
{
	evtimer_del(&lt->ev);
}

void net_timers_kick(struct net *net)
{
	net_loop_timer_kick(&net->loop_timer);
}

void net_timers_run_due(struct net *net)
{
	if (tnd_timers_next_delay(net->timers) == 0)
		tnd_timers_run(net->timers);
	net_loop_timer_kick(&net->loop_timer);
}
