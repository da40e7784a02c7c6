/*
 * The pure parts of RFC 3263 resolution, no I/O: which NAPTR records to
 * follow (RFC 3263 §4.1, RFC 3403 §4), the order of SRV records
 * (RFC 2782's priority and weighted random choice, with the randomness
 * passed in so tests can fix it), and the final list of targets built
 * from the hosts a lookup resolved, in one block with their names.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "tandem/mem.h"
#include "resolve_int.h"

/* RFC 3263 §4.1: the services SIP defines over the transports we have. */
static bool naptr_service(const char *service, bool sips, enum net_transport *t)
{
	/* A SIPS URI keeps only "SIPS" services; a SIP URI keeps them too. */
	if (strcasecmp(service, "SIPS+D2T") == 0)
		*t = NET_TLS;
	else if (!sips && strcasecmp(service, "SIP+D2T") == 0)
		*t = NET_TCP;
	else if (!sips && strcasecmp(service, "SIP+D2U") == 0)
		*t = NET_UDP;
	else
		return false; /* D2S (SCTP), D2W (WebSocket), others */
	return true;
}

static bool naptr_usable(const struct ares_naptr_reply *r, bool sips,
			 unsigned transports, enum net_transport *t)
{
	/* SIP uses the "s" flag, an empty regexp and the replacement. */
	return strcasecmp((const char *)r->flags, "s") == 0 && !r->regexp[0] &&
	       r->replacement[0] && strcmp(r->replacement, ".") != 0 &&
	       strlen(r->replacement) < RESOLVE_NAME_MAX &&
	       naptr_service((const char *)r->service, sips, t) &&
	       (transports & NET_RESOLVE_TRANSPORT(*t));
}

size_t net_naptr_pick(const struct ares_naptr_reply *list, bool sips,
		      unsigned transports, struct resolve_service *out,
		      size_t max)
{
	const struct ares_naptr_reply *r;
	enum net_transport t;
	unsigned order = 65536;
	size_t n = 0;

	for (r = list; r; r = r->next) {
		if (r->order < order && naptr_usable(r, sips, transports, &t))
			order = r->order;
	}
	/* RFC 3403 §4: once one order matches, others are not considered. */
	for (r = list; r && n < max; r = r->next) {
		size_t i;

		if (r->order != order || !naptr_usable(r, sips, transports, &t))
			continue;
		/* Insertion by preference; equal ones keep their order. */
		for (i = n; i > 0 && out[i - 1].preference > r->preference; i--)
			out[i] = out[i - 1];
		memset(&out[i], 0, sizeof(out[i]));
		out[i].preference = r->preference;
		out[i].transport = t;
		strcpy(out[i].name, r->replacement);
		n++;
	}
	return n;
}

static void move_to(struct resolve_srv_rec *recs, size_t to, size_t from)
{
	struct resolve_srv_rec tmp = recs[from];

	memmove(&recs[to + 1], &recs[to], (from - to) * sizeof(*recs));
	recs[to] = tmp;
}

/* RFC 2782's selection over recs[from, end): one priority. */
static void srv_order_weights(struct resolve_srv_rec *recs, size_t from,
			      size_t end,
			      uint32_t (*draw)(void *arg, uint32_t bound),
			      void *arg)
{
	/* "all those with weight 0 are placed at the beginning" */
	for (size_t i = from, zeros = from; i < end; i++) {
		if (recs[i].weight == 0)
			move_to(recs, zeros++, i);
	}
	for (size_t i = from; i + 1 < end; i++) {
		uint32_t sum = 0, running = 0, pick;
		size_t j;

		for (j = i; j < end; j++)
			sum += recs[j].weight;
		pick = draw(arg, sum);
		/* "the first ... whose running sum ... is greater than or
		 * equal to the random number" */
		for (j = i; j + 1 < end; j++) {
			running += recs[j].weight;
			if (running >= pick)
				break;
		}
		move_to(recs, i, j);
	}
}

void net_srv_order(struct resolve_srv_rec *recs, size_t n,
		   uint32_t (*draw)(void *arg, uint32_t bound), void *arg)
{
	/* Stable insertion sort by priority: n is at most a few dozen. */
	for (size_t i = 1; i < n; i++) {
		size_t j = i;

		while (j > 0 && recs[j - 1].priority > recs[i].priority)
			j--;
		if (j != i)
			move_to(recs, j, i);
	}
	for (size_t from = 0, end; from < n; from = end) {
		for (end = from + 1;
		     end < n && recs[end].priority == recs[from].priority;
		     end++)
			;
		srv_order_weights(recs, from, end, draw, arg);
	}
}

static void target_addr(struct net_target *t, int family, const void *ip,
			uint16_t port)
{
	memset(&t->addr, 0, sizeof(t->addr));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&t->addr;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, ip, sizeof(sin->sin_addr));
		t->addrlen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&t->addr;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, ip, sizeof(sin6->sin6_addr));
		t->addrlen = sizeof(*sin6);
	}
}

static bool target_seen(const struct net_target *list, size_t n,
			const struct net_target *t)
{
	for (size_t i = 0; i < n; i++) {
		if (list[i].transport == t->transport &&
		    list[i].addrlen == t->addrlen &&
		    memcmp(&list[i].addr, &t->addr, t->addrlen) == 0)
			return true;
	}
	return false;
}

/* Appends host h's addresses of `family` (from `src`, which may be an
 * earlier host of the same name) to list[*n]. */
static void add_family(struct net_target *list, size_t *n, size_t *from,
		       size_t hi, const struct resolve_host *h,
		       const struct resolve_host *src, int family)
{
	size_t count = family == AF_INET ? src->n4 : src->n6;

	for (size_t i = 0; i < count && *n < NET_RESOLVE_MAX_TARGETS; i++) {
		struct net_target *t = &list[*n];

		t->transport = h->transport;
		target_addr(t, family,
			    family == AF_INET ? (const void *)&src->v4[i]
					      : (const void *)&src->v6[i],
			    h->port);
		if (!target_seen(list, *n, t))
			from[(*n)++] = hi;
	}
}

/* One block: the list, then each host's name once. */
static int targets_alloc(const struct net_resolve *lk,
			 const struct net_target *list, const size_t *from,
			 size_t n, struct net_targets **out)
{
	size_t names = 0, head = sizeof(**out) + n * sizeof(list[0]);
	struct net_targets *ts;
	char *p;

	for (size_t i = 0; i < n; i++) {
		if (i == 0 || from[i] != from[i - 1])
			names += strlen(lk->hosts[from[i]].name) + 1;
	}
	if (!(ts = tnd_malloc(head + names)))
		return ENOMEM;
	ts->n = n;
	p = (char *)ts + head;
	for (size_t i = 0; i < n; i++) {
		ts->t[i] = list[i];
		if (i == 0 || from[i] != from[i - 1]) {
			strcpy(p, lk->hosts[from[i]].name);
			ts->t[i].name = p;
			p += strlen(p) + 1;
		} else {
			ts->t[i].name = ts->t[i - 1].name;
		}
	}
	*out = ts;
	return 0;
}

int net_targets_build(const struct net_resolve *lk,
		      enum net_resolve_family family, struct net_targets **out)
{
	bool v6_first =
	    family == NET_RESOLVE_IPV6_FIRST || family == NET_RESOLVE_IPV6_ONLY;
	struct net_target list[NET_RESOLVE_MAX_TARGETS];
	size_t from[NET_RESOLVE_MAX_TARGETS], n = 0;

	*out = NULL;
	for (size_t i = 0; i < lk->nhosts; i++) {
		const struct resolve_host *h = &lk->hosts[i];
		const struct resolve_host *src =
		    h->same_as == SIZE_MAX ? h : &lk->hosts[h->same_as];

		add_family(list, &n, from, i, h, src,
			   v6_first ? AF_INET6 : AF_INET);
		add_family(list, &n, from, i, h, src,
			   v6_first ? AF_INET : AF_INET6);
	}
	if (!n)
		return ENOENT;
	return targets_alloc(lk, list, from, n, out);
}

void net_targets_free(struct net_targets *targets)
{
	tnd_free(targets);
}
