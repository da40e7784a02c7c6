/*
 * The RFC 3261 §17 transaction layer, with the RFC 6026 corrections: the
 * four machines (INVITE and non-INVITE, client and server), their timers
 * A to M on one timer facility, and the table that matches requests,
 * ACKs, CANCELs and responses to them in O(1).
 *
 * The layer below hands every parsed message to txn_layer_receive; the
 * layer above (the TU) gets new requests through its on_request hook and
 * the events of each transaction through the handler it sets. Bytes go
 * out through a send function, so tests put a fake in its place.
 *
 * Ownership: the layer owns every transaction. The TU borrows a
 * `struct txn *` until the TXN_EV_TERMINATED event for it, after which the
 * pointer is invalid; a TU that goes away first calls txn_set_handler(t,
 * NULL, NULL) and the transaction finishes its RFC timers alone.
 */
#ifndef TANDEM_TXN_H
#define TANDEM_TXN_H

#include <stdint.h>

#include "tandem/net_peer.h"
#include "tandem/sip_msg.h"
#include "tandem/timer.h"

struct txn_config {
	uint32_t t1_ms; /* RTT estimate, 500 */
	uint32_t t2_ms; /* cap on non-INVITE and response retransmits, 4000 */
	uint32_t t4_ms; /* longest a message stays in the network, 5000 */
	uint32_t trying_ms; /* IST: send 100 if the TU has not answered, 200 */
	/*
	 * Live server transactions at most, 1000000 (about 3.5 KB each, for
	 * up to 64*T1): past it, new requests are answered 503 with
	 * Retry-After statelessly, so a flood cannot take all memory.
	 */
	uint32_t max_server_txns;
};
extern const struct txn_config txn_config_default;

/*
 * Sends `len` bytes to `to`. Returns 0, or an errno: a transport error.
 * send_named (optional) is send for a request to a TLS peer known by a
 * host name, which the transport must verify (RFC 5922); without it,
 * such sends go through send.
 */
struct txn_io {
	int (*send)(void *arg, const struct net_peer *to, const char *data,
		    size_t len);
	void *arg;
	int (*send_named)(void *arg, const struct net_peer *to,
			  const char *name, const char *data, size_t len);
};

struct txn;
struct txn_layer;

enum txn_kind { TXN_ICT, TXN_NICT, TXN_IST, TXN_NIST };

enum txn_event_kind {
	TXN_EV_RESPONSE,        /* client: a response to pass up (incl. 2xx
				   retransmissions in the Accepted state) */
	TXN_EV_TIMEOUT,         /* client: Timer B or F; IST: Timer H, no ACK */
	TXN_EV_TRANSPORT_ERROR, /* a send failed; the transaction ends */
	TXN_EV_TERMINATED,      /* the last event: then the txn is freed */
};

struct txn_event {
	enum txn_event_kind kind;
	const struct sip_msg *msg; /* TXN_EV_RESPONSE: borrowed for the call */
	int error;                 /* TXN_EV_TRANSPORT_ERROR: the errno */
};

typedef void (*txn_event_fn)(struct txn *t, const struct txn_event *ev,
			     void *arg);

struct txn_tu {
	/*
	 * A request no transaction absorbed. `st` is its new server
	 * transaction, or NULL for an ACK that matched none (the ACK of a
	 * 2xx, which belongs to the dialog, or a stray). `req` stays valid
	 * until `st` has sent its final response and the layer has taken
	 * its next message (txn_request); an ACK only for the call.
	 * `from` is where responses go (RFC 3261 §18.2.2, RFC 3581).
	 */
	void (*on_request)(void *arg, struct txn *st, const struct sip_msg *req,
			   const struct net_peer *from);
	void *arg;
};

struct txn_stats {
	uint64_t live[4];                  /* by enum txn_kind */
	uint64_t retransmissions_absorbed; /* requests and responses */
	uint64_t stray_responses;          /* matched no client transaction */
	uint64_t stray_acks;               /* passed up with st == NULL */
	uint64_t overload_refused;         /* answered 503: max_server_txns */
};

int txn_layer_new(const struct txn_config *config, struct tnd_timers *timers,
		  struct txn_io io, struct txn_tu tu, struct txn_layer **out);
/* Frees every transaction, without events: for shutdown. */
void txn_layer_free(struct txn_layer *layer);
void txn_layer_stats(const struct txn_layer *layer, struct txn_stats *out);

/*
 * A message from the network, parsed; the layer takes it. `from` is its
 * source (for a request, where the answers go).
 */
void txn_layer_receive(struct txn_layer *layer, struct sip_msg *msg_take,
		       const struct net_peer *from);

/*
 * Starts a client transaction for `req_take` (INVITE: ICT; any other
 * method but ACK: NICT), sending it to `to`. The top Via must carry an
 * RFC 3261 branch (z9hG4bK...). Returns 0, EINVAL, ENOMEM, or a send's
 * errno (then nothing was started and req_take was freed).
 */
int txn_client_start(struct txn_layer *layer, struct sip_msg *req_take,
		     const struct net_peer *to, txn_event_fn fn, void *arg,
		     struct txn **out);
/*
 * txn_client_start to a peer known by host name `name` (copied; NULL
 * for none): over TLS, every send of the transaction goes through
 * txn_io.send_named with it, so the server's certificate must name it.
 */
int txn_client_start_named(struct txn_layer *layer, struct sip_msg *req_take,
			   const struct net_peer *to, const char *name,
			   txn_event_fn fn, void *arg, struct txn **out);

/*
 * Cancels the INVITE of client transaction `ict` (RFC 3261 §9.1): a
 * CANCEL in its own transaction, to the same next hop, which nobody
 * listens to (the INVITE's final response tells the outcome). Only once
 * a provisional response came: EPROTO before that (wait for one, or for
 * Timer B) and after a final one. Returns 0, EPROTO, ENOMEM or a send's
 * errno.
 */
int txn_client_cancel(struct txn *ict);

/*
 * Sends a response through server transaction `st` (taking it), which
 * repeats it as the RFC says. Returns 0, EPROTO when the state allows no
 * such response (a final one was sent; a 2xx retransmission outside the
 * Accepted state), or ENOMEM. A send error comes as an event.
 */
int txn_server_respond(struct txn *st, struct sip_msg *res_take);
/* txn_server_respond with `res` borrowed: the caller keeps it (to send
 * it again: the TU resends its 2xx, RFC 3261 §13.3.1.4). */
int txn_server_send(struct txn *st, const struct sip_msg *res);

/*
 * txn_server_respond with a response built for the transaction's request:
 * `to_tag` for a To without one (empty: a random tag, except on 100),
 * `headers` as name, value pairs, NULL-terminated (may be NULL).
 */
int txn_server_reply(struct txn *st, uint16_t status, const char *reason,
		     struct tnd_slice to_tag, const char *const *headers);

/*
 * Sends a message outside any transaction: the ACK of a 2xx, a stateless
 * response. Returns 0 or the send's errno.
 */
int txn_layer_send(struct txn_layer *layer, const struct sip_msg *msg,
		   const struct net_peer *to);

/*
 * The network lost something sent to `to` (a connection that failed or
 * closed with data queued): every client transaction whose next hop is
 * that address over that transport ends with TXN_EV_TRANSPORT_ERROR
 * (RFC 3261 §17.1.4), so the TU can try the next target at once instead
 * of waiting for Timer B or F. O(live client transactions): rare events.
 */
void txn_layer_transport_error(struct txn_layer *layer,
			       const struct net_peer *to, int error);

/* The INVITE server transaction a CANCEL refers to (RFC 3261 §9.2). */
struct txn *txn_layer_find_invite(struct txn_layer *layer,
				  const struct sip_msg *cancel);

/* Binds (or with fn == NULL detaches) the handler of a transaction. */
void txn_set_handler(struct txn *t, txn_event_fn fn, void *arg);
/*
 * The request that made `t`; NULL once `t` only lingers to absorb
 * retransmissions (after its final response, by the layer's next
 * message or timer end). A 2xx from another fork, passed up from
 * Accepted later, makes its dialog from a sibling (dialog_uac_fork).
 */
const struct sip_msg *txn_request(const struct txn *t);
/* The branch of its request's top Via (a client's: ours), for as long
 * as `t` lives, request or not. */
struct tnd_slice txn_branch(const struct txn *t);
enum txn_kind txn_kind_of(const struct txn *t);
/* "Calling", "Proceeding", "Completed", "Accepted", "Confirmed",
 * "Trying", "Terminated": for logs and tests. */
const char *txn_state_name(const struct txn *t);

#endif
