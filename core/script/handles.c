/*
 * The handle table: what Lua holds instead of pointers. A handle is a
 * slot index and the generation the slot had when it was handed out;
 * releasing a slot bumps its generation, so a handle kept past the life
 * of its call or message no longer resolves (the FFI answers GONE) and
 * never reaches freed memory. Free slots form a list threaded through
 * the table, which grows by doubling and never shrinks.
 */
#include <errno.h>
#include <stdint.h>

#include "script_int.h"
#include "tandem/mem.h"

#define NO_SLOT UINT32_MAX

void script_handles_init(struct script_handles *h)
{
	*h = (struct script_handles){ .free_head = NO_SLOT };
}

void script_handles_fini(struct script_handles *h)
{
	tnd_free(h->slots);
	script_handles_init(h);
}

static int grow(struct script_handles *h)
{
	uint32_t cap = h->cap ? h->cap * 2 : 16;
	struct script_slot *slots;

	if (h->cap >= UINT32_MAX / 2)
		return ENOMEM;
	slots = tnd_realloc(h->slots, cap * sizeof(*slots));
	if (!slots)
		return ENOMEM;
	h->slots = slots;
	h->cap = cap;
	return 0;
}

int script_handles_put(struct script_handles *h, enum script_handle_kind kind,
		       void *ptr, struct script_ref *out)
{
	struct script_slot *s;
	uint32_t index;

	if (h->free_head != NO_SLOT) {
		index = h->free_head;
		h->free_head = h->slots[index].next_free;
	} else {
		if (h->count == h->cap && grow(h))
			return ENOMEM;
		index = h->count++;
		h->slots[index] = (struct script_slot){ .gen = 1 };
	}
	s = &h->slots[index];
	s->kind = kind;
	s->ptr = ptr;
	s->answered = false;
	*out = (struct script_ref){ .slot = index, .gen = s->gen };
	return 0;
}

struct script_slot *script_handles_get(struct script_handles *h, uint32_t slot,
				       uint32_t gen)
{
	struct script_slot *s;

	if (slot >= h->count || gen == 0)
		return NULL;
	s = &h->slots[slot];
	if (s->gen != gen || s->kind == SCRIPT_HANDLE_FREE)
		return NULL;
	return s;
}

void script_handles_release(struct script_handles *h, struct script_ref *ref)
{
	struct script_slot *s = script_handles_get(h, ref->slot, ref->gen);

	if (s) {
		s->gen = s->gen == UINT32_MAX ? 1 : s->gen + 1;
		s->kind = SCRIPT_HANDLE_FREE;
		s->ptr = NULL;
		s->next_free = h->free_head;
		h->free_head = ref->slot;
	}
	*ref = (struct script_ref){ 0 };
}

struct script_slot *script_handles_at(struct script_handles *h, uint32_t index)
{
	return index < h->count ? &h->slots[index] : NULL;
}
