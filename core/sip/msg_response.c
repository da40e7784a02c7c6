/*
 * sip_msg_response_new: a response to a request (RFC 3261 §8.2.6). It
 * carries the request's Via headers, and its first From, To, Call-ID and
 * CSeq, as they were written, valid or not (a 400 answers exactly those);
 * To gains our tag unless it has one.
 *
 * Nothing is parsed: the text is written twice (to count, then straight
 * into the new message's buffer), each header recorded as it is written,
 * and the request's parsed Via, From, To, Call-ID and CSeq are moved onto
 * the copies of the values they were read from. What comes out is what a
 * parse of the same text gives (test_msg_response checks that, field by
 * field); responses are built on every transaction, so the parse they
 * would cost is worth saving.
 */
#include <errno.h>
#include <string.h>

#include "sip_int.h"

struct response_build {
	const struct sip_msg *req;
	uint16_t status;
	const char *reason;
	struct tnd_slice to_tag;
	struct sip_text t;
	struct sip_msg *msg; /* NULL while counting */
	size_t nhdrs;
};

/* Writes n bytes; returns where they went, as an offset in the text. */
static size_t put(struct response_build *b, const char *s, size_t n)
{
	size_t at = b->t.len;

	sip_text_put(&b->t, s, n);
	return at;
}

static struct tnd_slice in_buf(const struct response_build *b, size_t at,
			       size_t len)
{
	return (struct tnd_slice){ b->msg->buf + at, len };
}

static void put_status_line(struct response_build *b)
{
	size_t reason_at;

	put(b, "SIP/2.0 ", 8);
	sip_text_uint(&b->t, b->status);
	put(b, " ", 1);
	reason_at = put(b, b->reason, strlen(b->reason));
	put(b, "\r\n", 2);
	if (b->msg) {
		b->msg->status = b->status;
		b->msg->reason = in_buf(b, reason_at, b->t.len - 2 - reason_at);
	}
}

/* One header field, `tag` glued to its value; NULL while counting, else
 * the header as recorded in the new message. */
static const struct sip_hdr *put_field(struct response_build *b,
				       enum sip_hdr_id id,
				       struct tnd_slice name,
				       struct tnd_slice value,
				       struct tnd_slice tag)
{
	size_t name_at = put(b, name.p, name.len), value_at, value_end;
	struct sip_hdr *h;

	put(b, ": ", 2);
	value_at = put(b, value.p, value.len);
	if (tag.len) {
		put(b, ";tag=", 5);
		put(b, tag.p, tag.len);
	}
	value_end = b->t.len;
	put(b, "\r\n", 2);
	b->nhdrs++;
	if (!b->msg)
		return NULL;
	h = &b->msg->hdrs[b->msg->nhdrs++];
	h->id = id;
	h->name = in_buf(b, name_at, name.len);
	h->value = in_buf(b, value_at, value_end - value_at);
	return h;
}

/*
 * The request's parsed fields of kind `id` move onto `copy`, the new
 * message's copy of `orig`, the header they were read from. A tag we
 * glued on becomes the To's tag and the end of its parameters.
 */
static void move_essential(struct sip_msg *m, const struct sip_hdr *orig,
			   const struct sip_hdr *copy, size_t tag_len)
{
	const struct sip_rebase rb = { (uintptr_t)orig->value.p,
				       (uintptr_t)orig->value.p +
					   orig->value.len,
				       copy->value.p };
	const char *end = copy->value.p + copy->value.len;

	switch (orig->id) {
	case SIP_HDR_VIA: sip_via_move(&rb, &m->via); break;
	case SIP_HDR_FROM: sip_nameaddr_move(&rb, &m->from); break;
	case SIP_HDR_TO:
		sip_nameaddr_move(&rb, &m->to);
		if (!tag_len)
			break;
		m->to.tag = (struct tnd_slice){ end - tag_len, tag_len };
		if (!m->to.params.len)
			m->to.params.p = end - tag_len - 5; /* ";tag=" */
		m->to.params.len = (size_t)(end - m->to.params.p);
		break;
	case SIP_HDR_CALL_ID: sip_slice_move(&rb, &m->call_id); break;
	case SIP_HDR_CSEQ: sip_slice_move(&rb, &m->cseq.method_name); break;
	default: break;
	}
}

/* The request's parsed fields, before they are moved: absent or invalid
 * ones were cleared by its parse and hold no pointers. */
static void take_essentials(struct sip_msg *m, const struct sip_msg *req)
{
	m->via = req->via;
	m->has_via = req->has_via;
	m->from = req->from;
	m->has_from = req->has_from;
	m->to = req->to;
	m->has_to = req->has_to;
	m->call_id = req->call_id;
	m->cseq = req->cseq;
	m->has_cseq = req->has_cseq;
	m->has_content_length = true;
	m->content_length = 0;
}

static void put_response(struct response_build *b)
{
	const struct sip_msg *req = b->req;
	bool seen[SIP_HDR_COUNT] = { false };
	/* RFC 3261 §8.2.6.2; not onto a To that did not parse. */
	bool add_tag = b->to_tag.len && req->has_to && !req->to.tag.p;

	put_status_line(b);
	if (b->msg)
		take_essentials(b->msg, req);
	for (size_t i = 0; i < req->nhdrs; i++) {
		const struct sip_hdr *h = &req->hdrs[i], *copy;
		struct tnd_slice tag = TND_SLICE_NULL;

		switch (h->id) {
		case SIP_HDR_VIA: break; /* every one, in order */
		case SIP_HDR_FROM:
		case SIP_HDR_CALL_ID:
		case SIP_HDR_CSEQ:
		case SIP_HDR_TO:
			if (seen[h->id])
				continue; /* one of each, the first */
			if (h->id == SIP_HDR_TO && add_tag)
				tag = b->to_tag;
			break;
		default: continue;
		}
		copy = put_field(b, h->id, h->name, h->value, tag);
		if (copy && !seen[h->id])
			move_essential(b->msg, h, copy, tag.len);
		seen[h->id] = true;
	}
	put_field(b, SIP_HDR_CONTENT_LENGTH, TND_SLICE_LIT("Content-Length"),
		  TND_SLICE_LIT("0"), TND_SLICE_NULL);
	put(b, "\r\n", 2);
	if (b->msg)
		b->msg->body = in_buf(b, b->t.len, 0);
}

/* A Reason-Phrase holds no control characters but HTAB (§25.1). */
static bool reason_is_text(const char *reason)
{
	for (const unsigned char *p = (const unsigned char *)reason; *p; p++) {
		if (*p < ' ' && *p != '\t')
			return false;
	}
	return true;
}

/* tag = token (§25.1): anything else would change what To parses as. */
static bool tag_is_token(struct tnd_slice tag)
{
	struct sip_scan s;

	if (!tag.len)
		return true;
	sip_scan_init(&s, tag);
	return sip_scan_token(&s, NULL) && sip_scan_eof(&s);
}

int sip_msg_response_new(const struct sip_msg *req, uint16_t status,
			 const char *reason, struct tnd_slice to_tag,
			 struct sip_msg **out)
{
	struct response_build b = {
		.req = req, .status = status, .reason = reason, .to_tag = to_tag
	};
	struct sip_msg *msg;

	*out = NULL;
	if (!req->is_request || status < 100 || status > 699)
		return EINVAL;
	if (!b.reason)
		b.reason = sip_reason_phrase(status);
	if (!reason_is_text(b.reason) || !tag_is_token(to_tag))
		return EINVAL;
	put_response(&b);
	if (!(msg = sip_msg_alloc_blank(b.t.len, b.nhdrs)))
		return ENOMEM;
	b.msg = msg;
	b.t = (struct sip_text){ msg->buf, msg->len, 0 };
	b.nhdrs = 0;
	put_response(&b);
	*out = msg;
	return 0;
}
