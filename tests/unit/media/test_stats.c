/*
 * Stream statistics and the media timeout through the relay (stream.c,
 * stream_io.c): loss from sequence gaps and across the 16-bit wrap (RFC
 * 3550 A.1, A.3), interarrival jitter with arrival times set by the
 * manual clock (A.8) at 8000 Hz and at a rate from the payload table,
 * and the idle callback: once, at its exact instant, never while
 * packets flow, and allowed to free its stream.
 */
#include <string.h>

#include "media_test_util.h"
#include "test.h"

struct fx {
	struct mt_env e;
	struct media_stream *s;
	int pa, pb;
	struct sockaddr_in a, b, ra;
	int idle_calls;
	bool free_on_idle;
};

static void on_idle(void *arg, struct media_stream *s)
{
	struct fx *f = arg;

	f->idle_calls++;
	if (f->free_on_idle) {
		media_stream_free(s);
		f->s = NULL;
	}
}

static int fx_open(struct fx *f, struct media_stream_opts *opts)
{
	struct media_stream_opts none = { 0 };
	int rc;

	memset(f, 0, sizeof(*f));
	f->pa = f->pb = -1;
	if (!opts)
		opts = &none;
	opts->idle_fn = on_idle;
	opts->idle_arg = f;
	if ((rc = mt_env_open(&f->e, NULL)) ||
	    (rc = media_stream_new(f->e.relay, opts, &f->s)))
		return rc;
	f->pa = mt_peer(&f->a);
	f->pb = mt_peer(&f->b);
	if (f->pa < 0 || f->pb < 0)
		return EIO;
	f->ra = mt_local(f->s, MEDIA_SIDE_A, false);
	if ((rc = mt_remote(f->s, MEDIA_SIDE_A, &f->a, false)))
		return rc;
	return mt_remote(f->s, MEDIA_SIDE_B, &f->b, false);
}

static void fx_close(struct fx *f)
{
	mt_peer_close(f->pa);
	mt_peer_close(f->pb);
	media_stream_free(f->s);
	mt_env_close(&f->e);
}

/* A sends one packet; true when B received it. */
static bool send_a(struct fx *f, uint8_t pt, uint16_t seq, uint32_t ts)
{
	uint8_t pkt[64], got[64];
	size_t n = mt_rtp(pkt, pt, seq, ts, 0x5eed, "abcd");

	mt_send(f->pa, &f->ra, pkt, n);
	return mt_recv(&f->e, f->pb, got, sizeof(got), NULL) == (ssize_t)n;
}

static int test_stats_loss_from_a_gap(void)
{
	static const uint16_t seqs[] = { 1, 2, 3, 5, 6 };
	struct fx f;
	struct media_side_stats st;

	CHECK_OK(fx_open(&f, NULL));
	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		CHECK(send_a(&f, 0, seqs[i], 160u * seqs[i]));
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	/* A.1 probation: counting starts with the second in sequence. */
	CHECK_INT(st.expected, 5);
	CHECK_INT(st.lost, 1);
	CHECK_INT(st.ssrc, 0x5eed);
	CHECK_INT(st.rtp_packets_out, 5);
	media_stream_stats(f.s, MEDIA_SIDE_B, &st);
	CHECK_INT(st.expected, 0);
	fx_close(&f);
	return 0;
}

static int test_stats_loss_across_the_wrap(void)
{
	static const uint16_t seqs[] = { 65534, 65535, 0, 1, 3, 4 };
	struct fx f;
	struct media_side_stats st;

	CHECK_OK(fx_open(&f, NULL));
	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		CHECK(send_a(&f, 0, seqs[i], 160u * i));
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.expected, 6); /* 65535 .. 65536 + 4 */
	CHECK_INT(st.lost, 1);
	fx_close(&f);
	return 0;
}

static int test_stats_jitter_from_the_manual_clock(void)
{
	/* 20 ms packets; the 4th is 10 ms late, the 5th on time again. */
	static const uint32_t gaps_ms[] = { 0, 20, 20, 30, 10 };
	static const uint32_t want_ts[] = { 0, 0, 0, 5, 9 };
	struct fx f;
	struct media_side_stats st;

	CHECK_OK(fx_open(&f, NULL));
	for (size_t i = 0; i < 5; i++) {
		tnd_timers_advance(&f.e.timers, gaps_ms[i]);
		CHECK(send_a(&f, 0, (uint16_t)i, 160u * i));
		media_stream_stats(f.s, MEDIA_SIDE_A, &st);
		CHECK_INT(st.jitter_ts, want_ts[i]);
	}
	/* J = 80/16 = 5 units, then 5 + (80 - 5)/16: 155/16 = 9 units. */
	CHECK(st.jitter_ms == 9 * 1000.0 / 8000);
	fx_close(&f);
	return 0;
}

static int test_stats_jitter_uses_the_payload_rate(void)
{
	static const struct media_pt_rate rates[] = { { 96, 48000 } };
	struct media_stream_opts opts = { .rates = rates, .nrates = 1 };
	struct fx f;
	struct media_side_stats st;

	CHECK_OK(fx_open(&f, &opts));
	CHECK(send_a(&f, 96, 1, 0));
	tnd_timers_advance(&f.e.timers, 30); /* 10 ms late at 20 ms */
	CHECK(send_a(&f, 96, 2, 960));
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.jitter_ts, 30); /* 480 / 16 */
	CHECK(st.jitter_ms == 30 * 1000.0 / 48000);
	fx_close(&f);
	return 0;
}

static int test_bad_rate_table_refused(void)
{
	static const struct media_pt_rate rates[] = { { 96, 0 } };
	struct media_stream_opts opts = { .rates = rates, .nrates = 1 };
	struct mt_env e;
	struct media_stream *s;

	CHECK_OK(mt_env_open(&e, NULL));
	CHECK_INT(media_stream_new(e.relay, &opts, &s), EINVAL);
	CHECK_INT(media_relay_streams(e.relay), 0);
	mt_env_close(&e);
	return 0;
}

static int test_timeout_calls_idle_once(void)
{
	struct media_stream_opts opts = { .timeout_ms = 1000 };
	struct fx f;

	CHECK_OK(fx_open(&f, &opts));
	tnd_timers_advance(&f.e.timers, 999);
	CHECK_INT(f.idle_calls, 0);
	tnd_timers_advance(&f.e.timers, 1);
	CHECK_INT(f.idle_calls, 1);
	tnd_timers_advance(&f.e.timers, 10000);
	CHECK_INT(f.idle_calls, 1);
	fx_close(&f);
	return 0;
}

static int test_timeout_not_while_packets_flow(void)
{
	struct media_stream_opts opts = { .timeout_ms = 1000 };
	struct fx f;

	CHECK_OK(fx_open(&f, &opts));
	for (uint16_t i = 0; i < 10; i++) {
		CHECK(send_a(&f, 0, i, 160u * i));
		tnd_timers_advance(&f.e.timers, 500);
	}
	CHECK_INT(f.idle_calls, 0);
	/* The last packet came 500 ms ago: 499 more is still fine. */
	tnd_timers_advance(&f.e.timers, 499);
	CHECK_INT(f.idle_calls, 0);
	tnd_timers_advance(&f.e.timers, 1);
	CHECK_INT(f.idle_calls, 1);
	fx_close(&f);
	return 0;
}

static int test_timeout_off_and_idle_may_free(void)
{
	struct media_stream_opts opts = { .timeout_ms = MEDIA_TIMEOUT_OFF };
	struct fx f;

	CHECK_OK(fx_open(&f, &opts));
	tnd_timers_advance(&f.e.timers, 3600 * 1000);
	CHECK_INT(f.idle_calls, 0);
	CHECK_INT(tnd_timers_count(&f.e.timers), 0);
	media_stream_set_timeout(f.s, 100);
	f.free_on_idle = true;
	tnd_timers_advance(&f.e.timers, 100);
	CHECK_INT(f.idle_calls, 1);
	CHECK(f.s == NULL);
	CHECK_INT(tnd_timers_count(&f.e.timers), 0);
	fx_close(&f);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_stats_loss_from_a_gap),
	TEST(test_stats_loss_across_the_wrap),
	TEST(test_stats_jitter_from_the_manual_clock),
	TEST(test_stats_jitter_uses_the_payload_rate),
	TEST(test_bad_rate_table_refused),
	TEST(test_timeout_calls_idle_once),
	TEST(test_timeout_not_while_packets_flow),
	TEST(test_timeout_off_and_idle_may_free),
};

TEST_MAIN(cases)
