/*
 * Building requests: a new request (RFC 3261 §8.1.1), and the ACK of a
 * non-2xx and the CANCEL of an INVITE. Each writes text with the counting
 * writer and parses it back, strictly, so a built request is a message
 * like any other and what we send is what we would accept. (Responses:
 * msg_response.c.)
 */
#include <errno.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/rand.h"
#include "sip_int.h"

typedef void (*write_fn)(struct sip_text *t, const void *arg);

/* Runs `write` twice (count, then fill) and parses the result. */
static int build_and_parse(write_fn write, const void *arg,
			   struct sip_msg **out)
{
	struct sip_text t = { NULL, 0, 0 };
	int rc;

	write(&t, arg);
	t = (struct sip_text){ tnd_malloc(t.len ? t.len : 1), t.len, 0 };
	if (!t.p)
		return ENOMEM;
	write(&t, arg);
	rc = sip_msg_parse_generated(t.p, t.len, true, out);
	tnd_free(t.p);
	return rc;
}

static void put_header(struct sip_text *t, struct tnd_slice name,
		       struct tnd_slice value)
{
	sip_text_slice(t, name);
	sip_text_put(t, ": ", 2);
	sip_text_slice(t, value);
	sip_text_put(t, "\r\n", 2);
}

/* ACK of a non-2xx (§17.1.1.3) and CANCEL (§9.1) share their form. */
struct ack_args {
	const struct sip_msg *invite;
	const struct sip_msg *res; /* ACK: its To; CANCEL: NULL */
	const char *method;
};

static void write_ack(struct sip_text *t, const void *arg)
{
	const struct ack_args *a = arg;
	const struct sip_msg *inv = a->invite;
	const struct sip_hdr *via = sip_msg_hdr(inv, SIP_HDR_VIA);
	const struct sip_hdr *to =
	    sip_msg_hdr(a->res ? a->res : inv, SIP_HDR_TO);
	struct tnd_slice top;
	size_t pos = 0;

	sip_text_cstr(t, a->method);
	sip_text_put(t, " ", 1);
	sip_text_slice(t, inv->ruri_text);
	sip_text_cstr(t, " SIP/2.0\r\n");
	/* Only the top Via value, which carries the INVITE's branch. */
	sip_value_next(via->value, &pos, &top);
	put_header(t, TND_SLICE_LIT("Via"), top);
	for (size_t i = 0; i < inv->nhdrs; i++) {
		const struct sip_hdr *h = &inv->hdrs[i];

		if (h->id == SIP_HDR_ROUTE || h->id == SIP_HDR_FROM ||
		    h->id == SIP_HDR_CALL_ID || h->id == SIP_HDR_MAX_FORWARDS)
			put_header(t, h->name, h->value);
	}
	put_header(t, TND_SLICE_LIT("To"), to->value);
	sip_text_cstr(t, "CSeq: ");
	sip_text_uint(t, inv->cseq.number);
	sip_text_put(t, " ", 1);
	sip_text_cstr(t, a->method);
	sip_text_cstr(t, "\r\nContent-Length: 0\r\n\r\n");
}

static bool is_sent_invite(const struct sip_msg *invite)
{
	return invite->is_request && invite->method == SIP_METHOD_INVITE &&
	       invite->has_via && invite->has_cseq && invite->has_to;
}

int sip_msg_ack_new(const struct sip_msg *invite, const struct sip_msg *res,
		    struct sip_msg **out)
{
	struct ack_args a = { invite, res, "ACK" };

	*out = NULL;
	if (!is_sent_invite(invite) || res->is_request || !res->has_to)
		return EINVAL;
	return build_and_parse(write_ack, &a, out);
}

int sip_msg_cancel_new(const struct sip_msg *invite, struct sip_msg **out)
{
	struct ack_args a = { invite, NULL, "CANCEL" };

	*out = NULL;
	if (!is_sent_invite(invite))
		return EINVAL;
	return build_and_parse(write_ack, &a, out);
}

struct request_args {
	const struct sip_request_spec *spec;
	const char *method;
	char branch[TND_BRANCH_LEN + 1];
	char tag[TND_RAND_TOKEN_CHARS + 1];
	char call_id[TND_RAND_TOKEN_CHARS + 1];
};

static struct tnd_slice or_generated(struct tnd_slice given, const char *made)
{
	return given.len ? given : tnd_slice_from_cstr(made);
}

static void write_via(struct sip_text *t, const struct request_args *a)
{
	const struct sip_request_spec *s = a->spec;
	bool v6 = memchr(s->via_host.p, ':', s->via_host.len) != NULL;

	sip_text_cstr(t, "Via: SIP/2.0/");
	sip_text_slice(t, s->via_transport.len ? s->via_transport
					       : TND_SLICE_LIT("UDP"));
	sip_text_put(t, " ", 1);
	sip_text_put(t, "[", v6);
	sip_text_slice(t, s->via_host);
	sip_text_put(t, "]", v6);
	if (s->via_port) {
		sip_text_put(t, ":", 1);
		sip_text_uint(t, s->via_port);
	}
	sip_text_cstr(t, ";branch=");
	sip_text_slice(t, or_generated(s->branch, a->branch));
	sip_text_put(t, "\r\n", 2);
}

static void write_request(struct sip_text *t, const void *arg)
{
	const struct request_args *a = arg;
	const struct sip_request_spec *s = a->spec;

	sip_text_cstr(t, a->method);
	sip_text_put(t, " ", 1);
	sip_text_slice(t, s->ruri);
	sip_text_cstr(t, " SIP/2.0\r\n");
	write_via(t, a);
	sip_text_cstr(t, "Max-Forwards: ");
	sip_text_uint(t, s->max_forwards ? s->max_forwards : 70);
	sip_text_cstr(t, "\r\nFrom: ");
	sip_text_slice(t, s->from);
	sip_text_cstr(t, ";tag=");
	sip_text_slice(t, or_generated(s->from_tag, a->tag));
	sip_text_put(t, "\r\n", 2);
	put_header(t, TND_SLICE_LIT("To"), s->to);
	put_header(t, TND_SLICE_LIT("Call-ID"),
		   or_generated(s->call_id, a->call_id));
	sip_text_cstr(t, "CSeq: ");
	sip_text_uint(t, s->cseq);
	sip_text_put(t, " ", 1);
	sip_text_cstr(t, a->method);
	sip_text_put(t, "\r\n", 2);
	if (s->contact.len)
		put_header(t, TND_SLICE_LIT("Contact"), s->contact);
	for (const char *const *x = s->extra; x && *x; x++) {
		sip_text_cstr(t, *x);
		sip_text_put(t, "\r\n", 2);
	}
	if (s->body.len)
		put_header(t, TND_SLICE_LIT("Content-Type"), s->content_type);
	sip_text_cstr(t, "Content-Length: ");
	sip_text_uint(t, (uint32_t)s->body.len);
	sip_text_cstr(t, "\r\n\r\n");
	sip_text_slice(t, s->body);
}

/* Refuses CR and LF in any piece: a spec must not smuggle in headers. */
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
	return s->ruri.len && s->via_host.len && s->from.len && s->to.len &&
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
	struct request_args a = { .spec = spec };

	*out = NULL;
	a.method = spec->method == SIP_METHOD_UNKNOWN
		       ? spec->method_name
		       : sip_method_name(spec->method);
	if (!a.method || !method_is_token(a.method) || !spec_is_clean(spec))
		return EINVAL;
	if (tnd_rand_branch(a.branch, sizeof(a.branch)) ||
	    tnd_rand_token(a.tag, TND_RAND_TOKEN_CHARS) ||
	    tnd_rand_token(a.call_id, TND_RAND_TOKEN_CHARS))
		return EIO;
	return build_and_parse(write_request, &a, out);
}
