/*
 * Printing a session (RFC 8866 §5): every line of the table in order,
 * edits included, "x=value" and CRLF, into one fresh util/mem block sized
 * beforehand. The offer/answer code prints without the o= line to compare
 * what two SDPs say.
 */
#include <errno.h>
#include <string.h>

#include "sdp_int.h"
#include "tandem/mem.h"

int sdp_lines_print(const struct sdp_session *s, bool skip_origin, char **out,
		    size_t *len)
{
	size_t size = 0, off = 0;
	char *buf;

	for (size_t i = 0; i < s->nlines; i++)
		size += s->lines[i].value.len + 4;
	buf = tnd_malloc(size + 1);
	if (!buf)
		return ENOMEM;
	for (size_t i = 0; i < s->nlines; i++) {
		const struct sdp_line *line = &s->lines[i];

		if (skip_origin && line->type == 'o' && line->lvl == 0)
			continue;
		buf[off++] = line->type;
		buf[off++] = '=';
		if (line->value.len)
			memcpy(buf + off, line->value.p, line->value.len);
		off += line->value.len;
		buf[off++] = '\r';
		buf[off++] = '\n';
	}
	buf[off] = '\0';
	*out = buf;
	*len = off;
	return 0;
}

int sdp_session_print(const struct sdp_session *s, char **out, size_t *len)
{
	return sdp_lines_print(s, false, out, len);
}
