/*
 * The call: made from an INVITE outside any dialog, ended in one place
 * (call_end marks it, call_release frees it once nothing it owns is still
 * running). Owns the copy of the A-leg INVITE, the A-side, the legs, the
 * relays and the timers that deliver the script's events from the loop.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tandem/log.h"
#include "tandem/mem.h"
#include "b2b_int.h"

uint64_t b2b_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

bool call_is_ended(const struct b2b_call *call)
{
	return call->state == B2B_CALL_ENDED;
}

static void call_free(struct b2b_call *call)
{
	struct b2b *b2b = call->b2b;

	tnd_log_debug("call %llu: freed", (unsigned long long)call->id);
	if (call->a_st)
		txn_set_handler(call->a_st, NULL, NULL);
	b2b_media_free(call);
	relay_free_all(call);
	prack_fini(call);
	while (call->legs) {
		struct b2b_leg *leg = call->legs;

		call->legs = leg->next;
		leg_free(leg);
	}
	b2b_side_fini(&call->a);
	if (call->cancel_key) {
		b2b_index_remove(&b2b->index, call->cancel_key);
		tnd_free(call->cancel_key);
	}
	tnd_timer_cancel(b2b->env.timers, &call->dial_timer);
	tnd_timer_cancel(b2b->env.timers, &call->pump);
	tnd_timer_cancel(b2b->env.timers, &call->linger);
	b2b_msg_free(call->last_response);
	b2b_msg_free(call->request);
	if (call->prev)
		call->prev->next = call->next;
	else
		b2b->calls = call->next;
	if (call->next)
		call->next->prev = call->prev;
	b2b->ncalls--;
	tnd_free(call);
	if (b2b->shutting_down && b2b->ncalls == 0 && b2b->done)
		b2b->done(b2b->done_arg);
}

void call_hold(struct b2b_call *call)
{
	call->busy++;
}

/* Nothing the call sent still waits: its INVITEs and BYEs are answered,
 * its ACKs have their address, no BYE waits for an ACK (freeing the call
 * would drop them). */
static bool call_settled(const struct b2b_call *call)
{
	if (!legs_settled(call) || call->a.ack_lookup || call->a.bye_pending)
		return false;
	for (const struct b2b_leg *leg = call->legs; leg; leg = leg->next)
		if (leg->side.ack_lookup || leg->side.bye_pending)
			return false;
	for (const struct b2b_relay *r = call->relays; r; r = r->next)
		if (r->method == SIP_METHOD_BYE)
			return false;
	return true;
}

/* Frees an ended call once its script heard of it and it settled. */
void call_release(struct b2b_call *call)
{
	if (--call->busy || !call_is_ended(call) || !call->hangup_delivered)
		return;
	if (call_settled(call) || !tnd_timer_active(&call->linger))
		call_free(call);
}

static void on_pump(struct tnd_timer *timer, void *arg)
{
	struct b2b_call *call = arg;
	const struct b2b_hooks *h = &call->b2b->hooks;

	(void)timer;
	call_hold(call);
	if (call->dial_done_pending && !call_is_ended(call)) {
		call->dial_done_pending = false;
		if (h->on_dial_done)
			h->on_dial_done(h->arg, call, &call->dial_result);
	}
	if (call->hangup_pending && !call->hangup_delivered) {
		call->hangup_delivered = true;
		if (h->on_hangup)
			h->on_hangup(h->arg, call, &call->end);
		call->user = NULL;
	}
	call_release(call);
}

void call_pump(struct b2b_call *call)
{
	tnd_timer_start(call->b2b->env.timers, &call->pump, 0, on_pump, call);
}

/* Legs that never settle (no answer to a CANCEL) stop holding the call. */
static void on_linger(struct tnd_timer *timer, void *arg)
{
	struct b2b_call *call = arg;

	(void)timer;
	call_hold(call);
	call_release(call);
}

void call_end(struct b2b_call *call, enum b2b_end_by by, uint16_t code,
	      const char *reason)
{
	struct b2b *b2b = call->b2b;

	if (call_is_ended(call))
		return;
	tnd_log_debug("call %llu: ended (%s, %u %s)",
		      (unsigned long long)call->id,
		      by == B2B_END_CALLER   ? "caller"
		      : by == B2B_END_CALLEE ? "callee"
		      : by == B2B_END_SCRIPT ? "script"
					     : "core",
		      code, reason ? reason : "");
	call->state = B2B_CALL_ENDED;
	call->dialing = false;
	call->dial_done_pending = false;
	tnd_timer_cancel(b2b->env.timers, &call->dial_timer);
	snprintf(call->end_reason, sizeof(call->end_reason), "%s",
		 reason ? reason : sip_reason_phrase(code));
	call->end.by = by;
	call->end.code = code;
	call->end.reason = call->end_reason;
	call->end.end_ms = b2b_wall_ms();
	if (call->cancel_key) {
		b2b_index_remove(&b2b->index, call->cancel_key);
		tnd_free(call->cancel_key);
		call->cancel_key = NULL;
	}
	call->hangup_pending = true;
	call_pump(call);
	tnd_timer_start(b2b->env.timers, &call->linger,
			64ull * b2b->config.t1_ms, on_linger, call);
}

int call_answer_a(struct b2b_call *call, uint16_t status, const char *reason,
		  const char *const *headers, size_t nheaders)
{
	struct sip_msg *res;
	int rc;

	if (call->a_final_sent || !call->a_st || !txn_request(call->a_st))
		return EPROTO;
	if ((rc = sip_msg_response_new(txn_request(call->a_st), status, reason,
				       tnd_slice_from_cstr(call->a_tag), &res)))
		return rc;
	if ((rc = b2b_add_header_lines(res, headers, nheaders))) {
		sip_msg_free(res);
		return rc;
	}
	if ((rc = txn_server_respond(call->a_st, res)) == 0)
		call->a_final_sent = true;
	return rc;
}

void b2b_call_teardown(struct b2b_call *call, enum b2b_end_by by, uint16_t code,
		       const char *reason)
{
	if (call_is_ended(call))
		return;
	dial_cancel_all(call, true);
	if (call->bridged) {
		b2b_side_bye(&call->bridged->side);
		b2b_side_bye(&call->a);
	} else if (!call->a_final_sent) {
		call_answer_a(call, code, reason, NULL, 0);
	}
	call_end(call, by, code, reason);
}

/* The A-leg INVITE's transaction: its end, or a failed send. */
static void on_a_ist_event(struct txn *t, const struct txn_event *ev, void *arg)
{
	struct b2b_call *call = arg;

	(void)t;
	call_hold(call);
	if (ev->kind == TXN_EV_TERMINATED) {
		call->a_st = NULL;
		if (call->a.ok_st == t)
			call->a.ok_st = NULL;
	} else if (ev->kind == TXN_EV_TRANSPORT_ERROR) {
		b2b_call_teardown(call, B2B_END_CORE, 503, "Transport Error");
	}
	call_release(call);
}

/* §16.3 and our own refusals, before there is a call (the §8.2 checks
 * came first, in b2b_on_request). True if answered. */
static bool refuse_invite(struct b2b *b2b, struct txn *st,
			  const struct sip_msg *req)
{
	static const char *const retry[] = { "Retry-After", "5", NULL };

	if (req->has_max_forwards && req->max_forwards == 0) {
		txn_server_reply(st, 483, NULL, TND_SLICE_LIT(""), NULL);
	} else if (b2b->shutting_down || b2b->ncalls >= b2b->config.max_calls) {
		txn_server_reply(st, 503, NULL, TND_SLICE_LIT(""), retry);
	} else if (!sip_msg_hdr(req, SIP_HDR_CONTACT) || !req->from.tag.len) {
		txn_server_reply(st, 400,
				 req->from.tag.len ? "Missing Contact"
						   : "Missing From Tag",
				 TND_SLICE_LIT(""), NULL);
	} else {
		return false;
	}
	return true;
}

static int call_init_a(struct b2b_call *call, struct txn *st,
		       const struct sip_msg *req, const struct net_peer *from)
{
	struct b2b *b2b = call->b2b;
	char contact[128];
	int rc;

	call->a.call = call;
	call->a.flow = *from;
	if ((rc = tnd_rand_token(call->a_tag, TND_RAND_TOKEN_CHARS)) ||
	    (rc = txn_route_local_uri(&b2b->env.route, from, contact,
				      sizeof(contact))) ||
	    (rc = b2b_msg_new(req, from, &call->request)) ||
	    (rc = dialog_uas_new(req, tnd_slice_from_cstr(call->a_tag), contact,
				 &call->a.dialog)) ||
	    (rc = b2b_side_index(&call->a)))
		return rc;
	if (!(call->cancel_key = b2b_key_new('C', req->call_id, req->from.tag)))
		return ENOMEM;
	if ((rc = b2b_index_add(&b2b->index, call->cancel_key, call))) {
		tnd_free(call->cancel_key);
		call->cancel_key = NULL;
		return rc;
	}
	call->a_st = st;
	txn_set_handler(st, on_a_ist_event, call);
	return 0;
}

static struct b2b_call *call_new(struct b2b *b2b)
{
	struct b2b_call *call = tnd_calloc(1, sizeof(*call));

	if (!call)
		return NULL;
	call->b2b = b2b;
	call->id = ++b2b->next_id;
	call->state = B2B_CALL_NEW;
	call->end.setup_ms = b2b_wall_ms();
	call->next = b2b->calls;
	if (b2b->calls)
		b2b->calls->prev = call;
	b2b->calls = call;
	b2b->ncalls++;
	return call;
}

void b2b_on_invite(struct b2b *b2b, struct txn *st, const struct sip_msg *req,
		   const struct net_peer *from)
{
	struct b2b_call *call;
	int rc;

	if (refuse_invite(b2b, st, req))
		return;
	if (!(call = call_new(b2b))) {
		txn_server_reply(st, 500, "Out Of Memory", TND_SLICE_LIT(""),
				 NULL);
		return;
	}
	call_hold(call);
	if ((rc = call_init_a(call, st, req, from))) {
		tnd_log_warn("call %llu: cannot start: %s",
			     (unsigned long long)call->id, strerror(rc));
		if (!call->a_st)
			txn_server_reply(st, rc == ENOMEM ? 500 : 400, NULL,
					 TND_SLICE_LIT(""), NULL);
		b2b_call_teardown(call, B2B_END_CORE, rc == ENOMEM ? 500 : 400,
				  NULL);
	} else {
		tnd_log_debug("call %llu: INVITE %.*s",
			      (unsigned long long)call->id,
			      TND_SLICE_FMT(req->ruri_text));
		if (b2b->hooks.on_invite)
			b2b->hooks.on_invite(b2b->hooks.arg, call);
		else
			b2b_call_teardown(call, B2B_END_SCRIPT, 404, NULL);
	}
	call_release(call);
}

/* RFC 3261 §9.2: 200 to the CANCEL, 487 to the INVITE, CANCEL the legs. */
void b2b_on_cancel(struct b2b *b2b, struct txn *st, const struct sip_msg *req)
{
	char *key = b2b_key_new('C', req->call_id, req->from.tag);
	struct b2b_call *call = key ? b2b_index_find(&b2b->index, key) : NULL;
	struct txn *invite = txn_layer_find_invite(b2b->env.route.layer, req);

	tnd_free(key);
	if (!call || !call->a_st || invite != call->a_st) {
		txn_server_reply(st, invite ? 200 : 481, NULL,
				 TND_SLICE_LIT(""), NULL);
		if (invite)
			(void)txn_server_reply(invite, 487, NULL,
					       TND_SLICE_LIT(""), NULL);
		return;
	}
	txn_server_reply(st, 200, NULL, TND_SLICE_LIT(""), NULL);
	if (call->a_final_sent)
		return;
	call_hold(call);
	b2b_call_teardown(call, B2B_END_CALLER, 487, NULL);
	if (b2b->hooks.on_cancel)
		b2b->hooks.on_cancel(b2b->hooks.arg, call);
	call_release(call);
}

/* The API the script uses. */
enum b2b_call_state b2b_call_state(const struct b2b_call *call)
{
	return call->state;
}

const char *b2b_call_state_name(enum b2b_call_state state)
{
	static const char *const names[] = { "new", "dialing", "answered",
					     "confirmed", "ended" };

	return state <= B2B_CALL_ENDED ? names[state] : "?";
}

uint64_t b2b_call_id(const struct b2b_call *call)
{
	return call->id;
}

struct b2b_msg *b2b_call_request(struct b2b_call *call)
{
	return call->request;
}

void b2b_call_set_user(struct b2b_call *call, void *user)
{
	call->user = user;
}

void *b2b_call_user(const struct b2b_call *call)
{
	return call->user;
}

int b2b_call_dial(struct b2b_call *call, const struct b2b_dial_opts *opts)
{
	if (call_is_ended(call) || call->bridged || call->dialing ||
	    call->a_final_sent)
		return EPROTO;
	return dial_start(call, opts);
}

int b2b_call_reply(struct b2b_call *call, uint16_t status, const char *reason,
		   const char *const *headers, size_t nheaders)
{
	int rc;

	if (status < 300 || status > 699)
		return EINVAL;
	if (call_is_ended(call) || call->bridged || call->a_final_sent)
		return EPROTO;
	call_hold(call);
	if ((rc = call_answer_a(call, status, reason, headers, nheaders)) == 0)
		b2b_call_teardown(call, B2B_END_SCRIPT, status, reason);
	call_release(call);
	return rc;
}

void b2b_call_hangup(struct b2b_call *call)
{
	call_hold(call);
	b2b_call_teardown(call, B2B_END_SCRIPT, call->bridged ? 200 : 480,
			  NULL);
	call_release(call);
}

void b2b_call_script_done(struct b2b_call *call)
{
	call->script_done = true;
	if (call_is_ended(call) || call->bridged || call->dialing)
		return;
	call_hold(call);
	b2b_call_teardown(call, B2B_END_SCRIPT,
			  call->last_code >= 300 ? call->last_code : 480,
			  call->last_code >= 300 ? call->last_reason : NULL);
	call_release(call);
}

void b2b_call_fail(struct b2b_call *call)
{
	call_hold(call);
	b2b_call_teardown(call, B2B_END_SCRIPT, 500, "Script Error");
	call_release(call);
}
