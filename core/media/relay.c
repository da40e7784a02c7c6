/*
 * The relay: its configuration (bind and advertised addresses, the port
 * range of ARCHITECTURE.md "Ports", timeouts and relatch rules), the
 * receive batch every socket callback reads into, and port allocation:
 * RTP on an even port, RTCP on the odd one above it, walked from a
 * rotating cursor past ports something else holds. Streams live in
 * stream.c; the relay only counts them.
 */
#include "media_int.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "tandem/mem.h"

const struct media_config media_config_default = {
	.bind_addr = "0.0.0.0",
	.advertise_addr = NULL,
	.port_min = 16384,
	.port_max = 32767,
	.timeout_ms = 60000,
	.relatch_silence_ms = 2000,
	.relatch_packets = 5,
	.max_streams = 0,
};

/* An IPv4 or IPv6 literal with port 0; 0 or EINVAL. */
static int addr_parse(const char *text, struct media_addr *out)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&out->ss;

	memset(out, 0, sizeof(*out));
	if (!text)
		return EINVAL;
	if (inet_pton(AF_INET, text, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		out->len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		out->len = sizeof(*sin6);
		return 0;
	}
	return EINVAL;
}

static bool addr_is_wildcard(const struct media_addr *a)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&a->ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&a->ss;

	if (a->ss.ss_family == AF_INET)
		return sin->sin_addr.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr);
}

/* Range and addresses from `cfg` into `r`; 0 or EINVAL. */
static int relay_configure(struct media_relay *r,
			   const struct media_config *cfg)
{
	const char *adv = cfg->advertise_addr;
	uint32_t min = (cfg->port_min + 1u) & ~1u, max = cfg->port_max;

	if (addr_parse(cfg->bind_addr, &r->bind))
		return EINVAL;
	if (!adv && addr_is_wildcard(&r->bind))
		return EINVAL; /* nothing sensible to write into SDP */
	if (!adv)
		adv = cfg->bind_addr;
	if (!*adv || strlen(adv) >= sizeof(r->advertise))
		return EINVAL;
	strcpy(r->advertise, adv);
	if (!(max & 1))
		max--;
	if (min == 0 || min > 65534 || max > 65535 || min + 1 > max)
		return EINVAL;
	r->port_min = (uint16_t)min;
	r->port_max = (uint16_t)max;
	r->cursor = r->port_min;
	r->timeout_ms = cfg->timeout_ms;
	r->relatch_silence_ms = cfg->relatch_silence_ms;
	r->relatch_packets = cfg->relatch_packets;
	r->max_streams = cfg->max_streams;
	return 0;
}

int media_relay_new(struct event_base *base, struct tnd_timers *timers,
		    const struct media_config *cfg, struct media_relay **out)
{
	struct media_relay *r;
	int rc;

	*out = NULL;
	if (!cfg)
		cfg = &media_config_default;
	if (!(r = tnd_calloc(1, sizeof(*r))))
		return ENOMEM;
	r->base = base;
	r->timers = timers;
	if ((rc = relay_configure(r, cfg))) {
		tnd_free(r);
		return rc;
	}
	for (int i = 0; i < MEDIA_BATCH; i++) {
		r->iov[i].iov_base = r->bufs[i];
		r->iov[i].iov_len = MEDIA_READ_MAX;
		r->msgs[i].msg_hdr.msg_iov = &r->iov[i];
		r->msgs[i].msg_hdr.msg_iovlen = 1;
		r->msgs[i].msg_hdr.msg_name = &r->src[i].ss;
	}
	*out = r;
	return 0;
}

void media_relay_free(struct media_relay *relay)
{
	if (!relay)
		return;
	assert(relay->nstreams == 0); /* streams borrow the relay */
	if (relay->srtp_started)
		media_srtp_stop();
	tnd_free(relay);
}

/*
 * libsrtp starts with the first key, not with the relay: its crypto
 * backend's start-up makes the process's allocator take locks from then
 * on, a cost a relay that never sees SRTP need not pay.
 */
int media_relay_srtp_start(struct media_relay *relay)
{
	int rc;

	if (relay->srtp_started)
		return 0;
	if ((rc = media_srtp_start()))
		return rc;
	relay->srtp_started = true;
	return 0;
}

uint32_t media_relay_timeout(const struct media_relay *relay)
{
	return relay->timeout_ms ? relay->timeout_ms : MEDIA_TIMEOUT_OFF;
}

uint32_t media_relay_streams(const struct media_relay *relay)
{
	return relay->nstreams;
}

/* A non-blocking UDP socket bound to `port`; 0 or the failing errno. */
static int sock_bind(const struct media_relay *r, uint16_t port, int *out)
{
	struct media_addr a = r->bind;
	int fd, rc;

	if (a.ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a.ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&a.ss)->sin6_port = htons(port);
	fd = socket(a.ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return errno;
	if (bind(fd, (struct sockaddr *)&a.ss, a.len) < 0) {
		rc = errno;
		close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

static uint16_t cursor_next(struct media_relay *r)
{
	uint16_t port = r->cursor;

	r->cursor =
	    port + 2 > r->port_max - 1 ? r->port_min : (uint16_t)(port + 2);
	return port;
}

int media_relay_ports(struct media_relay *r, struct media_leg *leg)
{
	uint32_t pairs = ((uint32_t)r->port_max - r->port_min + 1) / 2;

	for (uint32_t i = 0; i < pairs; i++) {
		uint16_t port = cursor_next(r);
		int rtp, rtcp, rc;

		if ((rc = sock_bind(r, port, &rtp))) {
			if (rc == EADDRINUSE)
				continue;
			return rc;
		}
		if ((rc = sock_bind(r, (uint16_t)(port + 1), &rtcp))) {
			close(rtp);
			if (rc == EADDRINUSE)
				continue;
			return rc;
		}
		leg->rtp.fd = rtp;
		leg->rtp.port = port;
		leg->rtcp.fd = rtcp;
		leg->rtcp.port = (uint16_t)(port + 1);
		leg->rtcp.rtcp = true;
		return 0;
	}
	return ENOSPC;
}

void media_sock_close(struct media_sock *s)
{
	if (s->armed)
		event_del(&s->ev);
	s->armed = false;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
