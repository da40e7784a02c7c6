/*
 * Private to core/b2b: the engine, the call, its legs and sides, and the
 * functions the files of the layer share.
 *
 * A call has two kinds of dialog ends, both a `struct b2b_side`: the
 * A-side (we are the UAS of the caller's INVITE) and, per B-leg, a B-side
 * (we are the UAC of our own INVITE). In-dialog requests go from a side
 * to its peer side: A to the bridged (or early) B-leg, and back.
 *
 * Re-entrancy: every way into a call from outside (a request, a
 * transaction event, a timer) holds it with call_hold/call_release; an
 * end inside that chain only marks it, and the outermost release frees
 * it once nothing it owns is still running.
 */
#ifndef TANDEM_B2B_INT_H
#define TANDEM_B2B_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "tandem/b2b.h"
#include "tandem/dialog.h"
#include "tandem/rand.h"
#include "tandem/resolve.h"

/* Header names a script edit carries to the relayed message. */
struct b2b_msg {
	struct sip_msg *sip; /* borrowed (read only) until `owned` */
	bool owned;
	struct net_peer source;
	bool has_source;
	char **carry;
	size_t ncarry;
	/* on_request: the request's transaction; NULL once answered. */
	struct txn *st;
	bool replied; /* a final answer went out through b2b_msg_reply */
	char to_tag[TND_RAND_TOKEN_CHARS + 1]; /* ours, once one was needed */
	bool droppable; /* on_response on a provisional */
	bool dropped;
};

/* A dialog end: where in-dialog requests from the peer land, and how
 * we send ours. */
struct b2b_side {
	struct b2b_call *call;
	struct b2b_leg *leg; /* NULL: the A-side */
	struct dialog *dialog;
	/* A-side: the flow the caller's requests came on, used for ours.
	 * B-side: where its last request came from (our Contact in our
	 * answers is the address on that transport). */
	struct net_peer flow;
	char *index_key; /* in the engine's index while set */

	/* Our 2xx to an INVITE from this side, resent until its ACK. */
	struct txn *ok_st;
	struct sip_msg *ok;
	struct tnd_timer ok_timer;
	uint64_t ok_interval, ok_elapsed;
	/* Our BYE waits for the ACK of that 2xx (RFC 3261 §15). */
	bool bye_pending;

	/* An INVITE we sent on this side awaits its final answer / ACK. */
	bool invite_out;
	bool invite_in; /* an INVITE from this side awaits our answer */
	/* The 2xx to our re-INVITE here waits for the other side's ACK. */
	uint32_t ack_wanted_cseq;
	struct net_resolve *ack_lookup;
	struct sip_msg *ack_pending; /* the ACK waiting for its lookup */
	struct net_peer ack_peer;
	bool has_ack_peer;
	struct sip_msg *ack_sent; /* the last ACK, for a resent 2xx */
	uint32_t ack_sent_cseq;

	/* Anchored calls: offer/answer of the SDP this side exchanges with
	 * us (media_sdp.c), made at its first SDP. */
	struct b2b_side_oa *oa;
};

enum leg_state {
	LEG_CALLING,  /* INVITE sent, nothing but 100 back */
	LEG_RINGING,  /* a provisional came: CANCEL is allowed */
	LEG_ANSWERED, /* a 2xx came */
	LEG_DONE,     /* a final failure, or the route gave up */
};

struct b2b_leg {
	struct b2b_call *call;
	struct b2b_leg *next;
	struct b2b_side side;
	struct txn_route *route; /* the INVITE */
	enum leg_state state;
	bool in_dial;       /* part of the dial the script waits for */
	bool cancel_wanted; /* CANCEL once a provisional comes */
	bool cancelled;     /* leg_cancel ran: one CANCEL per leg */
	uint32_t rseq_seen; /* the RSeq of its last reliable provisional */
	uint16_t status;    /* the final status, when DONE */
	bool media_failed;  /* cancelled for an SDP we could not use */
};

/* An in-dialog request relayed from one side to the other. */
struct b2b_relay {
	struct b2b_call *call;
	struct b2b_relay *next;
	struct b2b_side *from, *to;
	struct txn *st;          /* the request's server transaction */
	struct txn_route *route; /* our request on the other side */
	enum sip_method method;
	uint32_t out_cseq;
	bool answered; /* the sender has its final answer */
};

struct b2b_call {
	struct b2b *b2b;
	struct b2b_call *prev, *next;
	uint64_t id;
	enum b2b_call_state state;
	void *user;
	unsigned busy;

	struct b2b_msg *request; /* the A-leg INVITE, a copy */
	struct txn *a_st;        /* its transaction, until a final answer */
	char a_tag[TND_RAND_TOKEN_CHARS + 1];
	char *cancel_key; /* index key for the caller's CANCEL */
	struct b2b_side a;
	bool a_final_sent;

	struct b2b_leg *legs;
	struct b2b_leg *bridged;
	struct b2b_leg *early; /* the leg whose early dialog A sees */
	struct b2b_relay *relays;
	struct tnd_timer dial_timer;
	bool dialing;
	bool any_ringing; /* this dial saw a provisional */
	uint16_t last_code;
	char last_reason[64];
	struct b2b_msg *last_response;

	/* Events for the script, delivered from the loop. */
	struct tnd_timer pump;
	bool dial_done_pending;
	struct b2b_dial_result dial_result;
	bool hangup_pending, hangup_delivered, script_done;
	struct b2b_end_info end;
	char end_reason[64];
	struct tnd_timer linger; /* frees a call whose legs never settle */

	struct b2b_media *media; /* anchored media (media.c), or NULL */

	/* Our reliable provisional to the caller, until its PRACK. */
	struct {
		struct sip_msg *msg; /* resent while set */
		struct tnd_timer timer;
		uint64_t interval, elapsed;
		uint32_t last_rseq; /* ours towards the caller */
		struct b2b_leg *leg;
		uint32_t leg_rseq, leg_cseq;
	} rel;
};

struct b2b_index_entry {
	struct b2b_index_entry *next;
	uint64_t hash;
	void *value;
	char key[];
};

struct b2b_index {
	struct b2b_index_entry **buckets;
	size_t nbuckets, count;
	uint64_t seed;
};

struct b2b {
	struct b2b_config config;
	struct b2b_env env;
	struct b2b_hooks hooks;
	struct b2b_index index;
	struct b2b_call *calls;
	size_t ncalls;
	uint64_t next_id;
	bool shutting_down;
	void (*done)(void *arg);
	void *done_arg;
};

/* index.c: values by string key ("D" dialogs, "C" calls being set up). */
int b2b_index_init(struct b2b_index *ix);
void b2b_index_fini(struct b2b_index *ix);
int b2b_index_add(struct b2b_index *ix, const char *key, void *value);
void *b2b_index_find(const struct b2b_index *ix, const char *key);
void b2b_index_remove(struct b2b_index *ix, const char *key);
/* "D<Call-ID> <local tag>" and "C<Call-ID> <remote tag>": heap strings. */
char *b2b_key_new(char kind, struct tnd_slice call_id, struct tnd_slice tag);

/* msg.c: b2b_msg_new copies `sip`; b2b_msg_borrow (for a hook's call)
 * copies it at the first edit; b2b_msg_fini frees what either holds. */
int b2b_msg_new(const struct sip_msg *sip, const struct net_peer *source,
		struct b2b_msg **out);
void b2b_msg_borrow(struct b2b_msg *m, const struct sip_msg *sip,
		    const struct net_peer *source);
void b2b_msg_fini(struct b2b_msg *m);
void b2b_msg_free(struct b2b_msg *msg);
/* Copies the headers the script set on `from` into `to`. */
int b2b_msg_copy_carried(const struct b2b_msg *from, struct sip_msg *to);
/* Copies body and Content-Type of `from` into `to`. */
int b2b_copy_body(const struct sip_msg *from, struct sip_msg *to);

/* call.c */
void call_hold(struct b2b_call *call);
void call_release(struct b2b_call *call);
/* Ends the call for the script: on_hangup comes from the loop. */
void call_end(struct b2b_call *call, enum b2b_end_by by, uint16_t code,
	      const char *reason);
void call_pump(struct b2b_call *call);
bool call_is_ended(const struct b2b_call *call);
/* Sends a final answer to the A-leg INVITE (before the bridge). */
int call_answer_a(struct b2b_call *call, uint16_t status, const char *reason,
		  const char *const *headers, size_t nheaders);
void b2b_on_invite(struct b2b *b2b, struct txn *st, const struct sip_msg *req,
		   const struct net_peer *from);
void b2b_on_cancel(struct b2b *b2b, struct txn *st, const struct sip_msg *req);

/* answer.c: the A-side sees provisional and 2xx answers. */
/* `leg_rseq` not 0: relayed as a reliable provisional (prack.c). */
int answer_relay_provisional(struct b2b_call *call, struct b2b_leg *leg,
			     const struct sip_msg *res,
			     const struct b2b_msg *shown, uint32_t leg_rseq);
int answer_bridge(struct b2b_call *call, struct b2b_leg *leg,
		  const struct sip_msg *ok, const struct b2b_msg *shown);
int b2b_side_send_ok(struct b2b_side *side, struct txn *st,
		     struct sip_msg *ok_take);
void b2b_side_ok_acked(struct b2b_side *side);
/* A 2xx-style response to `req` from this side's dialog: our tag and
 * Contact, the Record-Route of the request (RFC 3261 §12.1.1). */
int b2b_side_response_new(struct b2b_side *side, const struct sip_msg *req,
			  uint16_t status, const char *reason,
			  struct sip_msg **out);

/* dial.c */
int dial_start(struct b2b_call *call, const struct b2b_dial_opts *opts);
void dial_cancel_all(struct b2b_call *call, bool keep_bridged);
void leg_free(struct b2b_leg *leg);
bool legs_settled(const struct b2b_call *call);
void dial_finish(struct b2b_call *call, uint16_t code, const char *reason);

/* side.c: requests and ACKs we send on a side. */
int b2b_side_index(struct b2b_side *side);
void b2b_side_unindex(struct b2b_side *side);
void b2b_side_fini(struct b2b_side *side);
int b2b_side_request(struct b2b_side *side, struct sip_msg *req,
		     txn_route_fn fn, void *arg, struct txn_route **out);
int b2b_side_send_ack(struct b2b_side *side, uint32_t cseq,
		      const struct sip_msg *body_from);
/* relay.c: a request on a side whose answer nobody awaits; "Name: value"
 * extra headers, NULL-terminated, may be NULL. */
int b2b_side_oneway(struct b2b_side *side, enum sip_method method,
		    const char *const *extra);
int b2b_side_bye(struct b2b_side *side);
struct b2b_side *b2b_side_peer(struct b2b_side *side);

/* relay.c */
void relay_in_dialog(struct b2b_side *from, struct txn *st,
		     const struct sip_msg *req, const struct net_peer *src);
void relay_ack(struct b2b_side *from, const struct sip_msg *ack);
void relay_free_all(struct b2b_call *call);

/* msg.c: EPERM when a "Name: value" line names a core-managed header. */
int b2b_check_header_lines(const char *const *headers, size_t n);
/* msg.c: "Name: value" lines into `msg`. EINVAL for a bad line. */
int b2b_add_header_lines(struct sip_msg *msg, const char *const *headers,
			 size_t n);

/*
 * Ends the call from any state: answers the A-leg (before the bridge)
 * with `code`, cancels pending legs, BYEs answered sides.
 */
void b2b_call_teardown(struct b2b_call *call, enum b2b_end_by by, uint16_t code,
		       const char *reason);
int b2b_side_resend_ack(struct b2b_side *side);

/* prack.c: reliable provisionals (RFC 3262) end to end. */
bool prack_caller_supports(const struct b2b_call *call);
/*
 * A provisional from a leg: EALREADY for a reliable one seen before (a
 * resend: drop it); else 0 with *relay_rseq the leg's RSeq when it goes
 * to the caller as a reliable one (0: relay it as ordinary; tandem
 * PRACKed it itself when the caller cannot).
 */
int prack_leg_provisional(struct b2b_leg *leg, const struct sip_msg *res,
			  uint32_t *relay_rseq);
/* Makes `out`, the caller's copy, reliable: our RSeq, resent until PRACK;
 * on success the call keeps `out` (send it with txn_server_send). */
int prack_make_reliable(struct b2b_call *call, struct b2b_leg *leg,
			uint32_t leg_rseq, uint32_t leg_cseq,
			struct sip_msg *out);
/* The caller's PRACK: RAck mapped to the leg's into `out`; ENOENT when it
 * acknowledges nothing we sent (answer 481). */
int prack_map_from_caller(struct b2b_call *call, const struct sip_msg *prack,
			  struct sip_msg *out);
void prack_fini(struct b2b_call *call);

/*
 * media.c: anchored media. Every SDP between the sides goes through
 * b2b_media_body, a plain copy of the body when the call is not
 * anchored. With anchoring it is read, the relay is told where `from`
 * receives and with which keys, and `dst` gets it rewritten for `to`.
 * Returns 0, EBADMSG (an SDP we cannot use: b2b_media_why says why),
 * ENOSPC (no relay ports left), ENOMEM.
 */
int b2b_media_body(struct b2b_side *from, struct b2b_side *to,
		   const struct sip_msg *src, struct sip_msg *dst);
/* An offer from `from` to `to` was refused: both sides back to stable. */
void b2b_media_offer_failed(struct b2b_side *from, struct b2b_side *to);
/* The call was answered: media timeouts start counting. */
void b2b_media_answered(struct b2b_call *call);
void b2b_media_free(struct b2b_call *call);
void b2b_media_side_fini(struct b2b_side *side);
/* Why the call's last SDP could not be used ("" when none failed). */
const char *b2b_media_why(const struct b2b_call *call);
/* Sets that text (printf style). */
void b2b_media_set_why(struct b2b_call *call, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Wall-clock milliseconds, for call times. */
uint64_t b2b_wall_ms(void);

#endif
