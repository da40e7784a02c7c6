/*
 * The default responder: see responder.h. Owns nothing but a counter; the
 * transactions it answers through belong to the transaction layer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tandem/log.h"
#include "tandem/b2b.h"
#include "tandem/sip_check.h"
#include "responder.h"

#define ALLOW     B2B_ALLOW
#define SUPPORTED "100rel, timer, replaces, norefersub"

static int respond(struct txn *st, uint16_t status, const char *reason,
		   const char *const *extra)
{
	return txn_server_reply(st, status, reason, TND_SLICE_LIT(""), extra);
}

/* RFC 3261 §9.2: 200 to the CANCEL, 487 to the INVITE it stops. */
static void answer_cancel(struct responder *r, struct txn *st,
			  const struct sip_msg *cancel)
{
	struct txn *invite = txn_layer_find_invite(r->layer, cancel);

	if (!invite) {
		respond(st, 481, NULL, NULL);
		return;
	}
	respond(st, 200, NULL, NULL);
	/* Refused (EPROTO) when the INVITE already has its final answer. */
	(void)respond(invite, 487, NULL, NULL);
}

/* RFC 3261 §8.2: refuses what the request checks refuse. Returns true
 * when it answered. */
static bool answer_refusal(struct txn *st, const struct sip_msg *req)
{
	static const char *const allow[] = { "Allow", ALLOW, NULL };
	struct sip_check_result check;
	char unsupported[128];
	const char *extra[3] = { NULL };

	if (sip_msg_check_request(req, NULL, &check) == 0)
		return false;
	if (check.status == 420) {
		snprintf(unsupported, sizeof(unsupported), "%.*s",
			 TND_SLICE_FMT(check.unsupported));
		extra[0] = "Unsupported";
		extra[1] = unsupported;
	}
	respond(st, check.status, check.reason,
		check.status == 501 ? allow : extra);
	return true;
}

void responder_on_request(void *arg, struct txn *st, const struct sip_msg *req,
			  const struct net_peer *from)
{
	static const char *const options_headers[] = {
		"Allow",     ALLOW,     "Accept", "application/sdp",
		"Supported", SUPPORTED, NULL,
	};
	struct responder *r = arg;
	int rc;

	(void)from;
	if (!st)
		return; /* an ACK: nothing of ours to confirm */
	r->answered++;
	if (answer_refusal(st, req))
		return;
	switch (req->method) {
	case SIP_METHOD_OPTIONS:
		rc = respond(st, 200, NULL, options_headers);
		break;
	case SIP_METHOD_CANCEL: answer_cancel(r, st, req); return;
	default: rc = respond(st, 480, "No Script Loaded", NULL); break;
	}
	if (rc)
		tnd_log_warn("could not answer %.*s: %s",
			     TND_SLICE_FMT(req->method_name), strerror(rc));
}
