/*
 * Private to core/net: driving the timer facility from a libevent loop.
 * One libevent timer, armed for the facility's next due instant and
 * re-armed after every I/O callback and every run, so tnd_timers_run
 * happens on time and the loop never spins. The facility keeps the time
 * (monotonic, or manual in tests); libevent only says when to look. The
 * net and the resolver each embed one.
 */
#ifndef TANDEM_NET_LOOP_TIMER_H
#define TANDEM_NET_LOOP_TIMER_H

#include <event2/event.h>
#include <event2/event_struct.h>

#include "tandem/timer.h"

/*
 * Wake-ups land on multiples of this many milliseconds of the facility's
 * clock, so that timers due close together (the thousands of transaction
 * timers a busy server starts every second) share one wake-up instead of
 * one each. SIP's timers count in hundreds of milliseconds (T1 = 500) and
 * media and script timers in seconds: 10 ms late is nothing to them, and
 * a timer never fires early.
 */
#define NET_LOOP_TIMER_SLOT_MS 10

struct net_loop_timer {
	struct event ev;
	struct tnd_timers *timers;
};

void net_loop_timer_init(struct net_loop_timer *lt, struct event_base *base,
			 struct tnd_timers *timers);
/* Arms the event for the end of the slot of the facility's next due
 * timer (none: disarms; one already due: at once). */
void net_loop_timer_kick(struct net_loop_timer *lt);
void net_loop_timer_stop(struct net_loop_timer *lt);

#endif
