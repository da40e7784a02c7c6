/*
 * B-legs: a dial sends one INVITE per target, each a new dialog of ours
 * (its own Call-ID, From tag, CSeq, Via and Contact), and collects their
 * answers: provisionals go to the A-leg, the first 2xx bridges the call
 * and the other legs are cancelled, failures are kept for the script.
 * A leg that answers after it was cancelled is ACKed and sent BYE
 * (RFC 3261 §9.1's race). Owns each leg's INVITE, route and side.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tandem/log.h"
#include "tandem/mem.h"
#include "b2b_int.h"

#define LEG_CONTACT "sip:" SIP_UNSENT_HOST

void leg_free(struct b2b_leg *leg)
{
	txn_route_free(leg->route);
	b2b_side_fini(&leg->side);
	tnd_free(leg);
}

static bool leg_pending(const struct b2b_leg *leg)
{
	return leg->state == LEG_CALLING || leg->state == LEG_RINGING;
}

bool legs_settled(const struct b2b_call *call)
{
	for (const struct b2b_leg *leg = call->legs; leg; leg = leg->next)
		if (leg_pending(leg))
			return false;
	return true;
}

/* RFC 3261 §9.1: CANCEL only once a provisional came. */
static void leg_cancel(struct b2b_leg *leg)
{
	struct txn *ict = txn_route_current(leg->route);

	leg->in_dial = false;
	if (leg->cancelled)
		return;
	leg->cancelled = true;
	if (leg->state == LEG_RINGING && ict && txn_client_cancel(ict) == 0)
		return;
	leg->cancel_wanted = leg_pending(leg);
}

void dial_cancel_all(struct b2b_call *call, bool keep_bridged)
{
	for (struct b2b_leg *leg = call->legs; leg; leg = leg->next)
		if (leg_pending(leg) && (!keep_bridged || leg != call->bridged))
			leg_cancel(leg);
}

void dial_finish(struct b2b_call *call, uint16_t code, const char *reason)
{
	if (!call->dialing)
		return;
	call->dialing = false;
	tnd_timer_cancel(call->b2b->env.timers, &call->dial_timer);
	for (struct b2b_leg *leg = call->legs; leg; leg = leg->next)
		if (leg->in_dial && leg != call->bridged)
			leg_cancel(leg);
	call->last_code = code;
	if (reason != call->last_reason) /* leg_settled passes it: no overlap */
		snprintf(call->last_reason, sizeof(call->last_reason), "%s",
			 reason ? reason : sip_reason_phrase(code));
	call->dial_result = (struct b2b_dial_result){
		.answered = code < 300,
		.code = code,
		.reason = call->last_reason,
		.response = call->last_response,
	};
	if (call->state == B2B_CALL_DIALING)
		call->state = B2B_CALL_NEW;
	if (code < 300)
		call->state = B2B_CALL_ANSWERED;
	call->dial_done_pending = true;
	call_pump(call);
}

static void on_dial_timeout(struct tnd_timer *timer, void *arg)
{
	struct b2b_call *call = arg;

	(void)timer;
	call_hold(call);
	tnd_log_debug("call %llu: dial timed out",
		      (unsigned long long)call->id);
	b2b_msg_free(call->last_response);
	call->last_response = NULL;
	if (call->any_ringing)
		dial_finish(call, 480, "No Answer");
	else
		dial_finish(call, 408, NULL);
	call_release(call);
}

/* A leg is over for the dial; the dial ends when none is left. */
static void leg_settled(struct b2b_leg *leg)
{
	struct b2b_call *call = leg->call;

	if (!leg->in_dial || !call->dialing)
		return;
	leg->in_dial = false;
	for (struct b2b_leg *l = call->legs; l; l = l->next)
		if (l->in_dial && leg_pending(l))
			return;
	dial_finish(call, call->last_code, call->last_reason);
}

static void leg_failed(struct b2b_leg *leg, uint16_t code,
		       struct tnd_slice reason, const struct sip_msg *res)
{
	struct b2b_call *call = leg->call;
	struct b2b_msg *m = NULL;

	leg->state = LEG_DONE;
	leg->status = code;
	if (leg->media_failed) {
		code = 488;
		reason = tnd_slice_from_cstr(b2b_media_why(call));
		res = NULL;
	}
	if (leg->in_dial && call->dialing) {
		call->last_code = code;
		if (!reason.len)
			reason = tnd_slice_from_cstr(sip_reason_phrase(code));
		snprintf(call->last_reason, sizeof(call->last_reason), "%.*s",
			 TND_SLICE_FMT(reason));
		if (res && b2b_msg_new(res, NULL, &m) == 0) {
			b2b_msg_free(call->last_response);
			call->last_response = m;
		}
	}
	leg_settled(leg);
}

/*
 * The leg's dialog from a response with a To tag. Several early dialogs
 * (a forking proxy behind the callee): the latest is the one PRACK,
 * UPDATE and the callee's early requests use; the 2xx's wins at the end.
 * Indexed at once, so the callee's early requests find their call.
 */
static int leg_dialog_from(struct b2b_leg *leg, const struct sip_msg *res)
{
	struct txn *ict = txn_route_current(leg->route);
	int rc;

	if (!res->to.tag.len || !ict)
		return 0;
	if (!txn_request(ict))
		return EINVAL; /* a lingering transaction: its request is gone
				*/
	if (leg->side.dialog) {
		if (!dialog_is_early(leg->side.dialog) ||
		    tnd_slice_eq_cstr(res->to.tag,
				      leg->side.dialog->remote_tag))
			return 0;
		dialog_free(leg->side.dialog);
		leg->side.dialog = NULL;
		leg->rseq_seen = 0; /* RSeq counts per dialog (RFC 3262 §3) */
	}
	if ((rc = dialog_uac_new(txn_request(ict), res, LEG_CONTACT,
				 &leg->side.dialog)))
		return rc;
	return b2b_side_index(&leg->side);
}

/* The script's look at a response; false when it dropped it. */
static bool leg_show_response(struct b2b_leg *leg, const struct sip_msg *res,
			      struct b2b_msg *shown)
{
	const struct b2b_hooks *h = &leg->call->b2b->hooks;

	b2b_msg_borrow(shown, res, NULL);
	if (!h->on_response)
		return true;
	shown->droppable = res->status < 200;
	h->on_response(h->arg, leg->call, shown);
	return !shown->dropped;
}

static void leg_on_provisional(struct b2b_leg *leg, const struct sip_msg *res)
{
	struct b2b_call *call = leg->call;
	struct txn *ict = txn_route_current(leg->route);
	struct b2b_msg shown;
	uint32_t rseq;

	if (leg->state == LEG_CALLING)
		leg->state = LEG_RINGING;
	if (leg->cancel_wanted && ict && txn_client_cancel(ict) == 0)
		leg->cancel_wanted = false;
	if (res->status == 100)
		return;
	if (leg_dialog_from(leg, res))
		tnd_log_warn("call %llu: unusable early dialog",
			     (unsigned long long)call->id);
	if (prack_leg_provisional(leg, res, &rseq) == EALREADY ||
	    !leg->in_dial || leg->media_failed || call_is_ended(call))
		return;
	if (res->status >= 180)
		call->any_ringing = true;
	if (leg_show_response(leg, res, &shown) && !call_is_ended(call) &&
	    leg->in_dial) {
		if (leg->side.dialog)
			call->early = leg;
		if (answer_relay_provisional(call, leg, shown.sip, &shown,
					     rseq) == EBADMSG) {
			tnd_log_warn("call %llu: unusable SDP in a %u: %s",
				     (unsigned long long)call->id, res->status,
				     b2b_media_why(call));
			leg->media_failed = true;
			if (call->early == leg)
				call->early = NULL;
			leg_cancel(leg);
			leg->in_dial = true; /* its 487 still ends the dial */
		}
	}
	b2b_msg_fini(&shown);
}

/* A 2xx nobody wants (cancelled, or another fork's): ACK, then BYE. */
static void leg_refuse_answer(struct b2b_leg *leg, const struct sip_msg *ok)
{
	struct b2b_leg *fork = leg;

	if (leg->side.dialog &&
	    !tnd_slice_eq_cstr(ok->to.tag, leg->side.dialog->remote_tag)) {
		if (!(fork = tnd_calloc(1, sizeof(*fork))))
			return;
		fork->call = leg->call;
		fork->side.call = leg->call;
		fork->side.leg = fork;
		fork->state = LEG_ANSWERED;
		fork->next = leg->next;
		leg->next = fork;
		if (dialog_uac_fork(leg->side.dialog, ok, &fork->side.dialog))
			return;
	} else {
		leg->state = LEG_ANSWERED;
		if (leg_dialog_from(leg, ok))
			return;
		(void)dialog_update_target(leg->side.dialog, ok);
	}
	b2b_side_send_ack(&fork->side, ok->cseq.number, NULL);
	b2b_side_bye(&fork->side);
}

static void leg_on_ok(struct b2b_leg *leg, const struct sip_msg *ok)
{
	struct b2b_call *call = leg->call;
	struct b2b_msg shown, *kept;
	uint32_t early_cseq = 0;

	if (leg->state == LEG_ANSWERED && leg == call->bridged &&
	    tnd_slice_eq_cstr(ok->to.tag, leg->side.dialog->remote_tag)) {
		b2b_side_resend_ack(&leg->side); /* our ACK was lost */
		return;
	}
	if (leg != call->bridged &&
	    (!leg->in_dial || call->bridged || call_is_ended(call))) {
		leg_refuse_answer(leg, ok);
		return;
	}
	if (leg->media_failed) { /* its 2xx crossed our CANCEL */
		leg_refuse_answer(leg, ok);
		leg_failed(leg, 488, TND_SLICE_LIT(""), NULL);
		return;
	}
	if (leg->state == LEG_ANSWERED) {
		leg_refuse_answer(leg, ok); /* another fork behind B */
		return;
	}
	/*
	 * §13.2.2.4: the 2xx recomputes the dialog (an early one of another
	 * fork is dropped); CSeq numbers used in the early dialog (PRACK,
	 * UPDATE) stay used.
	 */
	if (leg->side.dialog &&
	    tnd_slice_eq_cstr(ok->to.tag, leg->side.dialog->remote_tag))
		early_cseq = leg->side.dialog->local_cseq;
	dialog_free(leg->side.dialog);
	leg->side.dialog = NULL;
	leg->state = LEG_ANSWERED;
	if (leg_dialog_from(leg, ok)) {
		tnd_log_warn("call %llu: unusable 2xx",
			     (unsigned long long)call->id);
		leg_refuse_answer(leg, ok);
		leg_failed(leg, 502, TND_SLICE_LIT("Bad Answer"), NULL);
		return;
	}
	dialog_confirm(leg->side.dialog);
	dialog_cseq_used(leg->side.dialog, early_cseq);
	leg_show_response(leg, ok, &shown);
	if (b2b_msg_new(ok, NULL, &kept) == 0) { /* the dial's result */
		b2b_msg_free(call->last_response);
		call->last_response = kept;
	}
	if (!call_is_ended(call) &&
	    answer_bridge(call, leg, shown.sip, &shown) == EBADMSG) {
		b2b_side_send_ack(&leg->side, ok->cseq.number, NULL);
		b2b_side_bye(&leg->side);
		leg_failed(leg, 488, tnd_slice_from_cstr(b2b_media_why(call)),
			   NULL);
	}
	b2b_msg_fini(&shown);
}

static void on_leg_event(struct txn_route *route,
			 const struct txn_route_event *ev, void *arg)
{
	struct b2b_leg *leg = arg;
	struct b2b_call *call = leg->call;
	struct b2b_msg shown;

	(void)route;
	call_hold(call);
	if (ev->kind == TXN_ROUTE_FAILED) {
		if (leg_pending(leg))
			leg_failed(leg, ev->error == ETIMEDOUT ? 408 : 503,
				   ev->error == ETIMEDOUT
				       ? TND_SLICE_LIT("")
				       : TND_SLICE_LIT("Unreachable"),
				   NULL);
	} else if (ev->msg->status < 200) {
		leg_on_provisional(leg, ev->msg);
	} else if (ev->msg->status < 300) {
		leg_on_ok(leg, ev->msg);
	} else if (leg_pending(leg)) {
		if (leg->in_dial && !call_is_ended(call)) {
			leg_show_response(leg, ev->msg, &shown);
			b2b_msg_fini(&shown);
		}
		leg_failed(leg, ev->msg->status, ev->msg->reason, ev->msg);
	}
	call_release(call);
}

/* "<uri>" for a bare URI; a name-addr as it is. */
static void as_nameaddr(const char *text, char *out, size_t size)
{
	snprintf(out, size, strchr(text, '<') ? "%s" : "<%s>", text);
}

/* The A-leg's From for the B-leg, without its tag. */
static void a_from(const struct sip_msg *a, char *out, size_t size)
{
	const struct sip_nameaddr *f = &a->from;

	if (f->display.len)
		snprintf(out, size, "\"%.*s\" <%.*s>",
			 TND_SLICE_FMT(f->display), TND_SLICE_FMT(f->uri));
	else
		snprintf(out, size, "<%.*s>", TND_SLICE_FMT(f->uri));
}

/* RFC 3262 end to end: what the caller offers or demands of 100rel. */
static int leg_invite_options(const struct sip_msg *a, struct sip_msg *out)
{
	for (const struct sip_hdr *h = sip_msg_hdr(a, SIP_HDR_REQUIRE); h;
	     h = sip_msg_hdr_next(a, h))
		if (sip_tokens_contains(h->value, "100rel"))
			return sip_msg_hdr_add(out, "Require",
					       TND_SLICE_LIT("100rel"),
					       SIP_HDR_APPEND);
	for (const struct sip_hdr *h = sip_msg_hdr(a, SIP_HDR_SUPPORTED); h;
	     h = sip_msg_hdr_next(a, h))
		if (sip_tokens_contains(h->value, "100rel"))
			return sip_msg_hdr_add(out, "Supported",
					       TND_SLICE_LIT("100rel"),
					       SIP_HDR_APPEND);
	return 0;
}

static int leg_invite_new(struct b2b_call *call,
			  const struct b2b_dial_opts *opts, const char *target,
			  struct sip_msg **out)
{
	const struct sip_msg *a = call->request->sip;
	const struct sip_hdr *ct = sip_msg_hdr(a, SIP_HDR_CONTENT_TYPE);
	char from[512], to[512], route[512];
	uint64_t cseq;
	int rc;

	if ((rc = tnd_rand_u64(&cseq)))
		return rc;
	if (opts->from)
		as_nameaddr(opts->from, from, sizeof(from));
	else
		a_from(a, from, sizeof(from));
	as_nameaddr(opts->to ? opts->to : target, to, sizeof(to));
	struct sip_request_spec spec = {
		.method = SIP_METHOD_INVITE,
		.ruri = tnd_slice_from_cstr(target),
		.via_host = TND_SLICE_LIT(SIP_UNSENT_HOST),
		.from = tnd_slice_from_cstr(from),
		.to = tnd_slice_from_cstr(to),
		.cseq = 1 + (uint32_t)(cseq % (DIALOG_CSEQ_LIMIT / 2)),
		.contact = TND_SLICE_LIT("<" LEG_CONTACT ">"),
		.max_forwards = a->has_max_forwards ? a->max_forwards - 1 : 70,
		.content_type = ct ? ct->value : TND_SLICE_LIT(""),
		.body = a->body,
	};
	if ((rc = sip_msg_request_new(&spec, out)))
		return rc == EBADMSG ? EINVAL : rc;
	if (a->has_max_forwards && a->max_forwards == 1) /* spec: 0 is 70 */
		rc = sip_msg_hdr_set(*out, "Max-Forwards", TND_SLICE_LIT("0"));
	if (rc == 0 && opts->route) {
		snprintf(route, sizeof(route), "Route: <%s;lr>", opts->route);
		const char *line = route;

		rc = b2b_add_header_lines(*out, &line, 1);
	}
	if (rc == 0)
		rc = leg_invite_options(a, *out);
	if (rc == 0)
		rc = b2b_msg_copy_carried(call->request, *out);
	if (rc == 0)
		rc = b2b_add_header_lines(*out, opts->headers, opts->nheaders);
	if (rc) {
		sip_msg_free(*out);
		*out = NULL;
	}
	return rc;
}

/* The URI the INVITE goes to: the outbound proxy, else the target, with
 * the transport the script asked for. */
static int leg_next_hop(const struct b2b_dial_opts *opts, const char *target,
			char *buf, size_t size, struct sip_uri *out)
{
	const char *uri = opts->route ? opts->route : target;
	struct tnd_slice tp;

	if (strlen(uri) + 16 >= size)
		return EINVAL;
	snprintf(buf, size, "%s", uri);
	if (sip_uri_parse(tnd_slice_from_cstr(buf), out, NULL))
		return EINVAL;
	if (!opts->transport || sip_uri_param(out, "transport", &tp))
		return 0;
	if (strcmp(opts->transport, "udp") && strcmp(opts->transport, "tcp") &&
	    strcmp(opts->transport, "tls"))
		return EINVAL;
	if (out->headers.len)
		return EINVAL;
	snprintf(buf + strlen(buf), size - strlen(buf), ";transport=%s",
		 opts->transport);
	return sip_uri_parse(tnd_slice_from_cstr(buf), out, NULL) ? EINVAL : 0;
}

static int leg_new(struct b2b_call *call, const struct b2b_dial_opts *opts,
		   const char *target, struct b2b_leg **out)
{
	struct b2b_leg *leg = tnd_calloc(1, sizeof(*leg));
	struct sip_msg *invite = NULL;
	char next_buf[1024];
	struct sip_uri next;
	int rc;

	*out = NULL;
	if (!leg)
		return ENOMEM;
	leg->call = call;
	leg->side.call = call;
	leg->side.leg = leg;
	leg->state = LEG_CALLING;
	leg->in_dial = true;
	if ((rc = leg_next_hop(opts, target, next_buf, sizeof(next_buf),
			       &next)) ||
	    (rc = leg_invite_new(call, opts, target, &invite)) ||
	    (call->media &&
	     (rc = b2b_media_body(&call->a, &leg->side, call->request->sip,
				  invite))) ||
	    (rc = txn_route_start(&call->b2b->env.route, invite, &next,
				  on_leg_event, leg, &leg->route))) {
		sip_msg_free(invite);
		leg_free(leg);
		return rc;
	}
	sip_msg_free(invite); /* the route keeps its own copy */
	*out = leg;
	return 0;
}

/*
 * The caller's offer cannot be anchored: the dial fails as a B-leg
 * would, 488 for an SDP we cannot use, 503 when the relay has no ports
 * left (so that this call, and no running one, is refused).
 */
static int dial_refuse_media(struct b2b_call *call, int rc)
{
	if (rc == ENOSPC)
		b2b_media_set_why(call, "No Media Ports");
	tnd_log_warn("call %llu: cannot anchor the offer: %s",
		     (unsigned long long)call->id, b2b_media_why(call));
	b2b_msg_free(call->last_response);
	call->last_response = NULL;
	call->dialing = true;
	call->state = B2B_CALL_DIALING;
	dial_finish(call, rc == ENOSPC ? 503 : 488, b2b_media_why(call));
	return 0;
}

int dial_start(struct b2b_call *call, const struct b2b_dial_opts *opts)
{
	struct b2b_leg *legs = NULL, *leg, *last = NULL;
	struct sip_uri uri;
	int rc = 0;

	if (!opts->ntargets)
		return EINVAL;
	if ((rc = b2b_check_header_lines(opts->headers, opts->nheaders)))
		return rc;
	for (size_t i = 0; i < opts->ntargets; i++)
		if (sip_uri_parse(tnd_slice_from_cstr(opts->targets[i]), &uri,
				  NULL))
			return EINVAL;
	for (size_t i = 0; i < opts->ntargets && rc == 0; i++) {
		if ((rc = leg_new(call, opts, opts->targets[i], &leg)))
			break;
		if (last)
			last->next = leg;
		else
			legs = leg;
		last = leg;
	}
	if (rc) {
		while ((leg = legs)) {
			legs = leg->next;
			leg_free(leg);
		}
		if (rc == EBADMSG || rc == ENOSPC)
			return dial_refuse_media(call, rc);
		return rc == ENOMEM ? ENOMEM : EINVAL;
	}
	last->next = call->legs;
	call->legs = legs;
	call->dialing = true;
	call->any_ringing = false;
	call->state = B2B_CALL_DIALING;
	call->early = NULL;
	b2b_msg_free(call->last_response);
	call->last_response = NULL;
	call->last_code = 0;
	if (opts->timeout_ms)
		tnd_timer_start(call->b2b->env.timers, &call->dial_timer,
				opts->timeout_ms, on_dial_timeout, call);
	tnd_log_debug("call %llu: dialling %zu target(s), first %s",
		      (unsigned long long)call->id, opts->ntargets,
		      opts->targets[0]);
	return 0;
}
