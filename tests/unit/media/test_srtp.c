/*
 * SRTP and SRTCP through the relay (srtp.c, stream_io.c) and the SDES key
 * helpers. The phones' side of each test is its own libsrtp session, so
 * what the relay sends is decrypted independently and compared with the
 * original bytes: plain A to SRTP B and back for each suite (RFC 4568
 * §6.2, RFC 7714 §14.2), re-keying between two SRTP sides, tampered and
 * replayed packets dropped and counted, SRTCP both ways.
 */
#include <string.h>

#include <srtp2/srtp.h>

#include "media_test_util.h"
#include "test.h"

static const enum media_srtp_suite all_suites[] = {
	MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80,
	MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32,
	MEDIA_SRTP_AEAD_AES_128_GCM,
	MEDIA_SRTP_AEAD_AES_256_GCM,
};

/* Bytes SRTP adds to RTP, and SRTCP to RTCP, for each suite. */
static size_t rtp_tag(enum media_srtp_suite s)
{
	return s == MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80   ? 10
	       : s == MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32 ? 4
							 : 16;
}

static size_t rtcp_tag(enum media_srtp_suite s)
{
	return 4 + (s == MEDIA_SRTP_AEAD_AES_128_GCM ||
			    s == MEDIA_SRTP_AEAD_AES_256_GCM
			? 16
			: 10);
}

/* The phone's own session, set up independently of the relay's. */
static srtp_t phone_session(const struct media_srtp_key *k, bool inbound)
{
	srtp_policy_t p;
	uint8_t key[MEDIA_SRTP_KEY_MAX];
	srtp_t s = NULL;

	memset(&p, 0, sizeof(p));
	switch (k->suite) {
	case MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p.rtp);
		srtp_crypto_policy_set_rtp_default(&p.rtcp);
		break;
	case MEDIA_SRTP_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtcp);
		break;
	case MEDIA_SRTP_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtcp);
		break;
	default:
		srtp_crypto_policy_set_rtp_default(&p.rtp);
		srtp_crypto_policy_set_rtp_default(&p.rtcp);
	}
	memcpy(key, k->bytes, sizeof(key));
	p.key = key;
	p.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
	return srtp_create(&s, &p) == srtp_err_status_ok ? s : NULL;
}

struct fx {
	struct mt_env e;
	struct media_stream *s;
	int pa, pb, ca, cb; /* RTP and RTCP sockets of the phones */
	struct sockaddr_in a, b, ac, bc;
	struct sockaddr_in ra, rb, rca, rcb; /* the relay's ports */
};

static int fx_open(struct fx *f, const struct media_stream_opts *opts)
{
	int rc;

	memset(f, 0, sizeof(*f));
	f->pa = f->pb = f->ca = f->cb = -1;
	if ((rc = mt_env_open(&f->e, NULL)) ||
	    (rc = media_stream_new(f->e.relay, opts, &f->s)))
		return rc;
	f->pa = mt_peer(&f->a);
	f->pb = mt_peer(&f->b);
	f->ca = mt_peer(&f->ac);
	f->cb = mt_peer(&f->bc);
	if (f->pa < 0 || f->pb < 0 || f->ca < 0 || f->cb < 0)
		return EIO;
	f->ra = mt_local(f->s, MEDIA_SIDE_A, false);
	f->rb = mt_local(f->s, MEDIA_SIDE_B, false);
	f->rca = mt_local(f->s, MEDIA_SIDE_A, true);
	f->rcb = mt_local(f->s, MEDIA_SIDE_B, true);
	if ((rc = media_stream_set_remote(
		 f->s, MEDIA_SIDE_A, (struct sockaddr *)&f->a, sizeof(f->a),
		 (struct sockaddr *)&f->ac, sizeof(f->ac), false)))
		return rc;
	return media_stream_set_remote(
	    f->s, MEDIA_SIDE_B, (struct sockaddr *)&f->b, sizeof(f->b),
	    (struct sockaddr *)&f->bc, sizeof(f->bc), false);
}

static void fx_close(struct fx *f)
{
	mt_peer_close(f->pa);
	mt_peer_close(f->pb);
	mt_peer_close(f->ca);
	mt_peer_close(f->cb);
	media_stream_free(f->s);
	mt_env_close(&f->e);
}

/*
 * `from` sends `pkt` (protected with `out` unless NULL) to `to`; `dst`
 * must receive `extra` more bytes that `in` (unless NULL) turns back
 * into exactly `pkt`.
 */
static int through(struct fx *f, int from, const struct sockaddr_in *to,
		   srtp_t out, int dst, srtp_t in, bool rtcp,
		   const uint8_t *pkt, size_t n, size_t extra)
{
	uint8_t buf[256];
	int len = (int)n;
	ssize_t got;

	memcpy(buf, pkt, n);
	if (out)
		CHECK_INT(rtcp ? srtp_protect_rtcp(out, buf, &len)
			       : srtp_protect(out, buf, &len),
			  srtp_err_status_ok);
	mt_send(from, to, buf, (size_t)len);
	got = mt_recv(&f->e, dst, buf, sizeof(buf), NULL);
	CHECK_INT(got, n + extra);
	len = (int)got;
	if (in)
		CHECK_INT(rtcp ? srtp_unprotect_rtcp(in, buf, &len)
			       : srtp_unprotect(in, buf, &len),
			  srtp_err_status_ok);
	CHECK_INT(len, n);
	CHECK(memcmp(buf, pkt, n) == 0);
	return 0;
}

/* A plain, B SRTP with `suite`, RTP and RTCP both ways. */
static int bridge_one(enum media_srtp_suite suite)
{
	struct media_stream_opts opts = { 0 };
	struct media_side_opts *b = &opts.side[MEDIA_SIDE_B];
	struct fx f;
	srtp_t b_in, b_out;
	uint8_t pkt[64];
	size_t n;
	int rc;

	CHECK_OK(media_srtp_key_generate(suite, &b->recv_key));
	CHECK_OK(media_srtp_key_generate(suite, &b->send_key));
	CHECK_OK(fx_open(&f, &opts));
	CHECK((b_in = phone_session(&b->send_key, true)) != NULL);
	CHECK((b_out = phone_session(&b->recv_key, false)) != NULL);
	n = mt_rtp(pkt, 0, 1, 160, 0xa, "plain from A");
	rc = through(&f, f.pa, &f.ra, NULL, f.pb, b_in, false, pkt, n,
		     rtp_tag(suite));
	n = mt_rtp(pkt, 8, 9, 960, 0xb, "secret from B");
	if (!rc)
		rc = through(&f, f.pb, &f.rb, b_out, f.pa, NULL, false, pkt, n,
			     0);
	n = mt_rr(pkt, 0xa, 0xb, 1, 2, 3, 4);
	if (!rc)
		rc = through(&f, f.ca, &f.rca, NULL, f.cb, b_in, true, pkt, n,
			     rtcp_tag(suite));
	n = mt_rr(pkt, 0xb, 0xa, 5, 6, 7, 8);
	if (!rc)
		rc = through(&f, f.cb, &f.rcb, b_out, f.ca, NULL, true, pkt, n,
			     0);
	srtp_dealloc(b_in);
	srtp_dealloc(b_out);
	fx_close(&f);
	return rc;
}

static int test_srtp_bridges_plain_and_each_suite(void)
{
	for (size_t i = 0; i < 4; i++)
		CHECK_OK(bridge_one(all_suites[i]));
	return 0;
}

static int test_srtp_rekeys_between_two_srtp_sides(void)
{
	struct media_stream_opts opts = { 0 };
	struct media_side_opts *a = &opts.side[MEDIA_SIDE_A];
	struct media_side_opts *b = &opts.side[MEDIA_SIDE_B];
	struct fx f;
	srtp_t a_out, a_in, b_out, b_in;
	struct media_side_stats st;
	uint8_t pkt[64];
	size_t n;
	int rc;

	CHECK_OK(media_srtp_key_generate(MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80,
					 &a->recv_key));
	CHECK_OK(media_srtp_key_generate(MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80,
					 &a->send_key));
	CHECK_OK(
	    media_srtp_key_generate(MEDIA_SRTP_AEAD_AES_256_GCM, &b->recv_key));
	CHECK_OK(
	    media_srtp_key_generate(MEDIA_SRTP_AEAD_AES_256_GCM, &b->send_key));
	CHECK_OK(fx_open(&f, &opts));
	a_out = phone_session(&a->recv_key, false);
	a_in = phone_session(&a->send_key, true);
	b_out = phone_session(&b->recv_key, false);
	b_in = phone_session(&b->send_key, true);
	CHECK(a_out && a_in && b_out && b_in);
	n = mt_rtp(pkt, 0, 1, 160, 0xa, "from A");
	rc = through(&f, f.pa, &f.ra, a_out, f.pb, b_in, false, pkt, n, 16);
	n = mt_rtp(pkt, 0, 1, 160, 0xb, "from B");
	if (!rc)
		rc = through(&f, f.pb, &f.rb, b_out, f.pa, a_in, false, pkt, n,
			     10);
	n = mt_rr(pkt, 0xa, 0xb, 10, 20, 30, 40);
	if (!rc)
		rc = through(&f, f.ca, &f.rca, a_out, f.cb, b_in, true, pkt, n,
			     20);
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	srtp_dealloc(a_out);
	srtp_dealloc(a_in);
	srtp_dealloc(b_out);
	srtp_dealloc(b_in);
	fx_close(&f);
	CHECK_OK(rc);
	/* The report was read after SRTCP decryption. */
	CHECK(st.report_valid);
	CHECK_INT(st.report_fraction_lost, 10);
	CHECK_INT(st.report_jitter_ts, 40);
	return 0;
}

static int test_srtp_tampered_and_replayed_dropped(void)
{
	struct media_stream_opts opts = { 0 };
	struct media_side_opts *a = &opts.side[MEDIA_SIDE_A];
	struct fx f;
	srtp_t a_out;
	struct media_side_stats st;
	uint8_t pkt[64], got[64];
	int len;

	CHECK_OK(media_srtp_key_generate(MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32,
					 &a->recv_key));
	CHECK_OK(fx_open(&f, &opts));
	CHECK((a_out = phone_session(&a->recv_key, false)) != NULL);
	len = (int)mt_rtp(pkt, 0, 1, 160, 0xa, "hello");
	CHECK_INT(srtp_protect(a_out, pkt, &len), srtp_err_status_ok);
	srtp_dealloc(a_out);
	pkt[len - 1] ^= 1; /* the tag */
	mt_send(f.pa, &f.ra, pkt, (size_t)len);
	CHECK(mt_quiet(&f.e, f.pb));
	pkt[len - 1] ^= 1;
	mt_send(f.pa, &f.ra, pkt, (size_t)len);
	CHECK_INT(mt_recv(&f.e, f.pb, got, sizeof(got), NULL), 17);
	CHECK(memcmp(got + 12, "hello", 5) == 0);
	mt_send(f.pa, &f.ra, pkt, (size_t)len); /* replayed */
	CHECK(mt_quiet(&f.e, f.pb));
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.dropped_srtp, 2);
	CHECK_INT(st.rtp_packets_out, 1);
	/* A forged packet decides no latch: the real one latched. */
	CHECK(st.latched);
	fx_close(&f);
	return 0;
}

/* Protects RTP (seq, ssrc) with `out` and sends it from fd to `to`. */
static void send_srtp(srtp_t out, int fd, const struct sockaddr_in *to,
		      uint16_t seq, uint32_t ssrc)
{
	uint8_t pkt[64];
	int len = (int)mt_rtp(pkt, 0, seq, 160u * seq, ssrc, "hello");

	if (srtp_protect(out, pkt, &len) == srtp_err_status_ok)
		mt_send(fd, to, pkt, (size_t)len);
}

static int test_set_keys_rekeys_mid_call(void)
{
	struct media_stream_opts opts = { 0 };
	struct media_srtp_key k2;
	struct fx f;
	srtp_t old_out, new_out;
	struct media_side_stats st;
	uint8_t got[64];

	CHECK_OK(media_srtp_key_generate(MEDIA_SRTP_AEAD_AES_128_GCM,
					 &opts.side[MEDIA_SIDE_A].recv_key));
	CHECK_OK(media_srtp_key_generate(MEDIA_SRTP_AEAD_AES_128_GCM, &k2));
	CHECK_OK(fx_open(&f, &opts));
	old_out = phone_session(&opts.side[MEDIA_SIDE_A].recv_key, false);
	new_out = phone_session(&k2, false);
	CHECK(old_out && new_out);
	send_srtp(old_out, f.pa, &f.ra, 1, 0xa);
	CHECK_INT(mt_recv(&f.e, f.pb, got, sizeof(got), NULL), 17);
	/* A re-INVITE brings A's new key. */
	CHECK_OK(media_stream_set_keys(f.s, MEDIA_SIDE_A, &k2, NULL));
	send_srtp(old_out, f.pa, &f.ra, 2, 0xa);
	CHECK(mt_quiet(&f.e, f.pb));
	send_srtp(new_out, f.pa, &f.ra, 3, 0xa);
	CHECK_INT(mt_recv(&f.e, f.pb, got, sizeof(got), NULL), 17);
	CHECK(memcmp(got + 12, "hello", 5) == 0);
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.dropped_srtp, 1);
	srtp_dealloc(old_out);
	srtp_dealloc(new_out);
	fx_close(&f);
	return 0;
}

static int test_srtp_relatch_needs_the_key(void)
{
	struct media_stream_opts opts = { 0 };
	struct media_srtp_key forged;
	struct fx f;
	srtp_t out, bad;
	struct media_side_stats st;
	int px;
	struct sockaddr_in x;
	uint16_t seq = 1;

	CHECK_OK(media_srtp_key_generate(MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80,
					 &opts.side[MEDIA_SIDE_A].recv_key));
	CHECK_OK(media_srtp_key_generate(MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80,
					 &forged));
	CHECK_OK(fx_open(&f, &opts));
	CHECK((px = mt_peer(&x)) >= 0);
	out = phone_session(&opts.side[MEDIA_SIDE_A].recv_key, false);
	bad = phone_session(&forged, false);
	CHECK(out && bad);
	send_srtp(out, f.pa, &f.ra, seq++, 0xa); /* latches */
	CHECK(mt_recv(&f.e, f.pb, (uint8_t[64]){ 0 }, 64, NULL) > 0);
	/* The latched SSRC from elsewhere, without the key: never moves. */
	for (int i = 0; i < 6; i++)
		send_srtp(bad, px, &f.ra, seq++, 0xa);
	CHECK(mt_quiet(&f.e, f.pb));
	/* With it (the phone behind a new NAT binding): the 5th moves. */
	for (int i = 0; i < 4; i++)
		send_srtp(out, px, &f.ra, seq++, 0xa);
	CHECK(mt_quiet(&f.e, f.pb));
	send_srtp(out, px, &f.ra, seq++, 0xa);
	CHECK(mt_recv(&f.e, f.pb, (uint8_t[64]){ 0 }, 64, NULL) > 0);
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.dropped_srtp, 6);
	CHECK_INT(st.dropped_stranger, 4);
	CHECK_INT(st.relatches, 1);
	srtp_dealloc(out);
	srtp_dealloc(bad);
	mt_peer_close(px);
	fx_close(&f);
	return 0;
}

static int test_set_keys_refuses_a_bad_suite(void)
{
	struct mt_env e;
	struct media_stream *s;
	struct media_srtp_key bad = { .suite = (enum media_srtp_suite)99 };

	CHECK_OK(mt_env_open(&e, NULL));
	CHECK_OK(media_stream_new(e.relay, NULL, &s));
	CHECK_INT(media_stream_set_keys(s, MEDIA_SIDE_A, &bad, NULL), EINVAL);
	CHECK_INT(media_stream_set_keys(s, MEDIA_SIDE_A, NULL, &bad), EINVAL);
	CHECK_OK(media_stream_set_keys(s, MEDIA_SIDE_A, NULL, NULL));
	media_stream_free(s);
	mt_env_close(&e);
	return 0;
}

static int test_suite_names(void)
{
	static const size_t lens[] = { 30, 30, 28, 44 };
	enum media_srtp_suite got;

	for (size_t i = 0; i < 4; i++) {
		const char *name = media_srtp_suite_name(all_suites[i]);

		CHECK(name != NULL);
		CHECK_OK(media_srtp_suite_by_name(S(name), &got));
		CHECK_INT(got, all_suites[i]);
		CHECK_INT(media_srtp_key_len(all_suites[i]), lens[i]);
	}
	CHECK(strcmp(media_srtp_suite_name(MEDIA_SRTP_AEAD_AES_128_GCM),
		     "AEAD_AES_128_GCM") == 0);
	CHECK_INT(media_srtp_suite_by_name(S("F8_128_HMAC_SHA1_80"), &got),
		  ENOENT);
	CHECK_INT(media_srtp_suite_by_name(S("aes_cm_128_hmac_sha1_80"), &got),
		  ENOENT);
	CHECK(media_srtp_suite_name(MEDIA_SRTP_NONE) == NULL);
	CHECK_INT(media_srtp_key_len(MEDIA_SRTP_NONE), 0);
	return 0;
}

static int test_key_generate_encode_decode(void)
{
	for (size_t i = 0; i < 4; i++) {
		struct media_srtp_key k, k2, back;
		char text[MEDIA_SRTP_KEY_TEXT_MAX];
		size_t n = media_srtp_key_len(all_suites[i]);

		CHECK_OK(media_srtp_key_generate(all_suites[i], &k));
		CHECK_OK(media_srtp_key_generate(all_suites[i], &k2));
		CHECK(memcmp(k.bytes, k2.bytes, n) != 0);
		CHECK_OK(media_srtp_key_encode(&k, text, sizeof(text)));
		CHECK_INT(strlen(text), 7 + 4 * ((n + 2) / 3));
		CHECK_OK(media_srtp_key_decode(all_suites[i], S(text), &back));
		CHECK_INT(back.suite, all_suites[i]);
		CHECK(memcmp(back.bytes, k.bytes, n) == 0);
		CHECK_INT(
		    media_srtp_key_encode(&k, text, 7 + 4 * ((n + 2) / 3)),
		    ENOSPC);
	}
	return 0;
}

#define RFC4568_KEY "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"

static int test_key_decode_rfc4568_and_bad_inputs(void)
{
	static const struct {
		const char *text;
		int rc;
	} cases[] = {
		{ RFC4568_KEY, 0 },
		{ RFC4568_KEY "|2^20", 0 },
		{ RFC4568_KEY "|1048576", 0 },
		{ RFC4568_KEY "|2^20|1:4", ENOTSUP }, /* MKI */
		{ RFC4568_KEY "|1:4", ENOTSUP },
		{ RFC4568_KEY ";" RFC4568_KEY, ENOTSUP },
		{ RFC4568_KEY "|2^", EINVAL },
		{ RFC4568_KEY "|", EINVAL },
		{ RFC4568_KEY "x", EINVAL }, /* 41 characters */
		{ RFC4568_KEY " ", EINVAL },
		{ "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", EINVAL },
		{ "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0m", EINVAL }, /* 24 */
		{ "inline:PS1u*CVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", EINVAL },
		{ "inline:", EINVAL },
		{ "inline:====", EINVAL },
	};
	struct media_srtp_key k;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = media_srtp_key_decode(
		    MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, S(cases[i].text), &k);

		if (rc != cases[i].rc)
			test_fail(__FILE__, __LINE__, "%s: %d", cases[i].text,
				  rc);
		CHECK_INT(rc, cases[i].rc);
	}
	CHECK_OK(media_srtp_key_decode(MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80,
				       S(RFC4568_KEY), &k));
	CHECK_INT(k.bytes[0], 0x3d);
	CHECK_INT(k.bytes[1], 0x2d);
	CHECK_INT(k.bytes[2], 0x6e);
	/* 30 bytes are not a GCM key (28 or 44). */
	CHECK_INT(media_srtp_key_decode(MEDIA_SRTP_AEAD_AES_128_GCM,
					S(RFC4568_KEY), &k),
		  EINVAL);
	CHECK_INT(media_srtp_key_decode(MEDIA_SRTP_NONE, S(RFC4568_KEY), &k),
		  EINVAL);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_srtp_bridges_plain_and_each_suite),
	TEST(test_srtp_rekeys_between_two_srtp_sides),
	TEST(test_srtp_tampered_and_replayed_dropped),
	TEST(test_set_keys_rekeys_mid_call),
	TEST(test_srtp_relatch_needs_the_key),
	TEST(test_set_keys_refuses_a_bad_suite),
	TEST(test_suite_names),
	TEST(test_key_generate_encode_decode),
	TEST(test_key_decode_rfc4568_and_bad_inputs),
};

TEST_MAIN(cases)
