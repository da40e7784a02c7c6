/*
 * name-addr / addr-spec with header parameters (RFC 3261 §20.10, §20.20,
 * §20.39): From, To, Contact, Route, Record-Route, Refer-To, Referred-By.
 * The URI is kept as text; callers parse it with sip_uri_parse when they
 * need its parts.
 */
#include <errno.h>

#include "sip_int.h"

/* display-name = *(token LWS) / quoted-string, then LAQUOT. */
static bool scan_display_then_laquot(struct sip_scan *s,
				     struct tnd_slice *display)
{
	const char *start = s->p, *last = s->p;

	if (sip_scan_quoted(s, display)) {
		sip_scan_lws(s);
		if (sip_scan_char(s, '<'))
			return true;
		/*
		 * Only a name-addr has a display name: without the '<' this
		 * is no addr-spec either, so nobody may read on from here.
		 */
		s->p = start;
		*display = TND_SLICE_NULL;
		return false;
	}
	while (sip_scan_token(s, NULL)) {
		last = s->p;
		sip_scan_lws(s);
	}
	if (!sip_scan_char(s, '<')) {
		s->p = start;
		return false;
	}
	*display = (struct tnd_slice){ start, (size_t)(last - start) };
	return true;
}

/* The URI between < and >: no whitespace, no controls (RFC 4475 §3.1.2.14). */
static int scan_bracketed_uri(struct sip_scan *s, struct tnd_slice *uri,
			      struct sip_parse_error *err)
{
	const char *start = s->p;

	while (!sip_scan_eof(s) && *s->p != '>') {
		unsigned char c = (unsigned char)*s->p;

		if (c <= ' ' || c == '<' || c == '"' || c >= 0x7f)
			return sip_scan_fail(s, err, "Bad character in URI");
		s->p++;
	}
	if (!sip_scan_char(s, '>'))
		return sip_scan_fail(s, err, "Missing '>' after URI");
	*uri = (struct tnd_slice){ start, (size_t)(s->p - 1 - start) };
	if (uri->len == 0)
		return sip_scan_fail(s, err, "Empty URI");
	return 0;
}

/*
 * A bare addr-spec ends at the first ';', ',' or whitespace: its
 * parameters belong to the header. A URI needing '?' must be bracketed
 * (RFC 3261 §20.10; RFC 4475 §3.1.2.13).
 */
static int scan_bare_uri(struct sip_scan *s, struct tnd_slice *uri,
			 struct sip_parse_error *err)
{
	const char *start = s->p;

	while (!sip_scan_eof(s)) {
		unsigned char c = (unsigned char)*s->p;

		if (c == ';' || c == ',' || c == ' ' || c == '\t' ||
		    c == '\r' || c == '\n')
			break;
		if (c < ' ' || c == '<' || c == '>' || c == '"' || c == '?' ||
		    c >= 0x7f)
			return sip_scan_fail(s, err, "Bad character in URI");
		s->p++;
	}
	*uri = (struct tnd_slice){ start, (size_t)(s->p - start) };
	/* Must at least look like scheme ":" something. */
	struct sip_scan u;
	sip_scan_init(&u, *uri);
	if (!sip_scan_class(&u, SIP_CC_ALPHA | SIP_CC_DIGIT, NULL) ||
	    !sip_scan_char(&u, ':') || sip_scan_eof(&u))
		return sip_scan_fail(s, err, "Malformed address");
	return 0;
}

/* Why a value that opens with '"' is no name-addr. */
static int display_fail(struct sip_scan *s, struct sip_parse_error *err)
{
	if (!sip_scan_quoted(s, NULL))
		return sip_scan_fail(s, err,
				     "Unterminated quoted display name");
	sip_scan_lws(s);
	return sip_scan_fail(s, err, "Missing '<' after display name");
}

static int nameaddr_scan(struct sip_scan *s, struct sip_nameaddr *out,
			 struct sip_parse_error *err)
{
	int rc;

	*out = (struct sip_nameaddr){ 0 };
	sip_scan_lws(s);
	if (scan_display_then_laquot(s, &out->display) ||
	    sip_scan_char(s, '<')) {
		out->bracketed = true;
		rc = scan_bracketed_uri(s, &out->uri, err);
	} else if (sip_scan_peek(s, '"')) {
		return display_fail(s, err);
	} else {
		rc = scan_bare_uri(s, &out->uri, err);
	}
	if (rc)
		return rc;
	if ((rc = sip_scan_params(s, &out->params, err)))
		return rc;
	sip_scan_lws(s);
	if (!sip_scan_eof(s))
		return sip_scan_fail(s, err, "Junk after address");
	sip_params_get(out->params, "tag", &out->tag);
	return 0;
}

int sip_nameaddr_parse(struct tnd_slice value, struct sip_nameaddr *out,
		       struct sip_parse_error *err)
{
	struct sip_scan s;

	sip_scan_init(&s, value);
	return nameaddr_scan(&s, out, err);
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
static bool qvalue_parse(struct tnd_slice v, uint16_t *q)
{
	unsigned whole, frac = 0, scale = 100;

	if (v.len == 0 || (v.p[0] != '0' && v.p[0] != '1') || v.len > 5)
		return false;
	whole = (unsigned)(v.p[0] - '0');
	if (v.len > 1) {
		if (v.p[1] != '.')
			return false;
		for (size_t i = 2; i < v.len; i++, scale /= 10) {
			if (v.p[i] < '0' || v.p[i] > '9')
				return false;
			frac += (unsigned)(v.p[i] - '0') * scale;
		}
	}
	if (whole == 1 && frac != 0)
		return false;
	*q = (uint16_t)(whole * 1000 + frac);
	return true;
}

/*
 * Parameters are checked after the whole value is scanned: point the
 * error at the bad parameter's value (just past its name when it has
 * none), not at the end of the value.
 */
static int contact_param_fail(const struct sip_scan *s,
			      struct sip_parse_error *err, const char *what,
			      struct tnd_slice name, struct tnd_slice value)
{
	const char *at = value.p ? value.p : name.p + name.len;

	return sip_parse_fail(err, 400, what, (size_t)(at - s->start));
}

/* The first expires and q of the header parameters, as sip_params_get. */
static int contact_pick_params(const struct sip_scan *s,
			       struct sip_contact *out,
			       struct sip_parse_error *err)
{
	struct tnd_slice name, v;
	size_t pos = 0;

	while (sip_params_next(out->addr.params, &pos, &name, &v)) {
		if (!out->has_expires &&
		    tnd_slice_caseeq_cstr(name, "expires")) {
			if (tnd_slice_to_u32(v, UINT32_MAX, &out->expires))
				return contact_param_fail(
				    s, err, "Bad Contact expires", name, v);
			out->has_expires = true;
		} else if (!out->has_q && tnd_slice_caseeq_cstr(name, "q")) {
			if (!qvalue_parse(v, &out->q))
				return contact_param_fail(
				    s, err, "Bad Contact q-value", name, v);
			out->has_q = true;
		}
	}
	return 0;
}

int sip_contact_parse(struct tnd_slice value, struct sip_contact *out,
		      struct sip_parse_error *err)
{
	struct sip_scan s;
	int rc;

	*out = (struct sip_contact){ 0 };
	sip_scan_init(&s, value);
	sip_scan_lws(&s);
	if (sip_scan_char(&s, '*')) {
		sip_scan_lws(&s);
		if (!sip_scan_eof(&s))
			return sip_scan_fail(&s, err, "Junk after Contact *");
		out->star = true;
		return 0;
	}
	if ((rc = nameaddr_scan(&s, &out->addr, err)))
		return rc;
	return contact_pick_params(&s, out, err);
}
