/*
 * Slices: a pointer and a length into a buffer someone else owns.
 * Parsed SIP headers are slices into their message's buffer, so nothing is
 * copied until a value must outlive the message (then use tnd_slice_dup).
 */
#ifndef TANDEM_SLICE_H
#define TANDEM_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tnd_slice {
	const char *p;
	size_t len;
};

#define TND_SLICE_LIT(s) ((struct tnd_slice){ (s), sizeof(s) - 1 })
#define TND_SLICE_NULL   ((struct tnd_slice){ NULL, 0 })
/* For printf: printf("%.*s", TND_SLICE_FMT(s)). */
#define TND_SLICE_FMT(s) (int)(s).len, (s).p

struct tnd_slice tnd_slice_from_cstr(const char *s);
bool tnd_slice_eq(struct tnd_slice a, struct tnd_slice b);
/* ASCII case-insensitive comparison, as SIP wants for tokens. */
bool tnd_slice_caseeq(struct tnd_slice a, struct tnd_slice b);
bool tnd_slice_caseeq_cstr(struct tnd_slice a, const char *s);
/* True when the slice holds exactly `s` (case-sensitive). */
bool tnd_slice_eq_cstr(struct tnd_slice a, const char *s);
/* Decimal digits only; 0, or EINVAL (not digits) / ERANGE (above max). */
int tnd_slice_to_u32(struct tnd_slice s, uint32_t max, uint32_t *out);
/* A NUL-terminated heap copy through util/mem; the caller frees it. */
char *tnd_slice_dup(struct tnd_slice s);
/* Without leading and trailing spaces and tabs. */
struct tnd_slice tnd_slice_trim(struct tnd_slice s);

#endif
