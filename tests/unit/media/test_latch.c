/*
 * Symmetric latching (stream_io.c) on real loopback sockets: a side is
 * sent to where its packets come from, not where its SDP said; strangers
 * are dropped and counted; the latch moves after the latched source's
 * silence (manual clock) or after relatch_packets packets in a row with
 * its SSRC; a new remote re-opens it. RTCP on its own port and
 * multiplexed on the RTP port (RFC 5761), and malformed datagrams.
 */
#include <arpa/inet.h>
#include <string.h>

#include <event2/event.h>

#include "media_test_util.h"
#include "test.h"

struct fx {
	struct mt_env e;
	struct media_stream *s;
	int pa, pb, px; /* A's SDP socket, B's, A's real source */
	struct sockaddr_in a, b, x;
	struct sockaddr_in ra, rb; /* the relay's RTP ports for A and B */
};

static int fx_open(struct fx *f, const struct media_stream_opts *opts)
{
	int rc;

	memset(f, 0, sizeof(*f));
	f->pa = f->pb = f->px = -1;
	if ((rc = mt_env_open(&f->e, NULL)) ||
	    (rc = media_stream_new(f->e.relay, opts, &f->s)))
		return rc;
	f->pa = mt_peer(&f->a);
	f->pb = mt_peer(&f->b);
	f->px = mt_peer(&f->x);
	if (f->pa < 0 || f->pb < 0 || f->px < 0)
		return EIO;
	f->ra = mt_local(f->s, MEDIA_SIDE_A, false);
	f->rb = mt_local(f->s, MEDIA_SIDE_B, false);
	if ((rc = mt_remote(f->s, MEDIA_SIDE_A, &f->a, false)))
		return rc;
	return mt_remote(f->s, MEDIA_SIDE_B, &f->b, false);
}

static void fx_close(struct fx *f)
{
	mt_peer_close(f->pa);
	mt_peer_close(f->pb);
	mt_peer_close(f->px);
	media_stream_free(f->s);
	mt_env_close(&f->e);
}

/* An RTP packet from fd to `to`; true when `dst` gets exactly it. */
static bool relays(struct fx *f, int fd, const struct sockaddr_in *to, int dst,
		   uint16_t seq, uint32_t ssrc)
{
	return mt_relays(&f->e, fd, to, dst, seq, ssrc);
}

/* An RTP packet from fd to `to` that must reach nobody. */
static bool dropped(struct fx *f, int fd, const struct sockaddr_in *to, int dst,
		    uint16_t seq, uint32_t ssrc)
{
	uint8_t pkt[64];

	mt_send(fd, to, pkt, mt_rtp(pkt, 0, seq, 160u * seq, ssrc, "voice"));
	return mt_quiet(&f->e, dst);
}

static int test_latch_to_source_not_sdp(void)
{
	struct fx f;
	struct sockaddr_storage ss;
	socklen_t len;
	bool latched;

	CHECK_OK(fx_open(&f, NULL));
	CHECK(relays(&f, f.pb, &f.rb, f.pa, 1, 0xb)); /* to A's SDP address */
	CHECK_OK(
	    media_stream_remote(f.s, MEDIA_SIDE_A, false, &ss, &len, &latched));
	CHECK(!latched);
	CHECK(relays(&f, f.px, &f.ra, f.pb, 1, 0xa)); /* A behind a NAT */
	CHECK(relays(&f, f.pb, &f.rb, f.px, 2, 0xb)); /* now to its source */
	CHECK(mt_quiet(&f.e, f.pa));
	CHECK_OK(
	    media_stream_remote(f.s, MEDIA_SIDE_A, false, &ss, &len, &latched));
	CHECK(latched);
	CHECK_INT(len, sizeof(struct sockaddr_in));
	CHECK(mt_addr_eq((struct sockaddr_in *)&ss, &f.x));
	fx_close(&f);
	return 0;
}

static int test_stranger_dropped_and_counted(void)
{
	struct fx f;
	struct media_side_stats st;

	CHECK_OK(fx_open(&f, NULL));
	CHECK(relays(&f, f.pa, &f.ra, f.pb, 1, 0xa));
	CHECK(dropped(&f, f.px, &f.ra, f.pb, 1, 0xbad));
	CHECK(dropped(&f, f.px, &f.ra, f.pb, 2, 0xbad));
	CHECK(relays(&f, f.pb, &f.rb, f.pa, 1, 0xb)); /* still to A */
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.dropped_stranger, 2);
	CHECK_INT(st.rtp_packets_in, 3);
	CHECK_INT(st.rtp_packets_out, 1);
	CHECK_INT(st.relatches, 0);
	fx_close(&f);
	return 0;
}

static int test_relatch_after_silence(void)
{
	struct fx f;
	struct media_side_stats st;

	CHECK_OK(fx_open(&f, NULL));
	CHECK(relays(&f, f.pa, &f.ra, f.pb, 1, 0xa));
	tnd_timers_advance(&f.e.timers, 1999);
	CHECK(dropped(&f, f.px, &f.ra, f.pb, 1, 0xc));
	tnd_timers_advance(&f.e.timers, 1); /* 2000 ms: the default */
	CHECK(relays(&f, f.px, &f.ra, f.pb, 2, 0xc));
	CHECK(relays(&f, f.pb, &f.rb, f.px, 1, 0xb));
	CHECK(dropped(&f, f.pa, &f.ra, f.pb, 2, 0xa)); /* the old one now */
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.relatches, 1);
	CHECK_INT(st.dropped_stranger, 2);
	fx_close(&f);
	return 0;
}

static int test_relatch_by_packets_with_latched_ssrc(void)
{
	struct fx f;
	struct media_side_stats st;
	uint16_t seq = 10;

	CHECK_OK(fx_open(&f, NULL));
	CHECK(relays(&f, f.pa, &f.ra, f.pb, seq++, 0xa));
	for (int i = 0; i < 3; i++)
		CHECK(dropped(&f, f.px, &f.ra, f.pb, seq++, 0xa));
	/* The latched source speaks: the newcomer's run starts over. */
	CHECK(relays(&f, f.pa, &f.ra, f.pb, seq++, 0xa));
	for (int i = 0; i < 4; i++)
		CHECK(dropped(&f, f.px, &f.ra, f.pb, seq++, 0xa));
	CHECK(relays(&f, f.px, &f.ra, f.pb, seq++, 0xa)); /* the 5th */
	CHECK(relays(&f, f.pb, &f.rb, f.px, 1, 0xb));
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.relatches, 1);
	CHECK_INT(st.dropped_stranger, 7);
	fx_close(&f);
	return 0;
}

static int test_set_remote_reopens_latch(void)
{
	struct fx f;

	CHECK_OK(fx_open(&f, NULL));
	CHECK(relays(&f, f.px, &f.ra, f.pb, 1, 0xa));
	CHECK(relays(&f, f.pb, &f.rb, f.px, 1, 0xb));
	CHECK_OK(mt_remote(f.s, MEDIA_SIDE_A, &f.a, false)); /* re-INVITE */
	CHECK(relays(&f, f.pb, &f.rb, f.pa, 2, 0xb));        /* the SDP's */
	CHECK(relays(&f, f.pa, &f.ra, f.pb, 2, 0x1234));     /* latches */
	CHECK(dropped(&f, f.px, &f.ra, f.pb, 3, 0xa));
	fx_close(&f);
	return 0;
}

/* A's and B's RTCP sockets where their SDP said (rtcp attribute). */
static int rtcp_remotes(struct fx *f, int *ca, struct sockaddr_in *a, int *cb,
			struct sockaddr_in *b)
{
	if ((*ca = mt_peer(a)) < 0 || (*cb = mt_peer(b)) < 0)
		return EIO;
	CHECK_OK(media_stream_set_remote(
	    f->s, MEDIA_SIDE_A, (struct sockaddr *)&f->a, sizeof(f->a),
	    (struct sockaddr *)a, sizeof(*a), false));
	CHECK_OK(media_stream_set_remote(
	    f->s, MEDIA_SIDE_B, (struct sockaddr *)&f->b, sizeof(f->b),
	    (struct sockaddr *)b, sizeof(*b), false));
	return 0;
}

static int test_rtcp_on_its_own_port(void)
{
	struct fx f;
	struct sockaddr_in a, b, from, rca, rcb;
	uint8_t rr[32], got[64];
	struct media_side_stats st;
	int ca = -1, cb = -1;

	CHECK_OK(fx_open(&f, NULL));
	CHECK_OK(rtcp_remotes(&f, &ca, &a, &cb, &b));
	rca = mt_local(f.s, MEDIA_SIDE_A, true);
	rcb = mt_local(f.s, MEDIA_SIDE_B, true);
	mt_send(ca, &rca, rr, mt_rr(rr, 0xa, 0xb, 64, -3, 70000, 42));
	CHECK_INT(mt_recv(&f.e, cb, got, sizeof(got), &from), 32);
	CHECK(memcmp(got, rr, 32) == 0);
	CHECK(mt_addr_eq(&from, &rcb));
	mt_send(cb, &rcb, rr, mt_rr(rr, 0xb, 0xa, 0, 5, 12, 7));
	CHECK_INT(mt_recv(&f.e, ca, got, sizeof(got), &from), 32);
	CHECK(memcmp(got, rr, 32) == 0);
	CHECK(mt_addr_eq(&from, &rca));
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.rtcp_packets_in, 1);
	CHECK_INT(st.rtcp_bytes_out, 32);
	CHECK(st.report_valid);
	CHECK_INT(st.report_ssrc, 0xb);
	CHECK_INT(st.report_fraction_lost, 64);
	CHECK_INT(st.report_cumulative_lost, -3);
	CHECK_INT(st.report_highest_seq, 70000);
	CHECK_INT(st.report_jitter_ts, 42);
	CHECK_INT(st.rtp_packets_in, 0);
	/* RTCP latches on its own: a stranger on A's RTCP port is dropped. */
	mt_send(f.px, &rca, rr, 32);
	CHECK(mt_quiet(&f.e, cb));
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.dropped_stranger, 1);
	mt_peer_close(ca);
	mt_peer_close(cb);
	fx_close(&f);
	return 0;
}

static int test_rtcp_mux_on_one_side(void)
{
	struct media_stream_opts opts = { .side[MEDIA_SIDE_A].rtcp_mux = true };
	struct fx f;
	struct sockaddr_in a, b, from, rcb;
	uint8_t rr[32], got[64];
	int ca = -1, cb = -1;

	CHECK_OK(fx_open(&f, &opts));
	CHECK_OK(rtcp_remotes(&f, &ca, &a, &cb, &b));
	CHECK_OK(mt_remote(f.s, MEDIA_SIDE_A, &f.a, true)); /* A: a=rtcp-mux */
	rcb = mt_local(f.s, MEDIA_SIDE_B, true);
	/* A's RTCP on A's RTP port goes to B's RTCP address, and back. */
	mt_send(f.pa, &f.ra, rr, mt_rr(rr, 0xa, 0xb, 1, 2, 3, 4));
	CHECK_INT(mt_recv(&f.e, cb, got, sizeof(got), &from), 32);
	CHECK(memcmp(got, rr, 32) == 0);
	CHECK(mt_addr_eq(&from, &rcb));
	mt_send(cb, &rcb, rr, mt_rr(rr, 0xb, 0xa, 5, 6, 7, 8));
	CHECK_INT(mt_recv(&f.e, f.pa, got, sizeof(got), &from), 32);
	CHECK(memcmp(got, rr, 32) == 0);
	CHECK(mt_addr_eq(&from, &f.ra));
	/* RTP still flows on the same port. */
	CHECK(relays(&f, f.pa, &f.ra, f.pb, 1, 0xa));
	CHECK(relays(&f, f.pb, &f.rb, f.pa, 1, 0xb));
	mt_peer_close(ca);
	mt_peer_close(cb);
	fx_close(&f);
	return 0;
}

static int test_malformed_dropped_and_counted(void)
{
	static const struct {
		const char *bytes;
		size_t len;
	} bad[] = {
		{ "\x40\x00\x00\x01tttt\x00\x00\x00\x01", 12 }, /* version 1 */
		{ "\x80\x00\x00\x01tttt\x00\x00\x00", 11 },     /* short */
		{ "\x8f\x00\x00\x01tttt\x00\x00\x00\x01"
		  "cccc",
		  16 }, /* CC=15 */
		{ "\x90\x00\x00\x01tttt\x00\x00\x00\x01\xbe\xde\x00\x09", 16 },
		{ "\xa0\x00\x00\x01tttt\x00\x00\x00\x01pp\x00",
		  15 },                                              /* pad 0 */
		{ "\xa0\x00\x00\x01tttt\x00\x00\x00\x01p\x09", 14 }, /* pad 9 */
		{ "\x81\xc9\x00\x07ssss", 8 }, /* RTCP longer than sent */
	};
	struct fx f;
	struct media_side_stats st;
	struct sockaddr_in rca;
	static uint8_t big[3000];

	CHECK_OK(fx_open(&f, NULL));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mt_send(f.pa, &f.ra, bad[i].bytes, bad[i].len);
		CHECK(mt_quiet(&f.e, f.pb));
	}
	rca = mt_local(f.s, MEDIA_SIDE_A, true);
	mt_send(f.pa, &rca, "\x80\x00\x00\x01tttt\x00\x00\x00\x01", 12);
	CHECK(mt_quiet(&f.e, f.pb));
	/* Longer than the relay reads (2048 bytes): truncated, dropped. */
	memset(big, 0, sizeof(big));
	big[0] = 0x80;
	mt_send(f.pa, &f.ra, big, sizeof(big));
	CHECK(mt_quiet(&f.e, f.pb));
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.dropped_malformed, 9);
	CHECK_INT(st.rtp_packets_out + st.rtcp_packets_out, 0);
	CHECK(!st.latched); /* nothing valid came */
	CHECK(relays(&f, f.px, &f.ra, f.pb, 1, 0xa));
	fx_close(&f);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_latch_to_source_not_sdp),
	TEST(test_stranger_dropped_and_counted),
	TEST(test_relatch_after_silence),
	TEST(test_relatch_by_packets_with_latched_ssrc),
	TEST(test_set_remote_reopens_latch),
	TEST(test_rtcp_on_its_own_port),
	TEST(test_rtcp_mux_on_one_side),
	TEST(test_malformed_dropped_and_counted),
};

TEST_MAIN(cases)
