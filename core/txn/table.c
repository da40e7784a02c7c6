/*
 * The transaction table: two hash tables (client, server) chained through
 * the transactions themselves, keyed by the Via branch, or for RFC 2543
 * peers without the magic cookie by Call-ID and CSeq. Matching follows
 * RFC 3261 §17.1.3 (responses) and §17.2.3 (requests, ACK, CANCEL).
 */
#include <errno.h>
#include <string.h>

#include "tandem/mem.h"
#include "txn_int.h"

#define TABLE_INITIAL_BUCKETS 1024
#define TABLE_MIGRATE_STEP    8

static uint32_t fnv1a(uint32_t h, struct tnd_slice s)
{
	for (size_t i = 0; i < s.len; i++) {
		h ^= (unsigned char)s.p[i];
		h *= 16777619u;
	}
	return h;
}

static uint32_t legacy_hash(struct tnd_slice call_id, uint32_t cseq_number)
{
	return fnv1a(2166136261u, call_id) ^ (cseq_number * 2654435761u);
}

/* RFC 3261 §17.2.3: a branch starting with the cookie is unique. */
static uint32_t msg_hash(const struct sip_msg *msg)
{
	return txn_branch_has_cookie(msg->via.branch)
		   ? fnv1a(2166136261u, msg->via.branch)
		   : legacy_hash(msg->call_id, msg->cseq.number);
}

static uint32_t key_hash(const struct txn_key *key)
{
	return key->legacy ? legacy_hash(key->call_id, key->cseq_number)
			   : fnv1a(2166136261u, key->branch);
}

int txn_table_init(struct txn_table *table)
{
	*table = (struct txn_table){
		.buckets =
		    tnd_calloc(TABLE_INITIAL_BUCKETS, sizeof(struct txn *)),
		.nbuckets = TABLE_INITIAL_BUCKETS,
	};
	return table->buckets ? 0 : ENOMEM;
}

void txn_table_free(struct txn_table *table)
{
	tnd_free(table->buckets);
	tnd_free(table->old);
	*table = (struct txn_table){ 0 };
}

/* Moves up to `steps` old buckets into the new ones. */
static void table_migrate(struct txn_table *table, size_t steps)
{
	while (table->old && steps--) {
		struct txn *t = table->old[table->migrated], *next;

		for (; t; t = next) {
			size_t b = t->hash & (table->nbuckets - 1);

			next = t->hnext;
			t->hnext = table->buckets[b];
			table->buckets[b] = t;
		}
		table->old[table->migrated] = NULL;
		if (++table->migrated == table->nold) {
			tnd_free(table->old);
			table->old = NULL;
			table->nold = table->migrated = 0;
		}
	}
}

void txn_table_settle(struct txn_table *table)
{
	table_migrate(table, SIZE_MAX);
}

/*
 * Past one entry per bucket, starts doubling (on ENOMEM, keeps going as
 * it is). Each add moves TABLE_MIGRATE_STEP old buckets, so a doubling
 * ends long before the table can fill the new buckets.
 */
static void table_grow(struct txn_table *table)
{
	size_t n = table->nbuckets * 2;
	struct txn **grown;

	if (table->old || table->count < table->nbuckets ||
	    !(grown = tnd_calloc(n, sizeof(*grown))))
		return;
	table->old = table->buckets;
	table->nold = table->nbuckets;
	table->migrated = 0;
	table->buckets = grown;
	table->nbuckets = n;
}

static void table_add(struct txn_table *table, struct txn *t)
{
	size_t b;

	table_grow(table);
	table_migrate(table, TABLE_MIGRATE_STEP);
	b = t->hash & (table->nbuckets - 1);
	t->hnext = table->buckets[b];
	table->buckets[b] = t;
	t->in_table = true;
	table->count++;
}

/* The chains that may hold `hash`: the new bucket, and the old one while
 * it has not moved yet. Returns how many (1 or 2). */
static int table_chains(struct txn_table *table, uint32_t hash,
			struct txn **heads[2])
{
	size_t ob;

	heads[0] = &table->buckets[hash & (table->nbuckets - 1)];
	if (!table->old || (ob = hash & (table->nold - 1)) < table->migrated)
		return 1;
	heads[1] = &table->old[ob];
	return 2;
}

static struct txn_table *table_of(struct txn_layer *layer, struct txn *t)
{
	return (t->kind == TXN_ICT || t->kind == TXN_NICT) ? &layer->clients
							   : &layer->servers;
}

void txn_table_add_client(struct txn_layer *layer, struct txn *t)
{
	/* Our own branches: always with the cookie, matched by branch. */
	t->hash = fnv1a(2166136261u, t->key.branch);
	table_add(&layer->clients, t);
}

void txn_table_add_server(struct txn_layer *layer, struct txn *t)
{
	t->hash = key_hash(&t->key);
	table_add(&layer->servers, t);
}

void txn_table_remove(struct txn_layer *layer, struct txn *t)
{
	struct txn_table *table = table_of(layer, t);
	struct txn **heads[2];
	int n = table_chains(table, t->hash, heads);

	for (int i = 0; i < n; i++) {
		for (struct txn **pp = heads[i]; *pp; pp = &(*pp)->hnext) {
			if (*pp == t) {
				*pp = t->hnext;
				t->in_table = false;
				table->count--;
				table_migrate(table, TABLE_MIGRATE_STEP);
				return;
			}
		}
	}
}

/* Walks every transaction that may have `hash`, in both chains. */
struct table_walk {
	struct txn **heads[2];
	int n, i;
};

static struct txn *walk_first(struct txn_table *table, uint32_t hash,
			      struct table_walk *w)
{
	w->n = table_chains(table, hash, w->heads);
	for (w->i = 0; w->i < w->n; w->i++) {
		if (*w->heads[w->i])
			return *w->heads[w->i];
	}
	return NULL;
}

static struct txn *walk_next(struct table_walk *w, struct txn *t)
{
	if (t->hnext)
		return t->hnext;
	while (++w->i < w->n) {
		if (*w->heads[w->i])
			return *w->heads[w->i];
	}
	return NULL;
}

/* §17.1.3: the branch of the top Via and the CSeq method. */
struct txn *txn_table_match_response(struct txn_layer *layer,
				     const struct sip_msg *res)
{
	struct table_walk w;
	struct txn *t;
	uint32_t h;

	if (!res->has_via || !res->via.branch.len || !res->has_cseq)
		return NULL;
	h = fnv1a(2166136261u, res->via.branch);
	for (t = walk_first(&layer->clients, h, &w); t; t = walk_next(&w, t)) {
		if (t->hash == h &&
		    tnd_slice_eq(t->key.branch, res->via.branch) &&
		    tnd_slice_eq(t->key.cseq_method, res->cseq.method_name))
			return t;
	}
	return NULL;
}

static bool same_sent_by(const struct txn_key *key, const struct sip_via *v)
{
	return tnd_slice_caseeq(key->host, v->host) && key->port == v->port;
}

/* §17.2.3 with the cookie: branch, sent-by, and the method (ACK: INVITE). */
static bool matches_branch(const struct txn *t, const struct sip_msg *req,
			   enum sip_method method)
{
	const struct txn_key *key = &t->key;

	return !key->legacy && tnd_slice_eq(key->branch, req->via.branch) &&
	       same_sent_by(key, &req->via) &&
	       (method == SIP_METHOD_UNKNOWN
		    ? tnd_slice_eq(key->method_name, req->method_name)
		    : key->method == method);
}

/*
 * RFC 2543 (§17.2.3, last paragraphs): Request-URI, From tag, Call-ID,
 * CSeq number, top Via and To tag; an ACK's To tag is that of the response
 * we sent. `as` is the method to match (INVITE for an ACK or a CANCEL,
 * SIP_METHOD_UNKNOWN for the request's own).
 */
static bool matches_legacy(const struct txn *t, const struct sip_msg *req,
			   enum sip_method as)
{
	const struct txn_key *key = &t->key;
	bool is_ack = req->method == SIP_METHOD_ACK;
	struct tnd_slice ours = tnd_slice_from_cstr(t->out_to_tag);

	return key->legacy && tnd_slice_eq(key->ruri, req->ruri_text) &&
	       tnd_slice_eq(key->from_tag, req->from.tag) &&
	       tnd_slice_eq(is_ack ? ours : key->to_tag, req->to.tag) &&
	       tnd_slice_eq(key->call_id, req->call_id) &&
	       key->cseq_number == req->cseq.number &&
	       tnd_slice_eq(key->branch, req->via.branch) &&
	       same_sent_by(key, &req->via) &&
	       (as == SIP_METHOD_UNKNOWN
		    ? tnd_slice_eq(key->method_name, req->method_name)
		    : key->method == as);
}

static struct txn *match_server(struct txn_layer *layer,
				const struct sip_msg *req, enum sip_method as)
{
	bool legacy = !txn_branch_has_cookie(req->via.branch);
	uint32_t h = msg_hash(req);
	struct table_walk w;
	struct txn *t;

	if (!req->has_via)
		return NULL;
	for (t = walk_first(&layer->servers, h, &w); t; t = walk_next(&w, t)) {
		if (t->hash != h)
			continue;
		if (legacy ? matches_legacy(t, req, as)
			   : matches_branch(t, req, as))
			return t;
	}
	return NULL;
}

struct txn *txn_table_match_request(struct txn_layer *layer,
				    const struct sip_msg *req)
{
	return match_server(layer, req,
			    req->method == SIP_METHOD_ACK ? SIP_METHOD_INVITE
							  : SIP_METHOD_UNKNOWN);
}

struct txn *txn_table_match_cancel(struct txn_layer *layer,
				   const struct sip_msg *cancel)
{
	/* §9.2: the §17.2.3 rules, as if the CANCEL were the INVITE. */
	struct txn *t = match_server(layer, cancel, SIP_METHOD_INVITE);

	return t && t->kind == TXN_IST ? t : NULL;
}
