/*
 * The resolver object: a c-ares channel driven by the caller's libevent
 * loop, with no thread and no blocking call. c-ares says which sockets
 * it wants watched through its sock-state callback; each gets an event
 * that calls ares_process_fd. Its timeouts become one timer on the timer
 * facility, re-armed from ares_timeout() after anything that can move
 * them, and an event of our own wakes the loop for the facility's next
 * due timer, as the net's does (loop_timers.c).
 *
 * c-ares allocates through util/mem, so the leak counts of the tests
 * cover its blocks too. Its allocator and init count are process-wide:
 * tandem is the only user of c-ares in the process.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/rand.h"
#include "resolve_int.h"

struct resolve_sock {
	struct resolve_sock *next;
	ares_socket_t fd;
	struct event ev;
};

static void on_sock(evutil_socket_t fd, short what, void *arg)
{
	struct net_resolver *res = arg;

	/* c-ares may close this socket (and we free its event) inside. */
	ares_process_fd(res->channel, (what & EV_READ) ? fd : ARES_SOCKET_BAD,
			(what & EV_WRITE) ? fd : ARES_SOCKET_BAD);
	net_resolver_rearm(res);
}

/* c-ares opened a socket, changed what it waits for, or closed it. */
static void on_sock_state(void *data, ares_socket_t fd, int readable,
			  int writable)
{
	struct net_resolver *res = data;
	struct resolve_sock **link = &res->socks, *s;
	short what =
	    (short)((readable ? EV_READ : 0) | (writable ? EV_WRITE : 0));

	while (*link && (*link)->fd != fd)
		link = &(*link)->next;
	if ((s = *link)) {
		event_del(&s->ev);
		if (!what) {
			*link = s->next;
			tnd_free(s);
			return;
		}
	} else {
		/* Out of memory, the socket goes unwatched: its query times
		 * out through the timer instead. */
		if (!what || !(s = tnd_calloc(1, sizeof(*s))))
			return;
		s->fd = fd;
		s->next = res->socks;
		res->socks = s;
	}
	event_assign(&s->ev, res->base, fd, (short)(what | EV_PERSIST), on_sock,
		     res);
	event_add(&s->ev, NULL);
}

/* A query's time is up: c-ares retries it or fails it. */
static void on_ares_timer(struct tnd_timer *timer, void *arg)
{
	struct net_resolver *res = arg;

	(void)timer;
	ares_process_fd(res->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	net_resolver_rearm(res);
}

void net_resolver_rearm(struct net_resolver *res)
{
	struct timeval tv, *next;

	if (res->destroying)
		return;
	next = ares_timeout(res->channel, NULL, &tv);
	if (next) {
		/* Rounded up: waking early would only find nothing due. */
		uint64_t ms = (uint64_t)next->tv_sec * 1000 +
			      ((uint64_t)next->tv_usec + 999) / 1000;

		tnd_timer_start(res->timers, &res->ares_timer, ms,
				on_ares_timer, res);
	} else {
		tnd_timer_cancel(res->timers, &res->ares_timer);
	}
	net_loop_timer_kick(&res->loop_timer);
}

void net_resolver_query(struct net_resolver *res, const char *name, int type,
			struct resolve_query *q)
{
	q->type = type;
	q->lk->pending++;
	/* No search list: a SIP host is a fully qualified name (§4). */
	ares_query(res->channel, name, RESOLVE_CLASS_IN, type,
		   net_resolve_on_answer, q);
}

int net_resolver_errno(int status)
{
	switch (status) {
	case ARES_SUCCESS: return 0;
	case ARES_ENODATA: return ENODATA;
	case ARES_ENOTFOUND: return ENOENT;
	case ARES_ETIMEOUT: return ETIMEDOUT;
	/* Also what c-ares reports once every server said SERVFAIL or
	 * REFUSED: it moves on from those as from a closed port. */
	case ARES_ECONNREFUSED: return ECONNREFUSED;
	case ARES_ENOMEM: return ENOMEM;
	case ARES_EBADNAME: return EINVAL;
	case ARES_ECANCELLED:
	case ARES_EDESTRUCTION: return ECANCELED;
	default: return EIO; /* a malformed answer, FORMERR, ... */
	}
}

/* xorshift64*: weights spread load, they guard nothing (RFC 2782). */
uint32_t net_resolver_draw(void *arg, uint32_t bound)
{
	struct net_resolver *res = arg;
	uint64_t x = res->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	res->rng = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dull) % ((uint64_t)bound + 1));
}

void net_resolver_link(struct net_resolver *res, struct net_resolve *lk)
{
	lk->prev = NULL;
	lk->next = res->lookups;
	if (res->lookups)
		res->lookups->prev = lk;
	res->lookups = lk;
	res->nlookups++;
}

void net_resolver_unlink(struct net_resolver *res, struct net_resolve *lk)
{
	if (lk->prev)
		lk->prev->next = lk->next;
	else
		res->lookups = lk->next;
	if (lk->next)
		lk->next->prev = lk->prev;
	lk->prev = lk->next = NULL;
	res->nlookups--;
}

static void config_defaults(struct net_resolver_config *cfg)
{
	cfg->servers = NULL;
	if (!cfg->timeout_ms || cfg->timeout_ms > INT_MAX)
		cfg->timeout_ms =
		    cfg->timeout_ms ? INT_MAX : RESOLVE_TIMEOUT_MS;
	if (!cfg->tries || cfg->tries > 16)
		cfg->tries = cfg->tries ? 16 : RESOLVE_TRIES;
	if (!cfg->transports)
		cfg->transports = RESOLVE_TRANSPORTS_ALL;
}

static int channel_open(struct net_resolver *res, const char *servers)
{
	struct ares_options o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.timeout = (int)res->cfg.timeout_ms;
	o.tries = (int)res->cfg.tries;
	o.sock_state_cb = on_sock_state;
	o.sock_state_cb_data = res;
	rc = ares_init_options(&res->channel, &o,
			       ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
				   ARES_OPT_SOCK_STATE_CB);
	if (rc != ARES_SUCCESS)
		return rc == ARES_ENOMEM ? ENOMEM : EIO;
	if (servers && *servers &&
	    (rc = ares_set_servers_ports_csv(res->channel, servers))) {
		res->destroying = true;
		ares_destroy(res->channel);
		return rc == ARES_ENOMEM ? ENOMEM : EINVAL;
	}
	return 0;
}

int net_resolver_new(struct event_base *base, struct tnd_timers *timers,
		     const struct net_resolver_config *cfg,
		     struct net_resolver **out)
{
	static const struct net_resolver_config defaults;
	struct net_resolver *res;
	int rc;

	*out = NULL;
	if (!cfg)
		cfg = &defaults;
	if (!base || !timers || cfg->family > NET_RESOLVE_IPV6_ONLY ||
	    (cfg->transports & ~RESOLVE_TRANSPORTS_ALL))
		return EINVAL;
	if (!(res = tnd_calloc(1, sizeof(*res))))
		return ENOMEM;
	res->base = base;
	res->timers = timers;
	res->cfg = *cfg;
	config_defaults(&res->cfg);
	tnd_timer_init(&res->ares_timer);
	net_loop_timer_init(&res->loop_timer, base, timers);
	/* xorshift stays at 0 forever: never seed it with 0. */
	if ((rc = tnd_rand_u64(&res->rng)))
		goto out;
	res->rng |= !res->rng;
	/* c-ares counts its inits: each resolver holds one. */
	rc = ares_library_init_mem(ARES_LIB_INIT_ALL, tnd_malloc, tnd_free,
				   tnd_realloc);
	if (rc != ARES_SUCCESS) {
		rc = rc == ARES_ENOMEM ? ENOMEM : EIO;
		goto out;
	}
	if ((rc = channel_open(res, cfg->servers)))
		ares_library_cleanup();
out:
	if (rc) {
		tnd_free(res);
		return rc;
	}
	*out = res;
	return 0;
}

void net_resolver_free(struct net_resolver *res)
{
	struct resolve_sock *s;

	if (!res)
		return;
	/* Queries in flight end here (ARES_EDESTRUCTION), unanswered. */
	res->destroying = true;
	ares_destroy(res->channel);
	while (res->lookups) {
		struct net_resolve *lk = res->lookups;

		net_resolver_unlink(res, lk);
		net_resolve_destroy(lk);
	}
	while ((s = res->socks)) {
		res->socks = s->next;
		event_del(&s->ev);
		tnd_free(s);
	}
	tnd_timer_cancel(res->timers, &res->ares_timer);
	net_loop_timer_stop(&res->loop_timer);
	ares_library_cleanup();
	tnd_free(res);
}

size_t net_resolver_pending(const struct net_resolver *res)
{
	return res->nlookups;
}
