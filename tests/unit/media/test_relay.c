/*
 * The relay on real UDP sockets on 127.0.0.1 (relay.c, stream.c,
 * stream_io.c): port pairs and their allocation, relaying both ways
 * unchanged, symmetric latching and its anti-hijack rules, RTCP on its
 * own port and multiplexed (RFC 5761), malformed packets, and the hold
 * and configuration edge cases. The loop runs without blocking; time
 * moves only on the manual clock.
 */
#include <arpa/inet.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "media_test_util.h"
#include "tandem/mem.h"
#include "test.h"

/* A stream with peers for both sides, each told its peer's address. */
struct fx {
	struct mt_env e;
	struct media_stream *s;
	int pa, pb;                /* the phones' RTP sockets */
	struct sockaddr_in a, b;   /* their addresses */
	struct sockaddr_in ra, rb; /* the relay's RTP ports for A and B */
};

static int fx_open(struct fx *f, const struct media_config *cfg,
		   const struct media_stream_opts *opts)
{
	int rc;

	memset(f, 0, sizeof(*f));
	f->pa = f->pb = -1;
	if ((rc = mt_env_open(&f->e, cfg)))
		return rc;
	if ((rc = media_stream_new(f->e.relay, opts, &f->s)))
		return rc;
	f->pa = mt_peer(&f->a);
	f->pb = mt_peer(&f->b);
	if (f->pa < 0 || f->pb < 0)
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
	media_stream_free(f->s);
	mt_env_close(&f->e);
}

/* An RTP packet from fd to `to`; true when `dst` gets exactly it. */
static bool relays(struct fx *f, int fd, const struct sockaddr_in *to, int dst,
		   uint16_t seq, uint32_t ssrc)
{
	return mt_relays(&f->e, fd, to, dst, seq, ssrc);
}

static int test_ports_even_rtcp_odd_in_range(void)
{
	struct mt_env e;
	struct media_stream *s[2];
	struct media_config cfg = mt_config();

	CHECK_OK(mt_env_open(&e, &cfg));
	CHECK_OK(media_stream_new(e.relay, NULL, &s[0]));
	CHECK_OK(media_stream_new(e.relay, NULL, &s[1]));
	CHECK_INT(media_relay_streams(e.relay), 2);
	for (int i = 0; i < 2; i++) {
		for (int side = 0; side < 2; side++) {
			const char *addr;
			uint16_t rtp, rtcp;

			media_stream_local(s[i], (enum media_side)side, &addr,
					   &rtp, &rtcp);
			CHECK(strcmp(addr, "127.0.0.1") == 0);
			CHECK_INT(rtp % 2, 0);
			CHECK_INT(rtcp, rtp + 1);
			CHECK(rtp >= cfg.port_min && rtcp <= cfg.port_max);
		}
	}
	media_stream_free(s[0]);
	media_stream_free(s[1]);
	CHECK_INT(media_relay_streams(e.relay), 0);
	mt_env_close(&e);
	return 0;
}

static int test_ports_skip_a_port_in_use(void)
{
	struct mt_env e;
	struct media_stream *s;
	struct media_config cfg = mt_config();
	struct sockaddr_in held = { .sin_family = AF_INET };
	const char *addr;
	uint16_t rtp, rtcp;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	held.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	held.sin_port = htons((uint16_t)(cfg.port_min + 1)); /* an RTCP port */
	CHECK(fd >= 0);
	CHECK_INT(bind(fd, (struct sockaddr *)&held, sizeof(held)), 0);
	CHECK_OK(mt_env_open(&e, &cfg));
	CHECK_OK(media_stream_new(e.relay, NULL, &s));
	media_stream_local(s, MEDIA_SIDE_A, &addr, &rtp, &rtcp);
	CHECK_INT(rtp, cfg.port_min + 2);
	media_stream_local(s, MEDIA_SIDE_B, &addr, &rtp, &rtcp);
	CHECK_INT(rtp, cfg.port_min + 4);
	media_stream_free(s);
	mt_env_close(&e);
	close(fd);
	return 0;
}

static int test_ports_exhausted_is_enospc(void)
{
	struct mt_env e;
	struct media_stream *s, *t;
	struct media_config cfg = mt_config();

	cfg.port_max = (uint16_t)(cfg.port_min + 3); /* two pairs */
	CHECK_OK(mt_env_open(&e, &cfg));
	CHECK_OK(media_stream_new(e.relay, NULL, &s));
	CHECK_INT(media_stream_new(e.relay, NULL, &t), ENOSPC);
	CHECK(t == NULL);
	CHECK_INT(media_relay_streams(e.relay), 1);
	media_stream_free(s);
	CHECK_OK(media_stream_new(e.relay, NULL, &s)); /* freed ports reused */
	media_stream_free(s);
	mt_env_close(&e);

	cfg = mt_config();
	cfg.max_streams = 1;
	CHECK_OK(mt_env_open(&e, &cfg));
	CHECK_OK(media_stream_new(e.relay, NULL, &s));
	CHECK_INT(media_stream_new(e.relay, NULL, &t), ENOSPC);
	media_stream_free(s);
	mt_env_close(&e);
	return 0;
}

static int test_relay_config_checked(void)
{
	struct mt_env e;
	struct media_config cfg = mt_config();
	const char *addr;
	uint16_t rtp, rtcp;
	struct media_stream *s;

	cfg.bind_addr = "0.0.0.0";
	CHECK_INT(mt_env_open(&e, &cfg), EINVAL); /* wildcard, nothing to
						     advertise */
	cfg.bind_addr = "127.0.0.1.5";
	CHECK_INT(mt_env_open(&e, &cfg), EINVAL);
	cfg = mt_config();
	cfg.port_max = cfg.port_min; /* not even one pair */
	CHECK_INT(mt_env_open(&e, &cfg), EINVAL);
	cfg = mt_config();
	cfg.bind_addr = "0.0.0.0";
	cfg.advertise_addr = "203.0.113.7";
	CHECK_OK(mt_env_open(&e, &cfg));
	CHECK_OK(media_stream_new(e.relay, NULL, &s));
	media_stream_local(s, MEDIA_SIDE_B, &addr, &rtp, &rtcp);
	CHECK(strcmp(addr, "203.0.113.7") == 0);
	media_stream_free(s);
	mt_env_close(&e);
	return 0;
}

static int test_stream_new_oom(void)
{
	struct mt_env e;
	struct media_stream *s = NULL;
	int rc = mt_env_open(&e, NULL);

	if (rc == ENOMEM)
		return ENOMEM;
	CHECK_INT(rc, 0);
	rc = media_stream_new(e.relay, NULL, &s);
	media_stream_free(s);
	mt_env_close(&e);
	if (rc == ENOMEM)
		return ENOMEM;
	CHECK_INT(rc, 0);
	return 0;
}

static int test_relays_both_ways_unchanged(void)
{
	struct fx f;
	uint8_t pkt[64], got[128];
	struct sockaddr_in from;
	size_t n;
	struct media_side_stats st;

	CHECK_OK(fx_open(&f, NULL, NULL));
	/* With a CSRC, an extension, a marker and telephone-event type. */
	n = mt_rtp(pkt, 0x80 | 101, 7, 1234, 0xa1a1a1a1, "xxxxxxxxxxxx");
	pkt[0] = 0x91; /* X=1, CC=1 */
	memcpy(pkt + 16, "\xbe\xde\x00\x01", 4);
	mt_send(f.pa, &f.ra, pkt, n);
	CHECK_INT(mt_recv(&f.e, f.pb, got, sizeof(got), &from), n);
	CHECK(memcmp(got, pkt, n) == 0);
	CHECK(mt_addr_eq(&from, &f.rb)); /* out of B's own port */

	n = mt_rtp(pkt, 8, 100, 5000, 0xb2b2b2b2, "back");
	mt_send(f.pb, &f.rb, pkt, n);
	CHECK_INT(mt_recv(&f.e, f.pa, got, sizeof(got), &from), n);
	CHECK(memcmp(got, pkt, n) == 0);
	CHECK(mt_addr_eq(&from, &f.ra));

	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.rtp_packets_in, 1);
	CHECK_INT(st.rtp_bytes_in, 24);
	CHECK_INT(st.rtp_packets_out, 1);
	CHECK_INT(st.rtp_bytes_out, 24);
	CHECK_INT(st.ssrc, 0xa1a1a1a1);
	CHECK(st.latched);
	fx_close(&f);
	return 0;
}

static int test_no_destination_yet_dropped(void)
{
	struct mt_env e;
	struct media_stream *s;
	struct sockaddr_in a, ra;
	uint8_t pkt[64];
	struct media_side_stats st;
	struct sockaddr_storage ss;
	socklen_t len;
	int pa;

	CHECK_OK(mt_env_open(&e, NULL));
	CHECK_OK(media_stream_new(e.relay, NULL, &s));
	CHECK((pa = mt_peer(&a)) >= 0);
	ra = mt_local(s, MEDIA_SIDE_A, false);
	mt_send(pa, &ra, pkt, mt_rtp(pkt, 0, 1, 0, 1, "x"));
	for (int i = 0; i < 5; i++)
		event_base_loop(e.base, EVLOOP_NONBLOCK);
	media_stream_stats(s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.rtp_packets_in, 1);
	CHECK_INT(st.dropped_no_dest, 1);
	CHECK_INT(media_stream_remote(s, MEDIA_SIDE_B, false, &ss, &len, NULL),
		  ENOENT);
	/* ...while A is now known by its source. */
	CHECK_OK(media_stream_remote(s, MEDIA_SIDE_A, false, &ss, &len, NULL));
	CHECK(mt_addr_eq((struct sockaddr_in *)&ss, &a));
	mt_peer_close(pa);
	media_stream_free(s);
	mt_env_close(&e);
	return 0;
}

static int test_hold_address_sends_nothing(void)
{
	struct fx f;
	struct sockaddr_in hold = { .sin_family = AF_INET,
				    .sin_port = htons(4000) };
	struct media_side_stats st;

	CHECK_OK(fx_open(&f, NULL, NULL));
	CHECK(relays(&f, f.pa, &f.ra, f.pb, 1, 0xaa));
	CHECK_OK(mt_remote(f.s, MEDIA_SIDE_B, &hold, false)); /* 0.0.0.0 */
	mt_send(f.pa, &f.ra, "\x80\x00\x00\x02xxxxyyyy", 12);
	CHECK(mt_quiet(&f.e, f.pb));
	media_stream_stats(f.s, MEDIA_SIDE_A, &st);
	CHECK_INT(st.dropped_no_dest, 1);
	CHECK_OK(mt_remote(f.s, MEDIA_SIDE_B, &f.b, false));
	CHECK(relays(&f, f.pa, &f.ra, f.pb, 3, 0xaa));
	fx_close(&f);
	return 0;
}

static int test_remote_family_checked(void)
{
	struct fx f;
	struct sockaddr_in6 v6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(4000) };

	CHECK_OK(fx_open(&f, NULL, NULL));
	CHECK_INT(media_stream_set_remote(f.s, MEDIA_SIDE_A,
					  (struct sockaddr *)&v6, sizeof(v6),
					  NULL, 0, false),
		  EAFNOSUPPORT);
	CHECK_INT(media_stream_set_remote(f.s, MEDIA_SIDE_A,
					  (struct sockaddr *)&f.a, 4, NULL, 0,
					  false),
		  EINVAL);
	fx_close(&f);
	return 0;
}

/* A UDP socket on [::1]:0; -1 when the host has no IPv6 loopback. */
static int peer6(struct sockaddr_in6 *a)
{
	socklen_t len = sizeof(*a);
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	memset(a, 0, sizeof(*a));
	a->sin6_family = AF_INET6;
	a->sin6_addr = in6addr_loopback;
	if (fd >= 0 && (bind(fd, (struct sockaddr *)a, sizeof(*a)) ||
			getsockname(fd, (struct sockaddr *)a, &len))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int test_ipv6_relays(void)
{
	struct media_config cfg = mt_config();
	struct mt_env e;
	struct media_stream *s;
	struct sockaddr_in6 a, b, ra = { .sin6_family = AF_INET6 }, from;
	socklen_t len = sizeof(from);
	const char *addr;
	uint16_t rtp, rtcp;
	uint8_t pkt[64], got[64];
	size_t n = mt_rtp(pkt, 0, 1, 160, 0x66, "six");
	int pa = peer6(&a), pb = peer6(&b);
	ssize_t r = -1;

	CHECK(pa >= 0 && pb >= 0);
	cfg.bind_addr = "::1";
	CHECK_OK(mt_env_open(&e, &cfg));
	CHECK_OK(media_stream_new(e.relay, NULL, &s));
	media_stream_local(s, MEDIA_SIDE_A, &addr, &rtp, &rtcp);
	CHECK(strcmp(addr, "::1") == 0);
	ra.sin6_addr = in6addr_loopback;
	ra.sin6_port = htons(rtp);
	CHECK_OK(media_stream_set_remote(s, MEDIA_SIDE_B, (struct sockaddr *)&b,
					 sizeof(b), NULL, 0, false));
	sendto(pa, pkt, n, 0, (struct sockaddr *)&ra, sizeof(ra));
	for (int i = 0; i < 50 && r < 0; i++) {
		event_base_loop(e.base, EVLOOP_NONBLOCK);
		r = recvfrom(pb, got, sizeof(got), 0, (struct sockaddr *)&from,
			     &len);
	}
	CHECK_INT(r, n);
	CHECK(memcmp(got, pkt, n) == 0);
	media_stream_local(s, MEDIA_SIDE_B, &addr, &rtp, &rtcp);
	CHECK_INT(ntohs(from.sin6_port), rtp);
	media_stream_free(s);
	mt_env_close(&e);
	close(pa);
	close(pb);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_ports_even_rtcp_odd_in_range),
	TEST(test_ports_skip_a_port_in_use),
	TEST(test_ports_exhausted_is_enospc),
	TEST(test_relay_config_checked),
	TEST_OOM(test_stream_new_oom),
	TEST(test_relays_both_ways_unchanged),
	TEST(test_no_destination_yet_dropped),
	TEST(test_hold_address_sends_nothing),
	TEST(test_remote_family_checked),
	TEST(test_ipv6_relays),
};

TEST_MAIN(cases)
