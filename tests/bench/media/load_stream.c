/*
 * rtp_load's media: two sockets per call (side A, side B), each
 * sending one RTP packet per period to the relay's port for that side
 * and reading what the relay sends back. The schedule is a timer wheel
 * of 1 ms slots: a side is due once per period, and each send puts it
 * back one period later, so the cost per packet does not grow with the
 * number of calls. The payload carries the call, the side and the
 * CLOCK_MONOTONIC time of sending; the receiver checks the first two
 * and puts now minus the third into a 1 µs histogram. On the SRTP mix
 * side A encrypts what it sends and decrypts what it gets (load_srtp.c),
 * after the clock is read, as a phone would.
 */
#define _GNU_SOURCE /* recvmmsg */
#include "rtp_load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RTP_HDR_LEN  12  /* RFC 3550 §5.1 */
#define PAYLOAD_LEN  160 /* 20 ms of PCMU */
#define PKT_MAX      2048
#define RECV_BATCH   8
#define LOAD_MAGIC   0x544c4431u /* "TLD1" */
#define PCMU_SILENCE 0xff

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static bool in_window(const struct load_stats *st, uint64_t t)
{
	return st->win_start && t >= st->win_start && t < st->win_end;
}

int load_sides_open(struct load_ctx *c)
{
	for (unsigned i = 0; i < c->o->calls; i++) {
		struct load_call *call = &c->calls[i];

		call->idx = i;
		for (int k = LOAD_A; k <= LOAD_B; k++) {
			struct load_side *s = &call->side[k];

			s->call = call;
			s->id = (enum load_side_id)k;
			s->fd = load_udp_open(0, &s->port);
			if (s->fd < 0 ||
			    load_loop_watch(c, s->fd, LOAD_TAG_SIDE_A + k, i))
				return errno;
			s->ssrc = (uint32_t)random();
			s->seq = (uint16_t)random();
			s->rtp_ts = (uint32_t)random();
		}
	}
	return 0;
}

void load_sides_close(struct load_ctx *c)
{
	for (unsigned i = 0; i < c->o->calls; i++) {
		for (int k = LOAD_A; k <= LOAD_B; k++) {
			struct load_side *s = &c->calls[i].side[k];

			if (s->fd >= 0)
				close(s->fd);
			load_srtp_free(s->tx);
			load_srtp_free(s->rx);
		}
	}
}

/* AES_CM_128_HMAC_SHA1_80 both ways: tx_key is what this side sends
 * with (its own a=crypto), rx_key what the relay sends to it with. */
int load_side_set_keys(struct load_side *s, const uint8_t *tx_key,
		       const uint8_t *rx_key)
{
	if (s->tx || s->rx)
		return EALREADY;
	if (load_srtp_new_tx(tx_key, &s->tx))
		return EIO;
	return load_srtp_new_rx(rx_key, &s->rx);
}

static void wheel_add(struct load_wheel *w, struct load_side *s)
{
	uint64_t ms = s->next_ns / NS_PER_MS;

	if (ms <= w->done_ms)
		ms = w->done_ms + 1;
	s->next = w->slot[ms % LOAD_WHEEL_SLOTS];
	w->slot[ms % LOAD_WHEEL_SLOTS] = s;
}

/*
 * The first packet goes at a random point of the first period, as two
 * phones that know nothing of each other would send. Starting at once
 * would tie each call's phase to its set-up time: at 200 set-ups per
 * second every call would fall into one of four 1 ms slots of a 20 ms
 * period, and the relay would see bursts no real traffic has.
 */
void load_side_start(struct load_ctx *c, struct load_side *s)
{
	if (s->sending)
		return;
	s->sending = true;
	s->next_ns = c->now + (uint64_t)random() % c->period_ns;
	wheel_add(&c->wheel, s);
}

/* The wheel drops a side that stopped when its slot comes. */
void load_side_stop(struct load_side *s)
{
	s->sending = false;
}

static void send_one(struct load_ctx *c, struct load_side *s)
{
	static uint8_t b[PKT_MAX];
	uint64_t t = load_now();
	int len = RTP_HDR_LEN + PAYLOAD_LEN;

	b[0] = 0x80; /* version 2 */
	b[1] = 0;    /* PCMU */
	b[2] = (uint8_t)(s->seq >> 8);
	b[3] = (uint8_t)s->seq;
	put32(b + 4, s->rtp_ts);
	put32(b + 8, s->ssrc);
	memset(b + RTP_HDR_LEN, PCMU_SILENCE, PAYLOAD_LEN);
	put32(b + RTP_HDR_LEN, LOAD_MAGIC);
	put32(b + RTP_HDR_LEN + 4, s->call->idx);
	b[RTP_HDR_LEN + 8] = (uint8_t)s->id;
	put64(b + RTP_HDR_LEN + 16, t);
	s->seq++;
	s->rtp_ts += PAYLOAD_LEN;
	if (s->tx && load_srtp_protect(s->tx, b, &len)) {
		c->st.send_err++;
		return;
	}
	if (sendto(s->fd, b, (size_t)len, 0, (struct sockaddr *)&s->to,
		   sizeof(s->to)) != len) {
		c->st.send_err++;
		return;
	}
	if (in_window(&c->st, t))
		c->st.sent[s->id]++;
}

static void run_slot(struct load_ctx *c, struct load_side *s)
{
	while (s) {
		struct load_side *next = s->next;

		if (s->sending) {
			send_one(c, s);
			s->next_ns += c->period_ns;
			/* Behind by a whole period: start again from now
			 * rather than send a burst to catch up. */
			if (s->next_ns <= c->now) {
				s->next_ns = c->now + c->period_ns;
				c->st.late++;
			}
			wheel_add(&c->wheel, s);
		}
		s = next;
	}
}

/* Runs every slot up to now. After a stall of more than half the wheel
 * every side is taken out first, so that none lands in a slot that the
 * wheel has wrapped past. */
void load_wheel_run(struct load_ctx *c)
{
	struct load_wheel *w = &c->wheel;
	uint64_t now_ms = c->now / NS_PER_MS;
	struct load_side *all = NULL;

	if (now_ms > w->done_ms + LOAD_WHEEL_SLOTS / 2) {
		for (unsigned i = 0; i < LOAD_WHEEL_SLOTS; i++) {
			struct load_side *s = w->slot[i], *next;

			for (; s; s = next) {
				next = s->next;
				s->next = all;
				all = s;
			}
			w->slot[i] = NULL;
		}
		w->done_ms = now_ms;
		run_slot(c, all);
		return;
	}
	while (w->done_ms < now_ms) {
		unsigned i = (unsigned)(++w->done_ms % LOAD_WHEEL_SLOTS);
		struct load_side *s = w->slot[i];

		w->slot[i] = NULL;
		run_slot(c, s);
	}
}

static void account(struct load_ctx *c, struct load_side *s, uint8_t *b,
		    size_t len, uint64_t now)
{
	struct load_stats *st = &c->st;
	const uint8_t *p = b + RTP_HDR_LEN;
	uint64_t sent, us;
	enum load_side_id from;

	if (len >= 8 && b[0] >> 6 == 2 && b[1] >= 192 && b[1] <= 223) {
		st->rtcp++;
		return;
	}
	if (len < RTP_HDR_LEN + 24 || b[0] >> 6 != 2 ||
	    get32(p) != LOAD_MAGIC) {
		st->malformed++;
		return;
	}
	from = p[8] ? LOAD_B : LOAD_A;
	if (get32(p + 4) != s->call->idx || from == s->id) {
		st->foreign++;
		return;
	}
	sent = get64(p + 16);
	if (!in_window(st, sent))
		return;
	st->recv[from]++;
	us = now > sent ? (now - sent) / NS_PER_US : 0;
	st->hist[us < LOAD_HIST_US ? us : LOAD_HIST_US]++;
}

void load_side_receive(struct load_ctx *c, struct load_side *s)
{
	static uint8_t buf[RECV_BATCH][PKT_MAX];
	static struct mmsghdr mm[RECV_BATCH];
	static struct iovec iov[RECV_BATCH];
	uint64_t now;
	int n;

	for (int i = 0; i < RECV_BATCH; i++) {
		iov[i] = (struct iovec){ buf[i], PKT_MAX };
		mm[i].msg_hdr =
		    (struct msghdr){ .msg_iov = &iov[i], .msg_iovlen = 1 };
	}
	n = recvmmsg(s->fd, mm, RECV_BATCH, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return;
	now = load_now();
	for (int i = 0; i < n; i++) {
		int len = (int)mm[i].msg_len;

		if (s->rx && load_srtp_unprotect(s->rx, buf[i], &len)) {
			c->st.bad_srtp++;
			continue;
		}
		account(c, s, buf[i], (size_t)len, now);
	}
}

/* The smallest latency (µs) at or below which pct % of the samples lie;
 * LOAD_HIST_US means "beyond the histogram". */
uint32_t load_hist_percentile(const struct load_stats *st, double pct)
{
	uint64_t total = 0, want, seen = 0;

	for (uint32_t i = 0; i <= LOAD_HIST_US; i++)
		total += st->hist[i];
	if (!total)
		return 0;
	want = (uint64_t)((double)total * pct / 100.0 + 0.5);
	if (want == 0)
		want = 1;
	for (uint32_t i = 0; i <= LOAD_HIST_US; i++) {
		seen += st->hist[i];
		if (seen >= want)
			return i;
	}
	return LOAD_HIST_US;
}
