/*
 * Private structures of the media layer, shared by its files: the relay
 * (relay.c: config, port allocation, the receive batch), the stream and
 * its two legs (stream.c: life, remotes, keys, timeout, stats), the
 * packet path (stream_io.c: receive, latch, SRTP, forward) and the
 * libsrtp wrapper (srtp.c).
 */
#ifndef TANDEM_MEDIA_INT_H
#define TANDEM_MEDIA_INT_H

#define _GNU_SOURCE /* recvmmsg */
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#include "tandem/media.h"
#include "tandem/media_rtp.h"
#include "tandem/timer.h"

/* Datagrams read per recvmmsg call, and batches per readable event. */
#define MEDIA_BATCH   16
#define MEDIA_BATCHES 4
/* The largest datagram relayed; a longer one is dropped as malformed. */
#define MEDIA_READ_MAX 2048
/* Room behind it for an SRTP/SRTCP trailer (libsrtp's rule). */
#define MEDIA_BUF_SIZE (MEDIA_READ_MAX + 256)

/* An address the relay sends to or compares sources with. */
struct media_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

struct media_relay {
	struct event_base *base;
	struct tnd_timers *timers;
	struct media_addr bind; /* port 0 */
	char advertise[64];
	uint16_t port_min, port_max; /* even min, odd max */
	uint16_t cursor;             /* the next RTP port tried */
	uint32_t timeout_ms, relatch_silence_ms, relatch_packets;
	uint32_t max_streams, nstreams;
	bool srtp_started; /* libsrtp is started for this relay */
	/* The receive batch, reused by every socket callback. */
	struct mmsghdr msgs[MEDIA_BATCH];
	struct iovec iov[MEDIA_BATCH];
	struct media_addr src[MEDIA_BATCH];
	_Alignas(16) uint8_t bufs[MEDIA_BATCH][MEDIA_BUF_SIZE];
};

struct media_leg;

/* One bound UDP socket and its read event. */
struct media_sock {
	int fd;
	uint16_t port;
	bool rtcp; /* the RTCP port of the pair */
	bool armed;
	struct event ev;
	struct media_leg *leg;
};

/* Where a side's packets come from (RFC 3550 has no word; NAT lore). */
struct media_latch {
	bool latched;
	struct media_addr src;
	uint64_t last_ms;       /* last packet accepted from src */
	struct media_addr cand; /* a new source proving itself */
	uint32_t cand_count;
};

struct media_leg {
	struct media_stream *stream;
	enum media_side side;
	struct media_sock rtp, rtcp;
	bool rtcp_mux;
	bool told; /* set_remote called */
	bool held; /* told a wildcard address or port 0 */
	struct media_addr sdp_rtp, sdp_rtcp;
	struct media_latch latch_rtp, latch_rtcp;
	uint32_t ssrc; /* current SSRC of the latched RTP */
	bool have_ssrc;
	void *srtp_in;  /* unprotects what this side sends; NULL: plain */
	void *srtp_out; /* protects what we send to it; NULL: plain */
	struct media_rtp_seq seq;
	struct media_rtp_jitter jitter;
	struct media_side_stats stats;
};

struct media_stream {
	struct media_relay *relay;
	struct media_leg leg[2];
	uint32_t rates[128]; /* clock rate by payload type */
	uint32_t timeout_ms; /* 0: none */
	uint64_t last_rtp_ms;
	bool idle_called;
	struct tnd_timer timer;
	media_idle_fn idle_fn;
	void *idle_arg;
};

/* relay.c: binds an RTP/RTCP pair for `leg`. 0, ENOSPC or an errno. */
int media_relay_ports(struct media_relay *r, struct media_leg *leg);
void media_sock_close(struct media_sock *s);

/* stream_io.c */
void media_sock_on_readable(evutil_socket_t fd, short what, void *arg);
/* Where `leg` is sent RTP or RTCP to; NULL when nowhere (held, untold). */
const struct media_addr *media_leg_dest(const struct media_leg *leg, bool rtcp);
bool media_addr_eq(const struct media_addr *a, const struct media_addr *b);
void media_leg_process(struct media_leg *leg, bool rtcp_port, uint8_t *buf,
		       size_t len, const struct media_addr *src, uint64_t now);

/* srtp.c */
int media_srtp_start(void);
void media_srtp_stop(void);
/* A libsrtp session for `key` (NULL out for MEDIA_SRTP_NONE). */
/* Starts libsrtp for the relay at its first key; 0 or EIO. */
int media_relay_srtp_start(struct media_relay *relay);
int media_srtp_session_new(const struct media_srtp_key *key, bool inbound,
			   void **out);
void media_srtp_session_free(void *session);
int media_srtp_unprotect(void *session, bool rtcp, uint8_t *buf, size_t *len);
/* `buf` must have SRTP_MAX_TRAILER_LEN + 4 bytes of room after *len. */
int media_srtp_protect(void *session, bool rtcp, uint8_t *buf, size_t *len);

#endif
