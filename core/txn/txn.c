/*
 * What every transaction machine shares: creation and freeing, the hold
 * and release that make ending safe inside callbacks, state changes,
 * sending and resending printed messages, timers and events to the TU.
 */
#include <errno.h>
#include <string.h>

#include "tandem/log.h"
#include "tandem/mem.h"
#include "txn_int.h"

static const char *const state_names[] = {
	[TXN_CALLING] = "Calling",       [TXN_TRYING] = "Trying",
	[TXN_PROCEEDING] = "Proceeding", [TXN_COMPLETED] = "Completed",
	[TXN_CONFIRMED] = "Confirmed",   [TXN_ACCEPTED] = "Accepted",
	[TXN_TERMINATED] = "Terminated",
};

struct txn *txn_new(struct txn_layer *layer, enum txn_kind kind,
		    struct sip_msg *req_take, const struct net_peer *peer)
{
	struct txn *t = tnd_calloc(1, sizeof(*t) + txn_key_size(req_take));

	if (!t)
		return NULL;
	txn_key_copy(&t->key, t->key_bytes, req_take);
	tnd_log_debug("txn %p: new %s for %.*s", (void *)t,
		      kind == TXN_ICT || kind == TXN_NICT ? "client" : "server",
		      TND_SLICE_FMT(req_take->method_name));
	t->layer = layer;
	t->kind = kind;
	/* Each machine's first state: where RFC 3261 §17 starts it. */
	t->state = kind == TXN_ICT   ? TXN_CALLING
		   : kind == TXN_IST ? TXN_PROCEEDING
				     : TXN_TRYING;
	t->req = req_take;
	t->peer = *peer;
	t->reliable = net_transport_reliable(peer->transport);
	tnd_timer_init(&t->retrans);
	tnd_timer_init(&t->timeout);
	layer->stats.live[kind]++;
	return t;
}

static void txn_free(struct txn *t)
{
	struct txn_layer *layer = t->layer;

	tnd_timer_cancel(layer->timers, &t->retrans);
	tnd_timer_cancel(layer->timers, &t->timeout);
	if (t->in_table)
		txn_table_remove(layer, t);
	layer->stats.live[t->kind]--;
	sip_msg_free(t->req);
	tnd_free(t->out);
	tnd_free(t->out_to_tag);
	tnd_free(t->peer_name);
	tnd_free(t->ack);
	tnd_free(t);
}

void txn_forget_later(struct txn *t)
{
	if (t->forget_queued || !t->req)
		return;
	txn_hold(t); /* until txn_forget_due: it may end meanwhile */
	t->forget_queued = true;
	t->forget_next = t->layer->forget;
	t->layer->forget = t;
}

/*
 * What a lingering transaction still sends: a server's last response
 * (NIST; IST in Completed, resent by Timer G); an ICT's ACK, which is
 * kept apart.
 */
static void forget(struct txn *t)
{
	bool keeps_out = t->kind == TXN_NIST ||
			 (t->kind == TXN_IST && t->state == TXN_COMPLETED);

	sip_msg_free(t->req);
	t->req = NULL;
	if (!keeps_out) {
		tnd_free(t->out);
		t->out = NULL;
		t->out_len = 0;
	}
}

/* Ending: the list lets go of t (the list is short, what ended finals
 * since the last message or timer end), so that t goes with its last
 * holder, as any ending transaction does. */
static void forget_cancel(struct txn *t)
{
	struct txn **pp = &t->layer->forget;

	if (!t->forget_queued)
		return;
	while (*pp != t)
		pp = &(*pp)->forget_next;
	*pp = t->forget_next;
	t->forget_next = NULL;
	t->forget_queued = false;
	txn_release(t);
}

void txn_forget_due(struct txn_layer *layer)
{
	struct txn *t;

	while ((t = layer->forget)) {
		layer->forget = t->forget_next;
		t->forget_next = NULL;
		t->forget_queued = false;
		if (!t->dead)
			forget(t);
		txn_release(t);
	}
}

void txn_hold(struct txn *t)
{
	t->busy++;
}

void txn_release(struct txn *t)
{
	if (--t->busy == 0 && t->dead)
		txn_free(t);
}

void txn_set_state(struct txn *t, enum txn_state state)
{
	tnd_log_debug("txn %p %s -> %s", (void *)t, state_names[t->state],
		      state_names[state]);
	t->state = state;
}

void txn_emit(struct txn *t, enum txn_event_kind kind,
	      const struct sip_msg *msg, int error)
{
	struct txn_event ev = { .kind = kind, .msg = msg, .error = error };

	if (!t->fn)
		return;
	txn_hold(t);
	t->fn(t, &ev, t->arg);
	txn_release(t);
}

void txn_end(struct txn *t)
{
	if (t->state == TXN_TERMINATED)
		return;
	txn_set_state(t, TXN_TERMINATED);
	tnd_timer_cancel(t->layer->timers, &t->retrans);
	tnd_timer_cancel(t->layer->timers, &t->timeout);
	if (t->in_table)
		txn_table_remove(t->layer, t);
	txn_hold(t);
	forget_cancel(t);
	txn_emit(t, TXN_EV_TERMINATED, NULL, 0);
	t->fn = NULL;
	t->dead = true;
	txn_release(t);
}

void txn_fail(struct txn *t, int error)
{
	tnd_log_info("txn %p: transport error: %s", (void *)t, strerror(error));
	txn_emit(t, TXN_EV_TRANSPORT_ERROR, NULL, error);
	txn_end(t);
}

int txn_send_bytes(struct txn *t, const char *data, size_t len)
{
	struct txn_io *io = &t->layer->io;

	if (t->peer_name && io->send_named)
		return io->send_named(io->arg, &t->peer, t->peer_name, data,
				      len);
	return io->send(io->arg, &t->peer, data, len);
}

int txn_store_msg(struct txn *t, const struct sip_msg *msg)
{
	size_t size = sip_msg_print_size(msg), written;
	char *buf = tnd_malloc(size);

	if (!buf)
		return ENOMEM;
	sip_msg_print(msg, buf, size, &written);
	tnd_free(t->out);
	t->out = buf;
	t->out_len = written;
	return 0;
}

int txn_send_msg(struct txn *t, const struct sip_msg *msg)
{
	int rc = txn_store_msg(t, msg);

	return rc ? rc : txn_resend(t);
}

int txn_resend(struct txn *t)
{
	return txn_send_bytes(t, t->out, t->out_len);
}

void txn_start_retrans(struct txn *t, uint64_t ms, tnd_timer_fn fn)
{
	t->retrans_interval = ms;
	tnd_timer_start(t->layer->timers, &t->retrans, ms, fn, t);
}

void txn_start_timeout(struct txn *t, uint64_t ms, tnd_timer_fn fn)
{
	tnd_timer_start(t->layer->timers, &t->timeout, ms, fn, t);
}

uint64_t txn_64t1(const struct txn *t)
{
	return 64 * (uint64_t)t->layer->config.t1_ms;
}

void txn_on_timeout_end(struct tnd_timer *timer, void *arg)
{
	struct txn *t = arg;

	(void)timer;
	txn_forget_due(t->layer); /* a fresh start: a safe point */
	txn_hold(t);
	txn_emit(t, TXN_EV_TIMEOUT, NULL, 0);
	txn_end(t);
	txn_release(t);
}

void txn_on_linger_end(struct tnd_timer *timer, void *arg)
{
	struct txn *t = arg;

	(void)timer;
	txn_forget_due(t->layer); /* a fresh start: a safe point */
	txn_hold(t);
	txn_end(t);
	txn_release(t);
}

void txn_set_handler(struct txn *t, txn_event_fn fn, void *arg)
{
	t->fn = fn;
	t->arg = fn ? arg : NULL;
}

const struct sip_msg *txn_request(const struct txn *t)
{
	return t->req;
}

struct tnd_slice txn_branch(const struct txn *t)
{
	return t->key.branch;
}

enum txn_kind txn_kind_of(const struct txn *t)
{
	return t->kind;
}

const char *txn_state_name(const struct txn *t)
{
	return state_names[t->state];
}
