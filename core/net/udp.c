/*
 * UDP listeners: the socket and its read event (embedded in the
 * listener), reading datagrams into the net's buffer of max_message + 1
 * bytes, and sending from a listener's socket so that answers leave from
 * the address requests came to (RFC 3581 §4). A datagram larger than the
 * path allows is the resolver's business later (RFC 3261 §18.1.1).
 */
#define _GNU_SOURCE /* recvmmsg */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net_int.h"

/*
 * Reads what is queued in batches: one recvmmsg takes up to
 * NET_UDP_BATCH datagrams, and a batch that comes back short means the
 * queue is empty, so no read ends in EAGAIN. Then the timers the
 * messages made due (a call's events for its script, say) run before
 * the loop waits again, saving the wakeup each would cost.
 */
static void udp_on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct net_listener *l = arg;
	struct net *net = l->net;
	size_t size = net->cfg.limits.max_message + 1;
	struct mmsghdr msgs[NET_UDP_BATCH];
	struct iovec iov[NET_UDP_BATCH];
	struct net_peer src[NET_UDP_BATCH];
	int got;

	(void)what;
	for (int total = 0; total < NET_UDP_BURST; total += got) {
		for (int i = 0; i < NET_UDP_BATCH; i++) {
			src[i] = (struct net_peer){ .transport = NET_UDP,
						    .listener = l->id };
			iov[i] = (struct iovec){ net->dgram + (size_t)i * size,
						 size };
			msgs[i].msg_hdr = (struct msghdr){
				.msg_name = &src[i].addr,
				.msg_namelen = sizeof(src[i].addr),
				.msg_iov = &iov[i],
				.msg_iovlen = 1,
			};
		}
		got = recvmmsg(fd, msgs, NET_UDP_BATCH, MSG_DONTWAIT, NULL);
		if (got < 0) {
			if (errno == EINTR) {
				got = 1; /* counts against the burst */
				continue;
			}
			break; /* EAGAIN: drained; anything else: next time */
		}
		for (int i = 0; i < got; i++) {
			src[i].addrlen = msgs[i].msg_hdr.msg_namelen;
			net->stats.datagrams_in++;
			net->stats.bytes_in += msgs[i].msg_len;
			net_receive(net, iov[i].iov_base, msgs[i].msg_len,
				    &src[i]);
		}
		if (got < NET_UDP_BATCH)
			break;
	}
	net_timers_run_due(net);
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
