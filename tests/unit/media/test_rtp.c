/*
 * The pure RTP/RTCP functions of media_rtp.h (rtp.c, rtp_stats.c): header
 * checks (RFC 3550 §5.1, §5.3.1), the RFC 5761 §4 demultiplexing range,
 * compound RTCP and its report blocks (§6.1, §6.4), sequence accounting
 * (A.1, A.3) and jitter (A.8), on hand-built bytes.
 */
#include <string.h>

#include "tandem/media_rtp.h"
#include "test.h"

static int test_rtp_parses_csrc_extension_padding(void)
{
	/* V=2 P X CC=2, M, PT 101; 2 CSRCs, a 1-word extension, 3 bytes
	 * of payload, 2 of padding. */
	static const uint8_t p[] = {
		0xb2, 0xe5, 0x12, 0x34, 0, 0, 0x01, 0x00, 0xca, 0xfe, 0xba,
		0xbe, 1,    1,    1,    1, 2, 2,    2,    2,    0xbe, 0xde,
		0,    1,    9,    9,    9, 9, 'a',  'b',  'c',  0,    2,
	};
	struct media_rtp_header h;

	CHECK_OK(media_rtp_parse(p, sizeof(p), &h));
	CHECK(h.marker);
	CHECK_INT(h.pt, 101);
	CHECK_INT(h.seq, 0x1234);
	CHECK_INT(h.ts, 256);
	CHECK_INT(h.ssrc, 0xcafebabe);
	CHECK_INT(h.header_len, 28);
	CHECK_INT(h.payload_len, 3);
	CHECK_OK(media_rtp_parse_head(p, sizeof(p), &h));
	CHECK_INT(h.payload_len, 0);
	/* Cut anywhere inside the header: refused. */
	for (size_t n = 0; n < 28; n++)
		CHECK_INT(media_rtp_parse_head(p, n, &h), EBADMSG);
	return 0;
}

static int test_rtp_refuses_bad_padding_and_version(void)
{
	uint8_t p[16] = { 0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct media_rtp_header h;

	p[15] = 0;
	CHECK_INT(media_rtp_parse(p, 16, &h), EBADMSG); /* count 0 */
	p[15] = 5;
	CHECK_INT(media_rtp_parse(p, 16, &h), EBADMSG); /* past header */
	CHECK_OK(media_rtp_parse_head(p, 16, &h));      /* SRTP: unread yet */
	p[15] = 4;
	CHECK_OK(media_rtp_parse(p, 16, &h));
	CHECK_INT(h.payload_len, 0);
	p[0] = 0x00;
	CHECK_INT(media_rtp_parse_head(p, 16, &h), EBADMSG);
	p[0] = 0xc0;
	CHECK_INT(media_rtp_parse_head(p, 16, &h), EBADMSG);
	return 0;
}

static int test_rtcp_demux_range(void)
{
	uint8_t p[2] = { 0x80, 0 };

	for (int b = 0; b < 256; b++) {
		p[1] = (uint8_t)b;
		CHECK_INT(media_rtp_is_rtcp(p, 2), b >= 192 && b <= 223);
	}
	CHECK(!media_rtp_is_rtcp(p, 1));
	return 0;
}

static int test_rtcp_compound_sr_sdes(void)
{
	/*
	 * An SR (RC=1, length 12): SSRC 0xaa, 20 bytes of sender info, one
	 * report block on 0xbb (fraction 26, cumulative -2, highest seq
	 * 0x11000, jitter 77); then an SDES (SC=1) with CNAME "ab".
	 */
	static const uint8_t p[] = {
		0x81, 200,  0,    12, 0,    0,    0,    0xaa, 1,    2,    3,
		4,    5,    6,    7,  8,    9,    10,   11,   12,   0,    0,
		0,    9,    0,    0,  3,    0,    0,    0,    0,    0xbb, 26,
		0xff, 0xff, 0xfe, 0,  1,    0x10, 0x00, 0,    0,    0,    77,
		0,    0,    0,    0,  0,    0,    0,    0,    0x81, 202,  0,
		2,    0,    0,    0,  0xaa, 1,    2,    'a',  'b',
	};
	struct media_rtcp_report r;

	CHECK_OK(media_rtcp_parse(p, sizeof(p), &r));
	CHECK(r.valid);
	CHECK(r.from_sr);
	CHECK_INT(r.sender_ssrc, 0xaa);
	CHECK_INT(r.source_ssrc, 0xbb);
	CHECK_INT(r.fraction_lost, 26);
	CHECK_INT(r.cumulative_lost, -2);
	CHECK_INT(r.highest_seq, 0x11000);
	CHECK_INT(r.jitter, 77);
	/* Every shorter cut breaks the length chain, but the SR alone; a
	 * broken packet reports nothing, even after a sound SR. */
	for (size_t n = 0; n < sizeof(p); n++) {
		CHECK_INT(media_rtcp_parse(p, n, &r), n == 52 ? 0 : EBADMSG);
		CHECK_INT(r.valid, n == 52);
	}
	return 0;
}

static int test_rtcp_rr_without_blocks_and_bad_lengths(void)
{
	uint8_t p[16] = { 0x80, 201, 0, 1, 0, 0, 0, 1 };
	struct media_rtcp_report r;

	CHECK_OK(media_rtcp_parse(p, 8, &r));
	CHECK(!r.valid);
	CHECK_INT(media_rtcp_parse(p, 12, &r), EBADMSG); /* 4 left over */
	p[8] = 0x80; /* a second packet, BYE with no SSRC: 4 bytes */
	p[9] = 203;
	CHECK_OK(media_rtcp_parse(p, 12, &r));
	p[8] = 0x40; /* version 1 in the second packet */
	CHECK_INT(media_rtcp_parse(p, 12, &r), EBADMSG);
	p[3] = 3; /* says 16 bytes; RC 1 claims a block it has no room for */
	p[0] = 0x81;
	CHECK_OK(media_rtcp_parse(p, 16, &r));
	CHECK(!r.valid);
	p[1] = 100; /* not in the RTCP range */
	CHECK_INT(media_rtcp_check_head(p, 16), EBADMSG);
	return 0;
}

static int test_seq_probation_gap_duplicate(void)
{
	struct media_rtp_seq s = { 0 };

	CHECK(!media_rtp_seq_update(&s, 100)); /* probation */
	CHECK_INT(media_rtp_seq_expected(&s), 0);
	CHECK(media_rtp_seq_update(&s, 101));
	CHECK(media_rtp_seq_update(&s, 104));
	CHECK_INT(media_rtp_seq_expected(&s), 4);
	CHECK_INT(media_rtp_seq_lost(&s), 2);
	CHECK(media_rtp_seq_update(&s, 104)); /* duplicate: counted */
	CHECK(media_rtp_seq_update(&s, 103)); /* late */
	CHECK_INT(media_rtp_seq_lost(&s), 0);
	CHECK(media_rtp_seq_update(&s, 104));
	CHECK_INT(media_rtp_seq_lost(&s), -1);
	return 0;
}

static int test_seq_wrap_and_restart(void)
{
	struct media_rtp_seq s = { 0 };

	media_rtp_seq_init(&s, 65534);
	CHECK(!media_rtp_seq_update(&s, 65534));
	CHECK(media_rtp_seq_update(&s, 65535));
	CHECK(media_rtp_seq_update(&s, 0));
	CHECK(media_rtp_seq_update(&s, 2));
	CHECK_INT(s.cycles, 65536);
	CHECK_INT(media_rtp_seq_expected(&s), 4);
	CHECK_INT(media_rtp_seq_lost(&s), 1);
	/* A jump past MAX_DROPOUT is believed when the next follows it. */
	CHECK(!media_rtp_seq_update(&s, 30000));
	CHECK(media_rtp_seq_update(&s, 30001));
	CHECK_INT(media_rtp_seq_expected(&s), 1);
	CHECK_INT(media_rtp_seq_lost(&s), 0);
	/* Probation restarts on a packet out of sequence. */
	media_rtp_seq_init(&s, 10);
	CHECK(!media_rtp_seq_update(&s, 10));
	CHECK(!media_rtp_seq_update(&s, 12));
	CHECK(media_rtp_seq_update(&s, 13));
	CHECK_INT(media_rtp_seq_expected(&s), 1);
	return 0;
}

static int test_jitter_integer_a8(void)
{
	struct media_rtp_jitter j = { 0 };

	media_rtp_jitter_update(&j, 0, 0, 1000);
	media_rtp_jitter_update(&j, 0, 160, 1160);
	CHECK_INT(media_rtp_jitter_ts(&j), 0);
	media_rtp_jitter_update(&j, 0, 320, 1400); /* 80 late */
	CHECK_INT(j.jitter_q4, 80);
	media_rtp_jitter_update(&j, 0, 480, 1480); /* back on time */
	CHECK_INT(j.jitter_q4, 155);
	CHECK_INT(media_rtp_jitter_ts(&j), 9);
	/* A payload type change is a new baseline, not jitter. */
	media_rtp_jitter_update(&j, 101, 99999, 1500);
	CHECK_INT(j.jitter_q4, 155);
	/* Timestamps and arrivals wrap: only differences count. */
	media_rtp_jitter_update(&j, 101, 99999 + 160, 1660);
	CHECK_INT(j.jitter_q4, 155 - 10);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_rtp_parses_csrc_extension_padding),
	TEST(test_rtp_refuses_bad_padding_and_version),
	TEST(test_rtcp_demux_range),
	TEST(test_rtcp_compound_sr_sdes),
	TEST(test_rtcp_rr_without_blocks_and_bad_lengths),
	TEST(test_seq_probation_gap_duplicate),
	TEST(test_seq_wrap_and_restart),
	TEST(test_jitter_integer_a8),
};

TEST_MAIN(cases)
