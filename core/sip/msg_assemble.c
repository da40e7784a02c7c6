/*
 * Assembling a message without parsing it: the builder's code runs twice,
 * first counting the bytes and header fields, then writing into the new
 * message's own buffer, each field recorded in its header array as it is
 * ended, split exactly as a parse would split it. The builders (responses,
 * requests) then fill the parsed fields themselves.
 */
#include <errno.h>

#include "sip_int.h"

size_t sip_assembly_put(struct sip_assembly *a, const char *s, size_t n)
{
	size_t at = a->t.len;

	sip_text_put(&a->t, s, n);
	return at;
}

struct tnd_slice sip_assembly_at(const struct sip_assembly *a, size_t at,
				 size_t len)
{
	return (struct tnd_slice){ a->msg->buf + at, len };
}

const struct sip_hdr *sip_assembly_end_field(struct sip_assembly *a,
					     size_t start, enum sip_hdr_id id)
{
	size_t end = sip_assembly_put(a, "\r\n", 2);
	struct sip_hdr *h;

	a->nhdrs++;
	if (!a->msg)
		return NULL;
	h = &a->msg->hdrs[a->msg->nhdrs];
	if (sip_field_split(a->msg->buf + start, a->msg->buf + end, h)) {
		a->bad = true;
		return NULL;
	}
	h->id = id == SIP_HDR_COUNT ? sip_hdr_lookup(h->name) : id;
	a->msg->nhdrs++;
	return h;
}

int sip_assembly_alloc(struct sip_assembly *a)
{
	if (!(a->msg = sip_msg_alloc_blank(a->t.len, a->nhdrs)))
		return ENOMEM;
	a->t = (struct sip_text){ a->msg->buf, a->msg->len, 0 };
	a->nhdrs = 0;
	return 0;
}
