/*
 * Peer monitoring: tandem sends OPTIONS to each configured peer URI every
 * interval, through RFC 3263 resolution and failover (txn_route), and
 * logs when a peer starts or stops answering, as Kamailio's dispatcher
 * and FreeSWITCH's gateway pings do. Each ping also keeps NAT bindings
 * and TCP connections towards the peer alive.
 */
#ifndef TANDEM_APP_PINGER_H
#define TANDEM_APP_PINGER_H

#include <stdbool.h>
#include <stdint.h>

#include "tandem/timer.h"
#include "tandem/txn_route.h"

struct pinger;

/* Starts pinging `uris` (n of them, copied) every interval_ms, the first
 * ping right away. Returns 0, EINVAL (a URI that does not parse), ENOMEM. */
int pinger_new(const struct txn_route_env *env, struct tnd_timers *timers,
	       const char *const *uris, size_t n, uint32_t interval_ms,
	       struct pinger **out);
void pinger_free(struct pinger *p);

/* How many pings to peer i were answered / failed, for tests and logs. */
uint64_t pinger_answered(const struct pinger *p, size_t i);
uint64_t pinger_failed(const struct pinger *p, size_t i);

#endif
