/*
 * The bounded text builder of strbuf.h.
 */
#include <string.h>

#include "tandem/strbuf.h"

void tnd_strbuf_init(struct tnd_strbuf *b, char *p, size_t size)
{
	*b = (struct tnd_strbuf){ p, size, 0 };
	p[0] = '\0';
}

void tnd_strbuf_put(struct tnd_strbuf *b, const char *s, size_t n)
{
	if (b->len < b->size - 1) {
		size_t room = b->size - 1 - b->len;
		size_t take = n < room ? n : room;

		memcpy(b->p + b->len, s, take);
		b->p[b->len + take] = '\0';
	}
	b->len += n;
}

void tnd_strbuf_cstr(struct tnd_strbuf *b, const char *s)
{
	tnd_strbuf_put(b, s, strlen(s));
}

void tnd_strbuf_slice(struct tnd_strbuf *b, struct tnd_slice s)
{
	tnd_strbuf_put(b, s.p, s.len);
}

void tnd_strbuf_uint(struct tnd_strbuf *b, uint64_t v)
{
	char digits[20];
	size_t n = 0;

	do {
		digits[sizeof(digits) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	tnd_strbuf_put(b, digits + sizeof(digits) - n, n);
}
