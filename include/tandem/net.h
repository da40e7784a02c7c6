/*
 * The network layer: UDP and TCP listeners, stream connections, framing,
 * and the first steps of RFC 3261 §18 on every message that comes in
 * (received/rport of §18.2.1 and RFC 3581, where responses go by
 * §18.2.2). It runs on a libevent event_base the caller owns and drives
 * the one timer facility from that loop.
 *
 * Inbound, each datagram or stream frame is parsed and handed up through
 * a net_receive_fn, with a `from` peer that for a request already says
 * where its responses go. Outbound, net_send takes bytes and a peer: UDP
 * leaves from a listener's socket, TCP and TLS reuse an open connection
 * or open one. TLS (RFC 3261 §26.3.1) is a stream like TCP, with
 * OpenSSL underneath: see struct net_tls_config and net_send_tls.
 *
 * Ownership: the net owns its listeners, connections, libevent objects
 * and the timers it starts. Callbacks run from the event loop; none of
 * them may call net_free.
 */
#ifndef TANDEM_NET_H
#define TANDEM_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "tandem/net_peer.h"
#include "tandem/sip_msg.h"
#include "tandem/timer.h"

struct event_base;
struct net;

/*
 * TLS settings. The paths are borrowed: they must outlive the net, which
 * reads them when it first needs each context (the server's at the first
 * tls listener, the client's at the first outgoing TLS connection).
 */
struct net_tls_config {
	/*
	 * PEM: our certificate chain (ours first) and its private key, both
	 * or neither. A tls listener needs them; outgoing connections offer
	 * them when the server asks for a client certificate.
	 */
	const char *cert_file;
	const char *key_file;
	/* PEM CAs trusted for peers; NULL: OpenSSL's default paths. */
	const char *ca_file;
	/*
	 * Outgoing: the server's chain must lead to a trusted CA and name the
	 * host we connect to (true; RFC 5922 §7.2, see net_send_tls).
	 */
	bool verify_server;
	/* Incoming: a client certificate from a trusted CA required (false). */
	bool verify_client;
};

struct net_config {
	struct sip_limits limits; /* what the parser accepts, per message */
	size_t max_connections;   /* live stream connections, 1024 */
	/*
	 * Bytes buffered per connection, in or out, 262144. Keep it above
	 * limits.max_message, or whole messages will not fit.
	 */
	size_t max_conn_buffer;
	uint32_t idle_timeout_ms; /* stream connection without traffic */
	/* An outgoing connection, or a TLS handshake, not yet up. */
	uint32_t connect_timeout_ms;
	/* UDP socket buffers asked for (the kernel caps them), 4 MiB; 0:
	 * the system's default. */
	uint32_t udp_buffer;
	struct net_tls_config tls;
};
extern const struct net_config net_config_default;

/*
 * A message came in; the callee takes `msg_take`. For a request, `from`
 * is where its responses go (RFC 3261 §18.2.2, RFC 3581 §4), and the top
 * Via already carries received/rport; for a response it is the source.
 * from->conn is set for streams; from->listener names the socket it came
 * on (0 on a connection we opened).
 */
typedef void (*net_receive_fn)(void *arg, struct sip_msg *msg_take,
			       const struct net_peer *from);

/*
 * Something net_send accepted was lost: an outgoing connection failed
 * (refused, unreachable, timed out after connect_timeout_ms), or a
 * connection closed with bytes still queued. `to` is the connection's
 * peer: its transport, its remote address and its id in `conn`. One call
 * per connection covers every message queued on it, so the transaction
 * layer matches it against the transactions it sent to that address (or
 * that connection) and fails them (RFC 3261 §17.1.4, §18.4).
 */
typedef void (*net_error_fn)(void *arg, const struct net_peer *to, int err);

struct net_stats {
	uint64_t datagrams_in;  /* UDP datagrams read */
	uint64_t messages_in;   /* parsed messages handed up */
	uint64_t bad_answered;  /* malformed requests answered (400, 413) */
	uint64_t bad_dropped;   /* malformed messages dropped unanswered */
	uint64_t nomem_dropped; /* messages lost to an allocation failure */
	uint64_t keepalives_in; /* CRLF keep-alives seen (RFC 5626 §3.5.1) */
	uint64_t keepalives_answered; /* "\r\n\r\n" pings answered "\r\n" */
	uint64_t conns_accepted;
	uint64_t conns_refused;        /* beyond max_connections */
	uint64_t conns_connected;      /* outgoing connections that came up */
	uint64_t conns_connect_failed; /* refused, unreachable or timed out */
	uint64_t conns_closed_remote;  /* the peer closed */
	uint64_t conns_closed_idle;
	uint64_t conns_closed_error;    /* socket errors */
	uint64_t conns_closed_framing;  /* a stream that cannot be framed */
	uint64_t conns_closed_overflow; /* over max_conn_buffer */
	uint64_t conns_open;            /* live now */
	/* Either way; an outgoing one counts in conns_connect_failed too. */
	uint64_t tls_handshakes_failed;
	uint64_t bytes_in;
	uint64_t bytes_out; /* handed to the kernel (UDP) or queued (TCP) */
};

/*
 * A net on `base`, starting timers on `timers` (both borrowed: they must
 * outlive the net). `cfg` NULL means net_config_default. `fn` receives
 * every message. Returns 0, EINVAL or ENOMEM.
 */
int net_new(struct event_base *base, struct tnd_timers *timers,
	    const struct net_config *cfg, net_receive_fn fn, void *arg,
	    struct net **out);
/* Closes every listener and connection, silently, and frees the net. */
void net_free(struct net *net);

/*
 * Opens a listener on `spec`: "udp:127.0.0.1:5060", "tcp:[::1]:5060",
 * "tls:127.0.0.1:5061", "udp:0.0.0.0:0" (port 0: an ephemeral one, see
 * net_listener_address). Numeric IPv4 or bracketed IPv6 only. The same
 * address may be opened for UDP and for TCP. Listener ids start at 1 and
 * are never reused. Returns 0, EINVAL for a bad spec or, for "tls:", when
 * the certificate chain or key is not configured or does not load
 * (logged), ENOMEM, or the errno of socket, bind or listen.
 */
int net_listen(struct net *net, const char *spec, uint32_t *listener_out);
/* The address listener `listener` is bound to. Returns 0 or ENOENT. */
int net_listener_address(const struct net *net, uint32_t listener,
			 struct sockaddr_storage *addr, socklen_t *len);

/*
 * Sends one message to `to`; the bytes are copied.
 *
 * UDP: sendto from listener to->listener, or when that is 0 from the
 * first UDP listener of the address's family (RFC 3581 §4 wants answers
 * to leave from the socket the request came on: pass its `from` back).
 * Returns 0, EINVAL (listener not UDP), EADDRNOTAVAIL (no such socket),
 * EAFNOSUPPORT (family mismatch) or the errno of sendto (ENOBUFS when
 * the socket buffer is full).
 *
 * TCP: to->conn when set (ENOTCONN when that connection is gone; the
 * caller may then retry with conn 0, RFC 3261 §18.2.2); else an open
 * connection to to->addr (RFC 3261 §18.1.1, §18.2.2: reuse it); else a
 * new outgoing connection, the data queued until it is up. Returns 0
 * once the bytes are queued; ENOBUFS when that would put more than
 * max_conn_buffer bytes in the connection's output; EMFILE at
 * max_connections; the errno of socket/connect when a connection cannot
 * even be started. Whatever fails after 0 was returned is reported
 * through the net_error_fn.
 *
 * TLS: as TCP. A new connection is verified against to->addr's IP (the
 * certificate must carry it as an IP subjectAltName): a peer is all that
 * is known here. To reach a server by its host name, use net_send_tls.
 * Returns EINVAL, besides, when the client context cannot be made from
 * the configured files (logged).
 */
int net_send(struct net *net, const struct net_peer *to, const char *data,
	     size_t len);

/*
 * net_send to a TLS peer known by its host name (the SIP domain of RFC
 * 5922, the host of the URI being sent to): a new connection sends
 * `server_name` in SNI (RFC 6066 §3; not for an IP literal) and, with
 * verify_server, accepts only a certificate for it (RFC 5922 §7.1, §7.2:
 * a DNS subjectAltName, whole, no wildcards; an IP literal must be an IP
 * subjectAltName). Failing that, the handshake fails: net_error_fn gets
 * EPROTO, tls_handshakes_failed counts it. An open connection is reused
 * only if it was opened for the same name (case-insensitive): a
 * connection someone else opened to us proved no name. to->conn, when
 * set, is used as it is (a response, RFC 3261 §18.2.2). NULL
 * `server_name` is net_send; for UDP and TCP the name is ignored.
 * Returns what net_send does, and EINVAL for an empty name or one over
 * 253 bytes.
 */
int net_send_tls(struct net *net, const struct net_peer *to,
		 const char *server_name, const char *data, size_t len);

/* Sets (fn NULL: clears) the callback told of failures after net_send. */
void net_set_error_fn(struct net *net, net_error_fn fn, void *arg);

void net_stats(const struct net *net, struct net_stats *out);

/*
 * The net keeps one libevent timer armed for the timer facility's next
 * due instant, re-armed after each of its I/O callbacks and each run.
 * Call this after starting a tnd_timer outside those callbacks (at
 * startup, from another event source), so that it is waited for.
 */
void net_timers_kick(struct net *net);

#endif
