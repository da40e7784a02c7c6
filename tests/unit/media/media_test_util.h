/*
 * Helpers for the media tests: a relay on a fresh libevent base and a
 * manual clock, bound to 127.0.0.1 on a port range chosen from the
 * process id (so parallel test processes rarely meet); peers that are
 * plain UDP sockets; a loop pump that runs the base without blocking
 * until a peer has a datagram or a bounded number of rounds has passed;
 * and an RTP packet builder.
 */
#ifndef TANDEM_MEDIA_TEST_UTIL_H
#define TANDEM_MEDIA_TEST_UTIL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tandem/media.h"
#include "tandem/timer.h"

#define MT_START_MS 1000000

struct mt_env {
	struct event_base *base;
	struct tnd_timers timers;
	struct media_relay *relay;
	uint16_t port_base; /* the first port of this process's range */
};

/* The relay's config for this process: 127.0.0.1, ten ports. */
struct media_config mt_config(void);
/* `cfg` NULL: mt_config(). 0, or the relay's error (nothing left open). */
int mt_env_open(struct mt_env *e, const struct media_config *cfg);
void mt_env_close(struct mt_env *e);

/* A non-blocking UDP socket on 127.0.0.1:0 and its address; -1 on error. */
int mt_peer(struct sockaddr_in *addr);
void mt_peer_close(int fd);
void mt_send(int fd, const struct sockaddr_in *to, const void *buf, size_t len);
/* The relay's address for `side` (RTP port, or RTCP port when rtcp). */
struct sockaddr_in mt_local(const struct media_stream *s, enum media_side side,
			    bool rtcp);
/* Tells `side` its remote is `rtp` (RTCP: port + 1, unless mux). */
int mt_remote(struct media_stream *s, enum media_side side,
	      const struct sockaddr_in *rtp, bool mux);

/* Runs the loop until fd reads a datagram: its length, or -1. */
ssize_t mt_recv(struct mt_env *e, int fd, void *buf, size_t size,
		struct sockaddr_in *from);
/* Sends an RTP packet (sequence `seq`, SSRC `ssrc`) from fd to the relay
 * at `to`; true when `dst` receives exactly those bytes. */
bool mt_relays(struct mt_env *e, int fd, const struct sockaddr_in *to, int dst,
	       uint16_t seq, uint32_t ssrc);
/* Runs the loop a few rounds; true when fd then has nothing to read. */
bool mt_quiet(struct mt_env *e, int fd);

/* An RTP packet (RFC 3550 §5.1) with a text payload; returns its size. */
size_t mt_rtp(uint8_t *buf, uint8_t pt, uint16_t seq, uint32_t ts,
	      uint32_t ssrc, const char *payload);
/* An RTCP RR with one report block (RFC 3550 §6.4.2); 32 bytes. */
size_t mt_rr(uint8_t *buf, uint32_t ssrc, uint32_t source, uint8_t fraction,
	     int32_t cumulative, uint32_t highest, uint32_t jitter);

bool mt_addr_eq(const struct sockaddr_in *a, const struct sockaddr_in *b);

#endif
