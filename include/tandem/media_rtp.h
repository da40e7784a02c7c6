/*
 * The pure part of the media relay: RTP and RTCP header checks (RFC 3550
 * §5.1, §6.4, A.1, A.2), the RTP/RTCP demultiplexing rule of RFC 5761 §4,
 * report blocks from compound RTCP, and the receiver statistics of RFC
 * 3550 A.1 (sequence numbers), A.3 (expected and lost) and A.8 (jitter).
 * No sockets, no clock: the relay feeds these, tests and the fuzzer call
 * them directly.
 */
#ifndef TANDEM_MEDIA_RTP_H
#define TANDEM_MEDIA_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEDIA_RTP_FIXED_LEN  12 /* RFC 3550 §5.1 */
#define MEDIA_RTCP_FIXED_LEN 8  /* header + SSRC, RFC 3550 §6.4 */

struct media_rtp_header {
	uint8_t pt;
	bool marker;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	size_t header_len;  /* fixed + CSRCs + extension */
	size_t payload_len; /* without padding; 0 from media_rtp_parse_head */
};

/*
 * The header of an SRTP packet or of plain RTP whose padding is not yet
 * readable: version 2, the fixed header, CSRC list and extension inside
 * `len`. 0, or EBADMSG.
 */
int media_rtp_parse_head(const uint8_t *p, size_t len,
			 struct media_rtp_header *out);
/* The whole packet: the head, and padding (RFC 3550 §5.1 P) inside. */
int media_rtp_parse(const uint8_t *p, size_t len, struct media_rtp_header *out);

/* RFC 5761 §4: second byte 192..223 (payload type 64..95) is RTCP. */
bool media_rtp_is_rtcp(const uint8_t *p, size_t len);

/* The first RTCP header of a (possibly SRTCP) packet: v2, 8 bytes. */
int media_rtcp_check_head(const uint8_t *p, size_t len);

/* One report block, RFC 3550 §6.4.1. */
struct media_rtcp_report {
	bool valid;
	bool from_sr;         /* in an SR (else an RR) */
	uint32_t sender_ssrc; /* who sent the SR/RR */
	uint32_t source_ssrc; /* who it reports on */
	uint8_t fraction_lost;
	int32_t cumulative_lost; /* 24-bit signed */
	uint32_t highest_seq;
	uint32_t jitter;
};

/*
 * Walks a compound RTCP packet (RFC 3550 §6.1, A.2): every packet
 * version 2 with its length inside the datagram, the lengths adding up
 * exactly. Reports the first report block of the last SR or RR that has
 * one (out->valid false when none). 0, or EBADMSG.
 */
int media_rtcp_parse(const uint8_t *p, size_t len,
		     struct media_rtcp_report *out);

/* RFC 3550 A.1 source state, for one SSRC. */
struct media_rtp_seq {
	uint16_t max_seq;
	uint32_t cycles; /* shifted count of wraps */
	uint32_t base_seq;
	uint32_t bad_seq;
	uint32_t probation;
	uint64_t received;
	bool started;
};

/* Restarts `s` on a new source whose first packet carries `seq`. */
void media_rtp_seq_init(struct media_rtp_seq *s, uint16_t seq);
/* Counts packet `seq`; false when A.1 judges it invalid (not counted). */
bool media_rtp_seq_update(struct media_rtp_seq *s, uint16_t seq);
/* A.3: packets expected, and lost (expected - received). */
uint64_t media_rtp_seq_expected(const struct media_rtp_seq *s);
int64_t media_rtp_seq_lost(const struct media_rtp_seq *s);

/* RFC 3550 A.8 jitter, kept scaled by 16 as its integer version does. */
struct media_rtp_jitter {
	uint32_t transit;
	uint32_t jitter_q4;
	uint8_t pt;
	bool started;
};
/*
 * Feeds a packet of payload type `pt` with RTP timestamp `ts` that
 * arrived at `arrival` (the same clock, in timestamp units). A change of
 * payload type (a telephone-event, a codec switch) restarts the transit
 * baseline instead of counting as jitter.
 */
void media_rtp_jitter_update(struct media_rtp_jitter *j, uint8_t pt,
			     uint32_t ts, uint32_t arrival);
/* The jitter in timestamp units. */
static inline uint32_t media_rtp_jitter_ts(const struct media_rtp_jitter *j)
{
	return j->jitter_q4 >> 4;
}

#endif
