/*
 * The offer/answer model (RFC 3264) for one side of one leg: the o= line
 * tandem sends there and its version (§5, §8), the check of an answer
 * against its offer (§6), and where the exchange stands (§4). Pure: it
 * does not know which SIP message carries an offer or an answer; core/b2b
 * says so by calling the transition functions.
 */
#ifndef TANDEM_SDP_OA_H
#define TANDEM_SDP_OA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/sdp.h"

/* The o= username of every SDP tandem sends. */
#define SDP_OA_USERNAME "tandem"

enum sdp_oa_state {
	SDP_OA_NONE,         /* no offer seen yet */
	SDP_OA_LOCAL_OFFER,  /* we sent an offer, no answer yet */
	SDP_OA_REMOTE_OFFER, /* we received an offer, not answered yet */
	SDP_OA_STABLE,       /* an offer and its answer are done */
};

/*
 * Embed one per leg side; sdp_oa_init, then sdp_oa_release when done.
 * Read the fields; change them only through the functions below.
 */
struct sdp_oa {
	enum sdp_oa_state state;
	bool negotiated;  /* an exchange completed once */
	bool sent;        /* an SDP was stamped at least once */
	uint64_t sess_id; /* below 2^62 (RFC 3264 §5) */
	uint64_t sess_version;
	char *last; /* the last stamped SDP without its o= line */
	size_t last_len;
};

/*
 * sess-id is `random` reduced below 2^62 (RFC 3264 §5: representable as a
 * signed 64-bit number, no rollover); the first SDP sent gets version 1.
 */
void sdp_oa_init(struct sdp_oa *oa, uint64_t random);
void sdp_oa_release(struct sdp_oa *oa);

/*
 * Sets o= on an SDP about to be sent on this side:
 * "tandem <sess-id> <version> IN <addrtype> <address>", the address being
 * the session's c= (else the first media c=; else the o= one stays). The
 * version goes up by exactly one when anything but the o= line differs
 * from the last SDP stamped here, and stays when it is the same (§8).
 * Returns 0 or ENOMEM (nothing changed).
 */
int sdp_oa_stamp_origin(struct sdp_oa *oa, struct sdp_session *session);

/*
 * RFC 3264 §6: the answer has as many m= lines as the offer, in the same
 * order with the same media types, and a section the offer rejected (port
 * 0) stays rejected. Returns 0, or EBADMSG with err (may be NULL) naming
 * the answer's line.
 */
int sdp_oa_check_answer(const struct sdp_session *offer,
			const struct sdp_session *answer,
			struct sdp_error *err);

/*
 * Transitions (RFC 3264 §4). Each returns 0, or EPROTO for a step the
 * state does not allow (an answer with no offer pending, an offer while
 * one is pending) and leaves the state alone. cancel drops a pending
 * offer (rejected, or its transaction failed): back to STABLE when an
 * exchange completed before, else NONE.
 */
int sdp_oa_local_offer(struct sdp_oa *oa);
int sdp_oa_remote_offer(struct sdp_oa *oa);
int sdp_oa_local_answer(struct sdp_oa *oa);
int sdp_oa_remote_answer(struct sdp_oa *oa);
int sdp_oa_cancel(struct sdp_oa *oa);
const char *sdp_oa_state_name(enum sdp_oa_state state);

#endif
