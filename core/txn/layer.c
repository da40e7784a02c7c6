/*
 * The transaction layer: the table, the timers, the way out (txn_io) and
 * the way up (txn_tu). Routes each received message to the transaction
 * it belongs to, makes server transactions for new requests, and starts
 * client transactions for the TU.
 */
#include <errno.h>
#include <string.h>

#include "tandem/log.h"
#include "tandem/mem.h"
#include "tandem/rand.h"
#include "txn_int.h"

const struct txn_config txn_config_default = {
	.t1_ms = 500,
	.t2_ms = 4000,
	.t4_ms = 5000,
	.trying_ms = 200,
	.max_server_txns = 1000000,
};

int txn_layer_new(const struct txn_config *config, struct tnd_timers *timers,
		  struct txn_io io, struct txn_tu tu, struct txn_layer **out)
{
	struct txn_layer *layer = tnd_calloc(1, sizeof(*layer));

	*out = NULL;
	if (!layer)
		return ENOMEM;
	layer->config = config ? *config : txn_config_default;
	layer->timers = timers;
	layer->io = io;
	layer->tu = tu;
	if (txn_table_init(&layer->clients) ||
	    txn_table_init(&layer->servers)) {
		txn_table_free(&layer->clients);
		tnd_free(layer);
		return ENOMEM;
	}
	*out = layer;
	return 0;
}

static void free_all(struct txn_layer *layer, struct txn_table *table)
{
	txn_table_settle(table);
	for (size_t i = 0; i < table->nbuckets; i++) {
		while (table->buckets[i]) {
			struct txn *t = table->buckets[i];

			t->fn = NULL; /* shutdown: no events */
			txn_hold(t);
			txn_end(t);
			txn_release(t);
		}
	}
	(void)layer;
}

void txn_layer_free(struct txn_layer *layer)
{
	if (!layer)
		return;
	txn_forget_due(layer);
	free_all(layer, &layer->clients);
	free_all(layer, &layer->servers);
	txn_table_free(&layer->clients);
	txn_table_free(&layer->servers);
	tnd_free(layer);
}

void txn_layer_stats(const struct txn_layer *layer, struct txn_stats *out)
{
	*out = layer->stats;
}

static void receive_response(struct txn_layer *layer, struct sip_msg *res)
{
	struct txn *t = txn_table_match_response(layer, res);

	if (!t) {
		layer->stats.stray_responses++;
		tnd_log_debug("stray %u response dropped", res->status);
		return;
	}
	txn_hold(t);
	if (t->kind == TXN_ICT)
		txn_ict_on_response(t, res);
	else
		txn_nict_on_response(t, res);
	txn_release(t);
}

static void receive_matched(struct txn *t, const struct sip_msg *req,
			    const struct net_peer *from)
{
	txn_hold(t);
	if (t->kind == TXN_IST)
		txn_ist_on_request(t, req, from);
	else
		txn_nist_on_request(t, req);
	txn_release(t);
}

/* Over max_server_txns: 503 and Retry-After, keeping no state. */
static void refuse_overload(struct txn_layer *layer, const struct sip_msg *req,
			    const struct net_peer *from)
{
	struct sip_msg *res;

	layer->stats.overload_refused++;
	if (sip_msg_response_new(req, 503, "Server Overloaded", TND_SLICE_NULL,
				 &res))
		return;
	if (sip_msg_hdr_add(res, "Retry-After", TND_SLICE_LIT("5"),
			    SIP_HDR_APPEND) == 0)
		txn_layer_send(layer, res, from);
	sip_msg_free(res);
}

static void new_server(struct txn_layer *layer, struct sip_msg *req_take,
		       const struct net_peer *from)
{
	enum txn_kind kind =
	    req_take->method == SIP_METHOD_INVITE ? TXN_IST : TXN_NIST;
	uint64_t live =
	    layer->stats.live[TXN_IST] + layer->stats.live[TXN_NIST];
	struct txn *st;

	if (live >= layer->config.max_server_txns) {
		refuse_overload(layer, req_take, from);
		sip_msg_free(req_take);
		return;
	}
	if (!(st = txn_new(layer, kind, req_take, from))) {
		sip_msg_free(req_take);
		return; /* no memory: the peer retransmits */
	}
	txn_table_add_server(layer, st);
	txn_hold(st);
	if (kind == TXN_IST)
		txn_ist_start(st);
	layer->tu.on_request(layer->tu.arg, st, st->req, from);
	txn_release(st);
}

void txn_layer_receive(struct txn_layer *layer, struct sip_msg *msg_take,
		       const struct net_peer *from)
{
	struct txn *t;

	txn_forget_due(layer);
	if (!msg_take->is_request) {
		receive_response(layer, msg_take);
		sip_msg_free(msg_take);
		return;
	}
	if ((t = txn_table_match_request(layer, msg_take))) {
		receive_matched(t, msg_take, from);
		sip_msg_free(msg_take);
		return;
	}
	if (msg_take->method == SIP_METHOD_ACK) {
		layer->stats.stray_acks++;
		layer->tu.on_request(layer->tu.arg, NULL, msg_take, from);
		sip_msg_free(msg_take);
		return;
	}
	new_server(layer, msg_take, from);
}

int txn_client_start(struct txn_layer *layer, struct sip_msg *req_take,
		     const struct net_peer *to, txn_event_fn fn, void *arg,
		     struct txn **out)
{
	return txn_client_start_named(layer, req_take, to, NULL, fn, arg, out);
}

int txn_client_start_named(struct txn_layer *layer, struct sip_msg *req_take,
			   const struct net_peer *to, const char *name,
			   txn_event_fn fn, void *arg, struct txn **out)
{
	const struct tnd_slice b = req_take->via.branch;
	const size_t cookie = sizeof(TND_BRANCH_COOKIE) - 1;
	struct txn *t;
	int rc;

	*out = NULL;
	if (!req_take->is_request || req_take->method == SIP_METHOD_ACK ||
	    !req_take->has_via || !req_take->has_cseq || b.len <= cookie ||
	    memcmp(b.p, TND_BRANCH_COOKIE, cookie) != 0) {
		sip_msg_free(req_take);
		return EINVAL;
	}
	if (!(t = txn_new(layer,
			  req_take->method == SIP_METHOD_INVITE ? TXN_ICT
								: TXN_NICT,
			  req_take, to))) {
		sip_msg_free(req_take);
		return ENOMEM;
	}
	if (name && to->transport == NET_TLS &&
	    !(t->peer_name = tnd_slice_dup(tnd_slice_from_cstr(name)))) {
		t->dead = true;
		txn_hold(t);
		txn_release(t);
		return ENOMEM;
	}
	txn_set_handler(t, fn, arg);
	rc = t->kind == TXN_ICT ? txn_ict_start(t) : txn_nict_start(t);
	if (rc) {
		t->fn = NULL; /* the caller hears it from the return code */
		t->dead = true;
		txn_hold(t);
		txn_release(t);
		return rc;
	}
	txn_table_add_client(layer, t);
	*out = t;
	return 0;
}

int txn_client_cancel(struct txn *ict)
{
	struct sip_msg *cancel;
	struct txn *t;
	int rc;

	if (ict->kind != TXN_ICT || ict->state != TXN_PROCEEDING)
		return EPROTO;
	if ((rc = sip_msg_cancel_new(ict->req, &cancel)))
		return rc;
	/* Nobody waits for the CANCEL's answer: the INVITE's says it all. */
	return txn_client_start_named(ict->layer, cancel, &ict->peer,
				      ict->peer_name, NULL, NULL, &t);
}

int txn_server_send(struct txn *st, const struct sip_msg *res)
{
	int rc;

	if (res->is_request || st->state == TXN_TERMINATED ||
	    (st->kind != TXN_IST && st->kind != TXN_NIST))
		return EPROTO;
	txn_hold(st);
	rc = st->kind == TXN_IST ? txn_ist_respond(st, res)
				 : txn_nist_respond(st, res);
	txn_release(st);
	return rc;
}

int txn_server_respond(struct txn *st, struct sip_msg *res_take)
{
	int rc = txn_server_send(st, res_take);

	sip_msg_free(res_take);
	return rc;
}

int txn_server_reply(struct txn *st, uint16_t status, const char *reason,
		     struct tnd_slice to_tag, const char *const *headers)
{
	char tag[TND_RAND_TOKEN_CHARS + 1];
	struct sip_msg *res;
	int rc = 0;

	if (!st->req)
		return EPROTO; /* answered, and lingering */
	if (!to_tag.len && status > 100) {
		if ((rc = tnd_rand_token(tag, TND_RAND_TOKEN_CHARS)))
			return rc;
		to_tag = tnd_slice_from_cstr(tag);
	}
	if ((rc = sip_msg_response_new(st->req, status, reason, to_tag, &res)))
		return rc;
	for (; headers && headers[0]; headers += 2)
		if ((rc = sip_msg_hdr_add(res, headers[0],
					  tnd_slice_from_cstr(headers[1]),
					  SIP_HDR_APPEND))) {
			sip_msg_free(res);
			return rc;
		}
	return txn_server_respond(st, res);
}

int txn_layer_send(struct txn_layer *layer, const struct sip_msg *msg,
		   const struct net_peer *to)
{
	size_t size = sip_msg_print_size(msg), written;
	char *buf = tnd_malloc(size);
	int rc;

	if (!buf)
		return ENOMEM;
	sip_msg_print(msg, buf, size, &written);
	rc = layer->io.send(layer->io.arg, to, buf, written);
	tnd_free(buf);
	return rc;
}

struct txn *txn_layer_find_invite(struct txn_layer *layer,
				  const struct sip_msg *cancel)
{
	return txn_table_match_cancel(layer, cancel);
}

static struct txn *first_sent_to(struct txn *t, const struct net_peer *to)
{
	for (; t; t = t->hnext) {
		if (t->peer.transport == to->transport &&
		    net_addr_eq(&t->peer.addr, &to->addr) &&
		    (!to->conn || !t->peer.conn || t->peer.conn == to->conn))
			return t;
	}
	return NULL;
}

void txn_layer_transport_error(struct txn_layer *layer,
			       const struct net_peer *to, int error)
{
	struct txn_table *table = &layer->clients;
	bool ended;

	/*
	 * An ended transaction's TU may start others (the next target), and
	 * an add may move entries between buckets: pass over the table again
	 * until a pass ends nothing.
	 */
	do {
		ended = false;
		txn_table_settle(table);
		for (size_t i = 0; i < table->nbuckets; i++) {
			struct txn *t;

			while ((t = first_sent_to(table->buckets[i], to))) {
				txn_hold(t);
				txn_fail(t, error);
				txn_release(t);
				ended = true;
			}
		}
	} while (ended);
}
