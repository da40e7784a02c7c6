/*
 * A peer as the transaction layer sees it: a transport, an address, and
 * for streams the connection a message came on. Plain data, no sockets:
 * core/net fills and reads it, the layers above only pass it around.
 */
#ifndef TANDEM_NET_PEER_H
#define TANDEM_NET_PEER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

enum net_transport {
	NET_UDP,
	NET_TCP,
	NET_TLS,
};

struct net_peer {
	enum net_transport transport;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	uint32_t listener; /* the local socket it came on / to send from */
	uint64_t conn;     /* stream connection id; 0: find or open one */
	/*
	 * Responses over a stream: the Via sent-by port to connect to at
	 * addr's IP when `conn` has closed (RFC 3261 §18.2.2); 0: none.
	 */
	uint16_t via_port;
};

/* Same family, address and port (and IPv6 scope). */
bool net_addr_eq(const struct sockaddr_storage *a,
		 const struct sockaddr_storage *b);

/* RFC 3261 §17: retransmissions and absorb windows only on unreliable. */
static inline bool net_transport_reliable(enum net_transport t)
{
	return t != NET_UDP;
}

#endif
