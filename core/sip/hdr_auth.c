/*
 * Challenges and credentials: WWW-Authenticate, Proxy-Authenticate,
 * Authorization and Proxy-Authorization (RFC 3261 §20.7, §20.27, §20.28,
 * §20.44 and the grammar of §25.1; Digest parameters of RFC 7616).
 * The scheme is any token, so unknown schemes parse too; the digest
 * fields are picked out without their quotes. Built on the scanner of
 * scan.c; allocates nothing.
 */
#include <stddef.h>
#include <string.h>

#include "sip_int.h"

/*
 * Digest uses about a dozen parameters (RFC 7616 §3.3, §3.4); the cap
 * keeps the duplicate check, which rescans earlier parameters, cheap on
 * hostile input.
 */
#define AUTH_MAX_PARAMS 64

static const struct {
	const char *name;
	size_t offset;
} auth_fields[] = {
	{ "realm", offsetof(struct sip_auth, realm) },
	{ "nonce", offsetof(struct sip_auth, nonce) },
	{ "opaque", offsetof(struct sip_auth, opaque) },
	{ "algorithm", offsetof(struct sip_auth, algorithm) },
	{ "qop", offsetof(struct sip_auth, qop) },
	{ "stale", offsetof(struct sip_auth, stale) },
	{ "domain", offsetof(struct sip_auth, domain) },
	{ "username", offsetof(struct sip_auth, username) },
	{ "uri", offsetof(struct sip_auth, uri) },
	{ "response", offsetof(struct sip_auth, response) },
	{ "cnonce", offsetof(struct sip_auth, cnonce) },
	{ "nc", offsetof(struct sip_auth, nc) },
};
#define AUTH_NFIELDS (sizeof(auth_fields) / sizeof(auth_fields[0]))

/* The convenience field named `name`, or NULL for other parameters. */
static struct tnd_slice *auth_field(struct sip_auth *auth,
				    struct tnd_slice name)
{
	for (size_t i = 0; i < AUTH_NFIELDS; i++) {
		if (tnd_slice_caseeq_cstr(name, auth_fields[i].name))
			return (struct tnd_slice *)((char *)auth +
						    auth_fields[i].offset);
	}
	return NULL;
}

/*
 * auth-param = token EQUAL ( token / quoted-string ) (RFC 3261 §25.1);
 * a quoted value comes back without its quotes.
 */
static int auth_scan_param(struct sip_scan *s, struct tnd_slice *name,
			   struct tnd_slice *value, struct sip_parse_error *err)
{
	if (!sip_scan_token(s, name)) {
		if (sip_scan_eof(s) || sip_scan_peek(s, ','))
			return sip_scan_fail(s, err, "Empty auth parameter");
		return sip_scan_fail(s, err, "Malformed auth parameter");
	}
	if (!sip_scan_sep(s, '='))
		return sip_scan_fail(s, err, "Auth parameter without value");
	if (sip_scan_peek(s, '"')) {
		if (!sip_scan_quoted(s, value))
			return sip_scan_fail(s, err,
					     "Unterminated quoted string");
	} else if (!sip_scan_token(s, value)) {
		return sip_scan_fail(s, err, "Malformed auth parameter value");
	}
	return 0;
}

/* Finds `name` among the auth-params of `region`, already validated. */
static bool auth_find(struct tnd_slice region, struct tnd_slice name,
		      struct tnd_slice *value)
{
	struct sip_scan s;
	struct tnd_slice n, v;

	if (region.len == 0)
		return false;
	sip_scan_init(&s, region);
	do {
		if (auth_scan_param(&s, &n, &v, NULL))
			return false;
		if (tnd_slice_caseeq(n, name)) {
			if (value)
				*value = v;
			return true;
		}
	} while (sip_scan_sep(&s, ',') && !sip_scan_eof(&s));
	return false;
}

/*
 * auth-param *(COMMA auth-param). RFC 7616 §3.3 and §3.4 allow each
 * parameter at most once, and a repeated realm or nonce would make the
 * convenience fields ambiguous, so any repeat is an error.
 */
static int auth_scan_params(struct sip_scan *s, struct sip_auth *out,
			    struct sip_parse_error *err)
{
	const char *first = s->p;
	size_t count = 0;

	do {
		const char *at = s->p;
		struct tnd_slice name, value, *field;
		int rc;

		if (++count > AUTH_MAX_PARAMS)
			return sip_scan_fail(s, err,
					     "Too many auth parameters");
		rc = auth_scan_param(s, &name, &value, err);
		if (rc)
			return rc;
		if (auth_find((struct tnd_slice){ first, (size_t)(at - first) },
			      name, NULL)) {
			s->p = at;
			return sip_scan_fail(s, err,
					     "Duplicate auth parameter");
		}
		field = auth_field(out, name);
		if (field)
			*field = value;
	} while (sip_scan_sep(s, ','));
	out->params = (struct tnd_slice){ first, (size_t)(s->p - first) };
	sip_scan_lws(s);
	if (!sip_scan_eof(s))
		return sip_scan_fail(s, err, "Malformed auth parameter list");
	return 0;
}

/* challenge / credentials = auth-scheme LWS auth-param *(COMMA auth-param) */
int sip_auth_parse(struct tnd_slice value, struct sip_auth *out,
		   struct sip_parse_error *err)
{
	struct sip_scan s;
	const char *scheme_end;

	memset(out, 0, sizeof(*out));
	sip_scan_init(&s, value);
	if (!sip_scan_token(&s, &out->scheme))
		return sip_scan_fail(&s, err, "Missing auth scheme");
	scheme_end = s.p;
	sip_scan_lws(&s);
	if (sip_scan_eof(&s))
		return sip_scan_fail(&s, err, "Missing auth parameters");
	if (s.p == scheme_end)
		return sip_scan_fail(&s, err, "Malformed auth scheme");
	return auth_scan_params(&s, out, err);
}

bool sip_auth_param(const struct sip_auth *auth, const char *name,
		    struct tnd_slice *value)
{
	return auth_find(auth->params, tnd_slice_from_cstr(name), value);
}
