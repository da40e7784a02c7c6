/*
 * Private to core/net: the net, its listeners and connections, and the
 * functions its files share. One file per job: addr.c (addresses and
 * listen specs), listen.c (sockets), udp.c, tcp.c (accept, connect,
 * send, for TCP and TLS), tls.c (OpenSSL contexts and TLS bufferevents),
 * conn.c (a connection's life), conn_read.c (stream framing),
 * conn_table.c (finding connections), receive.c (parse and hand up),
 * via_rport.c (RFC 3581 and §18.2.2), loop_timers.c (the timer event).
 */
#ifndef TANDEM_NET_INT_H
#define TANDEM_NET_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#include "loop_timer.h"
#include "tandem/net.h"

struct bufferevent;
struct evconnlistener;
struct ssl_ctx_st;

/* Datagrams read per readable event, so one busy socket cannot starve. */
#define NET_UDP_BURST 64
/* Datagrams one recvmmsg takes at most. */
#define NET_UDP_BATCH 8
/* How long accepting pauses after accept() failed (EMFILE and such). */
#define NET_ACCEPT_RETRY_MS 100
/* RFC 3261 §18.2.2 / §19.1.2: the port when sent-by names none. */
#define NET_SIP_PORT  5060
#define NET_SIPS_PORT 5061
/* The longest host name (RFC 1035 §2.3.4, as text without a final dot). */
#define NET_TLS_NAME_MAX 253

struct net_listener {
	struct net *net;
	uint32_t id;
	enum net_transport transport;
	struct sockaddr_storage addr; /* bound, port 0 resolved */
	socklen_t addrlen;
	evutil_socket_t fd;         /* UDP; a TCP socket belongs to `lev` */
	struct event ev;            /* UDP: readable */
	struct evconnlistener *lev; /* TCP and TLS */
	struct tnd_timer retry;     /* TCP: accept paused after an error */
};

enum net_conn_state {
	NET_CONN_CONNECTING, /* outgoing: connect(), then TLS's handshake */
	NET_CONN_ACCEPTING,  /* incoming TLS: the handshake pending */
	NET_CONN_OPEN,
};

/* Why a connection closes: what is counted and what is reported. */
enum net_close_why {
	NET_CLOSE_SHUTDOWN, /* net_free: nothing counted or reported */
	NET_CLOSE_REMOTE,
	NET_CLOSE_IDLE,
	NET_CLOSE_CONNECT_FAILED,
	NET_CLOSE_ERROR,
	NET_CLOSE_FRAMING,
	NET_CLOSE_OVERFLOW,
	NET_CLOSE_HANDSHAKE, /* TLS: failed or timed out, either way */
};

struct net_conn {
	struct net *net;
	uint64_t id;
	enum net_conn_state state;
	struct net_peer peer; /* remote address; conn = id */
	struct bufferevent *bev;
	struct sip_frame_state frame;
	size_t in_counted;      /* input bytes already added to bytes_in */
	struct tnd_timer timer; /* connect timeout, then idle timeout */
	char *tls_name;         /* outgoing TLS: the name asked of the server */
	/* conn_table.c chains. */
	struct net_conn *next_by_id;
	struct net_conn *next_by_addr;
};

/* Two chained hash indexes over the live connections: id and address. */
struct net_conn_table {
	struct net_conn **by_id;
	struct net_conn **by_addr;
	size_t nbuckets; /* a power of two */
	size_t count;
	uint64_t seed; /* keys the address hash: peers choose addresses */
};

struct net {
	struct event_base *base;
	struct tnd_timers *timers;
	struct net_config cfg;
	net_receive_fn on_receive;
	void *receive_arg;
	net_error_fn on_error;
	void *error_arg;
	struct net_listener **listeners; /* index id - 1 */
	size_t nlisteners;
	size_t listeners_cap;
	struct net_conn_table conns;
	uint64_t last_conn_id; /* ids count up from 1, never reused */
	char *dgram; /* NET_UDP_BATCH buffers of limits.max_message + 1 bytes */
	struct net_loop_timer loop_timer; /* drives `timers` from the loop */
	struct net_stats stats;
	struct ssl_ctx_st *tls_server; /* made for the first tls listener */
	struct ssl_ctx_st *tls_client; /* made for the first TLS connect */
};

/* addr.c */
int net_spec_parse(const char *spec, enum net_transport *transport,
		   struct sockaddr_storage *addr, socklen_t *len);
socklen_t net_addr_len(const struct sockaddr_storage *addr);
uint64_t net_addr_hash(const struct sockaddr_storage *addr, uint64_t seed);
uint16_t net_addr_port(const struct sockaddr_storage *addr);
void net_addr_set_port(struct sockaddr_storage *addr, uint16_t port);
/* The IP as text (IPv6 without brackets) into buf[size]; "" if none. */
void net_addr_ip_print(const struct sockaddr_storage *addr, char *buf,
		       size_t size);
/* True when `host` is an IP literal naming the same IP as `addr`. */
bool net_addr_ip_is(const struct sockaddr_storage *addr, struct tnd_slice host);

/* listen.c */
/* A non-blocking socket of `type` bound to l->addr, which then holds the
 * bound address. Returns 0 or the errno of socket/setsockopt/bind. */
int net_listener_bind(struct net_listener *l, int type, evutil_socket_t *fd);
struct net_listener *net_listener_find(const struct net *net, uint32_t id);
struct net_listener *net_listener_udp_for(const struct net *net, int family);
void net_listeners_free(struct net *net);

/* udp.c */
/* loop_timers.c: runs the timers already due, then re-arms the timer
 * event (what an I/O callback does last). */
void net_timers_run_due(struct net *net);

int net_udp_open(struct net_listener *l);
void net_udp_close(struct net_listener *l);
int net_udp_send(struct net *net, const struct net_peer *to, const char *data,
		 size_t len);

/* tcp.c: TCP and TLS (to->transport says which); tls_name only for TLS. */
int net_tcp_open(struct net_listener *l);
void net_tcp_close(struct net_listener *l);
int net_tcp_send(struct net *net, const struct net_peer *to,
		 const char *tls_name, const char *data, size_t len);

/* tls.c */
/* The server context, made if need be. Returns 0, EINVAL (logged), ENOMEM. */
int net_tls_server_ready(struct net *net);
/*
 * A TLS bufferevent on fd, which it takes (closing it on failure):
 * accepting, or connecting to a server that must prove `name`. Returns 0,
 * ENOMEM, or EINVAL when the client context cannot be made (logged).
 */
int net_tls_bev_new(struct net *net, evutil_socket_t fd, bool accepting,
		    const char *name, struct bufferevent **out);
/*
 * After an error event, what OpenSSL recorded: EPROTO when TLS failed (a
 * handshake refused, a certificate not verified, a bad record), with
 * its reason in why[size]; the errno when the socket failed under it;
 * 0 when nothing was recorded.
 */
int net_tls_error(struct bufferevent *bev, char *why, size_t size);
void net_tls_free(struct net *net);

/* conn.c */
/*
 * Takes fd (an open socket, or one connecting), closing it on failure.
 * peer->transport says TCP or TLS; an outgoing TLS connection asks the
 * server to prove `tls_name`. Returns 0, ENOMEM, or EINVAL from
 * net_tls_bev_new.
 */
int net_conn_new(struct net *net, evutil_socket_t fd,
		 const struct net_peer *peer, enum net_conn_state state,
		 const char *tls_name, struct net_conn **out);
void net_conn_close(struct net_conn *conn, enum net_close_why why, int err);
/* Queues bytes, within max_conn_buffer. Returns 0 or ENOBUFS. */
int net_conn_write(struct net_conn *conn, const char *data, size_t len);
void net_conn_touch(struct net_conn *conn);

/* conn_read.c: the bufferevent read callback. */
void net_conn_on_read(struct bufferevent *bev, void *arg);

/* conn_table.c */
/* Allocates the first buckets. Returns 0 or ENOMEM. */
int net_conn_table_init(struct net_conn_table *t, uint64_t seed);
void net_conn_table_free(struct net_conn_table *t);
/* Never fails: when growing fails, the chains just get longer. */
void net_conn_table_insert(struct net_conn_table *t, struct net_conn *conn);
void net_conn_table_remove(struct net_conn_table *t, struct net_conn *conn);
struct net_conn *net_conn_table_find(const struct net_conn_table *t,
				     uint64_t id);
struct net_conn *net_conn_table_find_addr(const struct net_conn_table *t,
					  enum net_transport transport,
					  const struct sockaddr_storage *addr);
/* A TLS connection to addr that we opened for server name `name`. */
struct net_conn *net_conn_table_find_tls(const struct net_conn_table *t,
					 const struct sockaddr_storage *addr,
					 const char *name);
/* Any live connection, or NULL: for closing them all. */
struct net_conn *net_conn_table_any(const struct net_conn_table *t);

/* receive.c: one datagram or stream frame from `source`. */
void net_receive(struct net *net, const char *data, size_t len,
		 const struct net_peer *source);

/* via_rport.c */
int net_via_stamp(struct sip_msg *req, const struct net_peer *source);
void net_via_reply_peer(const struct sip_msg *req,
			const struct net_peer *source, struct net_peer *out);

#endif
