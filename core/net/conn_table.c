/*
 * Finding live connections in O(1): two chained hash indexes threaded
 * through the connections themselves (next_by_id, next_by_addr), one by
 * 64-bit id (ids are never reused, so a stale id simply finds nothing),
 * one by transport and remote address for reuse (RFC 3261 §18.1.1,
 * §18.2.2), which for TLS can also ask for the server name a connection
 * was opened for. The table owns its bucket arrays, not the connections.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "tandem/mem.h"
#include "net_int.h"

#define TABLE_MIN_BUCKETS 64

static size_t id_bucket(const struct net_conn_table *t, uint64_t id)
{
	/* splitmix64's finalizer: consecutive ids spread over buckets. */
	id ^= id >> 30;
	id *= 0xbf58476d1ce4e5b9ull;
	id ^= id >> 27;
	id *= 0x94d049bb133111ebull;
	id ^= id >> 31;
	return (size_t)id & (t->nbuckets - 1);
}

static size_t addr_bucket(const struct net_conn_table *t,
			  enum net_transport transport,
			  const struct sockaddr_storage *addr)
{
	return (size_t)(net_addr_hash(addr, t->seed ^ (uint64_t)transport)) &
	       (t->nbuckets - 1);
}

void net_conn_table_free(struct net_conn_table *t)
{
	tnd_free(t->by_id);
	tnd_free(t->by_addr);
	t->by_id = t->by_addr = NULL;
	t->nbuckets = t->count = 0;
}

static void link_conn(struct net_conn_table *t, struct net_conn *c)
{
	size_t i = id_bucket(t, c->id);
	size_t a = addr_bucket(t, c->peer.transport, &c->peer.addr);

	c->next_by_id = t->by_id[i];
	t->by_id[i] = c;
	c->next_by_addr = t->by_addr[a];
	t->by_addr[a] = c;
}

/* Doubles the buckets; on allocation failure keeps the old ones. */
static void table_grow(struct net_conn_table *t)
{
	size_t n = t->nbuckets ? t->nbuckets * 2 : TABLE_MIN_BUCKETS;
	struct net_conn **id = tnd_calloc(n, sizeof(*id));
	struct net_conn **addr = tnd_calloc(n, sizeof(*addr));
	struct net_conn **old = t->by_id;
	size_t old_n = t->nbuckets;

	if (!id || !addr) {
		tnd_free(id);
		tnd_free(addr);
		return;
	}
	tnd_free(t->by_addr);
	t->by_id = id;
	t->by_addr = addr;
	t->nbuckets = n;
	for (size_t b = 0; b < old_n; b++) {
		struct net_conn *c = old[b], *next;

		for (; c; c = next) {
			next = c->next_by_id;
			link_conn(t, c);
		}
	}
	tnd_free(old);
}

int net_conn_table_init(struct net_conn_table *t, uint64_t seed)
{
	memset(t, 0, sizeof(*t));
	t->seed = seed;
	table_grow(t);
	return t->nbuckets ? 0 : ENOMEM;
}

void net_conn_table_insert(struct net_conn_table *t, struct net_conn *conn)
{
	/* Load factor 1; past it, growing is best effort. */
	if (t->count >= t->nbuckets)
		table_grow(t);
	link_conn(t, conn);
	t->count++;
}

void net_conn_table_remove(struct net_conn_table *t, struct net_conn *conn)
{
	struct net_conn **p = &t->by_id[id_bucket(t, conn->id)];

	while (*p && *p != conn)
		p = &(*p)->next_by_id;
	if (!*p)
		return; /* not linked */
	*p = conn->next_by_id;
	p = &t->by_addr[addr_bucket(t, conn->peer.transport, &conn->peer.addr)];
	while (*p && *p != conn)
		p = &(*p)->next_by_addr;
	if (*p)
		*p = conn->next_by_addr;
	conn->next_by_id = conn->next_by_addr = NULL;
	t->count--;
}

struct net_conn *net_conn_table_find(const struct net_conn_table *t,
				     uint64_t id)
{
	struct net_conn *c = t->nbuckets ? t->by_id[id_bucket(t, id)] : NULL;

	while (c && c->id != id)
		c = c->next_by_id;
	return c;
}

struct net_conn *net_conn_table_find_addr(const struct net_conn_table *t,
					  enum net_transport transport,
					  const struct sockaddr_storage *addr)
{
	struct net_conn *c;

	if (!t->nbuckets)
		return NULL;
	c = t->by_addr[addr_bucket(t, transport, addr)];
	while (c && (c->peer.transport != transport ||
		     !net_addr_eq(&c->peer.addr, addr)))
		c = c->next_by_addr;
	return c;
}

struct net_conn *net_conn_table_find_tls(const struct net_conn_table *t,
					 const struct sockaddr_storage *addr,
					 const char *name)
{
	struct net_conn *c;

	if (!t->nbuckets)
		return NULL;
	c = t->by_addr[addr_bucket(t, NET_TLS, addr)];
	/* Host names compare case-insensitively (RFC 4343). */
	while (c && (c->peer.transport != NET_TLS || !c->tls_name ||
		     strcasecmp(c->tls_name, name) != 0 ||
		     !net_addr_eq(&c->peer.addr, addr)))
		c = c->next_by_addr;
	return c;
}

struct net_conn *net_conn_table_any(const struct net_conn_table *t)
{
	for (size_t b = 0; t->count && b < t->nbuckets; b++) {
		if (t->by_id[b])
			return t->by_id[b];
	}
	return NULL;
}
