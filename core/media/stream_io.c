/*
 * The packet path of a stream, the relay's hot loop: read a batch of
 * datagrams (recvmmsg), check each is RTP or RTCP (RFC 3550, demultiplexed
 * by RFC 5761 §4), judge its source against the side's latch, unprotect
 * SRTP in place, count it, protect it again in place for the other side
 * and send it there. No allocation, no logging, no timer starts: what a
 * timer needs is a timestamp in the leg (see stream.c).
 *
 * Latching: the first valid packet from a side fixes where that side is
 * (its source address, whatever its SDP said). After that a packet from
 * another source is a stranger, dropped, unless the latched source has
 * been silent for relatch_silence_ms, or the new source has sent
 * relatch_packets packets in a row with the latched stream's SSRC (a NAT
 * rebinding mid-call).
 */
#include "media_int.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

enum latch_verdict {
	LATCH_ACCEPT,    /* from the latched source */
	LATCH_FIRST,     /* nothing latched yet */
	LATCH_SILENCE,   /* the latched source went quiet: move */
	LATCH_CANDIDATE, /* a new source with the latched SSRC */
	LATCH_STRANGER,
};

bool media_addr_eq(const struct media_addr *a, const struct media_addr *b)
{
	if (a->ss.ss_family != b->ss.ss_family)
		return false;
	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)&a->ss;
		const struct sockaddr_in *y = (const void *)&b->ss;

		return x->sin_port == y->sin_port &&
		       x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)&a->ss;
		const struct sockaddr_in6 *y = (const void *)&b->ss;

		return x->sin6_port == y->sin6_port &&
		       x->sin6_scope_id == y->sin6_scope_id &&
		       !memcmp(&x->sin6_addr, &y->sin6_addr,
			       sizeof(x->sin6_addr));
	}
	return false;
}

const struct media_addr *media_leg_dest(const struct media_leg *leg, bool rtcp)
{
	if (leg->held)
		return NULL;
	if (!rtcp || leg->rtcp_mux) {
		if (leg->latch_rtp.latched)
			return &leg->latch_rtp.src;
		return leg->told ? &leg->sdp_rtp : NULL;
	}
	if (leg->latch_rtcp.latched)
		return &leg->latch_rtcp.src;
	return leg->told ? &leg->sdp_rtcp : NULL;
}

static enum latch_verdict latch_judge(const struct media_leg *leg,
				      const struct media_latch *l,
				      const struct media_addr *src,
				      bool by_ssrc, uint32_t ssrc, uint64_t now)
{
	const struct media_relay *r = leg->stream->relay;

	if (!l->latched)
		return LATCH_FIRST;
	if (media_addr_eq(&l->src, src))
		return LATCH_ACCEPT;
	if (r->relatch_silence_ms && now - l->last_ms >= r->relatch_silence_ms)
		return LATCH_SILENCE;
	if (by_ssrc && r->relatch_packets && leg->have_ssrc &&
	    ssrc == leg->ssrc)
		return LATCH_CANDIDATE;
	return LATCH_STRANGER;
}

/* After authentication: true when the packet is to be relayed. */
static bool latch_apply(struct media_leg *leg, struct media_latch *l,
			enum latch_verdict v, const struct media_addr *src,
			uint64_t now)
{
	if (v == LATCH_STRANGER)
		return false;
	if (v == LATCH_ACCEPT) {
		l->last_ms = now;
		l->cand_count = 0;
		return true;
	}
	if (v == LATCH_CANDIDATE) {
		if (!l->cand_count || !media_addr_eq(&l->cand, src)) {
			l->cand = *src;
			l->cand_count = 0;
		}
		if (++l->cand_count < leg->stream->relay->relatch_packets)
			return false;
	}
	if (v != LATCH_FIRST)
		leg->stats.relatches++;
	l->latched = true;
	l->src = *src;
	l->last_ms = now;
	l->cand_count = 0;
	return true;
}

static void stranger(struct media_leg *leg, struct media_latch *l,
		     const struct media_addr *src)
{
	if (l->cand_count && media_addr_eq(&l->cand, src))
		l->cand_count = 0; /* not consecutive any more */
	leg->stats.dropped_stranger++;
}

/* Sends what `from` sent out of the other leg's socket to its remote. */
static void forward(struct media_leg *from, bool rtcp, uint8_t *buf, size_t len)
{
	struct media_leg *to = &from->stream->leg[!from->side];
	struct media_side_stats *st = &from->stats;
	const struct media_addr *dst = media_leg_dest(to, rtcp);
	const struct media_sock *sock =
	    rtcp && !to->rtcp_mux ? &to->rtcp : &to->rtp;

	if (!dst) {
		st->dropped_no_dest++;
		return;
	}
	if (to->srtp_out && media_srtp_protect(to->srtp_out, rtcp, buf, &len)) {
		st->dropped_send++;
		return;
	}
	if (sendto(sock->fd, buf, len, 0, (const struct sockaddr *)&dst->ss,
		   dst->len) < 0) {
		st->dropped_send++;
		return;
	}
	if (rtcp) {
		st->rtcp_packets_out++;
		st->rtcp_bytes_out += len;
	} else {
		st->rtp_packets_out++;
		st->rtp_bytes_out += len;
	}
}

/* RFC 3550 A.1, A.8 and the timeout's timestamp, for a relayed packet. */
static void rtp_account(struct media_leg *leg, const struct media_rtp_header *h,
			uint64_t now)
{
	struct media_stream *s = leg->stream;
	uint32_t arrival = (uint32_t)(now * s->rates[h->pt] / 1000);

	if (!leg->have_ssrc || h->ssrc != leg->ssrc) {
		leg->have_ssrc = true;
		leg->ssrc = h->ssrc;
		leg->seq = (struct media_rtp_seq){ 0 };
		leg->jitter = (struct media_rtp_jitter){ 0 };
	}
	media_rtp_seq_update(&leg->seq, h->seq);
	media_rtp_jitter_update(&leg->jitter, h->pt, h->ts, arrival);
	s->last_rtp_ms = now;
	leg->stats.last_rtp_ms = now;
}

static void rtp_in(struct media_leg *leg, uint8_t *buf, size_t len,
		   const struct media_addr *src, uint64_t now)
{
	struct media_side_stats *st = &leg->stats;
	struct media_rtp_header h;
	enum latch_verdict v;

	st->rtp_packets_in++;
	st->rtp_bytes_in += len;
	if (media_rtp_parse_head(buf, len, &h)) {
		st->dropped_malformed++;
		return;
	}
	v = latch_judge(leg, &leg->latch_rtp, src, true, h.ssrc, now);
	if (v == LATCH_STRANGER) {
		stranger(leg, &leg->latch_rtp, src);
		return;
	}
	if (leg->srtp_in &&
	    media_srtp_unprotect(leg->srtp_in, false, buf, &len)) {
		st->dropped_srtp++;
		return;
	}
	if (media_rtp_parse(buf, len, &h)) {
		st->dropped_malformed++;
		return;
	}
	if (!latch_apply(leg, &leg->latch_rtp, v, src, now)) {
		st->dropped_stranger++;
		return;
	}
	if (v == LATCH_SILENCE || v == LATCH_CANDIDATE)
		leg->latch_rtcp = (struct media_latch){ 0 }; /* follows RTP */
	rtp_account(leg, &h, now);
	forward(leg, false, buf, len);
}

/*
 * RTCP from a multiplexed RTP port comes from the RTP source: accepted
 * from the latched one (or any before latching), never latching itself.
 */
static enum latch_verdict rtcp_judge(struct media_leg *leg, bool rtcp_port,
				     const struct media_addr *src, uint64_t now)
{
	if (rtcp_port)
		return latch_judge(leg, &leg->latch_rtcp, src, false, 0, now);
	if (!leg->latch_rtp.latched || media_addr_eq(&leg->latch_rtp.src, src))
		return LATCH_ACCEPT;
	return LATCH_STRANGER;
}

static void rtcp_in(struct media_leg *leg, bool rtcp_port, uint8_t *buf,
		    size_t len, const struct media_addr *src, uint64_t now)
{
	struct media_side_stats *st = &leg->stats;
	struct media_rtcp_report rep;
	enum latch_verdict v;

	st->rtcp_packets_in++;
	st->rtcp_bytes_in += len;
	if (media_rtcp_check_head(buf, len)) {
		st->dropped_malformed++;
		return;
	}
	if ((v = rtcp_judge(leg, rtcp_port, src, now)) == LATCH_STRANGER) {
		stranger(leg, &leg->latch_rtcp, src);
		return;
	}
	if (leg->srtp_in &&
	    media_srtp_unprotect(leg->srtp_in, true, buf, &len)) {
		st->dropped_srtp++;
		return;
	}
	if (media_rtcp_parse(buf, len, &rep)) {
		st->dropped_malformed++;
		return;
	}
	if (rtcp_port)
		latch_apply(leg, &leg->latch_rtcp, v, src, now);
	if (rep.valid) {
		st->report_valid = true;
		st->report_ssrc = rep.source_ssrc;
		st->report_fraction_lost = rep.fraction_lost;
		st->report_cumulative_lost = rep.cumulative_lost;
		st->report_highest_seq = rep.highest_seq;
		st->report_jitter_ts = rep.jitter;
	}
	forward(leg, true, buf, len);
}

void media_leg_process(struct media_leg *leg, bool rtcp_port, uint8_t *buf,
		       size_t len, const struct media_addr *src, uint64_t now)
{
	if (rtcp_port || media_rtp_is_rtcp(buf, len))
		rtcp_in(leg, rtcp_port, buf, len, src, now);
	else
		rtp_in(leg, buf, len, src, now);
}

/* One recvmmsg batch; returns how many datagrams it read (0: drained). */
static int read_batch(struct media_sock *sock)
{
	struct media_relay *r = sock->leg->stream->relay;
	uint64_t now;
	int n;

	for (int i = 0; i < MEDIA_BATCH; i++) {
		r->msgs[i].msg_hdr.msg_namelen = sizeof(r->src[i].ss);
		r->msgs[i].msg_hdr.msg_flags = 0;
	}
	do
		n = recvmmsg(sock->fd, r->msgs, MEDIA_BATCH, MSG_DONTWAIT,
			     NULL);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return 0; /* EAGAIN: drained; an ICMP error: next time */
	now = tnd_timers_now(r->timers);
	for (int i = 0; i < n; i++) {
		struct msghdr *m = &r->msgs[i].msg_hdr;

		r->src[i].len = m->msg_namelen;
		if (m->msg_flags & MSG_TRUNC) {
			sock->leg->stats.dropped_malformed++;
			continue;
		}
		media_leg_process(sock->leg, sock->rtcp, r->bufs[i],
				  r->msgs[i].msg_len, &r->src[i], now);
	}
	return n;
}

void media_sock_on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct media_sock *sock = arg;

	(void)fd;
	(void)what;
	/* A bounded number of batches, so one busy port cannot hold the
	 * loop; the event is level-triggered and comes back for the rest. */
	for (int b = 0; b < MEDIA_BATCHES; b++) {
		if (read_batch(sock) < MEDIA_BATCH)
			return;
	}
}
