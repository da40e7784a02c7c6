/*
 * libFuzzer target for the media relay's pure checks (core/media/rtp.c,
 * rtp_stats.c, and the SDES key text of srtp.c). The input is copied into
 * a heap block of exactly its size, so AddressSanitizer catches any read
 * past the end. Each input is read as an RTP packet, as compound RTCP,
 * as a run of sequence numbers and timestamps for the RFC 3550 A.1/A.8
 * statistics, and as a=crypto key-params; what parses must be consistent
 * with its own bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/media.h"
#include "tandem/media_rtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_rtp(const uint8_t *p, size_t len)
{
	struct media_rtp_header head, full;
	int rc_head = media_rtp_parse_head(p, len, &head);
	int rc_full = media_rtp_parse(p, len, &full);

	if (rc_full == 0 && rc_head != 0)
		__builtin_trap(); /* the whole packet implies its head */
	if (rc_head == 0 &&
	    (head.header_len < MEDIA_RTP_FIXED_LEN || head.header_len > len ||
	     head.payload_len != 0 || p[0] >> 6 != 2))
		__builtin_trap();
	if (rc_full == 0 && (full.header_len != head.header_len ||
			     full.header_len + full.payload_len > len ||
			     full.seq != (uint16_t)(p[2] << 8 | p[3])))
		__builtin_trap();
}

static void fuzz_rtcp(const uint8_t *p, size_t len)
{
	struct media_rtcp_report r;

	if (media_rtcp_parse(p, len, &r) != 0) {
		if (r.valid)
			__builtin_trap();
		return;
	}
	if (media_rtcp_check_head(p, len) != 0 || !media_rtp_is_rtcp(p, len))
		__builtin_trap();
	if (r.valid &&
	    (r.cumulative_lost < -0x800000 || r.cumulative_lost > 0x7fffff))
		__builtin_trap();
}

/* Pairs of bytes as sequence numbers, with timestamps and arrivals. */
static void fuzz_stats(const uint8_t *p, size_t len)
{
	struct media_rtp_seq s = { 0 };
	struct media_rtp_jitter j = { 0 };
	uint32_t arrival = 0;

	for (size_t i = 0; i + 4 <= len; i += 4) {
		uint16_t seq = (uint16_t)(p[i] << 8 | p[i + 1]);
		uint64_t before = s.received;
		bool counted = media_rtp_seq_update(&s, seq);

		/* Counted: one more, or the first after a restart. */
		if (counted ? s.received != before + 1 && s.received != 1
			    : s.received != before)
			__builtin_trap();
		arrival += p[i + 2] * 8u;
		media_rtp_jitter_update(&j, p[i + 3] & 1, seq * 160u, arrival);
		if (media_rtp_seq_expected(&s) > ((uint64_t)1 << 33))
			__builtin_trap();
	}
}

static void fuzz_key(const uint8_t *p, size_t len)
{
	struct tnd_slice text = { (const char *)p, len };

	for (int suite = MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80;
	     suite <= MEDIA_SRTP_AEAD_AES_256_GCM; suite++) {
		struct media_srtp_key k, again;
		char out[MEDIA_SRTP_KEY_TEXT_MAX];
		size_t n = media_srtp_key_len((enum media_srtp_suite)suite);

		if (media_srtp_key_decode((enum media_srtp_suite)suite, text,
					  &k))
			continue;
		if (media_srtp_key_encode(&k, out, sizeof(out)) ||
		    media_srtp_key_decode(
			(enum media_srtp_suite)suite,
			(struct tnd_slice){ out, strlen(out) }, &again) ||
		    memcmp(k.bytes, again.bytes, n) != 0)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	fuzz_rtp(buf, size);
	fuzz_rtcp(buf, size);
	fuzz_stats(buf, size);
	fuzz_key(buf, size);
	free(buf);
	return 0;
}
