/*
 * Parsing a session description (RFC 8866 §5, §9) into the line table:
 * one block for the session and its copy of the text, one for the table,
 * no allocation per line. Checks what anchoring needs (v=0 first, a sound
 * o=, m= and c= lines) and forgives what RFC 3264 peers are known to get
 * wrong (no s=, no t=, empty lines), noting it. Uses the field parsers of
 * read.c and util/mem.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sdp_int.h"
#include "tandem/mem.h"

struct parse_state {
	struct sdp_limits lim;
	struct sdp_error *err;
	size_t lineno;
	bool have_o, have_s, have_t;
	bool session_c, media_c; /* a c= at session / current media level */
};

static int fail(struct parse_state *st, int code, const char *what, size_t line)
{
	st->err->what = what;
	st->err->line = line;
	return code;
}

void sdp_error_print(const struct sdp_error *err, char *buf, size_t size)
{
	const char *what = err->what ? err->what : "bad SDP";

	if (err->line)
		snprintf(buf, size, "%s %zu", what, err->line);
	else
		snprintf(buf, size, "%s", what);
}

static struct sdp_limits limits_resolve(const struct sdp_limits *in)
{
	struct sdp_limits lim = {
		.max_bytes = SDP_DEFAULT_MAX_BYTES,
		.max_lines = SDP_DEFAULT_MAX_LINES,
		.max_media = SDP_DEFAULT_MAX_MEDIA,
	};

	if (in && in->max_bytes)
		lim.max_bytes = in->max_bytes;
	if (in && in->max_lines)
		lim.max_lines = in->max_lines;
	if (in && in->max_media)
		lim.max_media = in->max_media;
	if (lim.max_media > UINT16_MAX - 1)
		lim.max_media = UINT16_MAX - 1;
	return lim;
}

/* Leaving a media section: RFC 8866 §5.7 wants a c= somewhere for it. */
static void media_close(struct sdp_session *s, struct parse_state *st)
{
	if (s->nmedia && !st->media_c && !st->session_c)
		s->notes |= SDP_NOTE_NO_CONNECTION;
	st->media_c = false;
}

static int check_first(struct parse_state *st, char type,
		       struct tnd_slice value)
{
	if (type != 'v')
		return fail(st, EBADMSG, "missing v= line", st->lineno);
	if (!tnd_slice_eq_cstr(tnd_slice_trim(value), "0"))
		return fail(st, EBADMSG, "bad v= line", st->lineno);
	return 0;
}

/* Checks one line against what came before it, by type. */
static int check_line(struct sdp_session *s, struct parse_state *st, char type,
		      struct tnd_slice value)
{
	struct sdp_origin o;
	struct sdp_connection c;
	struct sdp_media m;
	bool session = s->nmedia == 0;

	if (s->nlines == 0)
		return check_first(st, type, value);
	switch (type) {
	case 'o':
		if (!session)
			return 0;
		if (st->have_o)
			return fail(st, EBADMSG, "duplicate o= line",
				    st->lineno);
		if (sdp_origin_parse(value, &o))
			return fail(st, EBADMSG, "bad o= line", st->lineno);
		st->have_o = true;
		return 0;
	case 's': st->have_s |= session; return 0;
	case 't': st->have_t |= session; return 0;
	case 'c':
		if (sdp_connection_parse(value, &c))
			return fail(st, EBADMSG, "bad c= line", st->lineno);
		if (session)
			st->session_c = true;
		else
			st->media_c = true;
		return 0;
	case 'm':
		if (s->nmedia >= st->lim.max_media)
			return fail(st, EMSGSIZE, "too many m= lines",
				    st->lineno);
		if (sdp_media_parse(value, &m))
			return fail(st, EBADMSG, "bad m= line", st->lineno);
		media_close(s, st);
		s->nmedia++;
		return 0;
	default: return 0;
	}
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* One line without its LF (a CR before it already cut off). */
static int parse_line(struct sdp_session *s, struct parse_state *st,
		      const char *p, size_t len)
{
	struct tnd_slice value = { p + 2, len >= 2 ? len - 2 : 0 };
	int rc;

	if (len == 0) {
		s->notes |= SDP_NOTE_EMPTY_LINE;
		return 0;
	}
	if (memchr(p, '\0', len) || memchr(p, '\r', len))
		return fail(st, EBADMSG, "bad character in line", st->lineno);
	if (len < 2 || !is_letter(p[0]) || p[1] != '=')
		return fail(st, EBADMSG, "malformed line", st->lineno);
	if (s->nlines >= st->lim.max_lines)
		return fail(st, EMSGSIZE, "too many lines", st->lineno);
	rc = check_line(s, st, p[0], value);
	if (rc)
		return rc;
	s->lines[s->nlines++] = (struct sdp_line){
		.value = value,
		.lineno = (uint32_t)st->lineno,
		.lvl = (uint16_t)s->nmedia,
		.type = p[0],
	};
	return 0;
}

static int parse_lines(struct sdp_session *s, struct parse_state *st,
		       size_t len)
{
	const char *p = s->text, *end = s->text + len;
	int rc;

	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		const char *stop = lf ? lf : end;
		size_t n = (size_t)(stop - p);

		if (n && p[n - 1] == '\r')
			n--;
		st->lineno++;
		rc = parse_line(s, st, p, n);
		if (rc)
			return rc;
		p = lf ? lf + 1 : end;
	}
	if (s->nlines == 0)
		return fail(st, EBADMSG, "missing v= line", 0);
	if (!st->have_o)
		return fail(st, EBADMSG, "missing o= line", 0);
	media_close(s, st);
	if (!st->have_s)
		s->notes |= SDP_NOTE_NO_S;
	if (!st->have_t)
		s->notes |= SDP_NOTE_NO_T;
	return 0;
}

static size_t table_size(struct tnd_slice text, size_t max_lines)
{
	size_t n = 1;

	for (size_t i = 0; i < text.len; i++)
		n += text.p[i] == '\n';
	return n < max_lines ? n : max_lines;
}

int sdp_session_parse(struct tnd_slice text, const struct sdp_limits *limits,
		      struct sdp_session **out, struct sdp_error *err)
{
	struct sdp_error dummy;
	struct parse_state st = { .lim = limits_resolve(limits) };
	struct sdp_session *s;
	int rc;

	st.err = err ? err : &dummy;
	*st.err = (struct sdp_error){ NULL, 0 };
	*out = NULL;
	if (text.len > st.lim.max_bytes)
		return fail(&st, EMSGSIZE, "SDP too large", 0);
	s = tnd_malloc(sizeof(*s) + text.len + 1);
	if (!s)
		return ENOMEM;
	*s = (struct sdp_session){ .cap = table_size(text, st.lim.max_lines) };
	if (text.len)
		memcpy(s->text, text.p, text.len);
	s->text[text.len] = '\0';
	s->lines = tnd_malloc(s->cap * sizeof(s->lines[0]));
	if (!s->lines) {
		tnd_free(s);
		return ENOMEM;
	}
	rc = parse_lines(s, &st, text.len);
	if (rc) {
		sdp_session_free(s);
		return rc;
	}
	*out = s;
	return 0;
}
