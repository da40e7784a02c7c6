/*
 * Editing the fixed-format lines: c= (RFC 8866 §5.7), the m= port and
 * proto (§5.14, RFC 3264 §6 for port 0) and o= (§5.2). Each edit checks
 * its inputs, then writes one line through line.c, so a failed edit
 * leaves the session as it was.
 */
#include <errno.h>
#include <string.h>

#include "sdp_int.h"

/* Joins parts into buf when they fit; false when they do not. */
static bool join(char *buf, size_t size, const struct tnd_slice *parts,
		 size_t nparts, struct tnd_slice *out)
{
	size_t off = 0;

	for (size_t i = 0; i < nparts; i++) {
		if (parts[i].len >= size - off)
			return false;
		if (parts[i].len)
			memcpy(buf + off, parts[i].p, parts[i].len);
		off += parts[i].len;
	}
	*out = (struct tnd_slice){ buf, off };
	return true;
}

int sdp_connection_set(struct sdp_session *s, size_t level,
		       struct tnd_slice addrtype, struct tnd_slice address)
{
	struct tnd_slice parts[] = { TND_SLICE_LIT("IN "), addrtype,
				     TND_SLICE_LIT(" "), address };
	struct sdp_connection check;
	struct tnd_slice value;
	char buf[320];
	unsigned lvl;
	size_t at;

	if (sdp_level_lvl(s, level, &lvl) || !sdp_token_ok(addrtype) ||
	    !sdp_token_ok(address))
		return EINVAL;
	/* what is written must parse again: a literal or a host name */
	if (!join(buf, sizeof(buf), parts, 4, &value) ||
	    sdp_connection_parse(value, &check))
		return EINVAL;
	at = sdp_level_find(s, lvl, 'c');
	if (at != SIZE_MAX)
		return sdp_line_put(s, at, false, 'c', lvl, parts, 4);
	return sdp_line_put(s, sdp_level_insert_pos(s, lvl, 'c'), true, 'c',
			    lvl, parts, 4);
}

/* The k-th token (0-based) of a value; the parse made sure it exists. */
static struct tnd_slice token_at(struct tnd_slice v, unsigned k)
{
	struct tnd_slice tok = TND_SLICE_NULL;

	for (unsigned i = 0; i <= k; i++)
		sdp_token_next(&v, &tok);
	return tok;
}

/* Replaces `old` (a slice of line `at`) with `with`, the rest kept. */
static int splice(struct sdp_session *s, size_t at, struct tnd_slice old,
		  struct tnd_slice with)
{
	struct tnd_slice v = s->lines[at].value;
	size_t head = (size_t)(old.p - v.p);
	struct tnd_slice parts[] = {
		{ v.p, head },
		with,
		{ old.p + old.len, v.len - head - old.len },
	};

	return sdp_line_put(s, at, false, s->lines[at].type, s->lines[at].lvl,
			    parts, 3);
}

static size_t media_line(const struct sdp_session *s, size_t index)
{
	unsigned lvl;

	if (index == SDP_SESSION || sdp_level_lvl(s, index, &lvl))
		return SIZE_MAX;
	return sdp_level_find(s, lvl, 'm');
}

int sdp_media_set_port(struct sdp_session *s, size_t index, uint32_t port)
{
	size_t at = media_line(s, index);
	struct tnd_slice tok;
	const char *slash;
	char buf[21];

	if (at == SIZE_MAX || port > 65535)
		return EINVAL;
	tok = token_at(s->lines[at].value, 1);
	slash = memchr(tok.p, '/', tok.len);
	if (slash) /* "port/count": the count stays */
		tok.len = (size_t)(slash - tok.p);
	return splice(s, at, tok, sdp_u64_text(port, buf));
}

int sdp_media_set_proto(struct sdp_session *s, size_t index,
			struct tnd_slice proto)
{
	size_t at = media_line(s, index);

	if (at == SIZE_MAX || !sdp_token_ok(proto))
		return EINVAL;
	return splice(s, at, token_at(s->lines[at].value, 2), proto);
}

int sdp_session_set_origin(struct sdp_session *s, const struct sdp_origin *o)
{
	const struct tnd_slice fields[] = { o->username,     o->sess_id,
					    o->sess_version, o->nettype,
					    o->addrtype,     o->address };
	struct tnd_slice parts[11];
	size_t at = sdp_level_find(s, 0, 'o');

	for (size_t i = 0; i < 6; i++) {
		if (!sdp_token_ok(fields[i]))
			return EINVAL;
		if (i)
			parts[2 * i - 1] = TND_SLICE_LIT(" ");
		parts[2 * i] = fields[i];
	}
	if (at == SIZE_MAX)
		return sdp_line_put(s, sdp_level_insert_pos(s, 0, 'o'), true,
				    'o', 0, parts, 11);
	return sdp_line_put(s, at, false, 'o', 0, parts, 11);
}
