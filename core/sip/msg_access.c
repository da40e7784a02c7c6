/*
 * Reading a parsed message: the fields read at parse time (Via, From, To,
 * Call-ID, CSeq, Max-Forwards), lookups by header kind or name, and
 * iteration over the values of list headers.
 */
#include <errno.h>

#include "sip_int.h"

bool sip_hdr_is_essential(enum sip_hdr_id id)
{
	switch (id) {
	case SIP_HDR_VIA:
	case SIP_HDR_FROM:
	case SIP_HDR_TO:
	case SIP_HDR_CALL_ID:
	case SIP_HDR_CSEQ:
	case SIP_HDR_MAX_FORWARDS: return true;
	default: return false;
	}
}

static void clear_essential(struct sip_msg *msg, enum sip_hdr_id id)
{
	switch (id) {
	case SIP_HDR_VIA:
		msg->has_via = false;
		msg->via = (struct sip_via){ .ttl = -1 };
		break;
	case SIP_HDR_FROM:
		msg->has_from = false;
		msg->from = (struct sip_nameaddr){ 0 };
		break;
	case SIP_HDR_TO:
		msg->has_to = false;
		msg->to = (struct sip_nameaddr){ 0 };
		break;
	case SIP_HDR_CALL_ID: msg->call_id = TND_SLICE_NULL; break;
	case SIP_HDR_CSEQ:
		msg->has_cseq = false;
		msg->cseq = (struct sip_cseq){ 0 };
		break;
	case SIP_HDR_MAX_FORWARDS:
		msg->has_max_forwards = false;
		msg->max_forwards = 0;
		break;
	default: break;
	}
}

/* Every Via value is checked: responses are routed by the whole list. */
static int read_vias(struct sip_msg *msg, const struct sip_hdr *h,
		     struct sip_parse_error *err)
{
	struct tnd_slice v;
	struct sip_via via;
	size_t pos = 0;
	int rc;

	if (h->value.len == 0)
		return sip_parse_fail(err, 400, "Empty Via header", 0);
	while (sip_value_next(h->value, &pos, &v)) {
		if (v.len == 0)
			return sip_parse_fail(err, 400, "Empty Via value",
					      (size_t)(v.p - h->value.p));
		if ((rc = sip_via_parse(v, &via, err))) {
			if (err)
				err->offset += (size_t)(v.p - h->value.p);
			return rc;
		}
		if (!msg->has_via) {
			msg->via = via;
			msg->has_via = true;
		}
	}
	return 0;
}

/*
 * Parses one essential header; only the first of each kind is kept. A
 * value that does not parse is not kept either, so that the has_ flags
 * always mean "read and valid" (a 400 built from a broken request relies
 * on them: no tag is glued onto a To that did not parse).
 */
static int read_one(struct sip_msg *msg, const struct sip_hdr *h,
		    struct sip_parse_error *err)
{
	int rc;

	switch (h->id) {
	case SIP_HDR_VIA: return read_vias(msg, h, err);
	case SIP_HDR_FROM:
		if (msg->has_from)
			return 0;
		rc = sip_nameaddr_parse(h->value, &msg->from, err);
		msg->has_from = rc == 0;
		break;
	case SIP_HDR_TO:
		if (msg->has_to)
			return 0;
		rc = sip_nameaddr_parse(h->value, &msg->to, err);
		msg->has_to = rc == 0;
		break;
	case SIP_HDR_CALL_ID:
		if (msg->call_id.p)
			return 0;
		rc = sip_callid_parse(h->value, &msg->call_id, err);
		break;
	case SIP_HDR_CSEQ:
		if (msg->has_cseq)
			return 0;
		rc = sip_cseq_parse(h->value, &msg->cseq, err);
		msg->has_cseq = rc == 0;
		break;
	case SIP_HDR_MAX_FORWARDS:
		if (msg->has_max_forwards)
			return 0;
		rc = sip_uint_parse(h->value, 255, &msg->max_forwards, err);
		msg->has_max_forwards = rc == 0;
		break;
	default: return 0;
	}
	if (rc)
		clear_essential(msg, h->id);
	return rc;
}

static int read_header(struct sip_msg *msg, const struct sip_hdr *h,
		       struct sip_parse_error *err)
{
	int rc = read_one(msg, h, err);

	if (rc && err) {
		err->offset += (size_t)(h->value.p - msg->buf);
		err->header = h->name;
	}
	return rc;
}

/* RFC 3261 §8.1.1.5: a request's CSeq method is the request's method. */
static int check_cseq_method(const struct sip_msg *msg,
			     struct sip_parse_error *err)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_CSEQ);

	if (!msg->is_request || !msg->has_cseq ||
	    tnd_slice_eq(msg->cseq.method_name, msg->method_name))
		return 0;
	sip_parse_fail(err, 400, "CSeq method does not match request",
		       (size_t)(h->value.p - msg->buf));
	if (err)
		err->header = h->name;
	return EBADMSG;
}

int sip_msg_read_essentials(struct sip_msg *msg, struct sip_parse_error *err)
{
	int rc;

	msg->via.ttl = -1;
	for (size_t i = 0; i < msg->nhdrs; i++) {
		if ((rc = read_header(msg, &msg->hdrs[i], err)))
			return rc;
	}
	return check_cseq_method(msg, err);
}

int sip_msg_refresh_essential(struct sip_msg *msg, enum sip_hdr_id id,
			      struct sip_parse_error *err)
{
	int rc;

	clear_essential(msg, id);
	for (size_t i = 0; i < msg->nhdrs; i++) {
		if (msg->hdrs[i].id == id &&
		    (rc = read_header(msg, &msg->hdrs[i], err)))
			return rc;
	}
	return id == SIP_HDR_CSEQ ? check_cseq_method(msg, err) : 0;
}

const struct sip_hdr *sip_msg_hdr(const struct sip_msg *msg, enum sip_hdr_id id)
{
	for (size_t i = 0; i < msg->nhdrs; i++) {
		if (msg->hdrs[i].id == id)
			return &msg->hdrs[i];
	}
	return NULL;
}

static bool same_kind(const struct sip_hdr *a, const struct sip_hdr *b)
{
	if (a->id != b->id)
		return false;
	return a->id != SIP_HDR_OTHER || tnd_slice_caseeq(a->name, b->name);
}

const struct sip_hdr *sip_msg_hdr_by_name(const struct sip_msg *msg,
					  struct tnd_slice name)
{
	struct sip_hdr want = { .id = sip_hdr_lookup(name), .name = name };

	for (size_t i = 0; i < msg->nhdrs; i++) {
		if (same_kind(&msg->hdrs[i], &want))
			return &msg->hdrs[i];
	}
	return NULL;
}

const struct sip_hdr *sip_msg_hdr_next(const struct sip_msg *msg,
				       const struct sip_hdr *after)
{
	for (const struct sip_hdr *h = after + 1; h < msg->hdrs + msg->nhdrs;
	     h++) {
		if (same_kind(h, after))
			return h;
	}
	return NULL;
}

size_t sip_msg_hdr_count(const struct sip_msg *msg, enum sip_hdr_id id)
{
	size_t n = 0;

	for (size_t i = 0; i < msg->nhdrs; i++)
		n += msg->hdrs[i].id == id;
	return n;
}

bool sip_msg_value_next(const struct sip_msg *msg, enum sip_hdr_id id,
			struct sip_value_iter *it, struct tnd_slice *value)
{
	if (!it->started) {
		it->started = true;
		it->hdr = sip_msg_hdr(msg, id);
		it->pos = 0;
	}
	while (it->hdr) {
		if (!sip_hdr_is_list(id)) {
			if (it->pos == 0) {
				it->pos = 1;
				*value = it->hdr->value;
				return true;
			}
		} else if (sip_value_next(it->hdr->value, &it->pos, value)) {
			return true;
		}
		it->hdr = sip_msg_hdr_next(msg, it->hdr);
		it->pos = 0;
	}
	return false;
}
