/*
 * Requests inside a dialog (RFC 3261 §12.2.1.1) and the ACK for a 2xx
 * (§13.2.2.4): Request-URI and Route from the route set (loose or strict
 * routing), From, To, Call-ID and Contact from the dialog state, and the
 * local CSeq. Messages are built by sip_msg_request_new; random CSeq
 * starts come from util/rand tokens.
 */
#include <errno.h>
#include <string.h>

#include "tandem/dialog.h"
#include "tandem/mem.h"
#include "tandem/rand.h"

/* The concatenation of the NULL-terminated `parts`, or NULL. */
static char *join(const char *const *parts)
{
	size_t len = 0, at = 0;
	char *s;

	for (const char *const *p = parts; *p; p++)
		len += strlen(*p);
	s = tnd_malloc(len + 1);
	if (!s)
		return NULL;
	for (const char *const *p = parts; *p; p++) {
		size_t n = strlen(*p);

		memcpy(s + at, *p, n);
		at += n;
	}
	s[at] = '\0';
	return s;
}

/* The header lines of one request: Route lines first, then the caller's. */
struct lines {
	char **v; /* NULL-terminated */
	size_t n, cap;
};

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		tnd_free(l->v[i]);
	tnd_free(l->v);
}

static int lines_add(struct lines *l, const char *const *parts)
{
	if (!(l->v[l->n] = join(parts)))
		return ENOMEM;
	l->v[++l->n] = NULL;
	return 0;
}

/* Loose when the first route's URI has ";lr" (RFC 3261 §16.12.1.1). */
static int first_route_uri(const struct dialog *d, struct sip_uri *uri,
			   struct tnd_slice *text)
{
	struct sip_parse_error err;
	struct sip_nameaddr na;

	if (sip_nameaddr_parse(tnd_slice_from_cstr(d->route_set[0]), &na,
			       &err) != 0 ||
	    sip_uri_parse(na.uri, uri, &err) != 0)
		return EINVAL;
	*text = na.uri;
	return 0;
}

/*
 * RFC 3261 §12.2.1.1: with an empty route set or a loose first route,
 * the Request-URI is the remote target and Route the route set; with a
 * strict first route, the Request-URI is its URI without headers and
 * Route the rest of the set, then the remote target.
 */
static int route_request(const struct dialog *d, struct tnd_slice *ruri,
			 struct lines *l)
{
	struct sip_uri uri;
	struct tnd_slice text;
	size_t first = 0;
	int err;

	*ruri = tnd_slice_from_cstr(d->remote_target);
	if (d->nroutes) {
		if ((err = first_route_uri(d, &uri, &text)))
			return err;
		if (!sip_uri_param(&uri, "lr", NULL)) {
			if (uri.headers.len)
				text.len = (size_t)(uri.headers.p - text.p) - 1;
			*ruri = text;
			first = 1;
		}
	}
	for (size_t i = first; i < d->nroutes; i++) {
		const char *parts[] = { "Route: ", d->route_set[i], NULL };

		if ((err = lines_add(l, parts)))
			return err;
	}
	if (first) {
		const char *parts[] = { "Route: <", d->remote_target, ">",
					NULL };

		if ((err = lines_add(l, parts)))
			return err;
	}
	return 0;
}

/* What a request needs beyond the dialog: method, CSeq, extras, body. */
struct request_in {
	enum sip_method method;
	const char *method_name;
	uint32_t cseq;
	const char *const *extra;
	struct tnd_slice content_type, body;
};

static int build_lines(const struct dialog *d, const struct request_in *in,
		       struct tnd_slice *ruri, struct lines *l)
{
	size_t nextra = 0;
	int err;

	while (in->extra && in->extra[nextra])
		nextra++;
	l->cap = d->nroutes + 1 + nextra + 1;
	l->v = tnd_calloc(l->cap, sizeof(*l->v));
	if (!l->v)
		return ENOMEM;
	if ((err = route_request(d, ruri, l)))
		return err;
	/* The caller's lines are copied too, so that lines_free frees all. */
	for (size_t i = 0; i < nextra; i++) {
		const char *parts[] = { in->extra[i], NULL };

		if ((err = lines_add(l, parts)))
			return err;
	}
	return 0;
}

static int build(const struct dialog *d, const struct request_in *in,
		 struct sip_msg **out)
{
	struct lines l = { 0 };
	struct sip_request_spec spec = {
		.method = in->method,
		.method_name = in->method_name,
		.via_host = TND_SLICE_LIT(DIALOG_VIA_UNSENT_HOST),
		.from_tag = tnd_slice_from_cstr(d->local_tag),
		.call_id = tnd_slice_from_cstr(d->call_id),
		.cseq = in->cseq,
		.content_type = in->content_type,
		.body = in->body,
	};
	const char *from_parts[] = { "<", d->local_uri, ">", NULL };
	const char *to_parts[] = {
		"<",           d->remote_uri,
		">",           *d->remote_tag ? ";tag=" : NULL,
		d->remote_tag, NULL
	};
	const char *contact_parts[] = { "<", d->local_contact, ">", NULL };
	char *from = join(from_parts), *to = join(to_parts);
	char *contact = join(contact_parts);
	int err = ENOMEM;

	*out = NULL;
	if (!from || !to || !contact)
		goto out;
	if ((err = build_lines(d, in, &spec.ruri, &l)))
		goto out;
	spec.from = tnd_slice_from_cstr(from);
	spec.to = tnd_slice_from_cstr(to);
	spec.contact = tnd_slice_from_cstr(contact);
	spec.extra = (const char *const *)l.v;
	err = sip_msg_request_new(&spec, out);
out:
	lines_free(&l);
	tnd_free(from);
	tnd_free(to);
	tnd_free(contact);
	return err;
}

/*
 * A first local CSeq below 2^31 (RFC 3261 §8.1.1.5); 0 is avoided so
 * that the numbers stay positive.
 */
static int random_cseq(uint32_t *out)
{
	uint64_t v;

	if (tnd_rand_u64(&v))
		return EIO;
	*out = (uint32_t)(v % (DIALOG_CSEQ_LIMIT - 1)) + 1;
	return 0;
}

int dialog_request_new(struct dialog *d, enum sip_method m,
		       const char *method_name,
		       const char *const *extra_headers,
		       struct tnd_slice content_type, struct tnd_slice body,
		       struct sip_msg **out)
{
	struct request_in in = { .method = m,
				 .method_name = method_name,
				 .extra = extra_headers,
				 .content_type = content_type,
				 .body = body };
	int err;

	*out = NULL;
	if (m == SIP_METHOD_ACK || m == SIP_METHOD_CANCEL)
		return EINVAL;
	/* RFC 3261 §12.2.1.1: one more than the last, or a fresh start. */
	if (!d->has_local_cseq) {
		if ((err = random_cseq(&in.cseq)))
			return err;
	} else if (d->local_cseq >= DIALOG_CSEQ_LIMIT - 1) {
		return ERANGE;
	} else {
		in.cseq = d->local_cseq + 1;
	}
	if ((err = build(d, &in, out)))
		return err;
	d->local_cseq = in.cseq;
	d->has_local_cseq = true;
	return 0;
}

int dialog_ack_new(const struct dialog *d, uint32_t cseq_number,
		   struct sip_msg **out)
{
	struct request_in in = { .method = SIP_METHOD_ACK,
				 .cseq = cseq_number };

	return build(d, &in, out);
}
