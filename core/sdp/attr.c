/*
 * Attributes (RFC 8866 §5.13, §6) by name at one level: finding the first,
 * walking them all, adding, replacing and removing them, and the ICE set
 * (RFC 8839 §5) a relay strips. Names match without regard to case; a
 * flag attribute has no value. Edits go through line.c.
 */
#include <errno.h>
#include <string.h>

#include "sdp_int.h"

static bool attr_matches(const struct sdp_line *line, const char *name,
			 struct tnd_slice *value)
{
	struct tnd_slice n, v;

	if (line->type != 'a')
		return false;
	sdp_attr_split(line->value, &n, &v);
	if (!tnd_slice_caseeq_cstr(n, name))
		return false;
	if (value)
		*value = v;
	return true;
}

bool sdp_attr_next(const struct sdp_session *s, size_t level, const char *name,
		   size_t *cursor, struct tnd_slice *value)
{
	unsigned lvl;
	size_t begin, end;

	if (sdp_level_lvl(s, level, &lvl))
		return false;
	sdp_level_range(s, lvl, &begin, &end);
	for (size_t i = begin + *cursor; i < end; i++) {
		if (attr_matches(&s->lines[i], name, value)) {
			*cursor = i - begin + 1;
			return true;
		}
	}
	*cursor = end - begin;
	return false;
}

bool sdp_attr_find(const struct sdp_session *s, size_t level, const char *name,
		   struct tnd_slice *value)
{
	size_t cursor = 0;

	return sdp_attr_next(s, level, name, &cursor, value);
}

/* The name and value an edit may write, and the parts of its line. */
static int attr_parts(const char *name, struct tnd_slice value,
		      struct tnd_slice parts[3], size_t *nparts)
{
	struct tnd_slice n = tnd_slice_from_cstr(name);

	if (!sdp_token_ok(n) || memchr(n.p, ':', n.len) || !sdp_value_ok(value))
		return EINVAL;
	parts[0] = n;
	parts[1] = TND_SLICE_LIT(":");
	parts[2] = value;
	*nparts = value.p ? 3 : 1;
	return 0;
}

int sdp_attr_add(struct sdp_session *s, size_t level, const char *name,
		 struct tnd_slice value)
{
	struct tnd_slice parts[3];
	size_t nparts;
	unsigned lvl;

	if (sdp_level_lvl(s, level, &lvl) ||
	    attr_parts(name, value, parts, &nparts))
		return EINVAL;
	return sdp_line_put(s, sdp_level_insert_pos(s, lvl, 'a'), true, 'a',
			    lvl, parts, nparts);
}

int sdp_attr_set(struct sdp_session *s, size_t level, const char *name,
		 struct tnd_slice value)
{
	struct tnd_slice parts[3];
	size_t nparts, begin, end, first = SIZE_MAX;
	unsigned lvl;
	int rc;

	if (sdp_level_lvl(s, level, &lvl) ||
	    attr_parts(name, value, parts, &nparts))
		return EINVAL;
	sdp_level_range(s, lvl, &begin, &end);
	for (size_t i = begin; i < end && first == SIZE_MAX; i++) {
		if (attr_matches(&s->lines[i], name, NULL))
			first = i;
	}
	if (first == SIZE_MAX)
		return sdp_line_put(s, sdp_level_insert_pos(s, lvl, 'a'), true,
				    'a', lvl, parts, nparts);
	rc = sdp_line_put(s, first, false, 'a', lvl, parts, nparts);
	if (rc)
		return rc;
	for (size_t i = end; i-- > first + 1;) {
		if (attr_matches(&s->lines[i], name, NULL))
			sdp_line_remove(s, i);
	}
	return 0;
}

static int remove_names(struct sdp_session *s, size_t level,
			const char *const *names, size_t nnames,
			size_t *removed)
{
	size_t begin, end, n = 0;
	unsigned lvl;

	if (sdp_level_lvl(s, level, &lvl))
		return EINVAL;
	sdp_level_range(s, lvl, &begin, &end);
	for (size_t i = end; i-- > begin;) {
		for (size_t k = 0; k < nnames; k++) {
			if (attr_matches(&s->lines[i], names[k], NULL)) {
				sdp_line_remove(s, i);
				n++;
				break;
			}
		}
	}
	if (removed)
		*removed = n;
	return 0;
}

int sdp_attr_remove(struct sdp_session *s, size_t level, const char *name,
		    size_t *removed)
{
	return remove_names(s, level, &name, 1, removed);
}

int sdp_ice_remove(struct sdp_session *s, size_t level, size_t *removed)
{
	/* RFC 8839 §5: every attribute ICE defines, both levels */
	static const char *const ice[] = {
		"ice-ufrag",         "ice-pwd",           "ice-options",
		"ice-lite",          "ice-mismatch",      "candidate",
		"remote-candidates", "end-of-candidates", "ice-pacing",
	};

	return remove_names(s, level, ice, sizeof(ice) / sizeof(ice[0]),
			    removed);
}

int sdp_media_set_rtcp(struct sdp_session *s, size_t index, uint32_t port)
{
	char buf[21];

	if (index == SDP_SESSION || index >= s->nmedia || port > 65535)
		return EINVAL;
	return sdp_attr_set(s, index, "rtcp", sdp_u64_text(port, buf));
}
