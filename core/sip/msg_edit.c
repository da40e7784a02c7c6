/*
 * Editing a parsed message: add, remove and replace headers, replace the
 * body or the Request-URI. The original bytes never move; new strings are
 * copied into chunks the message owns, and the header array points at
 * either. Headers read at parse time are validated before an edit and
 * re-read after it, so msg->via, msg->cseq and the rest stay true.
 */
#include <errno.h>
#include <string.h>

#include "tandem/mem.h"
#include "sip_int.h"

struct sip_msg_chunk {
	struct sip_msg_chunk *next;
	char data[];
};

void sip_msg_edits_free(struct sip_msg_edits *edits)
{
	struct sip_msg_chunk *c = edits->chunks, *next;

	for (; c; c = next) {
		next = c->next;
		tnd_free(c);
	}
	tnd_free(edits);
}

/* Copies `a` then `b` into one new chunk; returns its start or NULL. */
static char *msg_copy_in(struct sip_msg *msg, struct tnd_slice a,
			 struct tnd_slice b)
{
	struct sip_msg_chunk *c;

	if (!msg->edits && !(msg->edits = tnd_calloc(1, sizeof(*msg->edits))))
		return NULL;
	if (!(c = tnd_malloc(sizeof(*c) + a.len + b.len + 1)))
		return NULL;
	if (a.len)
		memcpy(c->data, a.p, a.len);
	if (b.len)
		memcpy(c->data + a.len, b.p, b.len);
	c->data[a.len + b.len] = '\0';
	c->next = msg->edits->chunks;
	msg->edits->chunks = c;
	return c->data;
}

static int hdrs_reserve_one(struct sip_msg *msg)
{
	struct sip_hdr *inline_hdrs = (struct sip_hdr *)(msg + 1), *grown;
	size_t cap = msg->hdrs_cap * 2 + 4;

	if (msg->nhdrs < msg->hdrs_cap)
		return 0;
	if (!(grown = tnd_malloc(cap * sizeof(*grown))))
		return ENOMEM;
	memcpy(grown, msg->hdrs, msg->nhdrs * sizeof(*grown));
	if (msg->hdrs != inline_hdrs)
		tnd_free(msg->hdrs);
	msg->hdrs = grown;
	msg->hdrs_cap = cap;
	return 0;
}

/* What validate_value read: the field an essential header sets. */
union essential_value {
	struct sip_via via; /* the first value of the list */
	struct sip_nameaddr na;
	struct sip_cseq cseq;
	struct tnd_slice callid;
	uint32_t n;
};

static int validate_vias(struct tnd_slice value, struct sip_via *first)
{
	struct sip_via later;
	struct tnd_slice v;
	size_t pos = 0;
	bool got_first = false;

	if (value.len == 0)
		return EINVAL;
	while (sip_value_next(value, &pos, &v)) {
		if (sip_via_parse(v, got_first ? &later : first, NULL))
			return EINVAL;
		got_first = true;
	}
	return 0;
}

/*
 * Checks a value for a header read at parse time, as the parse would,
 * and keeps what it read in `u`.
 */
static int validate_value(const struct sip_msg *msg, enum sip_hdr_id id,
			  struct tnd_slice value, union essential_value *u)
{
	switch (id) {
	case SIP_HDR_VIA: return validate_vias(value, &u->via);
	case SIP_HDR_FROM:
	case SIP_HDR_TO:
		return sip_nameaddr_parse(value, &u->na, NULL) ? EINVAL : 0;
	case SIP_HDR_CALL_ID:
		return sip_callid_parse(value, &u->callid, NULL) ? EINVAL : 0;
	case SIP_HDR_CSEQ:
		if (sip_cseq_parse(value, &u->cseq, NULL))
			return EINVAL;
		return msg->is_request && !tnd_slice_eq(u->cseq.method_name,
							msg->method_name)
			   ? EINVAL
			   : 0;
	case SIP_HDR_MAX_FORWARDS:
		return sip_uint_parse(value, 255, &u->n, NULL) ? EINVAL : 0;
	case SIP_HDR_CONTENT_LENGTH: return EINVAL; /* the printer writes it */
	default: return 0;
	}
}

/*
 * After sip_msg_hdr_set: the one header of kind `id` holds the copy at
 * `copy` of the value validate_value read into `u`, so the field is
 * that reading moved onto the copy; no second parse.
 */
static void set_essential(struct sip_msg *msg, enum sip_hdr_id id,
			  union essential_value *u, struct tnd_slice value,
			  const char *copy)
{
	const struct sip_rebase rb = { (uintptr_t)value.p,
				       (uintptr_t)value.p + value.len, copy };

	switch (id) {
	case SIP_HDR_VIA:
		sip_via_move(&rb, &u->via);
		msg->via = u->via;
		msg->has_via = true;
		break;
	case SIP_HDR_FROM:
	case SIP_HDR_TO:
		sip_nameaddr_move(&rb, &u->na);
		*(id == SIP_HDR_FROM ? &msg->from : &msg->to) = u->na;
		*(id == SIP_HDR_FROM ? &msg->has_from : &msg->has_to) = true;
		break;
	case SIP_HDR_CALL_ID:
		sip_slice_move(&rb, &u->callid);
		msg->call_id = u->callid;
		break;
	case SIP_HDR_CSEQ:
		sip_slice_move(&rb, &u->cseq.method_name);
		msg->cseq = u->cseq;
		msg->has_cseq = true;
		break;
	case SIP_HDR_MAX_FORWARDS:
		msg->max_forwards = u->n;
		msg->has_max_forwards = true;
		break;
	default: break;
	}
}

static bool name_is_token(struct tnd_slice name)
{
	struct sip_scan s;

	sip_scan_init(&s, name);
	return sip_scan_token(&s, NULL) && sip_scan_eof(&s);
}

static bool value_is_printable(struct tnd_slice v)
{
	for (size_t i = 0; i < v.len; i++) {
		if (v.p[i] == '\r' || v.p[i] == '\n' || v.p[i] == '\0')
			return false;
	}
	return true;
}

static bool matches(const struct sip_hdr *h, enum sip_hdr_id id,
		    struct tnd_slice name)
{
	return h->id == id &&
	       (id != SIP_HDR_OTHER || tnd_slice_caseeq(h->name, name));
}

/* Inserts a copy of name/value at index `at`; the value must be valid. */
static int insert_at(struct sip_msg *msg, size_t at, struct tnd_slice name,
		     enum sip_hdr_id id, struct tnd_slice value)
{
	char *copy;

	if (hdrs_reserve_one(msg) || !(copy = msg_copy_in(msg, name, value)))
		return ENOMEM;
	memmove(&msg->hdrs[at + 1], &msg->hdrs[at],
		(msg->nhdrs - at) * sizeof(msg->hdrs[0]));
	msg->hdrs[at] = (struct sip_hdr){
		.id = id,
		.name = { copy, name.len },
		.value = { copy + name.len, value.len },
	};
	msg->nhdrs++;
	return 0;
}

static void remove_at(struct sip_msg *msg, size_t at)
{
	memmove(&msg->hdrs[at], &msg->hdrs[at + 1],
		(msg->nhdrs - at - 1) * sizeof(msg->hdrs[0]));
	msg->nhdrs--;
}

static void refresh(struct sip_msg *msg, enum sip_hdr_id id)
{
	/*
	 * Added values were validated before the edit. A removal may bring
	 * up a later header the parse never read; a bad one is left unread
	 * (its has_ flag false), as the parse would have refused it.
	 */
	if (sip_hdr_is_essential(id))
		(void)sip_msg_refresh_essential(msg, id, NULL);
}

static int check_edit(const struct sip_msg *msg, struct tnd_slice name,
		      struct tnd_slice value, enum sip_hdr_id *id,
		      union essential_value *u)
{
	if (!name_is_token(name) || !value_is_printable(value))
		return EINVAL;
	*id = sip_hdr_lookup(name);
	return validate_value(msg, *id, value, u);
}

int sip_msg_hdr_add(struct sip_msg *msg, const char *name_cstr,
		    struct tnd_slice value, enum sip_hdr_where where)
{
	struct tnd_slice name = tnd_slice_from_cstr(name_cstr);
	union essential_value u;
	enum sip_hdr_id id;
	size_t at = msg->nhdrs;
	int rc;

	if ((rc = check_edit(msg, name, value, &id, &u)))
		return rc;
	if (where == SIP_HDR_PREPEND) {
		at = 0;
		for (size_t i = 0; i < msg->nhdrs; i++) {
			if (matches(&msg->hdrs[i], id, name)) {
				at = i;
				break;
			}
		}
	}
	if ((rc = insert_at(msg, at, name, id, value)))
		return rc;
	refresh(msg, id);
	return 0;
}

int sip_msg_hdr_remove(struct sip_msg *msg, const char *name_cstr,
		       size_t *removed)
{
	struct tnd_slice name = tnd_slice_from_cstr(name_cstr);
	enum sip_hdr_id id = sip_hdr_lookup(name);
	size_t n = 0;

	if (id == SIP_HDR_CONTENT_LENGTH)
		return EINVAL;
	for (size_t i = msg->nhdrs; i-- > 0;) {
		if (matches(&msg->hdrs[i], id, name)) {
			remove_at(msg, i);
			n++;
		}
	}
	if (removed)
		*removed = n;
	if (n)
		refresh(msg, id);
	return 0;
}

int sip_msg_hdr_remove_one(struct sip_msg *msg, const struct sip_hdr *hdr)
{
	if (hdr < msg->hdrs || hdr >= msg->hdrs + msg->nhdrs ||
	    hdr->id == SIP_HDR_CONTENT_LENGTH)
		return EINVAL;
	enum sip_hdr_id id = hdr->id;
	remove_at(msg, (size_t)(hdr - msg->hdrs));
	refresh(msg, id);
	return 0;
}

int sip_msg_hdr_set(struct sip_msg *msg, const char *name_cstr,
		    struct tnd_slice value)
{
	struct tnd_slice name = tnd_slice_from_cstr(name_cstr);
	union essential_value u;
	enum sip_hdr_id id;
	size_t at = msg->nhdrs;
	int rc;

	if ((rc = check_edit(msg, name, value, &id, &u)))
		return rc;
	for (size_t i = 0; i < msg->nhdrs; i++) {
		if (matches(&msg->hdrs[i], id, name)) {
			at = i;
			break;
		}
	}
	/* Insert first, so that a failed allocation leaves the message as is.
	 */
	if ((rc = insert_at(msg, at, name, id, value)))
		return rc;
	for (size_t i = msg->nhdrs; i-- > at + 1;) {
		if (matches(&msg->hdrs[i], id, name))
			remove_at(msg, i);
	}
	set_essential(msg, id, &u, value, msg->hdrs[at].value.p);
	return 0;
}

int sip_msg_set_body(struct sip_msg *msg, struct tnd_slice body)
{
	char *copy = msg_copy_in(msg, body, TND_SLICE_NULL);

	if (!copy)
		return ENOMEM;
	msg->body = (struct tnd_slice){ copy, body.len };
	return 0;
}

int sip_msg_set_ruri(struct sip_msg *msg, struct tnd_slice uri)
{
	struct sip_uri parsed;
	char *copy;

	/* Judge the caller's bytes first: a refused URI must cost nothing. */
	if (!msg->is_request || sip_uri_parse(uri, &parsed, NULL) ||
	    parsed.headers.len)
		return EINVAL;
	if (!(copy = msg_copy_in(msg, uri, TND_SLICE_NULL)))
		return ENOMEM;
	/* Parsed again so that the slices point into the copy. */
	(void)sip_uri_parse((struct tnd_slice){ copy, uri.len }, &parsed, NULL);
	msg->ruri_text = (struct tnd_slice){ copy, uri.len };
	msg->ruri = parsed;
	return 0;
}
