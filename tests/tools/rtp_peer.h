/*
 * rtp_peer: a test tool that plays one phone's media against a relay. It
 * sends RTP (or SRTP) whose payload anyone can check knowing only the
 * sender's SSRC, counts what comes back and prints one verdict line.
 * This header is shared by its three files: rtp_peer.c (sockets, the
 * poll loop, packets and the verdict), rtp_peer_args.c (the command
 * line) and rtp_peer_srtp.c (keys and libsrtp2 sessions). It links
 * nothing of tandem, so that it tests the relay rather than agrees
 * with it.
 */
#ifndef RTP_PEER_H
#define RTP_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <srtp2/srtp.h>

/* An unset numeric option; no option accepts a value this large. */
#define PEER_UNSET UINT64_MAX

struct peer_addr {
	struct sockaddr_storage ss;
	socklen_t len; /* 0: unset */
};

/* RFC 4568 §6.2 and RFC 7714 §14.2 SDES suites. */
enum peer_suite {
	PEER_SUITE_NONE,
	PEER_AES_CM_128_HMAC_SHA1_80,
	PEER_AES_CM_128_HMAC_SHA1_32,
	PEER_AEAD_AES_128_GCM,
	PEER_AEAD_AES_256_GCM,
};

#define PEER_KEY_MAX 44 /* AEAD_AES_256_GCM: 32-byte key, 12-byte salt */

struct peer_key {
	enum peer_suite suite; /* PEER_SUITE_NONE: plain RTP */
	uint8_t bytes[PEER_KEY_MAX];
};

/* Numbers are uint64_t so that one parser, with a maximum, fills all. */
struct peer_opts {
	struct peer_addr bind, to, rtcp_to;
	uint64_t ssrc; /* PEER_UNSET: random */
	uint64_t count, interval_ms, start_delay_ms, pt;
	uint64_t expect_ssrc;        /* PEER_UNSET: nothing is valid */
	uint64_t expect;             /* valid packets needed */
	uint64_t expect_max_foreign; /* PEER_UNSET: unlimited */
	uint64_t duration_ms;        /* PEER_UNSET: sending + linger */
	uint64_t linger_ms;
	uint64_t tamper; /* 0: never */
	struct peer_key srtp_send, srtp_recv;
	const char *print_key; /* a suite name, or NULL */
	bool help;
};

/* rtp_peer_args.c */
void peer_opts_init(struct peer_opts *o);
int peer_args_parse(int argc, char **argv, struct peer_opts *o);
void peer_args_usage(FILE *out);
int peer_addr_parse(const char *s, struct peer_addr *out);
void peer_addr_print(const struct peer_addr *a, char *buf, size_t size);
uint16_t peer_addr_port(const struct peer_addr *a);
void peer_addr_set_port(struct peer_addr *a, uint16_t port);
bool peer_addr_eq(const struct peer_addr *a, const struct peer_addr *b);

/* rtp_peer_srtp.c */
int peer_key_parse(const char *spec, struct peer_key *out, const char **why);
int peer_key_print(const char *suite_name, FILE *out);
int peer_srtp_new(const struct peer_key *key, bool outbound, srtp_t *out);
int peer_random(void *buf, size_t len);

#endif
