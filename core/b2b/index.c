/*
 * The engine's index: dialogs by Call-ID and local tag, and calls being
 * set up by Call-ID and the caller's tag (for its CANCEL). A chained hash
 * table of heap keys that doubles when it fills; the seed is random so
 * that peers cannot aim their Call-IDs at one bucket.
 */
#include <errno.h>
#include <string.h>

#include "tandem/mem.h"
#include "b2b_int.h"

#define INDEX_FIRST_BUCKETS 64

static uint64_t key_hash(const struct b2b_index *ix, const char *key)
{
	uint64_t h = 1469598103934665603ull ^ ix->seed;

	for (; *key; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ull;
		h ^= h >> 29;
	}
	return h;
}

int b2b_index_init(struct b2b_index *ix)
{
	int rc;

	memset(ix, 0, sizeof(*ix));
	if ((rc = tnd_rand_u64(&ix->seed)))
		return rc;
	ix->buckets = tnd_calloc(INDEX_FIRST_BUCKETS, sizeof(*ix->buckets));
	if (!ix->buckets)
		return ENOMEM;
	ix->nbuckets = INDEX_FIRST_BUCKETS;
	return 0;
}

void b2b_index_fini(struct b2b_index *ix)
{
	for (size_t i = 0; i < ix->nbuckets; i++) {
		while (ix->buckets[i]) {
			struct b2b_index_entry *e = ix->buckets[i];

			ix->buckets[i] = e->next;
			tnd_free(e);
		}
	}
	tnd_free(ix->buckets);
	ix->buckets = NULL;
}

/* Doubles the table; a failed grow leaves longer chains, nothing worse. */
static void index_grow(struct b2b_index *ix)
{
	size_t n = ix->nbuckets * 2;
	struct b2b_index_entry **b = tnd_calloc(n, sizeof(*b));

	if (!b)
		return;
	for (size_t i = 0; i < ix->nbuckets; i++) {
		while (ix->buckets[i]) {
			struct b2b_index_entry *e = ix->buckets[i];

			ix->buckets[i] = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	tnd_free(ix->buckets);
	ix->buckets = b;
	ix->nbuckets = n;
}

int b2b_index_add(struct b2b_index *ix, const char *key, void *value)
{
	size_t len = strlen(key);
	struct b2b_index_entry *e = tnd_malloc(sizeof(*e) + len + 1);

	if (!e)
		return ENOMEM;
	memcpy(e->key, key, len + 1);
	e->hash = key_hash(ix, key);
	e->value = value;
	if (ix->count >= ix->nbuckets)
		index_grow(ix);
	e->next = ix->buckets[e->hash & (ix->nbuckets - 1)];
	ix->buckets[e->hash & (ix->nbuckets - 1)] = e;
	ix->count++;
	return 0;
}

static struct b2b_index_entry **index_slot(const struct b2b_index *ix,
					   const char *key)
{
	uint64_t h = key_hash(ix, key);
	struct b2b_index_entry **p = &ix->buckets[h & (ix->nbuckets - 1)];

	for (; *p; p = &(*p)->next)
		if ((*p)->hash == h && strcmp((*p)->key, key) == 0)
			return p;
	return p;
}

void *b2b_index_find(const struct b2b_index *ix, const char *key)
{
	struct b2b_index_entry **p = index_slot(ix, key);

	return *p ? (*p)->value : NULL;
}

void b2b_index_remove(struct b2b_index *ix, const char *key)
{
	struct b2b_index_entry **p = index_slot(ix, key), *e = *p;

	if (!e)
		return;
	*p = e->next;
	tnd_free(e);
	ix->count--;
}

char *b2b_key_new(char kind, struct tnd_slice call_id, struct tnd_slice tag)
{
	char *key = tnd_malloc(call_id.len + tag.len + 3);

	if (!key)
		return NULL;
	key[0] = kind;
	memcpy(key + 1, call_id.p, call_id.len);
	key[1 + call_id.len] = ' ';
	memcpy(key + 2 + call_id.len, tag.p, tag.len);
	key[2 + call_id.len + tag.len] = '\0';
	return key;
}
