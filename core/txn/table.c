/*
 * The transaction table: two hash tables (client, server) chained through
 * the transactions themselves, keyed by the Via branch, or for RFC 2543
 * peers without the magic cookie by Call-ID and CSeq. Matching follows
 * RFC 3261 §17.1.3 (responses) and §17.2.3 (requests, ACK, CANCEL).
 */
#include <errno.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/rand.h"
#include "txn_int.h"

#define TABLE_INITIAL_BUCKETS 1024

static uint32_t fnv1a(uint32_t h, struct tnd_slice s)
{
	for (size_t i = 0; i < s.len; i++) {
		h ^= (unsigned char)s.p[i];
		h *= 16777619u;
	}
	return h;
}

/* RFC 3261 §17.2.3: a branch starting with the cookie is unique. */
static bool has_cookie(const struct sip_msg *msg)
{
	const struct tnd_slice b = msg->via.branch;
	const size_t n = sizeof(TND_BRANCH_COOKIE) - 1;

	return b.len > n && memcmp(b.p, TND_BRANCH_COOKIE, n) == 0;
}

static uint32_t legacy_hash(const struct sip_msg *msg)
{
	uint32_t h = fnv1a(2166136261u, msg->call_id);

	return h ^ (msg->cseq.number * 2654435761u);
}

static uint32_t key_hash(const struct sip_msg *msg)
{
	return has_cookie(msg) ? fnv1a(2166136261u, msg->via.branch)
			       : legacy_hash(msg);
}

int txn_table_init(struct txn_table *table)
{
	table->buckets =
	    tnd_calloc(TABLE_INITIAL_BUCKETS, sizeof(struct txn *));
	if (!table->buckets)
		return ENOMEM;
	table->nbuckets = TABLE_INITIAL_BUCKETS;
	table->count = 0;
	return 0;
}

void txn_table_free(struct txn_table *table)
{
	tnd_free(table->buckets);
	table->buckets = NULL;
}

/* Doubles the buckets past one entry per bucket; on ENOMEM, keeps them. */
static void table_grow(struct txn_table *table)
{
	size_t n = table->nbuckets * 2;
	struct txn **grown;

	if (table->count < table->nbuckets ||
	    !(grown = tnd_calloc(n, sizeof(*grown))))
		return;
	for (size_t i = 0; i < table->nbuckets; i++) {
		struct txn *t = table->buckets[i], *next;

		for (; t; t = next) {
			next = t->hnext;
			t->hnext = grown[t->hash & (n - 1)];
			grown[t->hash & (n - 1)] = t;
		}
	}
	tnd_free(table->buckets);
	table->buckets = grown;
	table->nbuckets = n;
}

static void table_add(struct txn_table *table, struct txn *t)
{
	size_t b;

	table_grow(table);
	b = t->hash & (table->nbuckets - 1);
	t->hnext = table->buckets[b];
	table->buckets[b] = t;
	t->in_table = true;
	table->count++;
}

static struct txn_table *table_of(struct txn_layer *layer, struct txn *t)
{
	return (t->kind == TXN_ICT || t->kind == TXN_NICT) ? &layer->clients
							   : &layer->servers;
}

void txn_table_add_client(struct txn_layer *layer, struct txn *t)
{
	t->hash = key_hash(t->req);
	table_add(&layer->clients, t);
}

void txn_table_add_server(struct txn_layer *layer, struct txn *t)
{
	t->legacy = !has_cookie(t->req);
	t->hash = key_hash(t->req);
	table_add(&layer->servers, t);
}

void txn_table_remove(struct txn_layer *layer, struct txn *t)
{
	struct txn_table *table = table_of(layer, t);
	struct txn **pp = &table->buckets[t->hash & (table->nbuckets - 1)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == t) {
			*pp = t->hnext;
			t->in_table = false;
			table->count--;
			return;
		}
	}
}

static struct txn *bucket_of(struct txn_table *table, uint32_t hash)
{
	return table->buckets[hash & (table->nbuckets - 1)];
}

/* §17.1.3: the branch of the top Via and the CSeq method. */
struct txn *txn_table_match_response(struct txn_layer *layer,
				     const struct sip_msg *res)
{
	uint32_t h;

	if (!res->has_via || !res->via.branch.len || !res->has_cseq)
		return NULL;
	h = fnv1a(2166136261u, res->via.branch);
	for (struct txn *t = bucket_of(&layer->clients, h); t; t = t->hnext) {
		if (t->hash == h &&
		    tnd_slice_eq(t->req->via.branch, res->via.branch) &&
		    tnd_slice_eq(t->req->cseq.method_name,
				 res->cseq.method_name))
			return t;
	}
	return NULL;
}

static bool same_sent_by(const struct sip_via *a, const struct sip_via *b)
{
	return tnd_slice_caseeq(a->host, b->host) && a->port == b->port;
}

/* §17.2.3 with the cookie: branch, sent-by, and the method (ACK: INVITE). */
static bool matches_branch(const struct txn *t, const struct sip_msg *req,
			   enum sip_method method)
{
	const struct sip_msg *orig = t->req;

	return !t->legacy && tnd_slice_eq(orig->via.branch, req->via.branch) &&
	       same_sent_by(&orig->via, &req->via) &&
	       (method == SIP_METHOD_UNKNOWN
		    ? tnd_slice_eq(orig->method_name, req->method_name)
		    : orig->method == method);
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
	const struct sip_msg *orig = t->req;
	bool is_ack = req->method == SIP_METHOD_ACK;
	struct tnd_slice ours = tnd_slice_from_cstr(t->out_to_tag);

	return t->legacy && tnd_slice_eq(orig->ruri_text, req->ruri_text) &&
	       tnd_slice_eq(orig->from.tag, req->from.tag) &&
	       tnd_slice_eq(is_ack ? ours : orig->to.tag, req->to.tag) &&
	       tnd_slice_eq(orig->call_id, req->call_id) &&
	       orig->cseq.number == req->cseq.number &&
	       tnd_slice_eq(orig->via.branch, req->via.branch) &&
	       same_sent_by(&orig->via, &req->via) &&
	       (as == SIP_METHOD_UNKNOWN
		    ? tnd_slice_eq(orig->method_name, req->method_name)
		    : orig->method == as);
}

static struct txn *match_server(struct txn_layer *layer,
				const struct sip_msg *req, enum sip_method as)
{
	bool legacy = !has_cookie(req);
	uint32_t h = key_hash(req);

	if (!req->has_via)
		return NULL;
	for (struct txn *t = bucket_of(&layer->servers, h); t; t = t->hnext) {
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
