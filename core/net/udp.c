/*
 * UDP listeners: the socket and its read event (embedded in the
 * listener), reading datagrams into the net's buffer of max_message + 1
 * bytes, and sending from a listener's socket so that answers leave from
 * the address requests came to (RFC 3581 §4). A datagram larger than the
 * path allows is the resolver's business later (RFC 3261 §18.1.1).
 */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net_int.h"

static void udp_on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct net_listener *l = arg;
	struct net *net = l->net;

	(void)what;
	for (int i = 0; i < NET_UDP_BURST; i++) {
		struct net_peer src = { .transport = NET_UDP,
					.listener = l->id };
		socklen_t alen = sizeof(src.addr);
		ssize_t n =
		    recvfrom(fd, net->dgram, net->cfg.limits.max_message + 1, 0,
			     (struct sockaddr *)&src.addr, &alen);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			break; /* EAGAIN: drained; anything else: next time */
		}
		src.addrlen = alen;
		net->stats.datagrams_in++;
		net->stats.bytes_in += (uint64_t)n;
		net_receive(net, net->dgram, (size_t)n, &src);
	}
	net_timers_kick(net);
}

/*
 * One socket takes every datagram of every call: a burst must not
 * overflow its queue. The kernel caps the size at net.core.rmem_max and
 * wmem_max; failing to get it is not fatal.
 */
static void udp_size_buffers(int fd, uint32_t bytes)
{
	int size = (int)bytes;

	if (!bytes)
		return;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

int net_udp_open(struct net_listener *l)
{
	int rc;

	if ((rc = net_listener_bind(l, SOCK_DGRAM, &l->fd)))
		return rc;
	udp_size_buffers(l->fd, l->net->cfg.udp_buffer);
	if (event_assign(&l->ev, l->net->base, l->fd, EV_READ | EV_PERSIST,
			 udp_on_readable, l) ||
	    event_add(&l->ev, NULL)) {
		close(l->fd);
		l->fd = -1;
		return ENOMEM;
	}
	return 0;
}

void net_udp_close(struct net_listener *l)
{
	if (l->fd < 0)
		return;
	event_del(&l->ev);
	close(l->fd);
	l->fd = -1;
}

static int udp_pick_listener(struct net *net, const struct net_peer *to,
			     struct net_listener **out)
{
	struct net_listener *l;

	if (to->listener) {
		if (!(l = net_listener_find(net, to->listener)))
			return EADDRNOTAVAIL;
		if (l->transport != NET_UDP)
			return EINVAL;
		if (l->addr.ss_family != to->addr.ss_family)
			return EAFNOSUPPORT;
	} else if (!(l = net_listener_udp_for(net, to->addr.ss_family))) {
		return EADDRNOTAVAIL;
	}
	*out = l;
	return 0;
}

int net_udp_send(struct net *net, const struct net_peer *to, const char *data,
		 size_t len)
{
	socklen_t alen = net_addr_len(&to->addr);
	struct net_listener *l;
	ssize_t n;
	int rc;

	if (alen == 0)
		return EAFNOSUPPORT;
	if ((rc = udp_pick_listener(net, to, &l)))
		return rc;
	do {
		n = sendto(l->fd, data, len, 0,
			   (const struct sockaddr *)&to->addr, alen);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? ENOBUFS
							       : errno;
	net->stats.bytes_out += (uint64_t)n;
	return 0;
}
