/*
 * The back-to-back user agent: every INVITE outside a dialog becomes a
 * call, whose A-leg is the UAS dialog towards the caller; the layer above
 * (the script) decides what to do with it through hooks, and dials B-legs,
 * new UAC dialogs with their own Call-ID, tags, CSeq, Via and Contact.
 * The core relays provisional and final responses to the A-leg, sends the
 * ACKs, relays in-dialog requests and their responses between the legs,
 * handles CANCEL and its races, and ends the call in one place.
 *
 * Ownership: the b2b owns every call; the hooks borrow a `struct b2b_call
 * *` until on_hangup returns for it, after which the pointer is invalid.
 * Messages handed to the hooks (struct b2b_msg) are borrowed: the A-leg
 * INVITE until on_hangup returns, a request or response only for the
 * hook's call, a dial's final response until the next dial or the end.
 */
#ifndef TANDEM_B2B_H
#define TANDEM_B2B_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/media.h"
#include "tandem/sip_msg.h"
#include "tandem/timer.h"
#include "tandem/txn.h"
#include "tandem/txn_route.h"

struct b2b;
struct b2b_call;
struct b2b_msg;

/* The methods tandem takes, for Allow in OPTIONS answers, 405 and 501. */
#define B2B_ALLOW                                                  \
	"INVITE, ACK, BYE, CANCEL, OPTIONS, PRACK, UPDATE, INFO, " \
	"REFER, NOTIFY, MESSAGE"

struct b2b_config {
	uint32_t t1_ms; /* the A-leg 2xx is resent from T1 ... */
	uint32_t t2_ms; /* ... doubling up to T2, until 64*T1 (§13.3.1.4) */
	uint32_t
	    max_calls; /* live calls at most; past it new INVITEs get 503 */
};
extern const struct b2b_config b2b_config_default;

/* Who ended a call. */
enum b2b_end_by {
	B2B_END_CALLER, /* BYE or CANCEL from the A-leg */
	B2B_END_CALLEE, /* BYE from the B-leg */
	B2B_END_SCRIPT, /* a reply or hangup from the script, or its error */
	B2B_END_CORE,   /* no ACK, a transport error, shutdown, no media */
};

struct b2b_end_info {
	enum b2b_end_by by;
	uint16_t code;      /* the SIP cause: the final response, 200 for BYE */
	const char *reason; /* its reason phrase */
	/* Wall-clock milliseconds since the epoch; answer_ms 0: never. */
	uint64_t setup_ms, answer_ms, end_ms;
};

/* The outcome of b2b_call_dial. */
struct b2b_dial_result {
	bool answered;
	uint16_t code;      /* 200 .. 699; 408 no answer at all, 480 the
			       dial timeout, 500 the B-leg could not start */
	const char *reason; /* borrowed for the hook's call */
	/* The final response, or NULL when none came (timeouts). */
	struct b2b_msg *response;
};

/*
 * What the script sees. All are called from the event loop, never from
 * inside a b2b_* function called by the script, so a hook may call any of
 * them. A hook left NULL gets the default: on_invite 404.
 */
struct b2b_hooks {
	/* A new call: the A-leg INVITE passed the checks. */
	void (*on_invite)(void *arg, struct b2b_call *call);
	/*
	 * Any other request, before the default handling; `call` is NULL
	 * outside a dialog. Replying with b2b_request_reply skips the
	 * default; edits to the message (b2b_msg_*) go with the relay.
	 */
	void (*on_request)(void *arg, struct b2b_call *call,
			   struct b2b_msg *req);
	/* A response on a B-leg, before it is relayed; b2b_msg_drop drops a
	 * provisional. */
	void (*on_response)(void *arg, struct b2b_call *call,
			    struct b2b_msg *res);
	/* The caller cancelled before answer (the CANCEL was answered). */
	void (*on_cancel)(void *arg, struct b2b_call *call);
	/* A b2b_call_dial finished. */
	void (*on_dial_done)(void *arg, struct b2b_call *call,
			     const struct b2b_dial_result *result);
	/* The call ended; the last hook of a call. */
	void (*on_hangup)(void *arg, struct b2b_call *call,
			  const struct b2b_end_info *info);
	void *arg;
};

struct b2b_env {
	struct tnd_timers *timers;
	/* Layer, resolver and our own address for Via and Contact. */
	struct txn_route_env route;
	/* The media relay calls anchor through; NULL: anchoring is off. */
	struct media_relay *media;
};

int b2b_new(const struct b2b_config *config, const struct b2b_env *env,
	    const struct b2b_hooks *hooks, struct b2b **out);
/* Frees every call without hooks or messages: for the last step of a
 * shutdown (see b2b_shutdown). */
void b2b_free(struct b2b *b2b);
/* Replaces the hooks (a script reload binds the same ones again). */
void b2b_set_hooks(struct b2b *b2b, const struct b2b_hooks *hooks);

/* The transaction layer's TU entry point (struct txn_tu.on_request). */
void b2b_on_request(void *arg, struct txn *st, const struct sip_msg *req,
		    const struct net_peer *from);

/*
 * Ends every call (BYE to answered legs, CANCEL or a final response
 * before), refuses new ones with 503, and calls `done` once no call is
 * left (at once when there is none).
 */
void b2b_shutdown(struct b2b *b2b, void (*done)(void *arg), void *arg);
size_t b2b_live_calls(const struct b2b *b2b);

/* Calls. */
enum b2b_call_state {
	B2B_CALL_NEW,       /* no final answer yet, no B-leg ringing */
	B2B_CALL_DIALING,   /* B-legs under way */
	B2B_CALL_ANSWERED,  /* bridged; the A-leg 2xx awaits its ACK */
	B2B_CALL_CONFIRMED, /* bridged and ACKed */
	B2B_CALL_ENDED,     /* over for the script; legs may still wind up */
};
enum b2b_call_state b2b_call_state(const struct b2b_call *call);
/* "new", "dialing", "answered", "confirmed", "ended". */
const char *b2b_call_state_name(enum b2b_call_state state);
/* A number unique in this process, for logs and call.id. */
uint64_t b2b_call_id(const struct b2b_call *call);
/* The A-leg INVITE (editable: edits the script makes are carried to
 * every B-leg INVITE dialled after them). */
struct b2b_msg *b2b_call_request(struct b2b_call *call);
/* One pointer the layer above keeps with the call. */
void b2b_call_set_user(struct b2b_call *call, void *user);
void *b2b_call_user(const struct b2b_call *call);

struct b2b_dial_opts {
	const char *const *targets; /* URIs dialled in parallel */
	size_t ntargets;
	uint32_t timeout_ms; /* ringing at most; 0: until Timer B */
	/* "Name: value" lines added to each B-leg INVITE; may be NULL. */
	const char *const *headers;
	size_t nheaders;
	const char *from;  /* URI or name-addr; NULL: the A-leg's From */
	const char *to;    /* URI or name-addr; NULL: the target URI */
	const char *route; /* outbound proxy URI: the next hop; NULL: none */
	const char *transport; /* "udp", "tcp", "tls"; NULL: RFC 3263 */
};
/*
 * Dials B-legs; the result comes once through on_dial_done. The first
 * 2xx bridges the call (the other legs are cancelled). Returns 0, EINVAL
 * (a target, from, to, route or header that does not parse: nothing was
 * sent), EPERM (a header the core manages, see b2b_msg_set_header),
 * EPROTO (the call was answered, ended, or is dialling already), ENOMEM.
 */
int b2b_call_dial(struct b2b_call *call, const struct b2b_dial_opts *opts);
/*
 * A final response to the A-leg before it is bridged (300..699; a 3xx
 * with its Contact in `headers`, "Name: value" lines). Pending B-legs are
 * cancelled and the call ends. Returns 0, EINVAL (a status out of range,
 * a header that does not parse), EPROTO (answered or ended), ENOMEM.
 */
int b2b_call_reply(struct b2b_call *call, uint16_t status, const char *reason,
		   const char *const *headers, size_t nheaders);
/* Ends the call in any state: CANCEL/480 before answer, BYE after. */
void b2b_call_hangup(struct b2b_call *call);
/*
 * The script is done with the call (its on_invite returned). If the
 * A-leg has no final answer and nothing is dialling, it gets the last
 * B-leg failure, or 480.
 */
void b2b_call_script_done(struct b2b_call *call);
/*
 * The script failed on this call: 500 to the A-leg before answer, BYE on
 * both legs after; the call ends.
 */
void b2b_call_fail(struct b2b_call *call);

/* SRTP on one side of an anchored call. */
enum b2b_srtp {
	B2B_SRTP_AUTO, /* as that side's SDP says; offers follow the other */
	B2B_SRTP_OFF,  /* plain RTP: a=crypto ignored, RTP/AVP sent */
	B2B_SRTP_SDES, /* SRTP with SDES keys (RFC 4568), required */
};

struct b2b_media_side_opts {
	enum b2b_srtp srtp;
	bool keep_ice; /* pass ICE attributes on (default: strip them) */
};

struct b2b_media_opts {
	struct b2b_media_side_opts side[2]; /* by enum media_side */
	/* No RTP for this long ends an answered call; 0: the relay's,
	 * MEDIA_TIMEOUT_OFF: never. */
	uint32_t timeout_ms;
};

/*
 * Anchors the call's media through the relay from now on: every SDP
 * that crosses the call is rewritten to the relay's ports (see
 * docs/media.md). Before the bridge only. Returns 0, ENOTSUP (the b2b
 * has no relay), EPROTO (bridged or ended).
 */
int b2b_call_anchor_media(struct b2b_call *call,
			  const struct b2b_media_opts *opts);

/* One side of one anchored stream, for the script and call records. */
struct b2b_media_side_info {
	const char *local_addr; /* what the SDP to that side says */
	uint16_t local_rtp_port, local_rtcp_port;
	bool has_remote, latched;
	char remote_addr[48]; /* where its RTP goes, when has_remote */
	uint16_t remote_port;
	const char *srtp; /* the a=crypto suite name, NULL for plain RTP */
	struct media_side_stats stats;
};
/* The anchored streams, one per m= line seen (0 when not anchored). */
size_t b2b_call_media_count(const struct b2b_call *call);
/* Whether stream `index` has relay ports (false: a rejected m= line). */
bool b2b_call_media_side(const struct b2b_call *call, size_t index,
			 enum media_side side, struct b2b_media_side_info *out);

/* Messages handed to the script. */
const struct sip_msg *b2b_msg_sip(const struct b2b_msg *msg);
/* Where it came from (requests and responses we received). */
const struct net_peer *b2b_msg_source(const struct b2b_msg *msg);
/*
 * Edits. The core owns Via, Route, Record-Route, Call-ID, CSeq, From,
 * To, Contact, Content-Length and Max-Forwards: editing them is refused
 * with EPERM. Other headers set or added here travel with the relayed
 * message. Return 0, EINVAL (a value that does not parse, CR or LF),
 * EPERM, ENOMEM.
 */
int b2b_msg_set_header(struct b2b_msg *msg, const char *name,
		       const char *value);
int b2b_msg_add_header(struct b2b_msg *msg, const char *name,
		       const char *value);
int b2b_msg_remove_header(struct b2b_msg *msg, const char *name);
/*
 * on_request: a final (or provisional) answer to the request instead of
 * the default; "Name: value" headers may be NULL. Returns 0, EINVAL,
 * EPROTO (not a request handed to on_request, or already answered
 * finally), ENOMEM.
 */
int b2b_msg_reply(struct b2b_msg *req, uint16_t status, const char *reason,
		  const char *const *headers, size_t nheaders);
/* on_response: do not relay this provisional. EPROTO for a final. */
int b2b_msg_drop(struct b2b_msg *res);

#endif
