/*
 * Drives the timer facility from the event loop: the net owns one
 * libevent timer (net->timer_ev) armed for the facility's next due
 * instant. Every I/O callback of the net and every run re-arms it, so
 * tnd_timers_run happens on time and the loop never spins waiting. The
 * facility keeps the time (monotonic, or manual in tests); libevent only
 * says when to look.
 */
#include "net_int.h"

void net_timers_kick(struct net *net)
{
	int64_t delay = tnd_timers_next_delay(net->timers);
	struct timeval tv;

	if (delay < 0) {
		evtimer_del(&net->timer_ev);
		return;
	}
	tv.tv_sec = (time_t)(delay / 1000);
	tv.tv_usec = (suseconds_t)(delay % 1000) * 1000;
	evtimer_add(&net->timer_ev, &tv);
}

void net_loop_timers_on_event(evutil_socket_t fd, short what, void *arg)
{
	struct net *net = arg;

	(void)fd;
	(void)what;
	tnd_timers_run(net->timers);
	net_timers_kick(net);
}
