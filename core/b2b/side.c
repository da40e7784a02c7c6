/*
 * A dialog end of a call (see b2b_int.h): its place in the engine's
 * index, where its in-dialog requests and ACKs go (the A-side: back on
 * the caller's flow; a B-side: to its route set or remote target, RFC
 * 3261 §12.2.1.1 and §8.1.2), and our 2xx to an INVITE from it, resent
 * until its ACK (§13.3.1.4). Owns the index key, the lookup and ACK of a
 * B-side, and the 2xx it resends.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tandem/log.h"
#include "tandem/mem.h"
#include "b2b_int.h"

static struct b2b *side_b2b(const struct b2b_side *side)
{
	return side->call->b2b;
}

int b2b_side_index(struct b2b_side *side)
{
	struct b2b *b2b = side_b2b(side);
	const struct dialog *d = side->dialog;
	int rc;

	if (side->index_key)
		return 0;
	side->index_key = b2b_key_new('D', tnd_slice_from_cstr(d->call_id),
				      tnd_slice_from_cstr(d->local_tag));
	if (!side->index_key)
		return ENOMEM;
	if ((rc = b2b_index_add(&b2b->index, side->index_key, side))) {
		tnd_free(side->index_key);
		side->index_key = NULL;
	}
	return rc;
}

void b2b_side_unindex(struct b2b_side *side)
{
	if (!side->index_key)
		return;
	b2b_index_remove(&side_b2b(side)->index, side->index_key);
	tnd_free(side->index_key);
	side->index_key = NULL;
}

void b2b_side_fini(struct b2b_side *side)
{
	if (!side->call)
		return;
	b2b_side_unindex(side);
	tnd_timer_cancel(side_b2b(side)->env.timers, &side->ok_timer);
	sip_msg_free(side->ok);
	side->ok = NULL;
	net_resolve_cancel(side->ack_lookup);
	side->ack_lookup = NULL;
	sip_msg_free(side->ack_pending);
	side->ack_pending = NULL;
	sip_msg_free(side->ack_sent);
	side->ack_sent = NULL;
	dialog_free(side->dialog);
	side->dialog = NULL;
	b2b_media_side_fini(side);
}

struct b2b_side *b2b_side_peer(struct b2b_side *side)
{
	struct b2b_call *call = side->call;

	if (side->leg)
		return side->leg == call->bridged || side->leg == call->early
			   ? &call->a
			   : NULL;
	if (call->bridged)
		return &call->bridged->side;
	return call->early && call->early->side.dialog ? &call->early->side
						       : NULL;
}

/* The URI a B-side's requests go to first: route set, else target. */
static int side_next_hop(const struct b2b_side *side, struct sip_uri *out)
{
	const struct dialog *d = side->dialog;
	struct sip_nameaddr na;

	if (d->nroutes) {
		if (sip_nameaddr_parse(tnd_slice_from_cstr(d->route_set[0]),
				       &na, NULL))
			return EINVAL;
		return sip_uri_parse(na.uri, out, NULL) ? EINVAL : 0;
	}
	return sip_uri_parse(tnd_slice_from_cstr(d->remote_target), out, NULL)
		   ? EINVAL
		   : 0;
}

int b2b_side_request(struct b2b_side *side, struct sip_msg *req,
		     txn_route_fn fn, void *arg, struct txn_route **out)
{
	const struct txn_route_env *env = &side_b2b(side)->env.route;
	struct sip_uri next;
	int rc;

	if (!side->leg)
		return txn_route_start_peer(env, req, &side->flow, fn, arg,
					    out);
	if ((rc = side_next_hop(side, &next)))
		return rc;
	return txn_route_start(env, req, &next, fn, arg, out);
}

/* Stamps our Via on `ack` for `to` and sends it; keeps it for resends. */
static int side_ack_out(struct b2b_side *side, struct sip_msg *ack_take,
			const struct net_peer *to)
{
	struct b2b *b2b = side_b2b(side);
	int rc;

	if ((rc = txn_route_stamp(&b2b->env.route, ack_take, to)) == 0)
		rc = txn_layer_send(b2b->env.route.layer, ack_take, to);
	sip_msg_free(side->ack_sent);
	side->ack_sent = ack_take;
	if (rc)
		tnd_log_warn("call %llu: cannot send ACK: %s",
			     (unsigned long long)side->call->id, strerror(rc));
	return rc;
}

static void on_ack_resolved(void *arg, int err, struct net_targets *targets)
{
	struct b2b_side *side = arg;
	struct b2b_call *call = side->call;
	struct sip_msg *ack = side->ack_pending;

	call_hold(call); /* an ended call waits for its ACKs */
	side->ack_lookup = NULL;
	side->ack_pending = NULL;
	if (err || !targets || !targets->n) {
		tnd_log_warn("call %llu: no address for the ACK: %s",
			     (unsigned long long)side->call->id,
			     strerror(err ? err : ENOENT));
		sip_msg_free(ack);
	} else {
		net_target_peer(&targets->t[0], &side->ack_peer);
		side->has_ack_peer = true;
		side_ack_out(side, ack, &side->ack_peer);
	}
	net_targets_free(targets);
	call_release(call);
}

static int side_send_ack(struct b2b_side *side, struct sip_msg *ack)
{
	struct b2b *b2b = side_b2b(side);
	struct sip_uri next;
	int rc;

	if (!side->leg)
		return side_ack_out(side, ack, &side->flow);
	if (side->has_ack_peer)
		return side_ack_out(side, ack, &side->ack_peer);
	net_resolve_cancel(side->ack_lookup);
	side->ack_lookup = NULL;
	sip_msg_free(side->ack_pending);
	side->ack_pending = ack;
	if ((rc = side_next_hop(side, &next)) ||
	    (rc = net_resolve_uri(b2b->env.route.resolver, &next,
				  on_ack_resolved, side, &side->ack_lookup))) {
		side->ack_pending = NULL;
		sip_msg_free(ack);
	}
	return rc;
}

/*
 * An ACK carrying an answer (late offer) that we cannot use still goes,
 * without it, so that this side's 2xx ends; then the call ends: its
 * media would be left half negotiated.
 */
int b2b_side_send_ack(struct b2b_side *side, uint32_t cseq,
		      const struct sip_msg *body_from)
{
	struct b2b_side *peer = body_from ? b2b_side_peer(side) : NULL;
	struct sip_msg *ack;
	bool unusable = false;
	int rc;

	if ((rc = dialog_ack_new(side->dialog, cseq, &ack)))
		return rc;
	side->ack_sent_cseq = cseq;
	if (peer && (rc = b2b_media_body(peer, side, body_from, ack))) {
		if (rc != EBADMSG) {
			sip_msg_free(ack);
			return rc;
		}
		tnd_log_warn("call %llu: unusable SDP in an ACK: %s",
			     (unsigned long long)side->call->id,
			     b2b_media_why(side->call));
		unusable = true;
	}
	rc = side_send_ack(side, ack);
	if (unusable)
		b2b_call_teardown(side->call, B2B_END_CORE, 488,
				  b2b_media_why(side->call));
	return rc;
}

int b2b_side_resend_ack(struct b2b_side *side)
{
	struct b2b *b2b = side_b2b(side);
	const struct net_peer *to = side->leg ? &side->ack_peer : &side->flow;

	if (!side->ack_sent || (side->leg && !side->has_ack_peer))
		return 0;
	return txn_layer_send(b2b->env.route.layer, side->ack_sent, to);
}

/* RFC 3261 §13.3.1.4: T1, doubling up to T2, until 64*T1. */
static void on_ok_timer(struct tnd_timer *timer, void *arg)
{
	struct b2b_side *side = arg;
	struct b2b *b2b = side_b2b(side);
	struct b2b_call *call = side->call;

	(void)timer;
	side->ok_elapsed += side->ok_interval;
	if (side->ok_elapsed >= 64ull * b2b->config.t1_ms) {
		tnd_log_warn("call %llu: no ACK for our 2xx",
			     (unsigned long long)call->id);
		call_hold(call);
		b2b_side_ok_acked(side); /* sends a BYE that waited */
		b2b_call_teardown(call, B2B_END_CORE, 408, "No ACK");
		call_release(call);
		return;
	}
	if (side->ok_st)
		(void)txn_server_send(side->ok_st, side->ok);
	side->ok_interval = side->ok_interval * 2 < b2b->config.t2_ms
				? side->ok_interval * 2
				: b2b->config.t2_ms;
	/* The last wait ends at 64*T1 exactly, not at the next resend. */
	if (side->ok_interval > 64ull * b2b->config.t1_ms - side->ok_elapsed)
		side->ok_interval =
		    64ull * b2b->config.t1_ms - side->ok_elapsed;
	tnd_timer_start(b2b->env.timers, &side->ok_timer, side->ok_interval,
			on_ok_timer, side);
}

int b2b_side_send_ok(struct b2b_side *side, struct txn *st,
		     struct sip_msg *ok_take)
{
	struct b2b *b2b = side_b2b(side);
	int rc;

	if ((rc = txn_server_send(st, ok_take))) {
		sip_msg_free(ok_take);
		return rc;
	}
	sip_msg_free(side->ok);
	side->ok = ok_take;
	side->ok_st = st;
	side->ok_elapsed = 0;
	side->ok_interval = b2b->config.t1_ms;
	tnd_timer_start(b2b->env.timers, &side->ok_timer, side->ok_interval,
			on_ok_timer, side);
	return 0;
}

void b2b_side_ok_acked(struct b2b_side *side)
{
	tnd_timer_cancel(side_b2b(side)->env.timers, &side->ok_timer);
	sip_msg_free(side->ok);
	side->ok = NULL;
	side->ok_st = NULL;
	if (side->bye_pending) {
		side->bye_pending = false;
		b2b_side_bye(side);
	}
}

int b2b_side_response_new(struct b2b_side *side, const struct sip_msg *req,
			  uint16_t status, const char *reason,
			  struct sip_msg **out)
{
	const struct sip_hdr *rr;
	char contact[140];
	int rc;

	if ((rc = sip_msg_response_new(
		 req, status, reason,
		 tnd_slice_from_cstr(side->dialog->local_tag), out)))
		return rc;
	snprintf(contact, sizeof(contact), "<%s>", side->dialog->local_contact);
	if (side->leg) /* its local contact names SIP_UNSENT_HOST */
		rc =
		    txn_route_local_uri(&side_b2b(side)->env.route, &side->flow,
					contact + 1, sizeof(contact) - 2);
	if (rc == 0 && side->leg)
		strcat(contact, ">");
	if (rc == 0)
		rc = sip_msg_hdr_add(*out, "Contact",
				     tnd_slice_from_cstr(contact),
				     SIP_HDR_APPEND);
	for (rr = sip_msg_hdr(req, SIP_HDR_RECORD_ROUTE); rr && rc == 0;
	     rr = sip_msg_hdr_next(req, rr))
		rc = sip_msg_hdr_add(*out, "Record-Route", rr->value,
				     SIP_HDR_APPEND);
	if (rc) {
		sip_msg_free(*out);
		*out = NULL;
	}
	return rc;
}
