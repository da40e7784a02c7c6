/*
 * What a media relay reads from a section: its direction and whether it
 * is on hold (RFC 8866 §6.7, RFC 3264 §8.4), payload type clock rates
 * (a=rtpmap, §6.6, with the static table of RFC 3551 §6), a=rtcp (RFC
 * 3605) and a=rtcp-mux (RFC 5761). Getters over attr.c and read.c; none
 * allocates.
 */
#include <errno.h>
#include <string.h>

#include "sdp_int.h"

static const char *const direction_names[] = {
	[SDP_SENDRECV] = "sendrecv",
	[SDP_SENDONLY] = "sendonly",
	[SDP_RECVONLY] = "recvonly",
	[SDP_INACTIVE] = "inactive",
};

const char *sdp_direction_name(enum sdp_direction dir)
{
	return (unsigned)dir < 4 ? direction_names[dir] : "?";
}

/* The first direction attribute at lvl; false when there is none. */
static bool level_direction(const struct sdp_session *s, unsigned lvl,
			    enum sdp_direction *dir)
{
	size_t begin, end;

	sdp_level_range(s, lvl, &begin, &end);
	for (size_t i = begin; i < end; i++) {
		if (s->lines[i].type != 'a')
			continue;
		for (unsigned d = 0; d < 4; d++) {
			if (tnd_slice_caseeq_cstr(
				tnd_slice_trim(s->lines[i].value),
				direction_names[d])) {
				*dir = (enum sdp_direction)d;
				return true;
			}
		}
	}
	return false;
}

enum sdp_direction sdp_media_direction(const struct sdp_session *s,
				       size_t index)
{
	enum sdp_direction dir = SDP_SENDRECV;
	unsigned lvl;

	if (index != SDP_SESSION && !sdp_level_lvl(s, index, &lvl) &&
	    level_direction(s, lvl, &dir))
		return dir;
	if (level_direction(s, 0, &dir))
		return dir;
	return SDP_SENDRECV;
}

bool sdp_media_on_hold(const struct sdp_session *s, size_t index)
{
	enum sdp_direction dir = sdp_media_direction(s, index);
	struct sdp_connection c;

	if (dir == SDP_SENDONLY || dir == SDP_INACTIVE)
		return true;
	return sdp_media_connection(s, index, &c) == 0 &&
	       tnd_slice_eq_cstr(c.address, "0.0.0.0");
}

bool sdp_session_on_hold(const struct sdp_session *s)
{
	bool any = false;
	struct sdp_media m;

	for (size_t i = 0; i < s->nmedia; i++) {
		if (sdp_media_get(s, i, &m) || m.port == 0)
			continue;
		if (!sdp_media_on_hold(s, i))
			return false;
		any = true;
	}
	return any;
}

/* RFC 3551 §6, Tables 4 and 5: the payload types with fixed meanings. */
static const struct {
	uint8_t pt;
	const char *name;
	uint32_t rate;
	uint8_t channels;
} static_pts[] = {
	{ 0, "PCMU", 8000, 1 },   { 3, "GSM", 8000, 1 },
	{ 4, "G723", 8000, 1 },   { 5, "DVI4", 8000, 1 },
	{ 6, "DVI4", 16000, 1 },  { 7, "LPC", 8000, 1 },
	{ 8, "PCMA", 8000, 1 },   { 9, "G722", 8000, 1 },
	{ 10, "L16", 44100, 2 },  { 11, "L16", 44100, 1 },
	{ 12, "QCELP", 8000, 1 }, { 13, "CN", 8000, 1 },
	{ 14, "MPA", 90000, 1 },  { 15, "G728", 8000, 1 },
	{ 16, "DVI4", 11025, 1 }, { 17, "DVI4", 22050, 1 },
	{ 18, "G729", 8000, 1 },  { 25, "CelB", 90000, 1 },
	{ 26, "JPEG", 90000, 1 }, { 28, "nv", 90000, 1 },
	{ 31, "H261", 90000, 1 }, { 32, "MPV", 90000, 1 },
	{ 33, "MP2T", 90000, 1 }, { 34, "H263", 90000, 1 },
};

static int rtpmap_static(uint32_t pt, struct sdp_rtpmap *out)
{
	for (size_t i = 0; i < sizeof(static_pts) / sizeof(static_pts[0]);
	     i++) {
		if (static_pts[i].pt != pt)
			continue;
		*out = (struct sdp_rtpmap){
			.payload_type = pt,
			.encoding = tnd_slice_from_cstr(static_pts[i].name),
			.clock_rate = static_pts[i].rate,
			.channels = static_pts[i].channels,
			.is_static = true,
		};
		return 0;
	}
	return ENOENT;
}

/* "<encoding>/<clock rate>[/<channels>]" (§6.6). */
static int rtpmap_encoding(struct tnd_slice v, struct sdp_rtpmap *out)
{
	const char *s1 = memchr(v.p, '/', v.len), *s2;
	struct tnd_slice rate;

	if (!s1 || s1 == v.p)
		return EBADMSG;
	out->encoding = (struct tnd_slice){ v.p, (size_t)(s1 - v.p) };
	rate = (struct tnd_slice){ s1 + 1, v.len - out->encoding.len - 1 };
	s2 = memchr(rate.p, '/', rate.len);
	out->channels = 1;
	if (s2) {
		struct tnd_slice ch = { s2 + 1,
					rate.len - (size_t)(s2 - rate.p) - 1 };

		rate.len = (size_t)(s2 - rate.p);
		if (tnd_slice_to_u32(ch, 255, &out->channels) ||
		    out->channels == 0)
			return EBADMSG;
	}
	if (tnd_slice_to_u32(rate, 0xffffffffu, &out->clock_rate) ||
	    out->clock_rate == 0)
		return EBADMSG;
	return 0;
}

int sdp_media_rtpmap(const struct sdp_session *s, size_t index,
		     uint32_t payload_type, struct sdp_rtpmap *out)
{
	struct tnd_slice value, tok, enc;
	size_t cursor = 0;
	uint32_t pt;

	if (index == SDP_SESSION || index >= s->nmedia)
		return EINVAL;
	while (sdp_attr_next(s, index, "rtpmap", &cursor, &value)) {
		if (!sdp_token_next(&value, &tok) ||
		    tnd_slice_to_u32(tok, 127, &pt) || pt != payload_type)
			continue;
		if (!sdp_token_next(&value, &enc) ||
		    sdp_token_next(&value, &tok))
			return EBADMSG;
		out->payload_type = pt;
		out->is_static = false;
		return rtpmap_encoding(enc, out);
	}
	return payload_type < 96 ? rtpmap_static(payload_type, out) : ENOENT;
}

int sdp_media_rtcp(const struct sdp_session *s, size_t index,
		   struct sdp_rtcp *out)
{
	struct tnd_slice v, port, extra;

	if (index == SDP_SESSION || index >= s->nmedia)
		return EINVAL;
	if (!sdp_attr_find(s, index, "rtcp", &v))
		return ENOENT;
	*out = (struct sdp_rtcp){ .port = 0 };
	if (!sdp_token_next(&v, &port) ||
	    tnd_slice_to_u32(port, 65535, &out->port))
		return EBADMSG;
	if (!sdp_token_next(&v, &out->nettype))
		return 0;
	if (!sdp_token_next(&v, &out->addrtype) ||
	    !sdp_token_next(&v, &out->address) || sdp_token_next(&v, &extra))
		return EBADMSG;
	out->has_address = true;
	return 0;
}

bool sdp_media_rtcp_mux(const struct sdp_session *s, size_t index)
{
	if (index == SDP_SESSION || index >= s->nmedia)
		return false;
	return sdp_attr_find(s, index, "rtcp-mux", NULL);
}
