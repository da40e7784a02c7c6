/*
 * Private to core/txn: the transaction object, the layer that owns them,
 * and what the four machines share (sending, timers, events, the table).
 *
 * Re-entrancy: every way into a transaction from outside (a message, a
 * timer, the TU responding) holds it with txn_hold/txn_release. Ending a
 * transaction inside that chain only marks it dead and unlinks it; the
 * outermost release frees it, so no caller ever touches freed memory.
 */
#ifndef TANDEM_TXN_INT_H
#define TANDEM_TXN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "tandem/txn.h"

enum txn_state {
	TXN_CALLING,
	TXN_TRYING,
	TXN_PROCEEDING,
	TXN_COMPLETED,
	TXN_CONFIRMED,
	TXN_ACCEPTED,
	TXN_TERMINATED,
};

/*
 * What matches a transaction (RFC 3261 §17.1.3, §17.2.3), copied out of
 * its request into the transaction's own block (struct txn's key_bytes):
 * a transaction lingering to absorb retransmissions (Timers D, I, J, K,
 * L, M) needs only this, and drops its request (txn_forget_later).
 */
struct txn_key {
	struct tnd_slice branch; /* the top Via's */
	struct tnd_slice host;   /* the top Via's sent-by */
	uint16_t port;
	enum sip_method method;
	struct tnd_slice method_name;
	struct tnd_slice cseq_method;
	/* RFC 2543 matching, for a branch without the magic cookie. */
	bool legacy;
	struct tnd_slice ruri, from_tag, to_tag, call_id;
	uint32_t cseq_number;
};

struct txn {
	struct txn_layer *layer;
	enum txn_kind kind;
	enum txn_state state;
	struct txn_key key;
	/* The request that made it: owned; NULL once forgotten. */
	struct sip_msg *req;
	struct net_peer peer; /* client: next hop; server: where answers go */
	char *peer_name;      /* client over TLS: the name to verify, or NULL */
	bool reliable;

	char *out; /* the last message sent: request or response, printed */
	size_t out_len;
	uint16_t out_status; /* server: status of the last response, 0 none */
	char *out_to_tag;    /* IST: its To tag, for RFC 2543 ACK matching */
	char *ack;           /* ICT: the ACK of a non-2xx final response */
	size_t ack_len;

	struct tnd_timer retrans; /* A, E, G; IST: the 100 Trying delay */
	struct tnd_timer timeout; /* B, F, H; then D, I, J, K, L, M */
	uint64_t retrans_interval;

	txn_event_fn fn;
	void *arg;

	struct txn *hnext; /* hash chain */
	uint32_t hash;
	bool in_table;

	struct txn *forget_next; /* in the layer's list while forget_queued */
	bool forget_queued;

	unsigned busy;
	bool dead;
	char key_bytes[]; /* what `key` points at */
};

/*
 * A chained hash table that doubles incrementally (as Redis's dict does):
 * while `old` is set, its buckets below `migrated` have moved to
 * `buckets`, and each add or remove moves a few more, so no single
 * message pays for rehashing the whole table.
 */
struct txn_table {
	struct txn **buckets;
	size_t nbuckets; /* a power of two */
	struct txn **old;
	size_t nold;
	size_t migrated;
	size_t count;
};

struct txn_layer {
	struct txn_config config;
	struct tnd_timers *timers;
	struct txn_io io;
	struct txn_tu tu;
	struct txn_table clients;
	struct txn_table servers;
	struct txn_stats stats;
	struct txn *forget; /* txn_forget_later's list, newest first */
};

/* txn.c: life, state, sending, timers and events. */
struct txn *txn_new(struct txn_layer *layer, enum txn_kind kind,
		    struct sip_msg *req_take, const struct net_peer *peer);
/*
 * After a final response: t lingers only to absorb retransmissions, so
 * its request (and what it sent, when that is never sent again) can go.
 * Not at once: whoever made the response may still hold t->req (the TU
 * is handed it with the request); txn_forget_due does it before the
 * layer's next message and when a transaction's last timer fires: a
 * fresh start from the loop, with no caller from before on the stack.
 */
void txn_forget_later(struct txn *t);
void txn_forget_due(struct txn_layer *layer);
void txn_hold(struct txn *t);
void txn_release(struct txn *t);
void txn_set_state(struct txn *t, enum txn_state state);
/* Ends the transaction: timers stopped, unlinked, TERMINATED delivered. */
void txn_end(struct txn *t);
void txn_emit(struct txn *t, enum txn_event_kind kind,
	      const struct sip_msg *msg, int error);
/* Prints `msg` into t->out: what txn_resend sends. 0 or ENOMEM. */
int txn_store_msg(struct txn *t, const struct sip_msg *msg);
/* Prints `msg` into t->out and sends it. Returns 0, ENOMEM or errno. */
int txn_send_msg(struct txn *t, const struct sip_msg *msg);
/* Sends t->out again. Returns 0 or the send's errno. */
int txn_resend(struct txn *t);
/* Sends bytes to t->peer; a failure is a transport error event + end. */
int txn_send_bytes(struct txn *t, const char *data, size_t len);
void txn_fail(struct txn *t, int error);
void txn_start_retrans(struct txn *t, uint64_t ms, tnd_timer_fn fn);
void txn_start_timeout(struct txn *t, uint64_t ms, tnd_timer_fn fn);
/* 64*T1: Timers B, F, H, J, L, M. */
uint64_t txn_64t1(const struct txn *t);
/* Reports a timeout and ends the transaction (Timers B, F, H). */
void txn_on_timeout_end(struct tnd_timer *timer, void *arg);
/* Ends the transaction when `timeout` fires (D, I, J, K, L, M). */
void txn_on_linger_end(struct tnd_timer *timer, void *arg);

/* key.c: what txn_new copies out of the request (see struct txn_key). */
bool txn_branch_has_cookie(struct tnd_slice branch);
size_t txn_key_size(const struct sip_msg *req);
void txn_key_copy(struct txn_key *key, char *bytes, const struct sip_msg *req);

/* table.c: matching (RFC 3261 §17.1.3, §17.2.3). */
int txn_table_init(struct txn_table *table);
void txn_table_free(struct txn_table *table);
void txn_table_add_client(struct txn_layer *layer, struct txn *t);
void txn_table_add_server(struct txn_layer *layer, struct txn *t);
void txn_table_remove(struct txn_layer *layer, struct txn *t);
/* Finishes any doubling in progress, so that `buckets` holds everything:
 * before a walk over the whole table. */
void txn_table_settle(struct txn_table *table);
struct txn *txn_table_match_response(struct txn_layer *layer,
				     const struct sip_msg *res);
/* A server transaction for a request: ACK matches its INVITE's. */
struct txn *txn_table_match_request(struct txn_layer *layer,
				    const struct sip_msg *req);
/* The INVITE server transaction matching a CANCEL (§9.2). */
struct txn *txn_table_match_cancel(struct txn_layer *layer,
				   const struct sip_msg *cancel);

/* The machines: ict.c, nict.c, ist.c, nist.c. */
int txn_ict_start(struct txn *t);
void txn_ict_on_response(struct txn *t, const struct sip_msg *res);
int txn_nict_start(struct txn *t);
void txn_nict_on_response(struct txn *t, const struct sip_msg *res);
void txn_ist_start(struct txn *t);
void txn_ist_on_request(struct txn *t, const struct sip_msg *req,
			const struct net_peer *from);
int txn_ist_respond(struct txn *t, const struct sip_msg *res);
void txn_nist_on_request(struct txn *t, const struct sip_msg *req);
int txn_nist_respond(struct txn *t, const struct sip_msg *res);

#endif
