/*
 * sip_msg_response_new: a response to a request (RFC 3261 §8.2.6). It
 * carries the request's Via headers, and its first From, To, Call-ID and
 * CSeq, as they were written, valid or not (a 400 answers exactly those);
 * To gains our tag unless it has one.
 *
 * Nothing is parsed: the text is assembled (msg_assemble.c) and the
 * request's parsed Via, From, To, Call-ID and CSeq are moved onto
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
	struct sip_assembly a;
};

static void put_status_line(struct response_build *b)
{
	struct sip_assembly *a = &b->a;
	size_t reason_at;

	sip_assembly_put(a, "SIP/2.0 ", 8);
	sip_text_uint(&a->t, b->status);
	sip_assembly_put(a, " ", 1);
	reason_at = sip_assembly_put(a, b->reason, strlen(b->reason));
	sip_assembly_put(a, "\r\n", 2);
	if (a->msg) {
		a->msg->status = b->status;
		a->msg->reason =
		    sip_assembly_at(a, reason_at, a->t.len - 2 - reason_at);
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
	struct sip_assembly *a = &b->a;
	size_t start = sip_assembly_put(a, name.p, name.len);

	sip_assembly_put(a, ": ", 2);
	sip_assembly_put(a, value.p, value.len);
	if (tag.len) {
		sip_assembly_put(a, ";tag=", 5);
		sip_assembly_put(a, tag.p, tag.len);
	}
	return sip_assembly_end_field(a, start, id);
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
	if (b->a.msg)
		take_essentials(b->a.msg, req);
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
			move_essential(b->a.msg, h, copy, tag.len);
		seen[h->id] = true;
	}
	put_field(b, SIP_HDR_CONTENT_LENGTH, TND_SLICE_LIT("Content-Length"),
		  TND_SLICE_LIT("0"), TND_SLICE_NULL);
	sip_assembly_put(&b->a, "\r\n", 2);
	if (b->a.msg)
		b->a.msg->body = sip_assembly_at(&b->a, b->a.t.len, 0);
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
	*out = NULL;
	if (!req->is_request || status < 100 || status > 699)
		return EINVAL;
	if (!b.reason)
		b.reason = sip_reason_phrase(status);
	if (!reason_is_text(b.reason) || !tag_is_token(to_tag))
		return EINVAL;
	put_response(&b);
	if (sip_assembly_alloc(&b.a))
		return ENOMEM;
	put_response(&b);
	if (b.a.bad) { /* cannot be: the request's own fields split */
		sip_msg_free(b.a.msg);
		return EINVAL;
	}
	*out = b.a.msg;
	return 0;
}
