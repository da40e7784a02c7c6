/*
 * URI parsing: SIP and SIPS (RFC 3261 §19.1, §25.1, with the IPv6
 * references of RFC 5118), tel (RFC 3966), and any other absolute URI kept
 * as scheme plus opaque part. Parsing is zero-copy: the fields of struct
 * sip_uri are slices into the parsed text with %-escapes as written, and
 * sip_unescape decodes them. Comparison and parameter lookup are in
 * uri_eq.c. Built on the scanner of sip_int.h (sip_scan_host).
 */
#include <string.h>

#include "sip_int.h"
#include "tandem/sip_uri.h"

/* RFC 3261 §25.1: the characters each component allows beside unreserved
 * and escaped. */
static const char uri_user_extra[] = "&=+$,;?/"; /* user-unreserved */
static const char uri_password_extra[] = "&=+$,";
static const char uri_param_extra[] = "[]/:&+$";  /* param-unreserved */
static const char uri_header_extra[] = "[]/?:+$"; /* hnv-unreserved */

int sip_uri_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

/* True when p (before end) starts a well-formed escape: "%" HEX HEX. */
bool sip_uri_escape_ok(const char *p, const char *end)
{
	return end - p >= 3 && p[0] == '%' && sip_cc_is(p[1], SIP_CC_HEX) &&
	       sip_cc_is(p[2], SIP_CC_HEX);
}

/*
 * Characters no URI may hold, and escapes that are not "%" HEX HEX. The
 * caller trims surrounding whitespace, so any left is inside the URI: a
 * Request-URI with LWS or in <> is malformed (RFC 4475 lwsruri, ltgtruri).
 */
static int uri_check_chars(struct tnd_slice text, struct sip_parse_error *err)
{
	const char *end = text.p + text.len;

	for (const char *p = text.p; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		const char *what = NULL;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			what = "Whitespace in URI";
		else if (c == '<' || c == '>')
			what = "Angle bracket in URI";
		else if (c < 0x20 || c >= 0x7f || c == '"')
			what = "Illegal character in URI";
		else if (c == '%' && !sip_uri_escape_ok(p, end))
			what = "Bad escape in URI";
		if (what)
			return sip_parse_fail(err, 400, what,
					      (size_t)(p - text.p));
	}
	return 0;
}

/* A run of unreserved, escaped and `extra` characters; may be empty. */
static struct tnd_slice uri_scan_run(struct sip_scan *s, const char *extra)
{
	const char *p = s->p;
	struct tnd_slice run;

	while (p < s->end) {
		if (*p == '%') {
			if (!sip_uri_escape_ok(p, s->end))
				break;
			p += 3;
		} else if (sip_cc_is(*p, SIP_CC_UNRESERVED) ||
			   (*p != '\0' && strchr(extra, *p))) {
			p++;
		} else {
			break;
		}
	}
	run = (struct tnd_slice){ s->p, (size_t)(p - s->p) };
	s->p = p;
	return run;
}

/* RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
static int uri_parse_scheme(struct sip_scan *s, struct sip_uri *u,
			    struct sip_parse_error *err)
{
	const char *p = s->p;

	if (p >= s->end || !sip_cc_is(*p, SIP_CC_ALPHA))
		return sip_scan_fail(s, err, "Malformed URI scheme");
	while (p < s->end && (sip_cc_is(*p, SIP_CC_ALPHA | SIP_CC_DIGIT) ||
			      *p == '+' || *p == '-' || *p == '.'))
		p++;
	if (p >= s->end || *p != ':')
		return sip_parse_fail(err, 400, "Malformed URI scheme",
				      (size_t)(p - s->start));
	u->scheme_text = (struct tnd_slice){ s->p, (size_t)(p - s->p) };
	if (tnd_slice_caseeq_cstr(u->scheme_text, "sip"))
		u->scheme = SIP_URI_SIP;
	else if (tnd_slice_caseeq_cstr(u->scheme_text, "sips"))
		u->scheme = SIP_URI_SIPS;
	else if (tnd_slice_caseeq_cstr(u->scheme_text, "tel"))
		u->scheme = SIP_URI_TEL;
	else
		u->scheme = SIP_URI_OTHER;
	s->p = p + 1;
	return 0;
}

/*
 * userinfo = user [ ":" password ] "@". The user may hold ';' and '?'
 * (RFC 4475 semiuri), so the userinfo ends at the '@' and not at the
 * first delimiter; no later component may hold a bare '@', so the last
 * one is the only one a valid URI can have.
 */
static const char *uri_find_at(const struct sip_scan *s)
{
	for (const char *p = s->end; p > s->p; p--) {
		if (p[-1] == '@')
			return p - 1;
	}
	return NULL;
}

static int uri_parse_userinfo(struct sip_scan *s, const char *at,
			      struct sip_uri *u, struct sip_parse_error *err)
{
	struct sip_scan ui = { s->start, s->p, at };

	u->user = uri_scan_run(&ui, uri_user_extra);
	if (u->user.len == 0)
		return sip_scan_fail(&ui, err, "Malformed URI user");
	if (sip_scan_char(&ui, ':')) {
		u->password = uri_scan_run(&ui, uri_password_extra);
		if (!sip_scan_eof(&ui))
			return sip_scan_fail(&ui, err,
					     "Malformed URI password");
	}
	if (!sip_scan_eof(&ui))
		return sip_scan_fail(&ui, err, "Malformed URI user");
	s->p = at + 1;
	return 0;
}

/*
 * RFC 3261 §25.1: hostname = *( domainlabel "." ) toplabel [ "." ], each
 * label alphanumeric at both ends and the toplabel starting with ALPHA;
 * sip_scan_host only gathers the characters.
 */
static bool uri_hostname_ok(struct tnd_slice name)
{
	const char *end = name.p + name.len, *label = name.p, *top = NULL;

	if (name.len && end[-1] == '.')
		end--;
	if (end == name.p)
		return false;
	for (const char *p = name.p;; p++) {
		if (p < end && *p != '.')
			continue;
		if (p == label || label[0] == '-' || p[-1] == '-')
			return false;
		top = label;
		if (p == end)
			break;
		label = p + 1;
	}
	return sip_cc_is(*top, SIP_CC_ALPHA);
}

/* hostport = host [ ":" port ]; 0 stands for "no port" in struct sip_uri,
 * so port 0 is refused along with values above 65535. */
static int uri_parse_hostport(struct sip_scan *s, struct sip_uri *u,
			      struct sip_parse_error *err)
{
	const char *host = s->p;
	struct tnd_slice digits;
	uint32_t port;

	if (!sip_scan_host(s, &u->host, &u->host_type) ||
	    (u->host_type == SIP_HOST_NAME && !uri_hostname_ok(u->host)))
		return sip_parse_fail(err, 400, "Malformed URI host",
				      (size_t)(host - s->start));
	if (!sip_scan_char(s, ':'))
		return 0;
	if (!sip_scan_class(s, SIP_CC_DIGIT, &digits))
		return sip_scan_fail(s, err, "Bad port in URI");
	if (tnd_slice_to_u32(digits, 65535, &port) || port == 0)
		return sip_parse_fail(err, 400, "Bad port in URI",
				      (size_t)(digits.p - s->start));
	u->port = (uint16_t)port;
	return 0;
}

/* uri-parameters = *( ";" pname [ "=" pvalue ] ), both 1*paramchar. */
static int uri_parse_params(struct sip_scan *s, struct tnd_slice *params,
			    struct sip_parse_error *err)
{
	const char *first = s->p;

	while (sip_scan_char(s, ';')) {
		if (uri_scan_run(s, uri_param_extra).len == 0)
			return sip_scan_fail(s, err, "Malformed URI parameter");
		if (sip_scan_char(s, '=') &&
		    uri_scan_run(s, uri_param_extra).len == 0)
			return sip_scan_fail(s, err, "Malformed URI parameter");
	}
	if (s->p > first)
		*params = (struct tnd_slice){ first, (size_t)(s->p - first) };
	return 0;
}

/* headers = "?" header *( "&" header ), header = hname "=" hvalue, with
 * hname non-empty and hvalue possibly empty. */
static int uri_parse_headers(struct sip_scan *s, struct tnd_slice *headers,
			     struct sip_parse_error *err)
{
	const char *first = s->p;

	do {
		if (uri_scan_run(s, uri_header_extra).len == 0 ||
		    !sip_scan_char(s, '='))
			return sip_scan_fail(s, err, "Malformed URI header");
		uri_scan_run(s, uri_header_extra);
	} while (sip_scan_char(s, '&'));
	*headers = (struct tnd_slice){ first, (size_t)(s->p - first) };
	return 0;
}

/* RFC 3261 §19.1.1: [ userinfo ] hostport uri-parameters [ headers ] */
static int uri_parse_sip(struct sip_scan *s, struct sip_uri *u,
			 struct sip_parse_error *err)
{
	const char *at = uri_find_at(s);
	const char *what;
	int rc;

	if (at && (rc = uri_parse_userinfo(s, at, u, err)) != 0)
		return rc;
	if ((rc = uri_parse_hostport(s, u, err)) != 0 ||
	    (rc = uri_parse_params(s, &u->params, err)) != 0)
		return rc;
	if (sip_scan_char(s, '?') &&
	    (rc = uri_parse_headers(s, &u->headers, err)) != 0)
		return rc;
	if (sip_scan_eof(s))
		return 0;
	/* Blame the component the stray character ended. */
	if (u->headers.len)
		what = "Malformed URI header";
	else if (u->params.len)
		what = "Malformed URI parameter";
	else if (u->port)
		what = "Bad port in URI";
	else
		what = "Malformed URI host";
	return sip_scan_fail(s, err, what);
}

bool sip_uri_is_visual_separator(char c)
{
	return c == '-' || c == '.' || c == '(' || c == ')';
}

/*
 * RFC 3966 §3: global-number-digits = "+" *phonedigit DIGIT *phonedigit,
 * local-number-digits = *phonedigit-hex (HEXDIG / "*" / "#")
 * *phonedigit-hex. Liberal only in not demanding the phone-context a
 * local number should carry.
 */
static int uri_parse_tel(struct sip_scan *s, struct sip_uri *u,
			 struct sip_parse_error *err)
{
	const char *number = s->p;
	bool global = sip_scan_char(s, '+'), digit = false;
	int rc;

	for (; !sip_scan_eof(s) && *s->p != ';'; s->p++) {
		char c = *s->p;

		if (sip_cc_is(c, SIP_CC_DIGIT) ||
		    (!global &&
		     (sip_cc_is(c, SIP_CC_HEX) || c == '*' || c == '#')))
			digit = true;
		else if (!sip_uri_is_visual_separator(c))
			return sip_scan_fail(s, err, "Malformed tel number");
	}
	if (!digit)
		return sip_parse_fail(err, 400, "Malformed tel number",
				      (size_t)(number - s->start));
	u->user = (struct tnd_slice){ number, (size_t)(s->p - number) };
	u->host_type = SIP_HOST_NONE;
	if ((rc = uri_parse_params(s, &u->params, err)) != 0)
		return rc;
	if (!sip_scan_eof(s))
		return sip_scan_fail(s, err, "Malformed URI parameter");
	return 0;
}

/* Any other scheme: the opaque part must only be non-empty, its characters
 * having passed uri_check_chars. */
static int uri_parse_other(struct sip_scan *s, struct sip_uri *u,
			   struct sip_parse_error *err)
{
	if (sip_scan_eof(s))
		return sip_scan_fail(s, err, "Empty URI after scheme");
	u->opaque = (struct tnd_slice){ s->p, (size_t)(s->end - s->p) };
	s->p = s->end;
	return 0;
}

int sip_uri_parse(struct tnd_slice text, struct sip_uri *out,
		  struct sip_parse_error *err)
{
	struct sip_uri u;
	struct sip_scan s;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&u, 0, sizeof(u));
	if (text.len == 0)
		return sip_parse_fail(err, 400, "Empty URI", 0);
	if ((rc = uri_check_chars(text, err)) != 0)
		return rc;
	sip_scan_init(&s, text);
	if ((rc = uri_parse_scheme(&s, &u, err)) != 0)
		return rc;
	switch (u.scheme) {
	case SIP_URI_SIP:
	case SIP_URI_SIPS: rc = uri_parse_sip(&s, &u, err); break;
	case SIP_URI_TEL: rc = uri_parse_tel(&s, &u, err); break;
	case SIP_URI_OTHER: rc = uri_parse_other(&s, &u, err); break;
	}
	if (rc == 0)
		*out = u;
	return rc;
}

size_t sip_unescape(struct tnd_slice in, char *out, size_t size)
{
	const char *p = in.p, *end;
	size_t n = 0;

	if (in.len == 0)
		return 0; /* and in.p may be NULL */
	end = in.p + in.len;
	while (p < end) {
		char c = *p;

		if (c == '%') {
			if (!sip_uri_escape_ok(p, end))
				return (size_t)-1;
			c = (char)(sip_uri_hex_value(p[1]) << 4 |
				   sip_uri_hex_value(p[2]));
			p += 3;
		} else {
			p++;
		}
		if (n >= size)
			return (size_t)-1;
		out[n++] = c;
	}
	return n;
}
