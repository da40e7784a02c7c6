/*
 * sip_msg_request_new: a new request from a spec (RFC 3261 §8.1.1): our
 * Via, Max-Forwards, From with its tag, To, Call-ID, CSeq, Contact, the
 * caller's extra header lines, the body with its Content-Type and
 * Content-Length. Branch, tag and Call-ID are drawn when the spec leaves
 * them empty.
 *
 * The text is assembled (msg_assemble.c), not printed and parsed back;
 * the Request-URI and the essential headers are then read from the new
 * bytes as strictly as a parse reads a peer's request, so what we send is
 * what we would accept, and a spec that would not make such a request is
 * refused (EINVAL). test_msg_request checks the result field by field
 * against a parse of its own text.
 */
#include <errno.h>
#include <string.h>

#include "tandem/rand.h"
#include "sip_int.h"

struct request_build {
	const struct sip_request_spec *spec;
	const char *method;
	char branch[TND_BRANCH_LEN + 1];
	char tag[TND_RAND_TOKEN_CHARS + 1];
	char call_id[TND_RAND_TOKEN_CHARS + 1];
	struct sip_assembly a;
	size_t ruri_at, body_at;
};

static struct tnd_slice or_drawn(struct tnd_slice given, const char *drawn)
{
	return given.len ? given : tnd_slice_from_cstr(drawn);
}

static size_t put_slice(struct sip_assembly *a, struct tnd_slice s)
{
	return sip_assembly_put(a, s.p, s.len);
}

static size_t put_cstr(struct sip_assembly *a, const char *s)
{
	return sip_assembly_put(a, s, strlen(s));
}

static void put_via(struct request_build *b)
{
	const struct sip_request_spec *s = b->spec;
	struct sip_assembly *a = &b->a;
	bool v6 = memchr(s->via_host.p, ':', s->via_host.len) != NULL;
	size_t start = put_cstr(a, "Via: SIP/2.0/");

	put_slice(a, s->via_transport.len ? s->via_transport
					  : TND_SLICE_LIT("UDP"));
	sip_assembly_put(a, " ", 1);
	sip_assembly_put(a, "[", v6);
	put_slice(a, s->via_host);
	sip_assembly_put(a, "]", v6);
	if (s->via_port) {
		sip_assembly_put(a, ":", 1);
		sip_text_uint(&a->t, s->via_port);
	}
	put_cstr(a, ";branch=");
	put_slice(a, or_drawn(s->branch, b->branch));
	sip_assembly_end_field(a, start, SIP_HDR_VIA);
}

static void put_field(struct sip_assembly *a, enum sip_hdr_id id,
		      const char *name, struct tnd_slice value)
{
	size_t start = put_cstr(a, name);

	sip_assembly_put(a, ": ", 2);
	put_slice(a, value);
	sip_assembly_end_field(a, start, id);
}

static void put_number_field(struct sip_assembly *a, enum sip_hdr_id id,
			     const char *name, uint32_t n, const char *after)
{
	size_t start = put_cstr(a, name);

	sip_assembly_put(a, ": ", 2);
	sip_text_uint(&a->t, n);
	put_cstr(a, after);
	sip_assembly_end_field(a, start, id);
}

static void put_request(struct request_build *b)
{
	const struct sip_request_spec *s = b->spec;
	struct sip_assembly *a = &b->a;
	size_t start;

	put_cstr(a, b->method);
	sip_assembly_put(a, " ", 1);
	b->ruri_at = put_slice(a, s->ruri);
	put_cstr(a, " SIP/2.0\r\n");
	put_via(b);
	put_number_field(a, SIP_HDR_MAX_FORWARDS, "Max-Forwards",
			 s->max_forwards ? s->max_forwards : 70, "");
	start = put_cstr(a, "From: ");
	put_slice(a, s->from);
	put_cstr(a, ";tag=");
	put_slice(a, or_drawn(s->from_tag, b->tag));
	sip_assembly_end_field(a, start, SIP_HDR_FROM);
	put_field(a, SIP_HDR_TO, "To", s->to);
	put_field(a, SIP_HDR_CALL_ID, "Call-ID",
		  or_drawn(s->call_id, b->call_id));
	start = put_cstr(a, "CSeq: ");
	sip_text_uint(&a->t, s->cseq);
	sip_assembly_put(a, " ", 1);
	put_cstr(a, b->method);
	sip_assembly_end_field(a, start, SIP_HDR_CSEQ);
	if (s->contact.len)
		put_field(a, SIP_HDR_CONTACT, "Contact", s->contact);
	for (const char *const *x = s->extra; x && *x; x++)
		sip_assembly_end_field(a, put_cstr(a, *x), SIP_HDR_COUNT);
	if (s->body.len)
		put_field(a, SIP_HDR_CONTENT_TYPE, "Content-Type",
			  s->content_type);
	put_number_field(a, SIP_HDR_CONTENT_LENGTH, "Content-Length",
			 (uint32_t)s->body.len, "");
	sip_assembly_put(a, "\r\n", 2);
	b->body_at = put_slice(a, s->body);
}

/*
 * The parsed fields, from the assembled bytes: the start line, the
 * Request-URI (no headers in it, §19.1.1), every essential header as
 * strictly as a peer's, and Content-Length, where an extra line naming
 * one must agree with ours as a parse would insist.
 */
static int read_request(struct request_build *b)
{
	struct sip_msg *m = b->a.msg;
	size_t method_len = strlen(b->method);

	m->is_request = true;
	m->method_name = sip_assembly_at(&b->a, 0, method_len);
	m->method = sip_method_lookup(m->method_name);
	m->ruri_text = sip_assembly_at(&b->a, b->ruri_at, b->spec->ruri.len);
	if (b->a.bad || sip_uri_parse(m->ruri_text, &m->ruri, NULL) ||
	    m->ruri.headers.len || sip_msg_read_essentials(m, NULL))
		return EINVAL;
	for (size_t i = 0; i < m->nhdrs; i++) {
		uint32_t n;

		if (m->hdrs[i].id == SIP_HDR_CONTENT_LENGTH &&
		    (sip_uint_parse(m->hdrs[i].value, UINT32_MAX, &n, NULL) ||
		     n != b->spec->body.len))
			return EINVAL;
	}
	m->has_content_length = true;
	m->content_length = (uint32_t)b->spec->body.len;
	m->body = sip_assembly_at(&b->a, b->body_at, b->spec->body.len);
	return 0;
}

/* Refuses CR and LF in any piece: a spec must not smuggle in headers;
 * nor a space in the Request-URI, which would end it. */
static bool spec_is_clean(const struct sip_request_spec *s)
{
	const struct tnd_slice parts[] = { s->ruri,     s->via_transport,
					   s->via_host, s->branch,
					   s->from,     s->from_tag,
					   s->to,       s->call_id,
					   s->contact,  s->content_type };

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (memchr(parts[i].p ? parts[i].p : "", '\r', parts[i].len) ||
		    memchr(parts[i].p ? parts[i].p : "", '\n', parts[i].len))
			return false;
	}
	for (const char *const *x = s->extra; x && *x; x++) {
		if (strchr(*x, '\r') || strchr(*x, '\n'))
			return false;
	}
	return s->ruri.len && !memchr(s->ruri.p, ' ', s->ruri.len) &&
	       s->via_host.len && s->from.len && s->to.len &&
	       (s->body.len == 0 || s->content_type.len);
}

/*
 * Method = INVITEm / ... / extension-method, extension-method = token
 * (RFC 3261 §25.1). Anything else could carry a request line and headers
 * of its own, and the CSeq it is repeated in need not stop it: a second
 * CSeq is never read.
 */
static bool method_is_token(const char *method)
{
	struct sip_scan s;

	sip_scan_init(&s, tnd_slice_from_cstr(method));
	return sip_scan_token(&s, NULL) && sip_scan_eof(&s);
}

int sip_msg_request_new(const struct sip_request_spec *spec,
			struct sip_msg **out)
{
	struct request_build b = { .spec = spec };

	*out = NULL;
	b.method = spec->method == SIP_METHOD_UNKNOWN
		       ? spec->method_name
		       : sip_method_name(spec->method);
	if (!b.method || !method_is_token(b.method) || !spec_is_clean(spec))
		return EINVAL;
	/* Only what the spec leaves to us is drawn (in-dialog requests
	 * bring their tag and Call-ID). */
	if ((!spec->branch.len &&
	     tnd_rand_branch(b.branch, sizeof(b.branch))) ||
	    (!spec->from_tag.len &&
	     tnd_rand_token(b.tag, TND_RAND_TOKEN_CHARS)) ||
	    (!spec->call_id.len &&
	     tnd_rand_token(b.call_id, TND_RAND_TOKEN_CHARS)))
		return EIO;
	put_request(&b);
	if (sip_assembly_alloc(&b.a))
		return ENOMEM;
	put_request(&b);
	if (read_request(&b)) {
		sip_msg_free(b.a.msg);
		return EINVAL;
	}
	*out = b.a.msg;
	return 0;
}
