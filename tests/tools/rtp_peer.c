/*
 * rtp_peer's run: opens the sockets, sends --count RTP packets on a
 * fixed schedule (and an RTCP report a second when asked), classifies
 * every datagram that arrives, and prints the one verdict line the
 * end-to-end tests read. One thread, one poll() loop, no busy waiting.
 * A packet's payload is a function of its SSRC and sequence number, so
 * the receiver verifies it end to end without any shared state. Uses
 * rtp_peer_args.c for the command line and rtp_peer_srtp.c for keys.
 */
#include "rtp_peer.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RTP_HDR_LEN    12  /* RFC 3550 §5.1 */
#define PAYLOAD_LEN    160 /* 20 ms of PCMU */
#define RTCP_RR        201 /* RFC 3550 §6.4.2 */
#define RTCP_SDES      202 /* RFC 3550 §6.5 */
#define PKT_MAX        2048
#define NS_PER_MS      1000000ull
#define RTCP_PERIOD_NS (1000 * NS_PER_MS)

struct peer_counts {
	uint64_t sent, received, valid, foreign, auth_failed, malformed;
};

struct peer {
	const struct peer_opts *o;
	int fd;         /* RTP, on --bind */
	int rtcp_fd;    /* RTCP from the port above, or -1 */
	bool rtcp_mux;  /* RTCP to the RTP address, from fd (RFC 5761) */
	bool srtp_up;   /* srtp_init has run */
	srtp_t tx, rx;  /* NULL: plain RTP that way */
	uint32_t ssrc;  /* what we send with */
	uint16_t seq;   /* of the next packet */
	uint32_t ts;    /* of the next packet */
	uint64_t index; /* packets attempted so far */
	uint64_t start, next_send, next_rtcp, end; /* CLOCK_MONOTONIC ns */
	bool send_warned;
	struct peer_counts n;
	struct peer_addr first_from;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 * NS_PER_MS + (uint64_t)ts.tv_nsec;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* xorshift32 seeded from (ssrc, seq): a relay that alters a byte, or
 * hands one stream's payload to another, shows up as a mismatch. */
static void payload_fill(uint8_t *p, uint32_t ssrc, uint16_t seq)
{
	uint32_t x = ssrc ^ ((uint32_t)seq * 0x9e3779b9u);

	if (!x)
		x = 1; /* xorshift's one fixed point */
	for (size_t i = 0; i < PAYLOAD_LEN; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

static size_t rtp_build(const struct peer *p, uint8_t *b)
{
	b[0] = 0x80; /* version 2, no padding, extension or CSRCs */
	b[1] = (uint8_t)((p->index == 0 ? 0x80 : 0) | p->o->pt);
	put16(b + 2, p->seq);
	put32(b + 4, p->ts);
	put32(b + 8, p->ssrc);
	payload_fill(b + RTP_HDR_LEN, p->ssrc, p->seq);
	return RTP_HDR_LEN + PAYLOAD_LEN;
}

/* 0 when b is RTP carrying our pattern for its (SSRC, seq); EBADMSG. A
 * relay may add CSRCs, an extension or padding (RFC 3550 §5.1, §5.3.1). */
static int rtp_check(const uint8_t *b, size_t len, uint32_t *ssrc)
{
	uint8_t want[PAYLOAD_LEN];
	size_t hl;

	if (len < RTP_HDR_LEN || b[0] >> 6 != 2)
		return EBADMSG;
	hl = RTP_HDR_LEN + 4 * (size_t)(b[0] & 0x0f);
	if (hl > len)
		return EBADMSG;
	if (b[0] & 0x10) {
		if (len - hl < 4)
			return EBADMSG;
		hl += 4 + 4 * (size_t)get16(b + hl + 2);
	}
	if ((b[0] & 0x20) && len > hl) {
		if (b[len - 1] == 0 || b[len - 1] > len - hl)
			return EBADMSG;
		len -= b[len - 1];
	}
	if (len < hl || len - hl != PAYLOAD_LEN)
		return EBADMSG;
	*ssrc = get32(b + 8);
	payload_fill(want, *ssrc, get16(b + 2));
	return memcmp(want, b + hl, PAYLOAD_LEN) ? EBADMSG : 0;
}

/* An empty receiver report and a CNAME: the least compound RTCP packet
 * RFC 3550 §6.1 allows. */
static size_t rtcp_build(uint32_t ssrc, uint8_t *b)
{
	static const char cname[] = "rtp_peer";
	size_t n = 16;

	b[0] = 0x80;
	b[1] = RTCP_RR;
	put16(b + 2, 1);
	put32(b + 4, ssrc);
	b[8] = 0x81; /* one chunk */
	b[9] = RTCP_SDES;
	put32(b + 12, ssrc);
	b[n++] = 1; /* CNAME */
	b[n++] = sizeof(cname) - 1;
	memcpy(b + n, cname, sizeof(cname) - 1);
	n += sizeof(cname) - 1;
	do
		b[n++] = 0; /* ends the item list, pads to 32 bits */
	while (n % 4);
	put16(b + 10, (uint16_t)((n - 8) / 4 - 1));
	return n;
}

static void send_warn(struct peer *p, const char *what)
{
	if (!p->send_warned)
		fprintf(stderr, "rtp_peer: %s: %s\n", what, strerror(errno));
	p->send_warned = true;
}

static void send_rtp(struct peer *p)
{
	const struct peer_opts *o = p->o;
	uint8_t b[PKT_MAX];
	int len = (int)rtp_build(p, b);

	if (p->tx && srtp_protect(p->tx, b, &len) != srtp_err_status_ok) {
		errno = EIO;
		send_warn(p, "srtp_protect");
	} else {
		if (o->tamper && (p->index + 1) % o->tamper == 0)
			b[RTP_HDR_LEN] ^= 0xff; /* for the relay to catch */
		if (sendto(p->fd, b, (size_t)len, 0,
			   (const struct sockaddr *)&o->to.ss,
			   o->to.len) == len)
			p->n.sent++;
		else
			send_warn(p, "sendto");
	}
	p->index++;
	p->seq++;
	p->ts += PAYLOAD_LEN;
	p->next_send = p->start + p->index * o->interval_ms * NS_PER_MS;
}

static void send_rtcp(struct peer *p)
{
	const struct peer_opts *o = p->o;
	uint8_t b[PKT_MAX];
	int len = (int)rtcp_build(p->ssrc, b);

	p->next_rtcp += RTCP_PERIOD_NS;
	if (p->tx && srtp_protect_rtcp(p->tx, b, &len) != srtp_err_status_ok) {
		errno = EIO;
		send_warn(p, "srtp_protect_rtcp");
		return;
	}
	if (sendto(p->rtcp_mux ? p->fd : p->rtcp_fd, b, (size_t)len, 0,
		   (const struct sockaddr *)&o->rtcp_to.ss, o->rtcp_to.len) < 0)
		send_warn(p, "sendto (RTCP)");
}

static void on_datagram(struct peer *p, uint8_t *b, size_t len,
			const struct peer_addr *from)
{
	int n = (int)len;
	uint32_t ssrc;

	/* RFC 5761 §4: with rtcp-mux the far side's RTCP comes here too. */
	if (p->rtcp_mux && len >= 2 && b[1] >= 192 && b[1] <= 223)
		return;
	p->n.received++;
	if (len >= RTP_HDR_LEN && p->rx &&
	    srtp_unprotect(p->rx, b, &n) != srtp_err_status_ok) {
		p->n.auth_failed++;
		p->n.foreign++;
		return;
	}
	if (rtp_check(b, (size_t)n, &ssrc)) {
		p->n.malformed++;
		p->n.foreign++;
		return;
	}
	if (p->o->expect_ssrc == PEER_UNSET || ssrc != p->o->expect_ssrc) {
		p->n.foreign++;
		return;
	}
	if (p->n.valid++ == 0)
		p->first_from = *from;
}

static void drain(struct peer *p)
{
	uint8_t b[PKT_MAX];
	struct peer_addr from;
	ssize_t r;

	for (;;) {
		from.len = sizeof(from.ss);
		/* MSG_TRUNC: the true length, so an oversized packet is
		 * counted as malformed rather than checked cut short. */
		r = recvfrom(p->fd, b, sizeof(b), MSG_TRUNC,
			     (struct sockaddr *)&from.ss, &from.len);
		if (r < 0)
			return;
		if ((size_t)r <= sizeof(b)) {
			on_datagram(p, b, (size_t)r, &from);
			continue;
		}
		p->n.received++;
		p->n.malformed++;
		p->n.foreign++;
	}
}

/* What the relay sends to our RTCP port is not ours to judge. */
static void drain_rtcp(struct peer *p)
{
	uint8_t b[PKT_MAX];

	while (recv(p->rtcp_fd, b, sizeof(b), 0) >= 0)
		continue;
}

static int timeout_ms(uint64_t now, uint64_t due)
{
	uint64_t ms = (due - now + NS_PER_MS - 1) / NS_PER_MS;

	return ms > INT_MAX ? INT_MAX : (int)ms;
}

static void peer_run(struct peer *p)
{
	const struct peer_opts *o = p->o;
	struct pollfd fds[2] = { { .fd = p->fd, .events = POLLIN },
				 { .fd = p->rtcp_fd, .events = POLLIN } };

	for (;;) {
		uint64_t now = now_ns(), due = p->end;

		if (now >= p->end)
			return;
		/* Late (a loaded machine): catch up rather than send fewer. */
		while (p->index < o->count && p->next_send <= now)
			send_rtp(p);
		if (o->rtcp_to.len && p->next_rtcp <= now)
			send_rtcp(p);
		if (p->index < o->count && p->next_send < due)
			due = p->next_send;
		if (o->rtcp_to.len && p->next_rtcp < due)
			due = p->next_rtcp;
		if (poll(fds, 2, timeout_ms(now, due)) <= 0)
			continue;
		if (fds[0].revents)
			drain(p);
		if (fds[1].revents)
			drain_rtcp(p);
	}
}

static void peer_schedule(struct peer *p, uint64_t t0)
{
	const struct peer_opts *o = p->o;
	uint64_t last = o->count ? o->count - 1 : 0;

	p->start = t0 + o->start_delay_ms * NS_PER_MS;
	p->next_send = p->start;
	p->next_rtcp = p->start;
	if (o->duration_ms != PEER_UNSET)
		p->end = t0 + o->duration_ms * NS_PER_MS;
	else
		p->end = p->start +
			 (last * o->interval_ms + o->linger_ms) * NS_PER_MS;
}

static int udp_open(const struct peer_addr *a, int *out)
{
	int fd = socket(a->ss.ss_family, SOCK_DGRAM, 0);
	int rcvbuf = 1 << 20, err;
	char where[64];

	if (fd >= 0 && !fcntl(fd, F_SETFL, O_NONBLOCK) &&
	    !bind(fd, (const struct sockaddr *)&a->ss, a->len)) {
		/* Bursts (--interval-ms 0, a slow sanitised build) must not
		 * overflow the default buffer and be miscounted as loss. */
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
		*out = fd;
		return 0;
	}
	err = errno;
	peer_addr_print(a, where, sizeof(where));
	fprintf(stderr, "rtp_peer: bind %s: %s\n", where, strerror(err));
	if (fd >= 0)
		close(fd);
	return err;
}

static int peer_open(struct peer *p, const struct peer_opts *o)
{
	uint8_t rnd[10];

	memset(p, 0, sizeof(*p));
	p->o = o;
	p->fd = p->rtcp_fd = -1;
	if (peer_random(rnd, sizeof(rnd)))
		return EIO;
	p->ssrc = o->ssrc != PEER_UNSET ? (uint32_t)o->ssrc : get32(rnd);
	p->seq = get16(rnd + 4);
	p->ts = get32(rnd + 6);
	if (udp_open(&o->bind, &p->fd))
		return EIO;
	p->rtcp_mux = o->rtcp_to.len && peer_addr_eq(&o->rtcp_to, &o->to);
	if (o->rtcp_to.len && !p->rtcp_mux) {
		struct peer_addr a = o->bind;
		uint16_t port = peer_addr_port(&a);

		peer_addr_set_port(&a, port ? (uint16_t)(port + 1) : 0);
		if (udp_open(&a, &p->rtcp_fd))
			return EIO;
	}
	/* After bind: what the far side sends meanwhile waits in the
	 * socket, and the tests take a bound port for a ready peer. */
	if (o->srtp_send.suite || o->srtp_recv.suite) {
		if (srtp_init() != srtp_err_status_ok) {
			fprintf(stderr, "rtp_peer: srtp_init failed\n");
			return EIO;
		}
		p->srtp_up = true;
	}
	if ((o->srtp_send.suite &&
	     peer_srtp_new(&o->srtp_send, true, &p->tx)) ||
	    (o->srtp_recv.suite &&
	     peer_srtp_new(&o->srtp_recv, false, &p->rx))) {
		fprintf(stderr, "rtp_peer: srtp_create failed\n");
		return EIO;
	}
	peer_schedule(p, now_ns());
	return 0;
}

static void peer_close(struct peer *p)
{
	if (p->fd >= 0)
		close(p->fd);
	if (p->rtcp_fd >= 0)
		close(p->rtcp_fd);
	if (p->tx)
		srtp_dealloc(p->tx);
	if (p->rx)
		srtp_dealloc(p->rx);
	if (p->srtp_up)
		srtp_shutdown();
}

/* Prints the verdict line; 0 when the expectations are met, else 1. */
static int peer_report(const struct peer *p)
{
	const struct peer_opts *o = p->o;
	char from[64];

	peer_addr_print(&p->first_from, from, sizeof(from));
	printf("sent=%" PRIu64 " received=%" PRIu64 " valid=%" PRIu64
	       " foreign=%" PRIu64 " auth_failed=%" PRIu64 " malformed=%" PRIu64
	       " first_from=%s\n",
	       p->n.sent, p->n.received, p->n.valid, p->n.foreign,
	       p->n.auth_failed, p->n.malformed, from);
	if (p->n.valid < o->expect)
		return 1;
	if (o->expect_max_foreign != PEER_UNSET &&
	    p->n.foreign > o->expect_max_foreign)
		return 1;
	return 0;
}

/* Exit status: 0 pass, 1 expectations not met, 2 usage, 3 setup. */
int main(int argc, char **argv)
{
	struct peer_opts o;
	struct peer p;
	int rc, verdict = 1;

	peer_opts_init(&o);
	if (peer_args_parse(argc, argv, &o))
		return 2;
	if (o.help) {
		peer_args_usage(stdout);
		return 0;
	}
	if (o.print_key) {
		rc = peer_key_print(o.print_key, stdout);
		return rc == EINVAL ? 2 : rc ? 3 : 0;
	}
	rc = peer_open(&p, &o);
	if (!rc) {
		peer_run(&p);
		verdict = peer_report(&p);
	}
	peer_close(&p);
	return rc ? 3 : verdict;
}
