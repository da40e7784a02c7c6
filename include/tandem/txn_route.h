/*
 * Sending one request to a URI (RFC 3263 §4.3): resolve it, then try each
 * target in turn, every try a new client transaction with a new Via
 * branch over the target's transport, moving on when a try times out,
 * meets a transport error or is answered 503. A UDP request over 1300
 * bytes goes over TCP instead (RFC 3261 §18.1.1) unless the URI demands
 * UDP. Responses of the try that gets through are passed up.
 *
 * Ownership: the owner frees the route with txn_route_free, at any time,
 * its own callback included; a transaction still running is detached and
 * finishes its timers alone. The request given to txn_route_start is
 * copied: the route owns its copy.
 */
#ifndef TANDEM_TXN_ROUTE_H
#define TANDEM_TXN_ROUTE_H

#include "tandem/resolve.h"
#include "tandem/sip_msg.h"
#include "tandem/txn.h"

struct txn_route;

/*
 * Our own address for the Via of a request sent on `transport` to an
 * address of `family` (AF_INET, AF_INET6): host (IPv6 without brackets,
 * NUL-terminated in host[size]) and port. Returns 0 or an errno (no
 * listener for that transport: the target is skipped).
 */
typedef int (*txn_local_fn)(void *arg, enum net_transport transport, int family,
			    char *host, size_t size, uint16_t *port);

struct txn_route_env {
	struct txn_layer *layer;
	struct net_resolver *resolver;
	txn_local_fn local;
	void *local_arg;
};

enum txn_route_event_kind {
	TXN_ROUTE_RESPONSE, /* a response of the try that got through */
	TXN_ROUTE_FAILED,   /* no target answered: the last event */
};

struct txn_route_event {
	enum txn_route_event_kind kind;
	const struct sip_msg *msg; /* RESPONSE: borrowed for the call */
	/*
	 * FAILED: why the last try failed: ETIMEDOUT (no answer), a
	 * transport errno, EHOSTUNREACH (every target said 503), or the
	 * resolver's ENOENT, ETIMEDOUT, ECONNREFUSED...
	 */
	int error;
};

typedef void (*txn_route_fn)(struct txn_route *route,
			     const struct txn_route_event *ev, void *arg);

/*
 * Starts sending `req` (copied; its Via is replaced on every try) to
 * `next_hop` (borrowed for the call). Events come later, from the loop.
 * Returns 0, EINVAL (not a request, an ACK, or a URI the resolver
 * refuses), ENOMEM.
 */
int txn_route_start(const struct txn_route_env *env, const struct sip_msg *req,
		    const struct sip_uri *next_hop, txn_route_fn fn, void *arg,
		    struct txn_route **out);
/*
 * txn_route_start to one known peer (a flow: the address and connection a
 * dialog's requests came from), without resolving; a UDP flow is kept
 * whatever the size. Returns 0, EINVAL, ENOMEM, or the first send's
 * errno (then nothing was started and no event will come).
 */
int txn_route_start_peer(const struct txn_route_env *env,
			 const struct sip_msg *req, const struct net_peer *to,
			 txn_route_fn fn, void *arg, struct txn_route **out);
void txn_route_free(struct txn_route *route);

/*
 * Our URI for a Contact towards `to`: "sip:host:port", with
 * ";transport=tcp" or "tls" on streams. Returns 0 or an errno.
 */
int txn_route_local_uri(const struct txn_route_env *env,
			const struct net_peer *to, char *out, size_t size);

/*
 * Writes our address on `to`'s transport into `msg`: a new top Via (with
 * a fresh branch and rport) in place of the Via, and a Contact naming
 * SIP_UNSENT_HOST. For messages sent outside a route (the ACK of a 2xx).
 * Returns 0 or an errno (no listener for that transport, ENOMEM).
 */
int txn_route_stamp(const struct txn_route_env *env, struct sip_msg *msg,
		    const struct net_peer *to);

/* The client transaction of the current try, or NULL between tries. */
struct txn *txn_route_current(const struct txn_route *route);
/* How many targets were tried so far. */
size_t txn_route_tries(const struct txn_route *route);

#endif
