/*
 * Walking parameter regions (";a=b;c") and splitting list header values
 * at top-level commas. Both run over text a parser has already checked,
 * but stay bounded and careful with quotes on any input.
 */
#include <string.h>

#include "sip_int.h"

bool sip_value_next(struct tnd_slice value, size_t *pos, struct tnd_slice *item)
{
	size_t i = *pos, start;
	int angle = 0;
	bool quoted = false;

	if (i > value.len ||
	    (i == value.len && (i == 0 || value.p[i - 1] != ',')))
		return false;
	start = i;
	/* No comma ahead: the rest is one item, whatever it quotes. */
	if (!memchr(value.p + i, ',', value.len - i))
		i = value.len;
	for (; i < value.len; i++) {
		char c = value.p[i];

		if (quoted) {
			if (c == '\\' && i + 1 < value.len)
				i++;
			else if (c == '"')
				quoted = false;
		} else if (c == '"') {
			quoted = true;
		} else if (c == '<') {
			angle++;
		} else if (c == '>' && angle > 0) {
			angle--;
		} else if (c == ',' && angle == 0) {
			break;
		}
	}
	struct sip_scan s;
	sip_scan_init(&s, (struct tnd_slice){ value.p + start, i - start });
	sip_scan_lws(&s);
	*item = sip_scan_rest(&s);
	/* Past the comma; a trailing comma yields one last empty element. */
	*pos = i < value.len ? i + 1 : value.len + 1;
	return true;
}

bool sip_params_next(struct tnd_slice params, size_t *pos,
		     struct tnd_slice *name, struct tnd_slice *value)
{
	struct sip_scan s;
	struct tnd_slice n, v = TND_SLICE_NULL;

	if (*pos >= params.len)
		return false;
	sip_scan_init(&s, params);
	s.p += *pos;
	if (!sip_scan_sep(&s, ';') || !sip_scan_token(&s, &n)) {
		*pos = params.len;
		return false;
	}
	if (sip_scan_sep(&s, '=')) {
		const char *vstart = s.p;

		if (!sip_scan_quoted(&s, NULL)) {
			while (!sip_scan_eof(&s) && *s.p != ';' &&
			       *s.p != ' ' && *s.p != '\t' && *s.p != '\r' &&
			       *s.p != '\n')
				s.p++;
		}
		v = (struct tnd_slice){ vstart, (size_t)(s.p - vstart) };
	}
	if (name)
		*name = n;
	if (value)
		*value = v;
	*pos = sip_scan_offset(&s);
	return true;
}

bool sip_params_get(struct tnd_slice params, const char *name,
		    struct tnd_slice *value)
{
	struct tnd_slice want = tnd_slice_from_cstr(name), n, v;
	size_t pos = 0;

	while (sip_params_next(params, &pos, &n, &v)) {
		if (tnd_slice_caseeq(n, want)) {
			if (value)
				*value = v;
			return true;
		}
	}
	return false;
}
