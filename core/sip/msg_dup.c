/*
 * sip_msg_dup: a copy of a message that owns its own buffer. A message
 * without edits is copied as it stands: one block holding the struct, the
 * header array and the bytes, with every slice moved onto the new bytes
 * (no parse: the copy reads exactly what the original read). A message
 * with edits is printed and parsed back, which applies them.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "tandem/mem.h"
#include "sip_int.h"

/* Slices into the original's bytes move; NULL or static ones stay. */
void sip_slice_move(const struct sip_rebase *rb, struct tnd_slice *s)
{
	uintptr_t p = (uintptr_t)s->p;

	if (s->p && p >= rb->from && p <= rb->end)
		s->p = rb->to + (p - rb->from);
}

static void move_uri(const struct sip_rebase *rb, struct sip_uri *u)
{
	sip_slice_move(rb, &u->scheme_text);
	sip_slice_move(rb, &u->user);
	sip_slice_move(rb, &u->password);
	sip_slice_move(rb, &u->host);
	sip_slice_move(rb, &u->params);
	sip_slice_move(rb, &u->headers);
	sip_slice_move(rb, &u->opaque);
}

void sip_nameaddr_move(const struct sip_rebase *rb, struct sip_nameaddr *na)
{
	sip_slice_move(rb, &na->display);
	sip_slice_move(rb, &na->uri);
	sip_slice_move(rb, &na->params);
	sip_slice_move(rb, &na->tag);
}

void sip_via_move(const struct sip_rebase *rb, struct sip_via *v)
{
	sip_slice_move(rb, &v->protocol);
	sip_slice_move(rb, &v->transport);
	sip_slice_move(rb, &v->host);
	sip_slice_move(rb, &v->params);
	sip_slice_move(rb, &v->branch);
	sip_slice_move(rb, &v->received);
	sip_slice_move(rb, &v->maddr);
}

/*
 * Every slice of struct sip_msg: a field added there must be added here
 * (test_msg_dup frees the original before reading the copy, so one that
 * is missed shows up under the sanitizers).
 */
static void move_all(const struct sip_rebase *rb, struct sip_msg *m)
{
	sip_slice_move(rb, &m->method_name);
	sip_slice_move(rb, &m->ruri_text);
	move_uri(rb, &m->ruri);
	sip_slice_move(rb, &m->reason);
	for (size_t i = 0; i < m->nhdrs; i++) {
		sip_slice_move(rb, &m->hdrs[i].name);
		sip_slice_move(rb, &m->hdrs[i].value);
	}
	sip_via_move(rb, &m->via);
	sip_nameaddr_move(rb, &m->from);
	sip_nameaddr_move(rb, &m->to);
	sip_slice_move(rb, &m->call_id);
	sip_slice_move(rb, &m->cseq.method_name);
	sip_slice_move(rb, &m->body);
}

static int dup_unedited(const struct sip_msg *msg, struct sip_msg **out)
{
	struct sip_msg *copy = sip_msg_alloc(msg->buf, msg->len, msg->nhdrs);
	struct sip_hdr *hdrs;
	char *buf;
	size_t cap;

	if (!copy)
		return ENOMEM;
	hdrs = copy->hdrs;
	buf = copy->buf;
	cap = copy->hdrs_cap;
	*copy = *msg;
	copy->hdrs = hdrs;
	copy->hdrs_cap = cap;
	copy->buf = buf;
	copy->edits = NULL;
	memcpy(copy->hdrs, msg->hdrs, msg->nhdrs * sizeof(*hdrs));
	move_all(&(struct sip_rebase){ (uintptr_t)msg->buf,
				       (uintptr_t)msg->buf + msg->len, buf },
		 copy);
	*out = copy;
	return 0;
}

static int dup_printed(const struct sip_msg *msg, struct sip_msg **out)
{
	size_t size = sip_msg_print_size(msg), written;
	char *buf = tnd_malloc(size ? size : 1);
	int rc;

	if (!buf)
		return ENOMEM;
	sip_msg_print(msg, buf, size, &written);
	rc = sip_msg_parse_generated(buf, written, false, out);
	tnd_free(buf);
	return rc;
}

int sip_msg_dup(const struct sip_msg *msg, struct sip_msg **out)
{
	*out = NULL;
	return msg->edits ? dup_printed(msg, out) : dup_unedited(msg, out);
}
