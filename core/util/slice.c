/*
 * Slice helpers: comparison and conversion of borrowed byte ranges.
 */
#include <errno.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/slice.h"

struct tnd_slice tnd_slice_from_cstr(const char *s)
{
	return (struct tnd_slice){ s, s ? strlen(s) : 0 };
}

bool tnd_slice_eq(struct tnd_slice a, struct tnd_slice b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

bool tnd_slice_caseeq(struct tnd_slice a, struct tnd_slice b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++) {
		if (ascii_lower(a.p[i]) != ascii_lower(b.p[i]))
			return false;
	}
	return true;
}

bool tnd_slice_caseeq_cstr(struct tnd_slice a, const char *s)
{
	return tnd_slice_caseeq(a, tnd_slice_from_cstr(s));
}

bool tnd_slice_eq_cstr(struct tnd_slice a, const char *s)
{
	return tnd_slice_eq(a, tnd_slice_from_cstr(s));
}

int tnd_slice_to_u32(struct tnd_slice s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (s.len == 0)
		return EINVAL;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return EINVAL;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
		if (v > max)
			return ERANGE;
	}
	*out = (uint32_t)v;
	return 0;
}

char *tnd_slice_dup(struct tnd_slice s)
{
	char *copy = tnd_malloc(s.len + 1);

	if (!copy)
		return NULL;
	if (s.len)
		memcpy(copy, s.p, s.len);
	copy[s.len] = '\0';
	return copy;
}

struct tnd_slice tnd_slice_trim(struct tnd_slice s)
{
	while (s.len && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.len--;
	}
	while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t'))
		s.len--;
	return s;
}
