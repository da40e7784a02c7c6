/*
 * libFuzzer target for core/sip/uri.c. The input is copied into a heap
 * block of exactly its size, so AddressSanitizer catches any read past the
 * end. A failed parse must report a 400 with a reason inside the text; a
 * successful one must return slices inside the input, answer parameter
 * lookups with slices inside its parameters, compare equal to itself and
 * to a parse of a copy of the same bytes, and unescape its user part.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/sip_uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check_within(struct tnd_slice s, struct tnd_slice text)
{
	if (s.len == 0 &&
	    (s.p == NULL || (s.p >= text.p && s.p <= text.p + text.len)))
		return;
	if (s.p == NULL || s.p < text.p || s.len > text.len ||
	    s.p - text.p > (ptrdiff_t)(text.len - s.len))
		__builtin_trap();
}

static void fuzz_check_fields(const struct sip_uri *uri, struct tnd_slice text)
{
	fuzz_check_within(uri->scheme_text, text);
	fuzz_check_within(uri->user, text);
	fuzz_check_within(uri->password, text);
	fuzz_check_within(uri->host, text);
	fuzz_check_within(uri->params, text);
	fuzz_check_within(uri->headers, text);
	fuzz_check_within(uri->opaque, text);
	if (uri->scheme_text.len == 0)
		__builtin_trap();
	if ((uri->scheme == SIP_URI_SIP || uri->scheme == SIP_URI_SIPS) &&
	    (uri->host.len == 0 || uri->host_type == SIP_HOST_NONE))
		__builtin_trap();
	if (uri->scheme != SIP_URI_OTHER && uri->opaque.len)
		__builtin_trap();
	if (uri->scheme == SIP_URI_OTHER && uri->opaque.len == 0)
		__builtin_trap();
}

static void fuzz_check_param(const struct sip_uri *uri, const char *name)
{
	struct tnd_slice value = { NULL, 0 };

	if (sip_uri_param(uri, name, &value))
		fuzz_check_within(value, uri->params);
	else if (value.p != NULL || value.len != 0)
		__builtin_trap(); /* a miss leaves `value` alone */
	if (sip_uri_param(uri, name, NULL) != (value.p != NULL))
		__builtin_trap();
}

/* The parse escapes were checked, so only a too-small buffer may fail. */
static void fuzz_check_unescape(struct tnd_slice user)
{
	char buf[256];
	size_t n = sip_unescape(user, buf, sizeof(buf));

	if (n == (size_t)-1 ? user.len <= sizeof(buf) : n > user.len)
		__builtin_trap();
}

/* The same bytes at another address must parse to an equal URI. */
static void fuzz_check_copy_eq(const struct sip_uri *uri, const uint8_t *data,
			       size_t size)
{
	char *copy = malloc(size);
	struct sip_uri again;

	if (!copy)
		return;
	memcpy(copy, data, size);
	if (sip_uri_parse((struct tnd_slice){ copy, size }, &again, NULL))
		__builtin_trap();
	if (again.scheme != uri->scheme || !sip_uri_eq(uri, &again) ||
	    !sip_uri_eq(&again, uri))
		__builtin_trap();
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size); /* may be NULL for size 0: never read */
	struct tnd_slice text;
	struct sip_parse_error err;
	struct sip_uri uri;

	if (!buf && size)
		return 0;
	if (size)
		memcpy(buf, data, size);
	text = (struct tnd_slice){ buf, size };
	if (sip_uri_parse(text, &uri, &err) != 0) {
		if (err.status != 400 || err.what == NULL || err.offset > size)
			__builtin_trap();
		free(buf);
		return 0;
	}
	fuzz_check_fields(&uri, text);
	fuzz_check_param(&uri, "transport");
	fuzz_check_param(&uri, "lr");
	/*
	 * Equality is reflexive for every URI that parses: comparison
	 * decodes escapes unit by unit with no length limit, and lists
	 * too long to match item by item compare as text.
	 */
	if (!sip_uri_eq(&uri, &uri))
		__builtin_trap();
	fuzz_check_unescape(uri.user);
	fuzz_check_copy_eq(&uri, data, size);
	free(buf);
	return 0;
}
