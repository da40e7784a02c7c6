/*
 * Private to the resolver (include/tandem/resolve.h). resolve.c owns the
 * resolver: the c-ares channel and its glue to libevent and the timer
 * facility. resolve_uri.c turns a URI into a plan and runs a lookup
 * through its phases (NAPTR, SRV, addresses) to the callback;
 * resolve_dns.c sends the queries and reads their answers;
 * resolve_order.c holds the pure parts: NAPTR choice (RFC 3403), SRV
 * order (RFC 2782) and the final list of targets.
 */
#ifndef TANDEM_RESOLVE_INT_H
#define TANDEM_RESOLVE_INT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include <ares.h>
#include <event2/event.h>
#include <event2/event_struct.h>

#include "loop_timer.h"
#include "tandem/resolve.h"

/* Record types and class, RFC 1035 §3.2.2, RFC 3596, 2782 and 3403. */
#define RESOLVE_CLASS_IN   1
#define RESOLVE_TYPE_A     1
#define RESOLVE_TYPE_AAAA  28
#define RESOLVE_TYPE_SRV   33
#define RESOLVE_TYPE_NAPTR 35

/* A domain name as text: 253 characters, a final dot, the NUL. */
#define RESOLVE_NAME_MAX 256
/* NAPTR records followed, SRV records kept per name, names resolved. */
#define RESOLVE_MAX_SERVICES 8
#define RESOLVE_MAX_SRV      16
#define RESOLVE_MAX_HOSTS    16
/* RFC 3261 §19.1.2: the default ports. */
#define RESOLVE_SIP_PORT  5060
#define RESOLVE_SIPS_PORT 5061

/* Defaults of net_resolver_config's zero fields. */
#define RESOLVE_TIMEOUT_MS 2000
#define RESOLVE_TRIES      2
#define RESOLVE_TRANSPORTS_ALL                                             \
	(NET_RESOLVE_TRANSPORT(NET_UDP) | NET_RESOLVE_TRANSPORT(NET_TCP) | \
	 NET_RESOLVE_TRANSPORT(NET_TLS))

struct net_resolve;

/* The arg of one c-ares query: who asked, and about what. */
struct resolve_query {
	struct net_resolve *lk;
	int type;
};

/* One SRV record (RFC 2782), its target copied out of the answer. */
struct resolve_srv_rec {
	uint16_t priority, weight, port;
	char target[RESOLVE_NAME_MAX];
};

/* An SRV name to ask, "_sip._tcp.example.com", and what it said. */
struct resolve_service {
	struct resolve_query q;
	enum net_transport transport;
	uint16_t preference; /* the NAPTR record's (RFC 3403 §4.1) */
	char name[RESOLVE_NAME_MAX];
	struct resolve_srv_rec *recs; /* ordered; util/mem */
	size_t nrecs;
	bool unavailable; /* answered with the target "." */
};

/* A name to turn into addresses, with the port and transport to use. */
struct resolve_host {
	struct resolve_query q4, q6;
	char name[RESOLVE_NAME_MAX];
	uint16_t port;
	enum net_transport transport;
	size_t same_as; /* an earlier host of the same name, or SIZE_MAX */
	struct in_addr v4[NET_RESOLVE_MAX_ADDRS];
	struct in6_addr v6[NET_RESOLVE_MAX_ADDRS];
	size_t n4, n6;
};

enum resolve_phase {
	RESOLVE_PHASE_NAPTR,
	RESOLVE_PHASE_SRV,
	RESOLVE_PHASE_ADDR,
	RESOLVE_PHASE_DONE, /* the answer waits in done_ev */
};

/* One lookup: the handle net_resolve_uri gives out. */
struct net_resolve {
	struct net_resolver *res;
	struct net_resolve *prev, *next; /* res->lookups */
	net_resolve_fn fn;               /* NULL once cancelled */
	void *arg;
	enum resolve_phase phase;
	size_t pending; /* queries in flight, +1 while a phase starts */
	int err;        /* the first DNS failure that was not "none" */
	bool sips;
	char target[RESOLVE_NAME_MAX]; /* RFC 3263 §4's TARGET */
	struct resolve_query naptr_q;
	struct resolve_service *services;
	size_t nservices;
	struct resolve_host *hosts;
	size_t nhosts;
	struct net_targets *result;
	struct event done_ev;
};

struct resolve_sock; /* resolve.c: one per c-ares socket */

struct net_resolver {
	struct event_base *base;
	struct tnd_timers *timers;
	struct net_resolver_config cfg; /* servers not kept */
	ares_channel channel;
	struct resolve_sock *socks;
	struct tnd_timer ares_timer;      /* c-ares's next timeout */
	struct net_loop_timer loop_timer; /* wakes the loop for `timers` */
	struct net_resolve *lookups;      /* cancelled ones included */
	size_t nlookups;
	uint64_t rng; /* SRV weights only: not a secret */
	bool destroying;
};

/* resolve.c */
/*
 * Sends one query for `lk`, counted in lk->pending; the answer (or a
 * failure, maybe at once) comes to net_resolve_on_answer.
 */
void net_resolver_query(struct net_resolver *res, const char *name, int type,
			struct resolve_query *q);
/* Re-arms the c-ares timeout timer and the loop's wake-up. */
void net_resolver_rearm(struct net_resolver *res);
/* A c-ares status as an errno; ENODATA for "no records of that type". */
int net_resolver_errno(int status);
/* A uniform draw in [0, bound] for SRV weights; `arg` is the resolver. */
uint32_t net_resolver_draw(void *arg, uint32_t bound);
void net_resolver_link(struct net_resolver *res, struct net_resolve *lk);
void net_resolver_unlink(struct net_resolver *res, struct net_resolve *lk);

/* resolve_uri.c */
/* A query of lk's phase has ended: starts the next phase when none is
 * left, or frees a cancelled lookup. */
void net_resolve_settle(struct net_resolve *lk);
/* Frees a lookup with nothing in flight, unlinked (or never linked). */
void net_resolve_destroy(struct net_resolve *lk);

/* resolve_dns.c */
void net_resolve_on_answer(void *arg, int status, int timeouts,
			   unsigned char *abuf, int alen);
/* Starts the phases' queries; each ends in net_resolve_settle. */
void net_resolve_ask_naptr(struct net_resolve *lk);
void net_resolve_ask_srv(struct net_resolve *lk);
void net_resolve_ask_addrs(struct net_resolve *lk);

/* resolve_order.c */
/* True for the soft failures: no such name, or no records of the type. */
static inline bool net_resolve_err_is_none(int err)
{
	return err == ENOENT || err == ENODATA;
}
/*
 * RFC 3263 §4.1 and RFC 3403 §4: the usable NAPTR records (flag "s",
 * services SIP+D2U, SIP+D2T, SIPS+D2T as the URI and `transports`
 * allow) of the lowest order, by preference, into out[max]. Returns how
 * many.
 */
size_t net_naptr_pick(const struct ares_naptr_reply *list, bool sips,
		      unsigned transports, struct resolve_service *out,
		      size_t max);
/*
 * RFC 2782 order: by priority, and within one priority by weighted
 * random choice, weight 0 first in line. draw(arg, bound) returns a
 * uniform number in [0, bound].
 */
void net_srv_order(struct resolve_srv_rec *recs, size_t n,
		   uint32_t (*draw)(void *arg, uint32_t bound), void *arg);
/*
 * The targets of lk's hosts, in order, in the family order of `family`,
 * without repeating a transport and address. Returns 0, ENOENT when
 * there are none, or ENOMEM.
 */
int net_targets_build(const struct net_resolve *lk,
		      enum net_resolve_family family, struct net_targets **out);

#endif
