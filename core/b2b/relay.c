/*
 * In-dialog requests: one from a side of a call goes to the script, then
 * to the other side as our own request in that dialog (its CSeq, tags and
 * route set), and its answers come back to the sender. BYE ends the call,
 * REFER is declined, glare is refused (RFC 3261 §14.1, §14.2). Owns each
 * relay: our request's route and the borrowed server transaction; our
 * BYEs are relays nobody waits on.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tandem/log.h"
#include "tandem/mem.h"
#include "b2b_int.h"

/* Headers that belong to the method's meaning, carried as they are. */
static const char *const carried[] = {
	"Event",        "Subscription-State",  "Info-Package", "Recv-Info",
	"Allow-Events", "Content-Disposition", NULL,
};

static void relay_free(struct b2b_relay *relay)
{
	struct b2b_relay **p = &relay->call->relays;

	while (*p && *p != relay)
		p = &(*p)->next;
	if (*p)
		*p = relay->next;
	txn_route_free(relay->route);
	if (relay->st) {
		txn_set_handler(relay->st, NULL, NULL);
		if (!relay->answered)
			(void)txn_server_reply(
			    relay->st,
			    relay->method == SIP_METHOD_INVITE ? 487 : 481,
			    NULL, TND_SLICE_LIT(""), NULL);
		if (relay->from && relay->from->ok_st == relay->st)
			relay->from->ok_st = NULL;
	}
	tnd_free(relay);
}

void relay_free_all(struct b2b_call *call)
{
	while (call->relays)
		relay_free(call->relays);
}

static struct b2b_relay *relay_new(struct b2b_call *call)
{
	struct b2b_relay *relay = tnd_calloc(1, sizeof(*relay));

	if (!relay)
		return NULL;
	relay->call = call;
	relay->next = call->relays;
	call->relays = relay;
	return relay;
}

/* Our BYE or PRACK: its answer only ends its transaction. */
static void on_oneway_event(struct txn_route *route,
			    const struct txn_route_event *ev, void *arg)
{
	struct b2b_relay *relay = arg;
	struct b2b_call *call = relay->call;

	(void)route;
	if (ev->kind != TXN_ROUTE_FAILED && ev->msg->status < 200)
		return;
	call_hold(call); /* an ended call waits for its BYEs */
	relay_free(relay);
	call_release(call);
}

int b2b_side_oneway(struct b2b_side *side, enum sip_method method,
		    const char *const *extra)
{
	struct b2b_relay *relay;
	struct sip_msg *req;
	int rc;

	if (!side->dialog)
		return EINVAL;
	if ((rc = dialog_request_new(side->dialog, method, NULL, extra,
				     TND_SLICE_LIT(""), TND_SLICE_LIT(""),
				     &req)))
		return rc;
	if (!(relay = relay_new(side->call))) {
		sip_msg_free(req);
		return ENOMEM;
	}
	relay->method = method;
	relay->answered = true;
	rc = b2b_side_request(side, req, on_oneway_event, relay, &relay->route);
	sip_msg_free(req);
	if (rc) {
		tnd_log_warn("call %llu: cannot send %s: %s",
			     (unsigned long long)side->call->id,
			     sip_method_name(method), strerror(rc));
		relay_free(relay);
	}
	return rc;
}

/* RFC 3261 §15: not before the ACK of our 2xx (or its 64*T1 wait). */
int b2b_side_bye(struct b2b_side *side)
{
	if (side->ok) {
		side->bye_pending = true;
		return 0;
	}
	return b2b_side_oneway(side, SIP_METHOD_BYE, NULL);
}

/* The request's transaction ended: nothing more can be sent on it. */
static void on_relay_st_event(struct txn *t, const struct txn_event *ev,
			      void *arg)
{
	struct b2b_relay *relay = arg;

	if (ev->kind != TXN_EV_TERMINATED)
		return;
	relay->st = NULL;
	if (relay->from->ok_st == t)
		relay->from->ok_st = NULL;
}

static int copy_carried(const struct sip_msg *from, struct sip_msg *to)
{
	int rc;

	for (size_t i = 0; carried[i]; i++) {
		const struct sip_hdr *h =
		    sip_msg_hdr_by_name(from, tnd_slice_from_cstr(carried[i]));

		for (; h; h = sip_msg_hdr_next(from, h))
			if ((rc = sip_msg_hdr_add(to, carried[i], h->value,
						  SIP_HDR_APPEND)))
				return rc;
	}
	return 0;
}

/* The sender's copy of the other side's answer. */
static int relay_answer_build(struct b2b_relay *relay,
			      const struct sip_msg *res,
			      const struct b2b_msg *shown, struct sip_msg **out)
{
	const struct sip_msg *req = txn_request(relay->st);
	char reason[128];
	int rc;

	if (!req)
		return EPROTO; /* answered already, and lingering */
	snprintf(reason, sizeof(reason), "%.*s", TND_SLICE_FMT(res->reason));
	if (res->status < 300 && (relay->method == SIP_METHOD_INVITE ||
				  relay->method == SIP_METHOD_UPDATE))
		rc = b2b_side_response_new(relay->from, req, res->status,
					   reason, out);
	else
		rc = sip_msg_response_new(req, res->status, reason,
					  TND_SLICE_LIT(""), out);
	if (rc)
		return rc;
	if ((rc = b2b_media_body(relay->to, relay->from, res, *out)) ||
	    (rc = copy_carried(res, *out)) ||
	    (rc = b2b_msg_copy_carried(shown, *out))) {
		sip_msg_free(*out);
		*out = NULL;
	}
	return rc;
}

static void relay_on_final(struct b2b_relay *relay, const struct sip_msg *res)
{
	relay->answered = true;
	if (relay->method == SIP_METHOD_INVITE) {
		relay->to->invite_out = false;
		relay->from->invite_in = false;
	}
	if (relay->method != SIP_METHOD_INVITE &&
	    relay->method != SIP_METHOD_UPDATE)
		return;
	if (res && res->status < 300)
		(void)dialog_update_target(relay->to->dialog, res);
	else
		b2b_media_offer_failed(relay->from, relay->to);
}

/* An answer whose SDP we cannot use ends the call: the media would be
 * left half negotiated. A provisional one is only not relayed. */
static void relay_bad_answer(struct b2b_relay *relay, const struct sip_msg *res)
{
	struct b2b_call *call = relay->call;

	tnd_log_warn("call %llu: unusable SDP in a %u: %s",
		     (unsigned long long)call->id, res->status,
		     b2b_media_why(call));
	if (res->status < 300 && relay->method == SIP_METHOD_INVITE)
		b2b_side_send_ack(relay->to, relay->out_cseq, NULL);
	txn_server_reply(relay->st, 500, "Unusable SDP Answer",
			 TND_SLICE_LIT(""), NULL);
	b2b_call_teardown(call, B2B_END_CORE, 488, b2b_media_why(call));
}

static void relay_on_response(struct b2b_relay *relay,
			      const struct sip_msg *res)
{
	const struct b2b_hooks *h = &relay->call->b2b->hooks;
	struct b2b_msg shown;
	struct sip_msg *out;
	int rc;

	if (relay->answered) {
		/* A 2xx again: our ACK was lost (§13.2.2.4). */
		if (res->status < 300 && relay->method == SIP_METHOD_INVITE &&
		    relay->to->ack_sent_cseq == relay->out_cseq)
			b2b_side_resend_ack(relay->to);
		return;
	}
	if (res->status == 100 || !relay->st)
		return;
	b2b_msg_borrow(&shown, res, NULL);
	if (relay->to->leg && h->on_response) {
		shown.droppable = res->status < 200;
		h->on_response(h->arg, relay->call, &shown);
		if (shown.dropped) {
			b2b_msg_fini(&shown);
			return;
		}
	}
	if (res->status >= 200)
		relay_on_final(relay, res);
	if ((rc = relay_answer_build(relay, shown.sip, &shown, &out)) == 0) {
		if (res->status < 300 && relay->method == SIP_METHOD_INVITE) {
			rc = b2b_side_send_ok(relay->from, relay->st, out);
			relay->to->ack_wanted_cseq = relay->out_cseq;
		} else {
			rc = txn_server_respond(relay->st, out);
		}
	} else if (rc == EBADMSG && res->status >= 200) {
		relay_bad_answer(relay, res);
		rc = 0;
	}
	if (rc)
		tnd_log_warn("call %llu: cannot relay %u: %s",
			     (unsigned long long)relay->call->id, res->status,
			     strerror(rc));
	b2b_msg_fini(&shown);
}

static void on_relay_event(struct txn_route *route,
			   const struct txn_route_event *ev, void *arg)
{
	struct b2b_relay *relay = arg;
	struct b2b_call *call = relay->call;

	(void)route;
	call_hold(call);
	if (ev->kind == TXN_ROUTE_RESPONSE) {
		relay_on_response(relay, ev->msg);
		if (relay->answered && relay->method != SIP_METHOD_INVITE)
			relay_free(relay);
	} else {
		if (!relay->answered && relay->st)
			(void)txn_server_reply(
			    relay->st, ev->error == ETIMEDOUT ? 408 : 503, NULL,
			    TND_SLICE_LIT(""), NULL);
		relay_on_final(relay, NULL);
		relay_free(relay);
	}
	call_release(call);
}

/* An INVITE relay that was answered: only its 2xx resends still matter,
 * until a newer INVITE on that side replaces it. */
static void relay_drop_old_invites(struct b2b_side *to)
{
	struct b2b_relay *r, *next;

	for (r = to->call->relays; r; r = next) {
		next = r->next;
		if (r->to == to && r->answered &&
		    r->method == SIP_METHOD_INVITE)
			relay_free(r);
	}
}

/* Our request on `to` for the request `req` from `from`. */
static int relay_build(struct b2b_side *from, struct b2b_side *to,
		       const struct sip_msg *req, const struct b2b_msg *shown,
		       struct sip_msg **out)
{
	const struct sip_hdr *ct = sip_msg_hdr(req, SIP_HDR_CONTENT_TYPE);
	char name[64];
	int rc;

	snprintf(name, sizeof(name), "%.*s", TND_SLICE_FMT(req->method_name));
	if ((rc = dialog_request_new(to->dialog, req->method, name, NULL,
				     ct ? ct->value : TND_SLICE_LIT(""),
				     req->body, out)))
		return rc;
	if ((from->call->media && (rc = b2b_media_body(from, to, req, *out))) ||
	    (rc = copy_carried(req, *out)) ||
	    (rc = b2b_msg_copy_carried(shown, *out)) ||
	    (req->method == SIP_METHOD_PRACK && !from->leg &&
	     (rc = prack_map_from_caller(from->call, req, *out)))) {
		sip_msg_free(*out);
		*out = NULL;
	}
	return rc;
}

/* A request we could not build for the other side. */
static void relay_refuse(struct b2b_call *call, struct txn *st, int rc)
{
	static const char *const retry[] = { "Retry-After", "5", NULL };

	if (rc == EBADMSG)
		txn_server_reply(st, 488, b2b_media_why(call),
				 TND_SLICE_LIT(""), NULL);
	else if (rc == ENOSPC)
		txn_server_reply(st, 503, "No Media Ports", TND_SLICE_LIT(""),
				 retry);
	else
		txn_server_reply(st, rc == ENOENT ? 481 : 500, NULL,
				 TND_SLICE_LIT(""), NULL);
}

static void relay_start(struct b2b_side *from, struct txn *st,
			const struct sip_msg *req, const struct b2b_msg *shown)
{
	struct b2b_side *to = b2b_side_peer(from);
	struct b2b_relay *relay;
	struct sip_msg *out;
	int rc;

	if (!to || !to->dialog) {
		txn_server_reply(st, 481, "No Peer Dialog", TND_SLICE_LIT(""),
				 NULL);
		return;
	}
	if (req->method == SIP_METHOD_INVITE)
		relay_drop_old_invites(to);
	if ((rc = relay_build(from, to, req, shown, &out))) {
		relay_refuse(from->call, st, rc);
		return;
	}
	if (!(relay = relay_new(from->call))) {
		sip_msg_free(out);
		txn_server_reply(st, 500, NULL, TND_SLICE_LIT(""), NULL);
		return;
	}
	relay->from = from;
	relay->to = to;
	relay->st = st;
	relay->method = req->method;
	relay->out_cseq = to->dialog->local_cseq;
	rc = b2b_side_request(to, out, on_relay_event, relay, &relay->route);
	sip_msg_free(out);
	if (rc) {
		txn_server_reply(st, 503, NULL, TND_SLICE_LIT(""), NULL);
		relay->answered = true;
		relay_free(relay);
		return;
	}
	txn_set_handler(st, on_relay_st_event, relay);
	if (req->method == SIP_METHOD_INVITE) {
		to->invite_out = true;
		from->invite_in = true;
	}
	if (req->method == SIP_METHOD_INVITE ||
	    req->method == SIP_METHOD_UPDATE)
		(void)dialog_update_target(from->dialog, req);
}

static void on_bye(struct b2b_side *from, struct txn *st)
{
	struct b2b_call *call = from->call;
	enum b2b_end_by by = from->leg ? B2B_END_CALLEE : B2B_END_CALLER;
	struct b2b_side *peer = b2b_side_peer(from);

	txn_server_reply(st, 200, NULL, TND_SLICE_LIT(""), NULL);
	if (call_is_ended(call))
		return;
	if (!call->bridged) {
		/* An early BYE from the caller acts as a CANCEL. */
		b2b_call_teardown(call, by, 487, NULL);
		return;
	}
	b2b_side_ok_acked(from);
	if (peer)
		b2b_side_bye(peer);
	call_end(call, by, 200, "BYE");
}

/* The script saw the request; true when it answered it. */
static bool relay_show_request(struct b2b_call *call, struct txn *st,
			       struct b2b_msg *shown)
{
	const struct b2b_hooks *h = &call->b2b->hooks;

	if (!h->on_request)
		return false;
	shown->st = st;
	h->on_request(h->arg, call, shown);
	shown->st = NULL;
	return shown->replied;
}

static void relay_default(struct b2b_side *from, struct txn *st,
			  const struct b2b_msg *shown)
{
	static const char *const allow[] = { "Allow", B2B_ALLOW, NULL };

	switch (shown->sip->method) {
	case SIP_METHOD_BYE: on_bye(from, st); break;
	case SIP_METHOD_REFER:
		txn_server_reply(st, 603, "Transfer Not Supported",
				 TND_SLICE_LIT(""), NULL);
		break;
	case SIP_METHOD_SUBSCRIBE:
		txn_server_reply(st, 489, NULL, TND_SLICE_LIT(""), NULL);
		break;
	case SIP_METHOD_REGISTER:
	case SIP_METHOD_PUBLISH:
		txn_server_reply(st, 405, NULL, TND_SLICE_LIT(""), allow);
		break;
	case SIP_METHOD_UNKNOWN:
		txn_server_reply(st, 501, NULL, TND_SLICE_LIT(""), allow);
		break;
	default: relay_start(from, st, shown->sip, shown); break;
	}
}

void relay_in_dialog(struct b2b_side *from, struct txn *st,
		     const struct sip_msg *req, const struct net_peer *src)
{
	static const char *const retry[] = { "Retry-After", "2", NULL };
	struct b2b_call *call = from->call;
	struct b2b_msg shown;
	int rc;

	call_hold(call);
	b2b_msg_borrow(&shown, req, src);
	if (from->leg && src)
		from->flow = *src;
	rc = dialog_check_remote_cseq(from->dialog, req);
	if (rc) {
		txn_server_reply(st, 500, "CSeq Out Of Order",
				 TND_SLICE_LIT(""), NULL);
	} else if (req->method == SIP_METHOD_INVITE && from->invite_out) {
		txn_server_reply(st, 491, NULL, TND_SLICE_LIT(""), NULL);
	} else if (req->method == SIP_METHOD_INVITE && from->invite_in) {
		txn_server_reply(st, 500, NULL, TND_SLICE_LIT(""), retry);
	} else if (!relay_show_request(call, st, &shown)) {
		relay_default(from, st, &shown);
	}
	b2b_msg_fini(&shown);
	call_release(call);
}

void relay_ack(struct b2b_side *from, const struct sip_msg *ack)
{
	struct b2b_call *call = from->call;
	struct b2b_side *peer;

	call_hold(call);
	if (from->ok)
		b2b_side_ok_acked(from);
	if (!from->leg && call->state == B2B_CALL_ANSWERED)
		call->state = B2B_CALL_CONFIRMED;
	peer = b2b_side_peer(from);
	if (peer && peer->ack_wanted_cseq) {
		b2b_side_send_ack(peer, peer->ack_wanted_cseq, ack);
		peer->ack_wanted_cseq = 0;
	}
	call_release(call);
}
