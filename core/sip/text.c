/*
 * The counting text writer behind the printer and the builders.
 */
#include <string.h>

#include "sip_int.h"

void sip_text_put(struct sip_text *t, const char *s, size_t n)
{
	if (n && t->len + n <= t->size)
		memcpy(t->p + t->len, s, n);
	t->len += n;
}

void sip_text_slice(struct sip_text *t, struct tnd_slice s)
{
	sip_text_put(t, s.p, s.len);
}

void sip_text_cstr(struct sip_text *t, const char *s)
{
	sip_text_put(t, s, strlen(s));
}

void sip_text_uint(struct sip_text *t, uint32_t v)
{
	char digits[10];
	size_t n = 0;

	do {
		digits[sizeof(digits) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sip_text_put(t, digits + sizeof(digits) - n, n);
}
