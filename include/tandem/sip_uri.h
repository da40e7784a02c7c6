/*
 * SIP, SIPS and tel URIs (RFC 3261 §19.1, RFC 3966), and any other absolute
 * URI kept as scheme + opaque part. Parsing is zero-copy: every field is a
 * slice into the parsed text, %-escapes left as written (compare and use
 * with sip_unescape, never unescape twice).
 */
#ifndef TANDEM_SIP_URI_H
#define TANDEM_SIP_URI_H

#include <stdbool.h>
#include <stdint.h>

#include "tandem/sip_error.h"
#include "tandem/slice.h"

enum sip_uri_scheme {
	SIP_URI_SIP,
	SIP_URI_SIPS,
	SIP_URI_TEL,
	SIP_URI_OTHER, /* any other absolute URI: only scheme and opaque are set
			*/
};

enum sip_host_type {
	SIP_HOST_NONE, /* tel: and other schemes */
	SIP_HOST_NAME,
	SIP_HOST_IPV4,
	SIP_HOST_IPV6, /* host holds the address without its brackets */
};

struct sip_uri {
	enum sip_uri_scheme scheme;
	struct tnd_slice scheme_text;
	struct tnd_slice user; /* tel: the subscriber number */
	struct tnd_slice password;
	struct tnd_slice host;
	enum sip_host_type host_type;
	uint16_t port; /* 0 when the URI names none */
	struct tnd_slice
	    params; /* ";a=b;lr" including the first ';', or empty */
	struct tnd_slice headers; /* after '?', without it, or empty */
	struct tnd_slice opaque; /* SIP_URI_OTHER: everything after "scheme:" */
};

/*
 * Parses `text` as a whole URI. Returns 0, or EBADMSG with `err` saying
 * what is wrong (err->offset relative to text.p).
 */
int sip_uri_parse(struct tnd_slice text, struct sip_uri *out,
		  struct sip_parse_error *err);

/*
 * Finds URI parameter `name` (case-insensitive). Returns true when present;
 * `value` (may be NULL) gets its value, empty for a flag such as ";lr".
 */
bool sip_uri_param(const struct sip_uri *uri, const char *name,
		   struct tnd_slice *value);

/*
 * RFC 3261 §19.1.4 equality: scheme, user and password compared after
 * unescaping and case-sensitively, host case-insensitively, user, ttl,
 * method and maddr parameters must match when either has them, other
 * parameters must match when both have them, headers must all match.
 */
bool sip_uri_eq(const struct sip_uri *a, const struct sip_uri *b);

/*
 * Decodes %HH escapes of `in` into out[size]. Returns the decoded length,
 * or (size_t)-1 when out is too small or an escape is malformed. The
 * result is binary: "%00" yields a NUL byte, so never treat it as a string.
 */
size_t sip_unescape(struct tnd_slice in, char *out, size_t size);

#endif
