/*
 * RTP and RTCP header checks and the compound RTCP walk of media_rtp.h:
 * what makes a datagram worth relaying (RFC 3550 §5.1, A.1, A.2), how
 * RTCP is told from RTP on a multiplexed port (RFC 5761 §4), and the
 * report blocks (RFC 3550 §6.4.1) the call statistics quote. Pure: reads
 * only the bytes it is given, never past `len`.
 */
#include <errno.h>

#include "tandem/media_rtp.h"

#define RTP_VERSION       2
#define RTCP_SR           200
#define RTCP_RR           201
#define RTCP_SR_BLOCKS_AT 28 /* header, SSRC, 20 bytes of sender info */
#define RTCP_RR_BLOCKS_AT 8  /* header, SSRC */
#define RTCP_BLOCK_LEN    24

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

int media_rtp_parse_head(const uint8_t *p, size_t len,
			 struct media_rtp_header *out)
{
	size_t hl;

	if (len < MEDIA_RTP_FIXED_LEN || p[0] >> 6 != RTP_VERSION)
		return EBADMSG;
	hl = MEDIA_RTP_FIXED_LEN + 4 * (size_t)(p[0] & 0x0f);
	if (hl > len)
		return EBADMSG;
	if (p[0] & 0x10) { /* §5.3.1: 16-bit profile, 16-bit length */
		if (len - hl < 4)
			return EBADMSG;
		hl += 4 + 4 * (size_t)be16(p + hl + 2);
		if (hl > len)
			return EBADMSG;
	}
	out->marker = p[1] >> 7;
	out->pt = p[1] & 0x7f;
	out->seq = be16(p + 2);
	out->ts = be32(p + 4);
	out->ssrc = be32(p + 8);
	out->header_len = hl;
	out->payload_len = 0;
	return 0;
}

int media_rtp_parse(const uint8_t *p, size_t len, struct media_rtp_header *out)
{
	size_t pad = 0;
	int rc;

	if ((rc = media_rtp_parse_head(p, len, out)))
		return rc;
	if (p[0] & 0x20) { /* §5.1: the last octet counts the padding */
		pad = p[len - 1];
		if (pad == 0 || pad > len - out->header_len)
			return EBADMSG;
	}
	out->payload_len = len - out->header_len - pad;
	return 0;
}

bool media_rtp_is_rtcp(const uint8_t *p, size_t len)
{
	return len >= 2 && p[1] >= 192 && p[1] <= 223;
}

int media_rtcp_check_head(const uint8_t *p, size_t len)
{
	if (len < MEDIA_RTCP_FIXED_LEN || p[0] >> 6 != RTP_VERSION ||
	    !media_rtp_is_rtcp(p, len))
		return EBADMSG;
	return 0;
}

static void rtcp_block(const uint8_t *b, uint32_t sender, bool sr,
		       struct media_rtcp_report *out)
{
	uint32_t lost = (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];

	out->valid = true;
	out->from_sr = sr;
	out->sender_ssrc = sender;
	out->source_ssrc = be32(b);
	out->fraction_lost = b[4];
	/* 24-bit two's complement. */
	out->cumulative_lost =
	    (lost & 0x800000) ? (int32_t)lost - 0x1000000 : (int32_t)lost;
	out->highest_seq = be32(b + 8);
	out->jitter = be32(b + 12);
}

int media_rtcp_parse(const uint8_t *p, size_t len,
		     struct media_rtcp_report *out)
{
	struct media_rtcp_report found = { 0 };
	size_t off = 0;

	*out = found; /* nothing reported unless the whole packet is sound */
	if (media_rtcp_check_head(p, len))
		return EBADMSG;
	while (off < len) {
		const uint8_t *h = p + off;
		size_t plen, at = 0;

		if (len - off < 4 || h[0] >> 6 != RTP_VERSION)
			return EBADMSG;
		plen = 4 * ((size_t)be16(h + 2) + 1);
		if (plen > len - off)
			return EBADMSG;
		if (h[1] == RTCP_SR)
			at = RTCP_SR_BLOCKS_AT;
		else if (h[1] == RTCP_RR)
			at = RTCP_RR_BLOCKS_AT;
		if (at && (h[0] & 0x1f) && at + RTCP_BLOCK_LEN <= plen)
			rtcp_block(h + at, be32(h + 4), h[1] == RTCP_SR,
				   &found);
		off += plen;
	}
	*out = found;
	return 0;
}
