/*
 * One stream connection's life: created on accept or for an outgoing
 * connect, indexed in the net's table, watched by one timer (connect
 * timeout while connecting or in a TLS handshake, idle timeout after),
 * closed for one reason. A connection owns its bufferevent (and through
 * BEV_OPT_CLOSE_ON_FREE its socket, and for TLS its SSL), its timer and
 * its TLS server name; net_conn_close frees all of it. TCP and TLS
 * differ only in the bufferevent (tls.c makes TLS's); reading and
 * framing are conn_read.c's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <netinet/tcp.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "tandem/log.h"
#include "tandem/mem.h"
#include "net_int.h"

static void conn_on_timer(struct tnd_timer *timer, void *arg)
{
	struct net_conn *conn = arg;

	(void)timer;
	if (conn->state == NET_CONN_CONNECTING)
		net_conn_close(conn, NET_CLOSE_CONNECT_FAILED, ETIMEDOUT);
	else if (conn->state == NET_CONN_ACCEPTING)
		net_conn_close(conn, NET_CLOSE_HANDSHAKE, ETIMEDOUT);
	else
		net_conn_close(conn, NET_CLOSE_IDLE, ETIMEDOUT);
}

void net_conn_touch(struct net_conn *conn)
{
	struct net *net = conn->net;
	/* A handshake gets no longer than a connect: it costs us more. */
	uint32_t ms = conn->state == NET_CONN_OPEN
			  ? net->cfg.idle_timeout_ms
			  : net->cfg.connect_timeout_ms;

	tnd_timer_start(net->timers, &conn->timer, ms, conn_on_timer, conn);
}

/* What the failed call left in errno, or `fallback` when it left none. */
static int socket_error(int fallback)
{
	int e = EVUTIL_SOCKET_ERROR();

	return e ? e : fallback;
}

static void conn_close(struct net_conn *conn, enum net_close_why why, int err,
		       const char *detail);

/* Connected; for TLS, the handshake done (and the server verified). */
static void conn_on_up(struct net_conn *conn)
{
	if (conn->state == NET_CONN_CONNECTING)
		conn->net->stats.conns_connected++;
	conn->state = NET_CONN_OPEN;
	net_conn_touch(conn);
}

/* TLS failed: in the handshake (either way), or on a bad record later. */
static void conn_on_tls_failed(struct net_conn *conn, const char *why)
{
	if (conn->state == NET_CONN_OPEN)
		conn_close(conn, NET_CLOSE_ERROR, EPROTO, why);
	else
		conn_close(conn, NET_CLOSE_HANDSHAKE, EPROTO, why);
}

/*
 * Why a connect failed. Under TLS a refused connect can read as an end
 * of stream, like a server that closed in the handshake: whether the
 * socket has a peer tells them apart.
 */
static int connect_error(struct bufferevent *bev, short what)
{
	int err = socket_error(ECONNREFUSED);
	evutil_socket_t fd = bufferevent_getfd(bev);
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if ((what & BEV_EVENT_EOF) &&
	    getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
		return ECONNRESET;
	return err;
}

static void conn_on_event(struct bufferevent *bev, short what, void *arg)
{
	struct net_conn *conn = arg;
	struct net *net = conn->net;
	char why[160];
	int err = 0;

	if (what & BEV_EVENT_CONNECTED) {
		conn_on_up(conn);
		net_timers_kick(net);
		return;
	}
	if (conn->peer.transport == NET_TLS)
		err = net_tls_error(bev, why, sizeof(why));
	if (err == EPROTO) {
		conn_on_tls_failed(conn, why);
	} else if (conn->state == NET_CONN_CONNECTING) {
		net_conn_close(conn, NET_CLOSE_CONNECT_FAILED,
			       err ? err : connect_error(bev, what));
	} else if (what & BEV_EVENT_EOF) {
		net_conn_close(conn, NET_CLOSE_REMOTE, ECONNRESET);
	} else if (what & BEV_EVENT_ERROR) {
		net_conn_close(conn, NET_CLOSE_ERROR,
			       err ? err : socket_error(EIO));
	}
	net_timers_kick(net);
}

/* Small messages go at once: Nagle would hold one behind another. */
static void conn_set_nodelay(evutil_socket_t fd)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/*
 * The bufferevent for fd, which it takes. A TLS one watches the socket
 * itself: its handshake starts once the connect completes.
 */
static int conn_bev_new(struct net *net, evutil_socket_t fd,
			const struct net_peer *peer, enum net_conn_state state,
			const char *tls_name, struct bufferevent **out)
{
	if (peer->transport == NET_TLS)
		return net_tls_bev_new(net, fd, state == NET_CONN_ACCEPTING,
				       tls_name, out);
	if (!(*out = bufferevent_socket_new(net->base, fd,
					    BEV_OPT_CLOSE_ON_FREE))) {
		evutil_closesocket(fd);
		return ENOMEM;
	}
	/* From here the bufferevent owns fd. */
	if (state == NET_CONN_CONNECTING &&
	    bufferevent_socket_connect(*out, NULL, 0)) {
		bufferevent_free(*out);
		return ENOMEM;
	}
	return 0;
}

static char *name_dup(const char *name)
{
	size_t len = strlen(name) + 1;
	char *copy = tnd_malloc(len);

	return copy ? memcpy(copy, name, len) : NULL;
}

int net_conn_new(struct net *net, evutil_socket_t fd,
		 const struct net_peer *peer, enum net_conn_state state,
		 const char *tls_name, struct net_conn **out)
{
	struct net_conn *conn = tnd_calloc(1, sizeof(*conn));
	int rc;

	if (!conn || (tls_name && !(conn->tls_name = name_dup(tls_name)))) {
		evutil_closesocket(fd);
		tnd_free(conn);
		return ENOMEM;
	}
	if ((rc = conn_bev_new(net, fd, peer, state, tls_name, &conn->bev))) {
		tnd_free(conn->tls_name);
		tnd_free(conn);
		return rc;
	}
	conn_set_nodelay(fd);
	conn->net = net;
	conn->id = ++net->last_conn_id;
	conn->state = state;
	conn->peer = *peer;
	conn->peer.addrlen = net_addr_len(&peer->addr);
	conn->peer.conn = conn->id;
	tnd_timer_init(&conn->timer);
	bufferevent_setcb(conn->bev, net_conn_on_read, NULL, conn_on_event,
			  conn);
	/* Reading pauses at the cap: a peer cannot make us buffer more. */
	bufferevent_setwatermark(conn->bev, EV_READ, 0,
				 net->cfg.max_conn_buffer);
	bufferevent_enable(conn->bev, EV_READ | EV_WRITE);
	net_conn_table_insert(&net->conns, conn);
	net_conn_touch(conn);
	*out = conn;
	return 0;
}

int net_conn_write(struct net_conn *conn, const char *data, size_t len)
{
	struct evbuffer *output = bufferevent_get_output(conn->bev);
	size_t queued = evbuffer_get_length(output);

	if (queued > conn->net->cfg.max_conn_buffer ||
	    len > conn->net->cfg.max_conn_buffer - queued)
		return ENOBUFS;
	if (evbuffer_add(output, data, len))
		return ENOMEM;
	conn->net->stats.bytes_out += len;
	if (conn->state == NET_CONN_OPEN)
		net_conn_touch(conn);
	return 0;
}

static const char *close_why_name(enum net_close_why why)
{
	switch (why) {
	case NET_CLOSE_SHUTDOWN: return "shutdown";
	case NET_CLOSE_REMOTE: return "closed by peer";
	case NET_CLOSE_IDLE: return "idle";
	case NET_CLOSE_CONNECT_FAILED: return "connect failed";
	case NET_CLOSE_ERROR: return "socket error";
	case NET_CLOSE_FRAMING: return "framing error";
	case NET_CLOSE_OVERFLOW: return "buffer overflow";
	case NET_CLOSE_HANDSHAKE: return "tls handshake failed";
	}
	return "?";
}

static void count_close(struct net_stats *s, enum net_close_why why,
			bool outgoing)
{
	switch (why) {
	case NET_CLOSE_SHUTDOWN: break;
	case NET_CLOSE_REMOTE: s->conns_closed_remote++; break;
	case NET_CLOSE_IDLE: s->conns_closed_idle++; break;
	case NET_CLOSE_CONNECT_FAILED: s->conns_connect_failed++; break;
	case NET_CLOSE_ERROR: s->conns_closed_error++; break;
	case NET_CLOSE_FRAMING: s->conns_closed_framing++; break;
	case NET_CLOSE_OVERFLOW: s->conns_closed_overflow++; break;
	case NET_CLOSE_HANDSHAKE:
		s->tls_handshakes_failed++;
		/* An outgoing connection that never came up. */
		if (outgoing)
			s->conns_connect_failed++;
		break;
	}
}

/* The one place a connection's end is decided, so the one log line. */
static void log_close(const struct net_conn *conn, enum net_close_why why,
		      int err, const char *detail)
{
	char ip[INET6_ADDRSTRLEN];

	if (why == NET_CLOSE_SHUTDOWN)
		return;
	net_addr_ip_print(&conn->peer.addr, ip, sizeof(ip));
	tnd_log_debug(
	    "net: %s connection %llu with %s port %u%s%s: %s (%s%s%s)",
	    conn->peer.transport == NET_TLS ? "tls" : "tcp",
	    (unsigned long long)conn->id, ip,
	    (unsigned)net_addr_port(&conn->peer.addr),
	    conn->tls_name ? " for " : "", conn->tls_name ? conn->tls_name : "",
	    close_why_name(why), strerror(err), detail ? ": " : "",
	    detail ? detail : "");
}

static void conn_close(struct net_conn *conn, enum net_close_why why, int err,
		       const char *detail)
{
	struct net *net = conn->net;
	struct net_peer peer = conn->peer;
	bool outgoing = conn->state == NET_CONN_CONNECTING;
	/* Bytes net_send took are lost: say so (net_error_fn). */
	bool lost = outgoing ||
		    evbuffer_get_length(bufferevent_get_output(conn->bev)) > 0;

	log_close(conn, why, err, detail);
	tnd_timer_cancel(net->timers, &conn->timer);
	net_conn_table_remove(&net->conns, conn);
	bufferevent_free(conn->bev);
	tnd_free(conn->tls_name);
	tnd_free(conn);
	count_close(&net->stats, why, outgoing);
	if (lost && why != NET_CLOSE_SHUTDOWN && net->on_error)
		net->on_error(net->error_arg, &peer, err);
}

void net_conn_close(struct net_conn *conn, enum net_close_why why, int err)
{
	conn_close(conn, why, err, NULL);
}
