/*
 * URI comparison (RFC 3261 §19.1.4, RFC 3966 §4) and parameter lookup by
 * decoded name. Escapes are decoded on the fly, so nothing here allocates.
 */
#include <string.h>

#include "sip_int.h"
#include "tandem/sip_uri.h"

/*
 * Beyond this many parameters or headers, equality compares the text
 * as written: no real URI comes close, and matching unsorted lists costs
 * the product of their lengths, which a hostile URI must not get to pick.
 */
#define URI_EQ_MAX_ITEMS 64

/*
 * Comparison. RFC 3261 §19.1.4: a character outside RFC 2396's "reserved"
 * set equals its %HH form, a reserved one does not, so components are
 * compared as (byte, was-escaped) units decoded on the fly.
 */
enum uri_cmp {
	URI_CMP_EXACT, /* userinfo: case-sensitive */
	URI_CMP_FOLD,  /* everything else: ASCII case-insensitive */
	URI_CMP_PHONE, /* RFC 3966 §4: folded, visual separators ignored */
};

struct uri_unit {
	char c;
	bool escaped;
};

static bool uri_unit_next(struct tnd_slice s, size_t *i, enum uri_cmp mode,
			  struct uri_unit *u)
{
	while (*i < s.len) {
		const char *p = s.p + *i;

		if (sip_uri_escape_ok(p, s.p + s.len)) {
			u->c = (char)(sip_uri_hex_value(p[1]) << 4 |
				      sip_uri_hex_value(p[2]));
			u->escaped = true;
			*i += 3;
			return true;
		}
		(*i)++;
		if (mode == URI_CMP_PHONE && sip_uri_is_visual_separator(*p))
			continue;
		u->c = *p;
		u->escaped = false;
		return true;
	}
	return false;
}

static char uri_ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

static bool uri_unit_eq(struct uri_unit x, struct uri_unit y, enum uri_cmp mode)
{
	if (x.escaped != y.escaped && x.c != '\0' && strchr(";/?:@&=+$,", x.c))
		return false;
	if (mode == URI_CMP_EXACT)
		return x.c == y.c;
	return uri_ascii_lower(x.c) == uri_ascii_lower(y.c);
}

static bool uri_text_eq(struct tnd_slice a, struct tnd_slice b,
			enum uri_cmp mode)
{
	size_t i = 0, j = 0;
	struct uri_unit x, y;

	for (;;) {
		bool more_a = uri_unit_next(a, &i, mode, &x);
		bool more_b = uri_unit_next(b, &j, mode, &y);

		if (!more_a || !more_b)
			return more_a == more_b;
		if (!uri_unit_eq(x, y, mode))
			return false;
	}
}

/*
 * The next item of a `sep`-separated list (parameters after ';', headers
 * after '&'): its name, and its value after '=' or an empty slice at the
 * name's end when there is none.
 */
static bool uri_list_next(struct tnd_slice *rest, char sep,
			  struct tnd_slice *name, struct tnd_slice *value)
{
	const char *p, *end, *item, *eq;

	if (rest->len == 0)
		return false; /* and rest->p may be NULL */
	p = rest->p;
	end = rest->p + rest->len;
	while (p < end && *p == sep)
		p++;
	if (p == end)
		return false;
	item = p;
	while (p < end && *p != sep)
		p++;
	eq = memchr(item, '=', (size_t)(p - item));
	if (eq) {
		*name = (struct tnd_slice){ item, (size_t)(eq - item) };
		*value = (struct tnd_slice){ eq + 1, (size_t)(p - eq - 1) };
	} else {
		*name = (struct tnd_slice){ item, (size_t)(p - item) };
		*value = (struct tnd_slice){ p, 0 };
	}
	*rest = (struct tnd_slice){ p, (size_t)(end - p) };
	return true;
}

/* The first item named `name` (decoded, case-insensitive): the one that
 * counts when a URI repeats a parameter. */
static bool uri_list_find(struct tnd_slice list, char sep,
			  struct tnd_slice name, struct tnd_slice *value)
{
	struct tnd_slice n, v;

	while (uri_list_next(&list, sep, &n, &v)) {
		if (uri_text_eq(n, name, URI_CMP_FOLD)) {
			*value = v;
			return true;
		}
	}
	return false;
}

static size_t uri_list_count(struct tnd_slice list, char sep)
{
	struct tnd_slice n, v;
	size_t count = 0;

	while (count <= URI_EQ_MAX_ITEMS && uri_list_next(&list, sep, &n, &v))
		count++;
	return count;
}

bool sip_uri_param(const struct sip_uri *uri, const char *name,
		   struct tnd_slice *value)
{
	struct tnd_slice v;

	if (!uri_list_find(uri->params, ';', tnd_slice_from_cstr(name), &v))
		return false;
	if (value)
		*value = v;
	return true;
}

/* RFC 3261 §19.1.4: these must match when either URI has them. */
static bool uri_param_is_sticky(struct tnd_slice name)
{
	static const char *const sticky[] = { "user", "ttl", "method", "maddr",
					      "transport" };

	for (size_t i = 0; i < sizeof(sticky) / sizeof(sticky[0]); i++) {
		if (uri_text_eq(name, tnd_slice_from_cstr(sticky[i]),
				URI_CMP_FOLD))
			return true;
	}
	return false;
}

/* RFC 3966 §4: ext, and a phone-context that is a number, compare digit
 * by digit without visual separators. */
static enum uri_cmp uri_tel_param_cmp(struct tnd_slice name,
				      struct tnd_slice value)
{
	if (uri_text_eq(name, TND_SLICE_LIT("ext"), URI_CMP_FOLD) ||
	    (uri_text_eq(name, TND_SLICE_LIT("phone-context"), URI_CMP_FOLD) &&
	     value.len && value.p[0] == '+'))
		return URI_CMP_PHONE;
	return URI_CMP_FOLD;
}

/*
 * Every parameter of `a` against the first of its name in `b`. SIP lets a
 * parameter only one URI has pass unless it is sticky (§19.1.4); tel
 * wants every name in both (RFC 3966 §4). Run both ways for equality.
 */
static bool uri_params_cover(struct tnd_slice a, struct tnd_slice b, bool tel)
{
	struct tnd_slice rest = a, n, v, va, vb;

	while (uri_list_next(&rest, ';', &n, &v)) {
		uri_list_find(a, ';', n, &va);
		if (!uri_list_find(b, ';', n, &vb)) {
			if (tel || uri_param_is_sticky(n))
				return false;
			continue;
		}
		if (!uri_text_eq(va, vb,
				 tel ? uri_tel_param_cmp(n, va) : URI_CMP_FOLD))
			return false;
	}
	return true;
}

/*
 * §19.1.4: every header component must be in both URIs and match. Names
 * fold; values compare exactly, since what each header's own rules would
 * allow (§20) is beyond a URI comparison and "unequal" is the safe answer.
 */
static bool uri_headers_cover(struct tnd_slice a, struct tnd_slice b)
{
	struct tnd_slice rest = a, n, v;

	while (uri_list_next(&rest, '&', &n, &v)) {
		struct tnd_slice rest_b = b, nb, vb;
		bool found = false;

		while (!found && uri_list_next(&rest_b, '&', &nb, &vb))
			found = uri_text_eq(n, nb, URI_CMP_FOLD) &&
				uri_text_eq(v, vb, URI_CMP_EXACT);
		if (!found)
			return false;
	}
	return true;
}

static bool uri_params_eq(struct tnd_slice a, struct tnd_slice b, bool tel)
{
	if (uri_list_count(a, ';') > URI_EQ_MAX_ITEMS ||
	    uri_list_count(b, ';') > URI_EQ_MAX_ITEMS)
		return tnd_slice_eq(a, b);
	return uri_params_cover(a, b, tel) && uri_params_cover(b, a, tel);
}

static bool uri_headers_eq(struct tnd_slice a, struct tnd_slice b)
{
	if (uri_list_count(a, '&') > URI_EQ_MAX_ITEMS ||
	    uri_list_count(b, '&') > URI_EQ_MAX_ITEMS)
		return tnd_slice_eq(a, b);
	return uri_headers_cover(a, b) && uri_headers_cover(b, a);
}

bool sip_uri_eq(const struct sip_uri *a, const struct sip_uri *b)
{
	if (a->scheme != b->scheme)
		return false;
	switch (a->scheme) {
	case SIP_URI_SIP:
	case SIP_URI_SIPS:
		/* An absent port or user differs from any present one. */
		return uri_text_eq(a->user, b->user, URI_CMP_EXACT) &&
		       uri_text_eq(a->password, b->password, URI_CMP_EXACT) &&
		       tnd_slice_caseeq(a->host, b->host) &&
		       a->port == b->port &&
		       uri_params_eq(a->params, b->params, false) &&
		       uri_headers_eq(a->headers, b->headers);
	case SIP_URI_TEL:
		return uri_text_eq(a->user, b->user, URI_CMP_PHONE) &&
		       uri_params_eq(a->params, b->params, true);
	case SIP_URI_OTHER: break;
	}
	/* RFC 3986 §6.2.1: no scheme-specific rules known, compare as text. */
	return tnd_slice_caseeq(a->scheme_text, b->scheme_text) &&
	       tnd_slice_eq(a->opaque, b->opaque);
}
