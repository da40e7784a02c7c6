/*
 * The media tests' helpers of media_test_util.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "media_test_util.h"

#define MT_ROUNDS 50

struct media_config mt_config(void)
{
	struct media_config cfg = media_config_default;
	uint16_t base = (uint16_t)(20000 + (getpid() % 1200) * 10);

	cfg.bind_addr = "127.0.0.1";
	cfg.port_min = base;
	cfg.port_max = (uint16_t)(base + 9);
	return cfg;
}

int mt_env_open(struct mt_env *e, const struct media_config *cfg)
{
	struct media_config def = mt_config();
	int rc;

	memset(e, 0, sizeof(*e));
	if (!cfg)
		cfg = &def;
	e->port_base = def.port_min;
	if (!(e->base = event_base_new()))
		return ENOMEM;
	tnd_timers_init_manual(&e->timers, MT_START_MS);
	if ((rc = media_relay_new(e->base, &e->timers, cfg, &e->relay))) {
		event_base_free(e->base);
		e->base = NULL;
	}
	return rc;
}

void mt_env_close(struct mt_env *e)
{
	media_relay_free(e->relay);
	if (e->base)
		event_base_free(e->base);
	memset(e, 0, sizeof(*e));
}

int mt_peer(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    getsockname(fd, (struct sockaddr *)addr, &len)) {
		close(fd);
		return -1;
	}
	return fd;
}

void mt_peer_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

void mt_send(int fd, const struct sockaddr_in *to, const void *buf, size_t len)
{
	(void)sendto(fd, buf, len, 0, (const struct sockaddr *)to, sizeof(*to));
}

struct sockaddr_in mt_local(const struct media_stream *s, enum media_side side,
			    bool rtcp)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	const char *addr;
	uint16_t rtp_port, rtcp_port;

	media_stream_local(s, side, &addr, &rtp_port, &rtcp_port);
	inet_pton(AF_INET, addr, &a.sin_addr);
	a.sin_port = htons(rtcp ? rtcp_port : rtp_port);
	return a;
}

int mt_remote(struct media_stream *s, enum media_side side,
	      const struct sockaddr_in *rtp, bool mux)
{
	return media_stream_set_remote(s, side, (const struct sockaddr *)rtp,
				       sizeof(*rtp), NULL, 0, mux);
}

ssize_t mt_recv(struct mt_env *e, int fd, void *buf, size_t size,
		struct sockaddr_in *from)
{
	for (int i = 0; i < MT_ROUNDS; i++) {
		struct sockaddr_in src;
		socklen_t len = sizeof(src);
		ssize_t n =
		    recvfrom(fd, buf, size, 0, (struct sockaddr *)&src, &len);

		if (n >= 0) {
			if (from)
				*from = src;
			return n;
		}
		event_base_loop(e->base, EVLOOP_NONBLOCK);
	}
	return -1;
}

bool mt_quiet(struct mt_env *e, int fd)
{
	uint8_t buf[64];

	for (int i = 0; i < 5; i++)
		event_base_loop(e->base, EVLOOP_NONBLOCK);
	return recv(fd, buf, sizeof(buf), 0) < 0 && errno == EAGAIN;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

size_t mt_rtp(uint8_t *buf, uint8_t pt, uint16_t seq, uint32_t ts,
	      uint32_t ssrc, const char *payload)
{
	size_t n = strlen(payload);

	buf[0] = 0x80;
	buf[1] = pt;
	buf[2] = (uint8_t)(seq >> 8);
	buf[3] = (uint8_t)seq;
	put32(buf + 4, ts);
	put32(buf + 8, ssrc);
	memcpy(buf + 12, payload, n);
	return 12 + n;
}

size_t mt_rr(uint8_t *buf, uint32_t ssrc, uint32_t source, uint8_t fraction,
	     int32_t cumulative, uint32_t highest, uint32_t jitter)
{
	uint32_t lost = (uint32_t)cumulative & 0xffffff;

	memset(buf, 0, 32);
	buf[0] = 0x81; /* V=2, RC=1 */
	buf[1] = 201;  /* RR */
	buf[3] = 7;    /* 8 words - 1 */
	put32(buf + 4, ssrc);
	put32(buf + 8, source);
	put32(buf + 12, lost);
	buf[12] = fraction;
	put32(buf + 16, highest);
	put32(buf + 20, jitter);
	return 32;
}

bool mt_addr_eq(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	return a->sin_port == b->sin_port &&
	       a->sin_addr.s_addr == b->sin_addr.s_addr;
}

bool mt_relays(struct mt_env *e, int fd, const struct sockaddr_in *to, int dst,
	       uint16_t seq, uint32_t ssrc)
{
	uint8_t pkt[64], got[128];
	size_t n = mt_rtp(pkt, 0, seq, 160u * seq, ssrc, "voice");

	mt_send(fd, to, pkt, n);
	return mt_recv(e, dst, got, sizeof(got), NULL) == (ssize_t)n &&
	       memcmp(got, pkt, n) == 0;
}
