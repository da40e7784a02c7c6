/*
 * A bounded text builder over a caller's array, for the short strings
 * hot paths assemble (a Via, a Contact URI, host:port) without the cost
 * of printf's format parsing. It never writes past its array and always
 * keeps it NUL-terminated; what does not fit is counted, so the caller
 * learns of a truncation once, at the end, from tnd_strbuf_ok.
 */
#ifndef TANDEM_STRBUF_H
#define TANDEM_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/slice.h"

struct tnd_strbuf {
	char *p;
	size_t size; /* of the array, NUL included */
	size_t len;  /* wanted so far; may pass size - 1 */
};

/* Starts an empty string in `p` (size >= 1). */
void tnd_strbuf_init(struct tnd_strbuf *b, char *p, size_t size);
void tnd_strbuf_put(struct tnd_strbuf *b, const char *s, size_t n);
void tnd_strbuf_cstr(struct tnd_strbuf *b, const char *s);
void tnd_strbuf_slice(struct tnd_strbuf *b, struct tnd_slice s);
void tnd_strbuf_uint(struct tnd_strbuf *b, uint64_t v);
/* True when everything put so far fits. */
static inline bool tnd_strbuf_ok(const struct tnd_strbuf *b)
{
	return b->len < b->size;
}

#endif
