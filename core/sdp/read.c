/*
 * Reading the fixed-format lines: o= (RFC 8866 §5.2), c= (§5.7) and m=
 * (§5.14). The same field parsers check these lines when a session is
 * parsed and answer the getters, which return slices into the session and
 * never allocate.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "sdp_int.h"

int sdp_origin_parse(struct tnd_slice v, struct sdp_origin *out)
{
	struct tnd_slice *fields[] = { &out->username,     &out->sess_id,
				       &out->sess_version, &out->nettype,
				       &out->addrtype,     &out->address };
	struct tnd_slice extra;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!sdp_token_next(&v, fields[i]))
			return EBADMSG;
	}
	return sdp_token_next(&v, &extra) ? EBADMSG : 0;
}

static bool is_host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

/* An IPv4 or IPv6 literal, or a host name kept as text (§5.7). */
static int address_kind(struct tnd_slice a, enum sdp_addr_kind *kind)
{
	char buf[64];
	unsigned char bin[16];

	if (a.len == 0 || a.len > 255)
		return EBADMSG;
	if (a.len < sizeof(buf)) {
		memcpy(buf, a.p, a.len);
		buf[a.len] = '\0';
		if (inet_pton(AF_INET, buf, bin) == 1) {
			*kind = SDP_ADDR_IP4;
			return 0;
		}
		if (inet_pton(AF_INET6, buf, bin) == 1) {
			*kind = SDP_ADDR_IP6;
			return 0;
		}
	}
	for (size_t i = 0; i < a.len; i++) {
		if (!is_host_char(a.p[i]))
			return EBADMSG;
	}
	*kind = SDP_ADDR_FQDN;
	return 0;
}

/* Splits "a/b/c" at its slashes: 1 to 3 parts, else 0. */
static size_t split_slashes(struct tnd_slice a, struct tnd_slice part[3])
{
	const char *p = a.p, *end = a.p + a.len;
	size_t n = 0;

	for (;;) {
		const char *slash = memchr(p, '/', (size_t)(end - p));

		if (n == 3)
			return 0;
		part[n++] =
		    (struct tnd_slice){ p,
					(size_t)((slash ? slash : end) - p) };
		if (!slash)
			return n;
		p = slash + 1;
	}
}

/* "addr[/ttl[/count]]" for IPv4, "addr[/count]" for IPv6 (§5.7). */
static int connection_address(struct tnd_slice a, bool ip4,
			      struct sdp_connection *out)
{
	struct tnd_slice part[3];
	size_t n = split_slashes(a, part);
	uint32_t num[2] = { 0, 1 };

	if (n == 0 || (n == 3 && !ip4))
		return EBADMSG;
	for (size_t i = 1; i < n; i++) {
		if (tnd_slice_to_u32(part[i], 0xffffffffu, &num[i - 1]))
			return EBADMSG;
	}
	out->address = part[0];
	out->ttl = ip4 ? num[0] : 0;
	out->count = ip4 ? num[1] : (n == 2 ? num[0] : 1);
	if (out->count == 0)
		return EBADMSG;
	return address_kind(out->address, &out->kind);
}

int sdp_connection_parse(struct tnd_slice v, struct sdp_connection *out)
{
	struct tnd_slice addr, extra;

	if (!sdp_token_next(&v, &out->nettype) ||
	    !sdp_token_next(&v, &out->addrtype) || !sdp_token_next(&v, &addr) ||
	    sdp_token_next(&v, &extra))
		return EBADMSG;
	return connection_address(
	    addr, !tnd_slice_caseeq_cstr(out->addrtype, "IP6"), out);
}

int sdp_media_parse(struct tnd_slice v, struct sdp_media *out)
{
	struct tnd_slice port, part[3];
	size_t n;

	if (!sdp_token_next(&v, &out->media) || !sdp_token_next(&v, &port) ||
	    !sdp_token_next(&v, &out->proto))
		return EBADMSG;
	n = split_slashes(port, part);
	out->port_count = 1;
	if (n == 0 || n == 3 || tnd_slice_to_u32(part[0], 65535, &out->port))
		return EBADMSG;
	if (n == 2 && (tnd_slice_to_u32(part[1], 65535, &out->port_count) ||
		       out->port_count == 0))
		return EBADMSG;
	out->fmts = tnd_slice_trim(v);
	return 0;
}

int sdp_session_origin(const struct sdp_session *s, struct sdp_origin *out)
{
	size_t i = sdp_level_find(s, 0, 'o');

	if (i == SIZE_MAX)
		return ENOENT;
	return sdp_origin_parse(s->lines[i].value, out);
}

int sdp_connection_get(const struct sdp_session *s, size_t level,
		       struct sdp_connection *out)
{
	unsigned lvl;
	size_t i;

	if (sdp_level_lvl(s, level, &lvl))
		return EINVAL;
	i = sdp_level_find(s, lvl, 'c');
	if (i == SIZE_MAX)
		return ENOENT;
	return sdp_connection_parse(s->lines[i].value, out);
}

int sdp_media_connection(const struct sdp_session *s, size_t index,
			 struct sdp_connection *out)
{
	int rc;

	if (index == SDP_SESSION || index >= s->nmedia)
		return EINVAL;
	rc = sdp_connection_get(s, index, out);
	if (rc == ENOENT)
		rc = sdp_connection_get(s, SDP_SESSION, out);
	return rc;
}

int sdp_media_get(const struct sdp_session *s, size_t index,
		  struct sdp_media *out)
{
	unsigned lvl;

	if (index == SDP_SESSION || sdp_level_lvl(s, index, &lvl))
		return EINVAL;
	return sdp_media_parse(s->lines[sdp_level_find(s, lvl, 'm')].value,
			       out);
}
