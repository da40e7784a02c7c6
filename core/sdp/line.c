/*
 * The line table of a session: levels and their ranges, where a new line
 * goes (RFC 8866 §5 order), replacing, inserting and removing lines, and
 * the small token helpers every other file of the layer uses. Owns the
 * heap copies that edits write; allocates through util/mem.
 */
#include <errno.h>
#include <string.h>

#include "sdp_int.h"
#include "tandem/mem.h"

void sdp_session_free(struct sdp_session *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nlines; i++)
		tnd_free(s->lines[i].owned);
	tnd_free(s->lines);
	tnd_free(s);
}

unsigned sdp_session_notes(const struct sdp_session *s)
{
	return s->notes;
}

size_t sdp_session_media_count(const struct sdp_session *s)
{
	return s->nmedia;
}

size_t sdp_session_line_count(const struct sdp_session *s)
{
	return s->nlines;
}

int sdp_session_line(const struct sdp_session *s, size_t i,
		     struct sdp_line_ref *out)
{
	if (i >= s->nlines)
		return EINVAL;
	out->type = s->lines[i].type;
	out->value = s->lines[i].value;
	out->level =
	    s->lines[i].lvl ? (size_t)s->lines[i].lvl - 1 : SDP_SESSION;
	return 0;
}

int sdp_level_lvl(const struct sdp_session *s, size_t level, unsigned *lvl)
{
	if (level == SDP_SESSION) {
		*lvl = 0;
		return 0;
	}
	if (level >= s->nmedia)
		return EINVAL;
	*lvl = (unsigned)level + 1;
	return 0;
}

void sdp_level_range(const struct sdp_session *s, unsigned lvl, size_t *begin,
		     size_t *end)
{
	size_t i = 0;

	while (i < s->nlines && s->lines[i].lvl < lvl)
		i++;
	*begin = i;
	while (i < s->nlines && s->lines[i].lvl == lvl)
		i++;
	*end = i;
}

size_t sdp_level_find(const struct sdp_session *s, unsigned lvl, char type)
{
	size_t begin, end;

	sdp_level_range(s, lvl, &begin, &end);
	for (size_t i = begin; i < end; i++) {
		if (s->lines[i].type == type)
			return i;
	}
	return SIZE_MAX;
}

/* RFC 8866 §5 and §9: the order of line types in each part. */
static size_t type_rank(unsigned lvl, char type)
{
	const char *order = lvl ? "micbka" : "vosiuepcbtrzka";
	const char *at = strchr(order, type);

	/* unknown letters rank with a=, so new attributes follow them */
	return (at && type) ? (size_t)(at - order) : strlen(order) - 1;
}

size_t sdp_level_insert_pos(const struct sdp_session *s, unsigned lvl,
			    char type)
{
	size_t begin, end, rank = type_rank(lvl, type);

	sdp_level_range(s, lvl, &begin, &end);
	/* an m= line stays first in its section */
	if (lvl && begin < end)
		begin++;
	for (size_t i = begin; i < end; i++) {
		if (type_rank(lvl, s->lines[i].type) > rank)
			return i;
	}
	return end;
}

static int table_grow(struct sdp_session *s)
{
	size_t cap = s->cap ? s->cap * 2 : 16;
	struct sdp_line *lines;

	if (s->nlines < s->cap)
		return 0;
	lines = tnd_realloc(s->lines, cap * sizeof(*lines));
	if (!lines)
		return ENOMEM;
	s->lines = lines;
	s->cap = cap;
	return 0;
}

int sdp_line_put(struct sdp_session *s, size_t at, bool insert, char type,
		 unsigned lvl, const struct tnd_slice *parts, size_t nparts)
{
	size_t len = 0, off = 0;
	char *text;
	struct sdp_line *line;

	for (size_t i = 0; i < nparts; i++)
		len += parts[i].len;
	if (insert && table_grow(s))
		return ENOMEM;
	text = tnd_malloc(len + 1);
	if (!text)
		return ENOMEM;
	for (size_t i = 0; i < nparts; i++) {
		if (parts[i].len)
			memcpy(text + off, parts[i].p, parts[i].len);
		off += parts[i].len;
	}
	text[len] = '\0';
	if (insert) {
		memmove(&s->lines[at + 1], &s->lines[at],
			(s->nlines - at) * sizeof(s->lines[0]));
		s->nlines++;
		s->lines[at] =
		    (struct sdp_line){ .type = type, .lvl = (uint16_t)lvl };
	}
	line = &s->lines[at];
	tnd_free(line->owned);
	line->owned = text;
	line->value = (struct tnd_slice){ text, len };
	return 0;
}

void sdp_line_remove(struct sdp_session *s, size_t at)
{
	tnd_free(s->lines[at].owned);
	memmove(&s->lines[at], &s->lines[at + 1],
		(s->nlines - at - 1) * sizeof(s->lines[0]));
	s->nlines--;
}

bool sdp_value_ok(struct tnd_slice v)
{
	for (size_t i = 0; i < v.len; i++) {
		if (v.p[i] == '\r' || v.p[i] == '\n' || v.p[i] == '\0')
			return false;
	}
	return true;
}

bool sdp_token_ok(struct tnd_slice v)
{
	if (v.len == 0 || !sdp_value_ok(v))
		return false;
	for (size_t i = 0; i < v.len; i++) {
		if (v.p[i] == ' ' || v.p[i] == '\t')
			return false;
	}
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool sdp_token_next(struct tnd_slice *rest, struct tnd_slice *token)
{
	size_t i = 0, start;

	if (rest->len == 0)
		return false;
	while (i < rest->len && is_blank(rest->p[i]))
		i++;
	start = i;
	while (i < rest->len && !is_blank(rest->p[i]))
		i++;
	if (start == i) {
		rest->p += i;
		rest->len = 0;
		return false;
	}
	*token = (struct tnd_slice){ rest->p + start, i - start };
	rest->p += i;
	rest->len -= i;
	return true;
}

void sdp_attr_split(struct tnd_slice value, struct tnd_slice *name,
		    struct tnd_slice *attr_value)
{
	const char *colon = value.len ? memchr(value.p, ':', value.len) : NULL;

	if (!colon) {
		*name = value;
		*attr_value = TND_SLICE_NULL;
		return;
	}
	*name = (struct tnd_slice){ value.p, (size_t)(colon - value.p) };
	*attr_value =
	    (struct tnd_slice){ colon + 1, value.len - name->len - 1 };
}

struct tnd_slice sdp_u64_text(uint64_t v, char *buf)
{
	char tmp[21];
	size_t n = 0, len;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	len = n;
	for (size_t i = 0; i < len; i++)
		buf[i] = tmp[--n];
	return (struct tnd_slice){ buf, len };
}
