/*
 * TCP, and TLS over it: listening sockets (a libevent evconnlistener
 * each, owned by the listener), accepting within max_connections, and
 * sending: on a given connection, on an open one to the same address,
 * or on a new outgoing one (RFC 3261 §18.1.1, §18.2.2). The two differ
 * only in the bufferevent a connection gets and in the server name a
 * TLS connection is opened for (tls.c); connections themselves are
 * conn.c's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <event2/listener.h>

#include "net_int.h"

static void tcp_on_accept(struct evconnlistener *lev, evutil_socket_t fd,
			  struct sockaddr *sa, int salen, void *arg)
{
	struct net_listener *l = arg;
	struct net *net = l->net;
	struct net_peer peer = { .transport = l->transport, .listener = l->id };
	/* TLS comes up once its handshake is done (RFC 3261 §26.3.1). */
	enum net_conn_state state =
	    l->transport == NET_TLS ? NET_CONN_ACCEPTING : NET_CONN_OPEN;
	struct net_conn *conn;

	(void)lev;
	if (net->conns.count >= net->cfg.max_connections ||
	    (size_t)salen > sizeof(peer.addr)) {
		/* Refused at once: the cap is what bounds our sockets. */
		evutil_closesocket(fd);
		net->stats.conns_refused++;
		net_timers_kick(net);
		return;
	}
	memcpy(&peer.addr, sa, (size_t)salen);
	peer.addrlen = (socklen_t)salen;
	if (net_conn_new(net, fd, &peer, state, NULL, &conn) == 0)
		net->stats.conns_accepted++;
	else
		net->stats.conns_refused++;
	net_timers_kick(net);
}

static void tcp_on_accept_retry(struct tnd_timer *timer, void *arg)
{
	struct net_listener *l = arg;

	(void)timer;
	evconnlistener_enable(l->lev);
}

/*
 * accept failed (EMFILE, ENFILE, ENOBUFS): the pending connection stays
 * in the backlog and the socket stays readable, so pause the listener
 * for a moment instead of spinning on it.
 */
static void tcp_on_accept_error(struct evconnlistener *lev, void *arg)
{
	struct net_listener *l = arg;

	evconnlistener_disable(lev);
	tnd_timer_start(l->net->timers, &l->retry, NET_ACCEPT_RETRY_MS,
			tcp_on_accept_retry, l);
	net_timers_kick(l->net);
}

int net_tcp_open(struct net_listener *l)
{
	evutil_socket_t fd;
	int rc;

	if (l->transport == NET_TLS && (rc = net_tls_server_ready(l->net)))
		return rc;
	if ((rc = net_listener_bind(l, SOCK_STREAM, &fd)))
		return rc;
	if (listen(fd, SOMAXCONN)) {
		rc = errno;
		close(fd);
		return rc;
	}
	l->lev = evconnlistener_new(
	    l->net->base, tcp_on_accept, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd);
	if (!l->lev) {
		close(fd);
		return ENOMEM;
	}
	evconnlistener_set_error_cb(l->lev, tcp_on_accept_error);
	return 0;
}

void net_tcp_close(struct net_listener *l)
{
	tnd_timer_cancel(l->net->timers, &l->retry);
	if (l->lev)
		evconnlistener_free(l->lev);
	l->lev = NULL;
}

/*
 * Starts a connection to to->addr. The socket is ours to connect, so an
 * error known at once is returned here, never through a callback from
 * inside net_send; the bufferevent then waits for the outcome, and for
 * TLS goes on with the handshake.
 */
static int tcp_connect(struct net *net, const struct net_peer *to,
		       const char *tls_name, struct net_conn **out)
{
	struct net_peer peer = { .transport = to->transport, .addr = to->addr };
	socklen_t alen = net_addr_len(&to->addr);
	enum net_conn_state state = NET_CONN_OPEN;
	int fd, rc;

	if (alen == 0)
		return EAFNOSUPPORT;
	if (net->conns.count >= net->cfg.max_connections)
		return EMFILE;
	fd = socket(to->addr.ss_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (connect(fd, (const struct sockaddr *)&to->addr, alen)) {
		if (errno != EINPROGRESS) {
			rc = errno;
			close(fd);
			return rc;
		}
		state = NET_CONN_CONNECTING;
	}
	if (to->transport == NET_TLS)
		state = NET_CONN_CONNECTING;
	if ((rc = net_conn_new(net, fd, &peer, state, tls_name, out)))
		return rc;
	if (state == NET_CONN_OPEN)
		net->stats.conns_connected++;
	return 0;
}

/*
 * An open connection for `to`. A TLS connection asked for a name must
 * have been opened for that name: only then did the server prove it.
 */
static struct net_conn *tcp_find_open(struct net *net,
				      const struct net_peer *to,
				      const char *tls_name)
{
	if (to->transport == NET_TLS && tls_name)
		return net_conn_table_find_tls(&net->conns, &to->addr,
					       tls_name);
	return net_conn_table_find_addr(&net->conns, to->transport, &to->addr);
}

/*
 * Without a name, the server of a new TLS connection proves the IP we
 * connect to; the name is kept for reuse either way.
 */
static int tcp_open(struct net *net, const struct net_peer *to,
		    const char *tls_name, struct net_conn **out)
{
	char ip[INET6_ADDRSTRLEN];

	if (to->transport == NET_TLS && !tls_name) {
		net_addr_ip_print(&to->addr, ip, sizeof(ip));
		if (!ip[0])
			return EAFNOSUPPORT;
		tls_name = ip;
	}
	return tcp_connect(net, to, to->transport == NET_TLS ? tls_name : NULL,
			   out);
}

/*
 * RFC 3261 §18.2.2: the connection a request came on has closed; its
 * response goes on a connection to the received IP and the sent-by port.
 */
static int tcp_send_via(struct net *net, const struct net_peer *to,
			const char *tls_name, const char *data, size_t len)
{
	struct net_peer via = *to;

	if (!to->via_port)
		return ENOTCONN;
	via.conn = 0;
	via.via_port = 0;
	net_addr_set_port(&via.addr, to->via_port);
	return net_tcp_send(net, &via, tls_name, data, len);
}

int net_tcp_send(struct net *net, const struct net_peer *to,
		 const char *tls_name, const char *data, size_t len)
{
	struct net_conn *conn;
	int rc;

	if (to->conn) {
		conn = net_conn_table_find(&net->conns, to->conn);
		if (!conn || conn->peer.transport != to->transport)
			return tcp_send_via(net, to, tls_name, data, len);
	} else if (!(conn = tcp_find_open(net, to, tls_name))) {
		/* A message that cannot fit must not open a connection. */
		if (len > net->cfg.max_conn_buffer)
			return ENOBUFS;
		if ((rc = tcp_open(net, to, tls_name, &conn)))
			return rc;
	}
	return net_conn_write(conn, data, len);
}
