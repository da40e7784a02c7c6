/*
 * The engine: the calls, the index that finds a call's dialogs, and the
 * entry point every request the transaction layer does not absorb comes
 * through: in-dialog requests and ACKs to their side, CANCEL to its call,
 * INVITE to a new call, anything else to the script and then a default
 * answer. Owns every call (see call.c for how one ends).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tandem/log.h"
#include "tandem/mem.h"
#include "tandem/sip_check.h"
#include "b2b_int.h"

const struct b2b_config b2b_config_default = {
	.t1_ms = 500,
	.t2_ms = 4000,
	.max_calls = 100000,
};

int b2b_new(const struct b2b_config *config, const struct b2b_env *env,
	    const struct b2b_hooks *hooks, struct b2b **out)
{
	struct b2b *b2b = tnd_calloc(1, sizeof(*b2b));
	int rc;

	*out = NULL;
	if (!b2b)
		return ENOMEM;
	b2b->config = config ? *config : b2b_config_default;
	b2b->env = *env;
	if (hooks)
		b2b->hooks = *hooks;
	if ((rc = b2b_index_init(&b2b->index))) {
		tnd_free(b2b);
		return rc;
	}
	*out = b2b;
	return 0;
}

void b2b_free(struct b2b *b2b)
{
	if (!b2b)
		return;
	b2b->done = NULL;
	memset(&b2b->hooks, 0, sizeof(b2b->hooks));
	while (b2b->calls) {
		struct b2b_call *call = b2b->calls;

		call->state = B2B_CALL_ENDED;
		call->hangup_delivered = true;
		tnd_timer_cancel(b2b->env.timers, &call->linger);
		call->busy = 1;
		call_release(call);
	}
	b2b_index_fini(&b2b->index);
	tnd_free(b2b);
}

void b2b_set_hooks(struct b2b *b2b, const struct b2b_hooks *hooks)
{
	b2b->hooks = *hooks;
}

size_t b2b_live_calls(const struct b2b *b2b)
{
	return b2b->ncalls;
}

void b2b_shutdown(struct b2b *b2b, void (*done)(void *arg), void *arg)
{
	struct b2b_call *call, *next;

	b2b->shutting_down = true;
	b2b->done = done;
	b2b->done_arg = arg;
	if (b2b->ncalls == 0) {
		if (done)
			done(arg);
		return;
	}
	for (call = b2b->calls; call; call = next) {
		call_hold(call);
		b2b_call_teardown(call, B2B_END_CORE, 503, "Shutting Down");
		next = call->next;
		call_release(call);
	}
}

/* Outside a dialog, after the script: OPTIONS answered, others refused. */
static void answer_default(struct txn *st, const struct sip_msg *req)
{
	static const char *const options[] = {
		"Allow", B2B_ALLOW, "Accept", "application/sdp", NULL,
	};
	static const char *const allow[] = { "Allow", B2B_ALLOW, NULL };

	switch (req->method) {
	case SIP_METHOD_OPTIONS:
		txn_server_reply(st, 200, NULL, TND_SLICE_LIT(""), options);
		break;
	case SIP_METHOD_REGISTER:
	case SIP_METHOD_SUBSCRIBE:
	case SIP_METHOD_PUBLISH:
	case SIP_METHOD_MESSAGE:
		txn_server_reply(st, 405, NULL, TND_SLICE_LIT(""), allow);
		break;
	case SIP_METHOD_UNKNOWN:
		txn_server_reply(st, 501, NULL, TND_SLICE_LIT(""), allow);
		break;
	default: /* BYE, INFO, UPDATE, PRACK, NOTIFY, REFER: no dialog */
		txn_server_reply(st, 481, NULL, TND_SLICE_LIT(""), NULL);
		break;
	}
}

static void on_out_of_dialog(struct b2b *b2b, struct txn *st,
			     const struct sip_msg *req,
			     const struct net_peer *from)
{
	struct b2b_msg m;

	b2b_msg_borrow(&m, req, from);
	if (b2b->hooks.on_request) {
		m.st = st;
		b2b->hooks.on_request(b2b->hooks.arg, NULL, &m);
	}
	if (!m.replied)
		answer_default(st, req);
	b2b_msg_fini(&m);
}

/*
 * What a request may require: reliable provisionals, which tandem relays
 * end to end; SDP bodies (media anchoring will read them).
 */
static const char *const b2b_supported[] = { "100rel", NULL };
static const char *const b2b_body_types[] = { "application/sdp", NULL };
static const struct sip_check_policy b2b_check_policy = {
	.supported = b2b_supported,
	.body_types = b2b_body_types,
};

/* RFC 3261 §8.2, for every request in or out of a dialog: true when it
 * was refused (with Unsupported on 420, Allow on 501). */
static bool refuse_request(struct txn *st, const struct sip_msg *req)
{
	struct sip_check_result check;
	const char *extra[3] = { NULL };
	char unsupported[128];

	if (sip_msg_check_request(req, &b2b_check_policy, &check) == 0)
		return false;
	if (check.status == 420) {
		snprintf(unsupported, sizeof(unsupported), "%.*s",
			 TND_SLICE_FMT(check.unsupported));
		extra[0] = "Unsupported";
		extra[1] = unsupported;
	} else if (check.status == 501) {
		extra[0] = "Allow";
		extra[1] = B2B_ALLOW;
	}
	txn_server_reply(st, check.status, check.reason, TND_SLICE_LIT(""),
			 extra);
	return true;
}

static struct b2b_side *find_side(struct b2b *b2b, const struct sip_msg *req)
{
	char *key = b2b_key_new('D', req->call_id, req->to.tag);
	struct b2b_side *side = key ? b2b_index_find(&b2b->index, key) : NULL;

	tnd_free(key);
	if (side && !dialog_match(side->dialog, req))
		return NULL;
	return side;
}

void b2b_on_request(void *arg, struct txn *st, const struct sip_msg *req,
		    const struct net_peer *from)
{
	struct b2b *b2b = arg;
	struct b2b_side *side;

	if (req->method == SIP_METHOD_CANCEL) {
		if (st)
			b2b_on_cancel(b2b, st, req);
		return;
	}
	if (st && refuse_request(st, req))
		return;
	if (req->to.tag.len) {
		side = find_side(b2b, req);
		if (!st) {
			if (side && req->method == SIP_METHOD_ACK)
				relay_ack(side, req);
		} else if (side) {
			relay_in_dialog(side, st, req, from);
		} else {
			txn_server_reply(st, 481, NULL, TND_SLICE_LIT(""),
					 NULL);
		}
		return;
	}
	if (!st)
		return; /* an ACK outside any dialog: nothing to confirm */
	if (req->method == SIP_METHOD_INVITE)
		b2b_on_invite(b2b, st, req, from);
	else
		on_out_of_dialog(b2b, st, req, from);
}
