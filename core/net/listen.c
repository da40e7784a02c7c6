/*
 * Listeners: net_listen parses a spec, hands the new listener to udp.c or
 * tcp.c to open its socket, and keeps it in the net's table of listeners
 * (index id - 1; ids are never reused, closed ones would leave NULL).
 * Also the lookups net_send needs: a listener by id, and the first UDP
 * listener of an address family.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "tandem/mem.h"
#include "net_int.h"

static int listeners_reserve(struct net *net)
{
	struct net_listener **grown;
	size_t cap = net->listeners_cap ? net->listeners_cap * 2 : 4;

	if (net->nlisteners < net->listeners_cap)
		return 0;
	if (net->nlisteners >= UINT32_MAX - 1)
		return ENFILE;
	if (!(grown = tnd_realloc(net->listeners, cap * sizeof(*grown))))
		return ENOMEM;
	net->listeners = grown;
	net->listeners_cap = cap;
	return 0;
}

int net_listener_bind(struct net_listener *l, int type, evutil_socket_t *fd_out)
{
	int one = 1, fd, rc = 0;

	fd = socket(l->addr.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	/*
	 * An IPv6 socket takes only IPv6, so that "[::]:5060" and
	 * "0.0.0.0:5060" can both be listened on. TCP rebinds its port at
	 * once after a restart, despite connections in TIME_WAIT.
	 */
	if ((l->addr.ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    (type == SOCK_STREAM &&
	     setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) ||
	    bind(fd, (struct sockaddr *)&l->addr, l->addrlen) ||
	    getsockname(fd, (struct sockaddr *)&l->addr, &l->addrlen))
		rc = errno;
	if (rc) {
		close(fd);
		return rc;
	}
	*fd_out = fd;
	return 0;
}

int net_listen(struct net *net, const char *spec, uint32_t *listener_out)
{
	struct net_listener *l;
	int rc;

	if ((rc = listeners_reserve(net)))
		return rc;
	if (!(l = tnd_calloc(1, sizeof(*l))))
		return ENOMEM;
	l->net = net;
	l->fd = -1;
	if ((rc = net_spec_parse(spec, &l->transport, &l->addr, &l->addrlen))) {
		tnd_free(l);
		return rc;
	}
	l->id = (uint32_t)net->nlisteners + 1;
	rc = l->transport == NET_UDP ? net_udp_open(l) : net_tcp_open(l);
	if (rc) {
		tnd_free(l);
		return rc;
	}
	net->listeners[net->nlisteners++] = l;
	if (listener_out)
		*listener_out = l->id;
	return 0;
}

struct net_listener *net_listener_find(const struct net *net, uint32_t id)
{
	if (id == 0 || id > net->nlisteners)
		return NULL;
	return net->listeners[id - 1];
}

int net_listener_address(const struct net *net, uint32_t listener,
			 struct sockaddr_storage *addr, socklen_t *len)
{
	const struct net_listener *l = net_listener_find(net, listener);

	if (!l)
		return ENOENT;
	*addr = l->addr;
	*len = l->addrlen;
	return 0;
}

struct net_listener *net_listener_udp_for(const struct net *net, int family)
{
	for (size_t i = 0; i < net->nlisteners; i++) {
		struct net_listener *l = net->listeners[i];

		if (l && l->transport == NET_UDP && l->addr.ss_family == family)
			return l;
	}
	return NULL;
}

void net_listeners_free(struct net *net)
{
	for (size_t i = 0; i < net->nlisteners; i++) {
		struct net_listener *l = net->listeners[i];

		if (!l)
			continue;
		if (l->transport == NET_UDP)
			net_udp_close(l);
		else
			net_tcp_close(l);
		tnd_free(l);
	}
	tnd_free(net->listeners);
	net->listeners = NULL;
	net->nlisteners = net->listeners_cap = 0;
}
