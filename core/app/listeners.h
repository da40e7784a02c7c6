/*
 * The listeners tandem opened, remembered with their transport and bound
 * address: what requests tandem originates put in their Via.
 */
#ifndef TANDEM_APP_LISTENERS_H
#define TANDEM_APP_LISTENERS_H

#include <netinet/in.h>
#include <stddef.h>

#include "options.h"
#include "tandem/net.h"

struct app_listener {
	uint32_t id;
	enum net_transport transport;
	struct sockaddr_storage addr;
	/* The address as text and its port, read once at open; an empty
	 * host for a wildcard address. */
	char host[INET6_ADDRSTRLEN];
	uint16_t port;
};

struct app_listeners {
	struct app_listener l[APP_MAX_LISTEN];
	size_t n;
};

/* Opens every --listen; 0, or the errno of the first that failed. */
int app_listeners_open(struct app_listeners *ls, struct net *net,
		       const struct app_options *opts);

/*
 * A txn_local_fn: the address of the first listener of `transport` and
 * `family`. A wildcard listener (0.0.0.0, ::) names no address a peer can
 * reach, so it does not count: EADDRNOTAVAIL.
 */
int app_listeners_local(void *arg, enum net_transport transport, int family,
			char *host, size_t size, uint16_t *port);

#endif
