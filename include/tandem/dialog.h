/*
 * SIP dialogs (RFC 3261 §12): the state a UAC or UAS keeps for one
 * dialog (Call-ID, tags, local and remote URIs, remote target, route set,
 * CSeq in both directions, early or confirmed) and the in-dialog requests
 * built from it. Pure: no I/O, no clock. A dialog owns copies of all it
 * keeps; nothing points into the messages it was made from. Uses the sip
 * layer to read and build messages and util/mem for every allocation.
 */
#ifndef TANDEM_DIALOG_H
#define TANDEM_DIALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/sip_hdr.h"
#include "tandem/sip_msg.h"
#include "tandem/slice.h"

/*
 * The sent-by host of the Via in requests built here: the route layer
 * replaces it with the real one of the chosen transport.
 */
#define DIALOG_VIA_UNSENT_HOST SIP_UNSENT_HOST

/* The CSeq ceiling: numbers stay below 2^31 (RFC 3261 §8.1.1.5). */
#define DIALOG_CSEQ_LIMIT 0x80000000u

/*
 * Read the fields; change them only through the functions below. Strings
 * are NUL-terminated heap copies. URIs are addr-specs as written, without
 * angle brackets or header parameters.
 */
struct dialog {
	char *call_id;
	char *local_tag;
	char *remote_tag; /* may be "" (RFC 2543 peers) */
	char *local_uri;
	char *remote_uri;
	char *remote_target; /* the peer's Contact URI */
	char *local_contact; /* our Contact URI */
	/* Route set values (name-addrs, as written), in the order requests
	 * carry them as Route headers. */
	char **route_set;
	size_t nroutes;
	uint32_t local_cseq; /* last number we used, when has_local_cseq */
	bool has_local_cseq;
	uint32_t remote_cseq; /* last number the peer used */
	bool has_remote_cseq;
	bool early; /* until dialog_confirm */
	bool is_uac;
};

/*
 * The UAS side of a dialog created by `invite` (RFC 3261 §12.1.1), a
 * request that creates dialogs, answered with `local_tag` in its To. The
 * route set is the request's Record-Route values in order; the remote
 * target its Contact URI; the remote CSeq its CSeq. The local CSeq is
 * unset: the first request we send picks a random start below 2^31. The
 * dialog is early until dialog_confirm.
 *
 * Returns 0 with *out set, EINVAL (no Contact, a "*" Contact, an empty
 * local tag, no Call-ID, From, To or CSeq), EBADMSG (a Contact or
 * Record-Route value that does not parse) or ENOMEM.
 */
int dialog_uas_new(const struct sip_msg *invite, struct tnd_slice local_tag,
		   const char *local_contact_uri, struct dialog **out);

/*
 * The UAC side of a dialog created by the response `response` (a 101..199
 * with a To tag, or a 2xx) to our request `request` (RFC 3261 §12.1.2).
 * The route set is the response's Record-Route values in reverse order;
 * the remote target its Contact URI; the local CSeq the request's. Early
 * for a 1xx, confirmed for a 2xx.
 *
 * Returns 0 with *out set, EINVAL (another status, no To tag, no Contact,
 * no From tag in the request, or a missing Call-ID, From, To or CSeq),
 * EBADMSG or ENOMEM.
 */
int dialog_uac_new(const struct sip_msg *request,
		   const struct sip_msg *response,
		   const char *local_contact_uri, struct dialog **out);

/*
 * Another UAC dialog of the request that made `sibling` (RFC 3261
 * §12.1.2, §13.2.2.4: a response from another fork, with its own To
 * tag), made without the request: Call-ID, local tag, local URI and our
 * Contact from `sibling`, the rest from `response` as dialog_uac_new
 * takes it; the local CSeq is the response's CSeq number, the
 * request's. Returns 0 with *out set, EINVAL (sibling not a UAC
 * dialog, another status, no To tag, no Contact, a response to another
 * request), EBADMSG or ENOMEM.
 */
int dialog_uac_fork(const struct dialog *sibling,
		    const struct sip_msg *response, struct dialog **out);

/* Frees the dialog and everything it owns; NULL is a no-op. */
void dialog_free(struct dialog *d);

/*
 * A target refresh (re-INVITE, UPDATE, or a 2xx to ours; RFC 3261
 * §12.2.1.2, §12.2.2): the remote target becomes the Contact URI of `msg`.
 * Returns 0, EINVAL (no usable Contact: the dialog is unchanged), EBADMSG
 * or ENOMEM (the old target is kept).
 */
int dialog_update_target(struct dialog *d, const struct sip_msg *msg);

/*
 * Local CSeq numbers up to `used` are taken (by the early dialog this one
 * replaces, RFC 3261 §13.2.2.4): the next request goes above them. 0 is a
 * no-op.
 */
void dialog_cseq_used(struct dialog *d, uint32_t used);

/* An early dialog becomes confirmed (a 2xx was sent or received). */
void dialog_confirm(struct dialog *d);
bool dialog_is_early(const struct dialog *d);

/*
 * An in-dialog request (RFC 3261 §12.2.1.1) with the next local CSeq
 * (random below 2^31 when none was used yet). Request-URI and Route
 * follow the route set: when it is empty or its first URI has ";lr", the
 * Request-URI is the remote target and Route the route set; otherwise
 * (a strict router) the Request-URI is the first route's URI without its
 * headers and Route the rest of the set followed by the remote target.
 * From is the local URI and tag, To the remote URI and tag, Contact the
 * local contact, Max-Forwards 70, and the Via's host is
 * DIALOG_VIA_UNSENT_HOST with a fresh branch.
 *
 * `method_name` names a SIP_METHOD_UNKNOWN method (NULL otherwise);
 * `extra_headers` are "Name: value" lines, NULL-terminated, may be NULL;
 * `content_type` must be set when `body` is not empty. ACK and CANCEL are
 * refused: use dialog_ack_new, and build CANCEL from its INVITE (§9.1).
 * The local CSeq moves on only when the request is built.
 *
 * Returns 0 with *out set, EINVAL, ERANGE (the CSeq would reach 2^31),
 * EIO (no random numbers) or ENOMEM.
 */
int dialog_request_new(struct dialog *d, enum sip_method m,
		       const char *method_name,
		       const char *const *extra_headers,
		       struct tnd_slice content_type, struct tnd_slice body,
		       struct sip_msg **out);

/*
 * The ACK for a 2xx to the INVITE sent with CSeq `cseq_number` (RFC 3261
 * §13.2.2.4): routed as dialog_request_new routes, with that CSeq number
 * and method ACK; the local CSeq does not move. Returns 0 with *out set,
 * EINVAL or ENOMEM.
 */
int dialog_ack_new(const struct dialog *d, uint32_t cseq_number,
		   struct sip_msg **out);

/*
 * True when `msg` belongs to the dialog (RFC 3261 §12.2): a request from
 * the peer with the same Call-ID, To tag = local tag and From tag = remote
 * tag; or a response to our request with the same Call-ID, From tag =
 * local tag and To tag = remote tag.
 */
bool dialog_match(const struct dialog *d, const struct sip_msg *msg);

/*
 * Checks the CSeq of an in-dialog request from the peer (RFC 3261
 * §12.2.2). Returns 0 when it is higher than the remote CSeq, or the
 * remote CSeq was empty, and records it; EALREADY when it is equal (a
 * retransmission, or an error: the caller decides); EPROTO when it is
 * lower (answer 500 Server Internal Error); EINVAL without a CSeq. ACK
 * and CANCEL are not checked: 0, nothing recorded.
 */
int dialog_check_remote_cseq(struct dialog *d, const struct sip_msg *req);

#endif
