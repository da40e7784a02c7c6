/*
 * A relayed stream: two legs (sides A and B), each with its port pair
 * from the relay, its remote from the SDP the B2BUA read, its SRTP
 * sessions, and its statistics; plus the stream's media timeout, a timer
 * that re-arms itself from the last packet's timestamp (packets only
 * stamp the time, so no socket callback starts a timer). The packet path
 * is stream_io.c.
 */
#include "media_int.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "tandem/mem.h"

#define MEDIA_DEFAULT_RATE 8000

static void stream_on_timer(struct tnd_timer *timer, void *arg)
{
	struct media_stream *s = arg;
	uint64_t idle = tnd_timers_now(s->relay->timers) - s->last_rtp_ms;

	(void)timer;
	if (idle < s->timeout_ms) {
		tnd_timer_start(s->relay->timers, &s->timer,
				s->timeout_ms - idle, stream_on_timer, s);
		return;
	}
	s->idle_called = true;
	if (s->idle_fn)
		s->idle_fn(s->idle_arg,
			   s); /* may free s: touch nothing after */
}

void media_stream_set_timeout(struct media_stream *s, uint32_t timeout_ms)
{
	struct tnd_timers *timers = s->relay->timers;

	s->timeout_ms = timeout_ms == MEDIA_TIMEOUT_OFF ? 0 : timeout_ms;
	s->idle_called = false;
	s->last_rtp_ms = tnd_timers_now(timers);
	if (s->timeout_ms)
		tnd_timer_start(timers, &s->timer, s->timeout_ms,
				stream_on_timer, s);
	else
		tnd_timer_cancel(timers, &s->timer);
}

/*
 * Media sockets take the base's lowest priority (when it has several):
 * when the loop is saturated, signalling and timers go first, so a
 * relay at its limit costs latency, not calls.
 */
static int sock_arm(struct media_stream *s, struct media_leg *leg,
		    struct media_sock *sock)
{
	int queues = event_base_get_npriorities(s->relay->base);

	sock->leg = leg;
	if (event_assign(&sock->ev, s->relay->base, sock->fd,
			 EV_READ | EV_PERSIST, media_sock_on_readable, sock) ||
	    (queues > 1 && event_priority_set(&sock->ev, queues - 1)) ||
	    event_add(&sock->ev, NULL))
		return ENOMEM;
	sock->armed = true;
	return 0;
}

static int stream_rates(struct media_stream *s,
			const struct media_stream_opts *opts)
{
	for (size_t i = 0; i < 128; i++)
		s->rates[i] = MEDIA_DEFAULT_RATE;
	for (size_t i = 0; i < opts->nrates; i++) {
		const struct media_pt_rate *r = &opts->rates[i];

		if (r->pt > 127 || r->rate == 0)
			return EINVAL;
		s->rates[r->pt] = r->rate;
	}
	return 0;
}

/* Ports, events and keys of both legs. */
static int stream_open(struct media_stream *s,
		       const struct media_stream_opts *opts)
{
	int rc;

	for (int i = 0; i < 2; i++) {
		struct media_leg *leg = &s->leg[i];

		if ((rc = media_relay_ports(s->relay, leg)) ||
		    (rc = sock_arm(s, leg, &leg->rtp)) ||
		    (rc = sock_arm(s, leg, &leg->rtcp)) ||
		    (rc = media_stream_set_keys(s, (enum media_side)i,
						&opts->side[i].recv_key,
						&opts->side[i].send_key)))
			return rc;
	}
	return 0;
}

int media_stream_new(struct media_relay *relay,
		     const struct media_stream_opts *opts,
		     struct media_stream **out)
{
	static const struct media_stream_opts none;
	struct media_stream *s;
	uint32_t timeout;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &none;
	if (relay->max_streams && relay->nstreams >= relay->max_streams)
		return ENOSPC;
	if (!(s = tnd_calloc(1, sizeof(*s))))
		return ENOMEM;
	relay->nstreams++;
	s->relay = relay;
	for (int i = 0; i < 2; i++) {
		s->leg[i].stream = s;
		s->leg[i].side = (enum media_side)i;
		s->leg[i].rtp.fd = s->leg[i].rtcp.fd = -1;
		s->leg[i].rtcp_mux = opts->side[i].rtcp_mux;
	}
	if ((rc = stream_rates(s, opts)) || (rc = stream_open(s, opts))) {
		media_stream_free(s);
		return rc;
	}
	s->idle_fn = opts->idle_fn;
	s->idle_arg = opts->idle_arg;
	timeout = opts->timeout_ms ? opts->timeout_ms : relay->timeout_ms;
	media_stream_set_timeout(s, timeout);
	*out = s;
	return 0;
}

void media_stream_free(struct media_stream *s)
{
	if (!s)
		return;
	tnd_timer_cancel(s->relay->timers, &s->timer);
	for (int i = 0; i < 2; i++) {
		struct media_leg *leg = &s->leg[i];

		media_sock_close(&leg->rtp);
		media_sock_close(&leg->rtcp);
		media_srtp_session_free(leg->srtp_in);
		media_srtp_session_free(leg->srtp_out);
	}
	s->relay->nstreams--;
	tnd_free(s);
}

void media_stream_local(const struct media_stream *s, enum media_side side,
			const char **addr, uint16_t *rtp_port,
			uint16_t *rtcp_port)
{
	const struct media_leg *leg = &s->leg[side != MEDIA_SIDE_A];

	*addr = s->relay->advertise;
	*rtp_port = leg->rtp.port;
	*rtcp_port = leg->rtcp.port;
}

int media_stream_set_keys(struct media_stream *s, enum media_side side,
			  const struct media_srtp_key *recv_key,
			  const struct media_srtp_key *send_key)
{
	static const struct media_srtp_key plain;
	struct media_leg *leg = &s->leg[side != MEDIA_SIDE_A];
	void *in = NULL, *out = NULL;
	int rc;

	if (((recv_key && recv_key->suite != MEDIA_SRTP_NONE) ||
	     (send_key && send_key->suite != MEDIA_SRTP_NONE)) &&
	    (rc = media_relay_srtp_start(s->relay)))
		return rc;
	if ((rc = media_srtp_session_new(recv_key ? recv_key : &plain, true,
					 &in)) ||
	    (rc = media_srtp_session_new(send_key ? send_key : &plain, false,
					 &out))) {
		media_srtp_session_free(in);
		return rc;
	}
	media_srtp_session_free(leg->srtp_in);
	media_srtp_session_free(leg->srtp_out);
	leg->srtp_in = in;
	leg->srtp_out = out;
	return 0;
}

/* Copies a remote address of the relay's family; 0 or an errno. */
static int remote_copy(const struct media_stream *s, const struct sockaddr *sa,
		       socklen_t len, struct media_addr *out)
{
	int family = s->relay->bind.ss.ss_family;
	socklen_t want = family == AF_INET ? sizeof(struct sockaddr_in)
					   : sizeof(struct sockaddr_in6);

	if (!sa || len < sizeof(sa->sa_family) || len > sizeof(out->ss))
		return EINVAL;
	if (sa->sa_family != family)
		return EAFNOSUPPORT;
	if (len < want)
		return EINVAL;
	memset(out, 0, sizeof(*out));
	memcpy(&out->ss, sa, want);
	out->len = want;
	return 0;
}

static uint16_t addr_port(const struct media_addr *a)
{
	return ntohs(a->ss.ss_family == AF_INET
			 ? ((const struct sockaddr_in *)&a->ss)->sin_port
			 : ((const struct sockaddr_in6 *)&a->ss)->sin6_port);
}

static bool addr_is_hold(const struct media_addr *a)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&a->ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&a->ss;

	if (addr_port(a) == 0)
		return true;
	if (a->ss.ss_family == AF_INET)
		return sin->sin_addr.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr);
}

int media_stream_set_remote(struct media_stream *s, enum media_side side,
			    const struct sockaddr *rtp, socklen_t rtp_len,
			    const struct sockaddr *rtcp, socklen_t rtcp_len,
			    bool rtcp_mux)
{
	struct media_leg *leg = &s->leg[side != MEDIA_SIDE_A];
	struct media_addr a, c;
	int rc;

	if ((rc = remote_copy(s, rtp, rtp_len, &a)))
		return rc;
	if (rtcp) {
		if ((rc = remote_copy(s, rtcp, rtcp_len, &c)))
			return rc;
	} else {
		uint16_t port = addr_port(&a);
		uint16_t next = htons(port ? (uint16_t)(port + 1) : 0);

		c = a;
		if (c.ss.ss_family == AF_INET)
			((struct sockaddr_in *)&c.ss)->sin_port = next;
		else
			((struct sockaddr_in6 *)&c.ss)->sin6_port = next;
	}
	leg->sdp_rtp = a;
	leg->sdp_rtcp = c;
	leg->held = addr_is_hold(&a);
	leg->told = true;
	leg->rtcp_mux = rtcp_mux;
	/* A new offer or answer: the side may have moved; learn again. */
	leg->latch_rtp = (struct media_latch){ 0 };
	leg->latch_rtcp = (struct media_latch){ 0 };
	return 0;
}

int media_stream_remote(const struct media_stream *s, enum media_side side,
			bool rtcp, struct sockaddr_storage *addr,
			socklen_t *len, bool *latched)
{
	const struct media_leg *leg = &s->leg[side != MEDIA_SIDE_A];
	const struct media_addr *a = media_leg_dest(leg, rtcp);

	if (!a)
		return ENOENT;
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, &a->ss, a->len);
	*len = a->len;
	if (latched)
		*latched =
		    a == &leg->latch_rtp.src || a == &leg->latch_rtcp.src;
	return 0;
}

void media_stream_stats(const struct media_stream *s, enum media_side side,
			struct media_side_stats *out)
{
	const struct media_leg *leg = &s->leg[side != MEDIA_SIDE_A];
	uint32_t rate = s->rates[leg->jitter.pt & 0x7f];

	*out = leg->stats;
	out->ssrc = leg->ssrc;
	out->expected = media_rtp_seq_expected(&leg->seq);
	out->lost = media_rtp_seq_lost(&leg->seq);
	out->jitter_ts = media_rtp_jitter_ts(&leg->jitter);
	out->jitter_ms = (double)out->jitter_ts * 1000.0 / rate;
	out->latched = leg->latch_rtp.latched;
}
