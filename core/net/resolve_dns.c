/*
 * The queries of a lookup's phases and what their answers leave behind:
 * NAPTR records become the SRV names to ask (RFC 3263 §4.1), SRV records
 * the ordered servers (§4.2, RFC 2782), A and AAAA records the addresses
 * of each name. Every answer, good or bad, ends in net_resolve_settle;
 * "no such name" and "no records" are soft, anything else is kept in
 * lk->err. Answers for a cancelled lookup are dropped unread.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "tandem/mem.h"
#include "resolve_int.h"

static int on_naptr(struct net_resolve *lk, const unsigned char *abuf, int alen)
{
	struct ares_naptr_reply *list = NULL;
	struct resolve_service *services;
	size_t n;
	int rc;

	if ((rc =
		 net_resolver_errno(ares_parse_naptr_reply(abuf, alen, &list))))
		return rc;
	services = tnd_calloc(RESOLVE_MAX_SERVICES, sizeof(*services));
	if (!services) {
		ares_free_data(list);
		return ENOMEM;
	}
	n = net_naptr_pick(list, lk->sips, lk->res->cfg.transports, services,
			   RESOLVE_MAX_SERVICES);
	ares_free_data(list);
	if (!n) {
		tnd_free(services);
		return 0;
	}
	lk->services = services;
	lk->nservices = n;
	return 0;
}

/* RFC 2782: a target of "." says the service is not offered there. */
static bool srv_target_none(const char *host)
{
	return !host[0] || strcmp(host, ".") == 0;
}

static int on_srv(struct resolve_service *s, const unsigned char *abuf,
		  int alen)
{
	struct ares_srv_reply *list = NULL;
	const struct ares_srv_reply *r;
	size_t n = 0;
	int rc;

	if ((rc = net_resolver_errno(ares_parse_srv_reply(abuf, alen, &list))))
		return rc;
	for (r = list; r; r = r->next)
		n++;
	n = n < RESOLVE_MAX_SRV ? n : RESOLVE_MAX_SRV;
	if (n && !(s->recs = tnd_calloc(n, sizeof(*s->recs)))) {
		ares_free_data(list);
		return ENOMEM;
	}
	for (r = list; r && s->nrecs < n; r = r->next) {
		struct resolve_srv_rec *rec = &s->recs[s->nrecs];

		if (srv_target_none(r->host)) {
			s->unavailable = true;
			continue;
		}
		if (strlen(r->host) >= sizeof(rec->target))
			continue;
		strcpy(rec->target, r->host);
		rec->priority = r->priority;
		rec->weight = r->weight;
		rec->port = r->port;
		s->nrecs++;
	}
	ares_free_data(list);
	net_srv_order(s->recs, s->nrecs, net_resolver_draw, s->q.lk->res);
	return 0;
}

static int on_a(struct resolve_host *h, const unsigned char *abuf, int alen)
{
	struct ares_addrttl a[NET_RESOLVE_MAX_ADDRS];
	int n = NET_RESOLVE_MAX_ADDRS, rc;

	if ((rc = net_resolver_errno(
		 ares_parse_a_reply(abuf, alen, NULL, a, &n))))
		return rc;
	for (int i = 0; i < n; i++)
		h->v4[i] = a[i].ipaddr;
	h->n4 = (size_t)n;
	return 0;
}

static int on_aaaa(struct resolve_host *h, const unsigned char *abuf, int alen)
{
	struct ares_addr6ttl a[NET_RESOLVE_MAX_ADDRS];
	int n = NET_RESOLVE_MAX_ADDRS, rc;

	if ((rc = net_resolver_errno(
		 ares_parse_aaaa_reply(abuf, alen, NULL, a, &n))))
		return rc;
	for (int i = 0; i < n; i++)
		memcpy(&h->v6[i], &a[i].ip6addr, sizeof(h->v6[i]));
	h->n6 = (size_t)n;
	return 0;
}

#define CONTAINER(ptr, type, member) \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))

static int read_answer(struct resolve_query *q, const unsigned char *abuf,
		       int alen)
{
	switch (q->type) {
	case RESOLVE_TYPE_NAPTR: return on_naptr(q->lk, abuf, alen);
	case RESOLVE_TYPE_SRV:
		return on_srv(CONTAINER(q, struct resolve_service, q), abuf,
			      alen);
	case RESOLVE_TYPE_A:
		return on_a(CONTAINER(q, struct resolve_host, q4), abuf, alen);
	case RESOLVE_TYPE_AAAA:
		return on_aaaa(CONTAINER(q, struct resolve_host, q6), abuf,
			       alen);
	}
	return EINVAL;
}

void net_resolve_on_answer(void *arg, int status, int timeouts,
			   unsigned char *abuf, int alen)
{
	struct resolve_query *q = arg;
	struct net_resolve *lk = q->lk;
	int err = net_resolver_errno(status);

	(void)timeouts;
	/* net_resolver_free frees every lookup once c-ares is gone. */
	if (lk->res->destroying) {
		lk->pending--;
		return;
	}
	if (!err && lk->fn)
		err = read_answer(q, abuf, alen);
	if (err && !net_resolve_err_is_none(err) && !lk->err)
		lk->err = err;
	net_resolve_settle(lk);
}

void net_resolve_ask_naptr(struct net_resolve *lk)
{
	net_resolver_query(lk->res, lk->target, RESOLVE_TYPE_NAPTR,
			   &lk->naptr_q);
}

void net_resolve_ask_srv(struct net_resolve *lk)
{
	for (size_t i = 0; i < lk->nservices; i++) {
		struct resolve_service *s = &lk->services[i];

		s->q.lk = lk;
		net_resolver_query(lk->res, s->name, RESOLVE_TYPE_SRV, &s->q);
	}
}

/* An IP literal (the URI's, or an SRV target written as one). */
static bool host_numeric(struct resolve_host *h)
{
	if (inet_pton(AF_INET, h->name, &h->v4[0]) == 1) {
		h->n4 = 1;
		return true;
	}
	if (inet_pton(AF_INET6, h->name, &h->v6[0]) == 1) {
		h->n6 = 1;
		return true;
	}
	return false;
}

/* Each name is asked once, however many SRV records point at it. */
static size_t same_name(const struct net_resolve *lk, size_t i)
{
	for (size_t j = 0; j < i; j++) {
		if (strcasecmp(lk->hosts[j].name, lk->hosts[i].name) == 0)
			return j;
	}
	return SIZE_MAX;
}

void net_resolve_ask_addrs(struct net_resolve *lk)
{
	enum net_resolve_family family = lk->res->cfg.family;

	for (size_t i = 0; i < lk->nhosts; i++) {
		struct resolve_host *h = &lk->hosts[i];

		h->q4.lk = h->q6.lk = lk;
		if ((h->same_as = same_name(lk, i)) != SIZE_MAX ||
		    host_numeric(h))
			continue;
		if (family != NET_RESOLVE_IPV6_ONLY)
			net_resolver_query(lk->res, h->name, RESOLVE_TYPE_A,
					   &h->q4);
		if (family != NET_RESOLVE_IPV4_ONLY)
			net_resolver_query(lk->res, h->name, RESOLVE_TYPE_AAAA,
					   &h->q6);
	}
}
