/*
 * Messages as the script sees them: a SIP message, the names of the
 * headers the script set on it (which travel with the relayed message),
 * and for a request handed to on_request its transaction, so the script
 * can answer it. A message shown to a hook is borrowed until the script
 * edits it: the first edit makes a private copy (most hooks only read,
 * and a copy costs a print and a parse). Owns the copy and the names.
 */
#include <errno.h>
#include <string.h>

#include "tandem/mem.h"
#include "b2b_int.h"

/* Headers whose values the core writes on every message it sends. */
static const char *const core_headers[] = {
	"Via", "Route",   "Record-Route",   "Call-ID",      "CSeq", "From",
	"To",  "Contact", "Content-Length", "Max-Forwards", NULL,
};

void b2b_msg_borrow(struct b2b_msg *m, const struct sip_msg *sip,
		    const struct net_peer *source)
{
	memset(m, 0, sizeof(*m));
	m->sip = (struct sip_msg *)sip; /* read only until msg_own */
	if (source) {
		m->source = *source;
		m->has_source = true;
	}
}

/* Before the first edit: a copy of our own. */
static int msg_own(struct b2b_msg *m)
{
	struct sip_msg *copy;
	int rc;

	if (m->owned)
		return 0;
	if ((rc = sip_msg_dup(m->sip, &copy)))
		return rc;
	m->sip = copy;
	m->owned = true;
	return 0;
}

int b2b_msg_new(const struct sip_msg *sip, const struct net_peer *source,
		struct b2b_msg **out)
{
	struct b2b_msg *m = tnd_malloc(sizeof(*m));
	int rc;

	*out = NULL;
	if (!m)
		return ENOMEM;
	b2b_msg_borrow(m, sip, source);
	if ((rc = msg_own(m))) {
		tnd_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void b2b_msg_fini(struct b2b_msg *m)
{
	for (size_t i = 0; i < m->ncarry; i++)
		tnd_free(m->carry[i]);
	tnd_free(m->carry);
	m->carry = NULL;
	m->ncarry = 0;
	if (m->owned)
		sip_msg_free(m->sip);
	m->sip = NULL;
	m->owned = false;
}

void b2b_msg_free(struct b2b_msg *m)
{
	if (!m)
		return;
	b2b_msg_fini(m);
	tnd_free(m);
}

const struct sip_msg *b2b_msg_sip(const struct b2b_msg *m)
{
	return m->sip;
}

const struct net_peer *b2b_msg_source(const struct b2b_msg *m)
{
	return m->has_source ? &m->source : NULL;
}

static bool is_core_header(struct tnd_slice name)
{
	enum sip_hdr_id id = sip_hdr_lookup(name);

	for (size_t i = 0; core_headers[i]; i++)
		if (id != SIP_HDR_OTHER &&
		    id == sip_hdr_lookup(tnd_slice_from_cstr(core_headers[i])))
			return true;
	return false;
}

static bool carries(const struct b2b_msg *m, const char *name)
{
	for (size_t i = 0; i < m->ncarry; i++)
		if (tnd_slice_caseeq_cstr(tnd_slice_from_cstr(m->carry[i]),
					  name))
			return true;
	return false;
}

static int carry_add(struct b2b_msg *m, const char *name)
{
	char **c;

	if (carries(m, name))
		return 0;
	if (!(c = tnd_realloc(m->carry, (m->ncarry + 1) * sizeof(*c))))
		return ENOMEM;
	m->carry = c;
	if (!(c[m->ncarry] = tnd_slice_dup(tnd_slice_from_cstr(name))))
		return ENOMEM;
	m->ncarry++;
	return 0;
}

int b2b_check_header_lines(const char *const *headers, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(headers[i], ':');
		struct tnd_slice name;

		if (!colon)
			return EINVAL;
		name = (struct tnd_slice){ headers[i],
					   (size_t)(colon - headers[i]) };
		if (is_core_header(tnd_slice_trim(name)))
			return EPERM;
	}
	return 0;
}

static int check_edit(const char *name)
{
	if (!name[0] || strpbrk(name, " \t\r\n:"))
		return EINVAL;
	return is_core_header(tnd_slice_from_cstr(name)) ? EPERM : 0;
}

int b2b_msg_set_header(struct b2b_msg *m, const char *name, const char *value)
{
	int rc;

	if ((rc = check_edit(name)) || (rc = msg_own(m)) ||
	    (rc = carry_add(m, name)))
		return rc;
	return sip_msg_hdr_set(m->sip, name, tnd_slice_from_cstr(value));
}

int b2b_msg_add_header(struct b2b_msg *m, const char *name, const char *value)
{
	int rc;

	if ((rc = check_edit(name)) || (rc = msg_own(m)) ||
	    (rc = carry_add(m, name)))
		return rc;
	return sip_msg_hdr_add(m->sip, name, tnd_slice_from_cstr(value),
			       SIP_HDR_APPEND);
}

int b2b_msg_remove_header(struct b2b_msg *m, const char *name)
{
	int rc;

	if ((rc = check_edit(name)) || (rc = msg_own(m)))
		return rc;
	return sip_msg_hdr_remove(m->sip, name, NULL);
}

int b2b_msg_copy_carried(const struct b2b_msg *from, struct sip_msg *to)
{
	int rc;

	for (size_t i = 0; from && i < from->ncarry; i++) {
		struct tnd_slice name = tnd_slice_from_cstr(from->carry[i]);
		const struct sip_hdr *h = sip_msg_hdr_by_name(from->sip, name);

		if ((rc = sip_msg_hdr_remove(to, from->carry[i], NULL)))
			return rc;
		for (; h; h = sip_msg_hdr_next(from->sip, h))
			if ((rc = sip_msg_hdr_add(to, from->carry[i], h->value,
						  SIP_HDR_APPEND)))
				return rc;
	}
	return 0;
}

int b2b_copy_body(const struct sip_msg *from, struct sip_msg *to)
{
	const struct sip_hdr *ct = sip_msg_hdr(from, SIP_HDR_CONTENT_TYPE);
	int rc;

	if (!from->body.len)
		return 0;
	if (ct && (rc = sip_msg_hdr_set(to, "Content-Type", ct->value)))
		return rc;
	return sip_msg_set_body(to, from->body);
}

static bool headers_ok(const char *const *headers, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(headers[i], ':') || strpbrk(headers[i], "\r\n"))
			return false;
	return true;
}

int b2b_add_header_lines(struct sip_msg *msg, const char *const *headers,
			 size_t n)
{
	int rc;

	if (!headers_ok(headers, n))
		return EINVAL;
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(headers[i], ':');
		struct tnd_slice name = { headers[i],
					  (size_t)(colon - headers[i]) };
		char *n0 = tnd_slice_dup(tnd_slice_trim(name));

		if (!n0)
			return ENOMEM;
		rc = sip_msg_hdr_add(
		    msg, n0, tnd_slice_trim(tnd_slice_from_cstr(colon + 1)),
		    SIP_HDR_APPEND);
		tnd_free(n0);
		if (rc)
			return rc;
	}
	return 0;
}

int b2b_msg_reply(struct b2b_msg *req, uint16_t status, const char *reason,
		  const char *const *headers, size_t nheaders)
{
	struct tnd_slice tag = req->sip->to.tag;
	struct sip_msg *res;
	int rc;

	/* No request left in st: it was answered (and now lingers). */
	if (!req->st || req->replied || !txn_request(req->st))
		return EPROTO;
	if (status < 100 || status > 699 || !headers_ok(headers, nheaders))
		return EINVAL;
	/* One tag for every answer to a request without one (not on 100). */
	if (!tag.len && status > 100) {
		if (!req->to_tag[0] &&
		    (rc = tnd_rand_token(req->to_tag, TND_RAND_TOKEN_CHARS)))
			return rc;
		tag = tnd_slice_from_cstr(req->to_tag);
	}
	if ((rc = sip_msg_response_new(txn_request(req->st), status, reason,
				       tag, &res)))
		return rc;
	if ((rc = b2b_add_header_lines(res, headers, nheaders))) {
		sip_msg_free(res);
		return rc;
	}
	if ((rc = txn_server_respond(req->st, res)))
		return rc;
	if (status >= 200)
		req->replied = true;
	return 0;
}

int b2b_msg_drop(struct b2b_msg *res)
{
	if (!res->droppable)
		return EPROTO;
	res->dropped = true;
	return 0;
}
