/*
 * Locating SIP servers (RFC 3263 §4): turns a SIP or SIPS URI into the
 * ordered list of (transport, address, port) targets to try, asking DNS
 * without blocking. A resolver runs on the caller's event_base and timer
 * facility beside the net; each lookup ends in exactly one callback with
 * the whole list, or an error, or is cancelled and never calls back.
 *
 * The list is the order RFC 3263 gives: NAPTR (RFC 3403) picks the
 * transports, SRV (RFC 2782) the servers by priority and weighted random
 * choice, A and AAAA their addresses. Failing over is the caller's job:
 * keep the list and walk it, moving to the next target when a request
 * to the current one times out, meets a transport error or is answered
 * 503 (RFC 3263 §4.3); see net_target_peer.
 *
 * Ownership: the resolver owns its DNS channel, sockets, events, timer
 * and the lookups in flight; a callback hands its list to the callee.
 */
#ifndef TANDEM_RESOLVE_H
#define TANDEM_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "tandem/net_peer.h"
#include "tandem/sip_uri.h"
#include "tandem/timer.h"

struct event_base;
struct net_resolver;
struct net_resolve;

/* Bits of net_resolver_config.transports. */
#define NET_RESOLVE_TRANSPORT(t) (1u << (t))

/* Which address records are asked for, and which come first. */
enum net_resolve_family {
	NET_RESOLVE_IPV4_FIRST, /* A then AAAA of each name (default) */
	NET_RESOLVE_IPV6_FIRST, /* AAAA then A */
	NET_RESOLVE_IPV4_ONLY,
	NET_RESOLVE_IPV6_ONLY,
};

/* Every field's zero value means its default: `{ 0 }` is a fine config. */
struct net_resolver_config {
	/*
	 * DNS servers, "127.0.0.1:5353,[::1]:53" (port optional, 53); NULL
	 * or "": the system's, from /etc/resolv.conf.
	 */
	const char *servers;
	/*
	 * How long the first try of a query waits for an answer, 2000; each
	 * later round over the servers waits twice as long as the one before.
	 */
	uint32_t timeout_ms;
	uint32_t tries; /* rounds over the servers per query, 2 (max 16) */
	/* Skips RFC 3263 §4.1's NAPTR step, which is on by default. */
	bool disable_naptr;
	/*
	 * Transports the caller can send on (NET_RESOLVE_TRANSPORT bits), 0:
	 * UDP, TCP and TLS. Services on the others are skipped (§4.1), and a
	 * URI that demands one fails with EPROTONOSUPPORT.
	 */
	unsigned transports;
	enum net_resolve_family family;
};

/* Limits that bound one lookup's work and answer. */
#define NET_RESOLVE_MAX_TARGETS 32 /* targets in one answer */
#define NET_RESOLVE_MAX_ADDRS   8  /* addresses kept per name and family */

struct net_target {
	enum net_transport transport;
	struct sockaddr_storage addr; /* the port set */
	socklen_t addrlen;
	/*
	 * The name this address came from (an SRV target, the URI's host or
	 * maddr), for logs; NUL-terminated, owned by the list. Not the name
	 * a TLS certificate must carry: that is the URI's domain (RFC 5922
	 * §4), which the caller already has.
	 */
	const char *name;
};

/* The targets in the order to try them; n >= 1, duplicates removed. */
struct net_targets {
	size_t n;
	struct net_target t[];
};

/*
 * The end of one lookup. On success err is 0 and the callee owns
 * `targets_take` (free it with net_targets_free); otherwise targets_take
 * is NULL and err says why:
 *   ENOENT        no such name, or no usable records (NXDOMAIN, NODATA,
 *                 an SRV target of ".")
 *   ETIMEDOUT     the DNS servers did not answer in time
 *   ECONNREFUSED  no DNS server would answer: each one's port was
 *                 closed, or it said SERVFAIL or REFUSED
 *   EIO           another DNS failure (a malformed answer)
 *   EINVAL        a name DNS cannot carry (too long, malformed)
 *   ENOMEM
 * The handle is gone when this runs: do not cancel it. The callback may
 * start and cancel other lookups but must not free the resolver.
 */
typedef void (*net_resolve_fn)(void *arg, int err,
			       struct net_targets *targets_take);

/*
 * A resolver on `base`, with its DNS timeouts scheduled on `timers` (both
 * borrowed: they must outlive the resolver). The timer facility must read
 * the real clock, since the DNS library keeps its own. `cfg` NULL means
 * all defaults. Returns 0, EINVAL (a bad servers string), ENOMEM, or EIO
 * when the DNS library cannot start (no usable resolv.conf).
 */
int net_resolver_new(struct event_base *base, struct tnd_timers *timers,
		     const struct net_resolver_config *cfg,
		     struct net_resolver **out);

/*
 * Stops every lookup in flight without calling its callback, so any
 * handle still held is invalid afterwards, and frees the resolver.
 * Must not be called from a resolver callback.
 */
void net_resolver_free(struct net_resolver *res);

/*
 * Starts resolving `uri` (sip: or sips:; borrowed only during this call)
 * per RFC 3263 §4:
 *   - TARGET is the maddr parameter when present, else the host;
 *   - transport: the transport parameter; TLS for sips (§4.1: TCP only);
 *     else NAPTR picks it; else the SRV answers do; else UDP for sip, TLS
 *     for sips;
 *   - a numeric TARGET needs no DNS; an explicit port skips NAPTR and
 *     SRV (A/AAAA only); a missing port is the SRV port, else 5060
 *     (5061 for TLS).
 * `fn` is called exactly once, later, from the event loop (never from
 * inside this call), unless the lookup is cancelled or the resolver
 * freed first. `*handle_out` (may be NULL) gets the handle for
 * net_resolve_cancel; it is valid until fn runs.
 * Returns 0, or without calling fn: EINVAL (not sip/sips, no host, a
 * bad maddr, sips with transport=udp), EPROTONOSUPPORT (transport=sctp,
 * ws or another this resolver cannot give, or one its config leaves
 * out), ENOMEM.
 */
int net_resolve_uri(struct net_resolver *res, const struct sip_uri *uri,
		    net_resolve_fn fn, void *arg,
		    struct net_resolve **handle_out);

/*
 * Cancels the lookup `handle`: its callback is never called. Queries
 * already sent finish in the background (the DNS library cannot take
 * back one query) and their answers are dropped. NULL is harmless.
 */
void net_resolve_cancel(struct net_resolve *handle);

/*
 * Lookups the resolver still holds, cancelled ones waiting for their
 * queries included: 0 when it is idle.
 */
size_t net_resolver_pending(const struct net_resolver *res);

/* Frees a list a callback handed over; NULL is harmless. */
void net_targets_free(struct net_targets *targets);

/*
 * The peer to send to for target `t`: its transport and address, no
 * listener (the net picks one of the address's family) and no connection
 * (the net reuses or opens one). Failover walks the list:
 *
 *   for (i = next; i < targets->n; i++) {
 *           net_target_peer(&targets->t[i], &peer);
 *           if (net_send(net, &peer, buf, len) == 0) break;
 *   }
 *
 * keeping `i` to resume from when that target times out, reports a
 * transport error or answers 503 (RFC 3263 §4.3: each try is a new
 * transaction, with a new Via branch).
 */
static inline void net_target_peer(const struct net_target *t,
				   struct net_peer *out)
{
	memset(out, 0, sizeof(*out));
	out->transport = t->transport;
	out->addr = t->addr;
	out->addrlen = t->addrlen;
}

#endif
