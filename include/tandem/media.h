/*
 * The media relay: RTP and RTCP anchored through tandem. The B2BUA asks
 * for one stream per m= line; a stream has two sides, A (the caller's
 * leg) and B (the callee's), each with its own RTP/RTCP port pair on the
 * relay's address. What arrives from one side goes out of the other
 * side's ports to that side's destination: first the address its SDP
 * announced, then the source it is seen sending from (symmetric latching,
 * with an anti-hijack rule). Each side is plain RTP or SRTP (RFC 3711,
 * SDES keys of RFC 4568) on its own, so the relay bridges and re-keys.
 *
 * Media knows nothing of SIP or SDP: it is told remote addresses, payload
 * clock rates and keys, and answers with local ports. It runs on the
 * caller's libevent base and tnd_timers; see docs/media.md for the model
 * and what the B2BUA calls when.
 */
#ifndef TANDEM_MEDIA_H
#define TANDEM_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "tandem/slice.h"
#include "tandem/timer.h"

struct event_base;
struct media_relay;
struct media_stream;

enum media_side {
	MEDIA_SIDE_A = 0, /* the caller's leg */
	MEDIA_SIDE_B = 1, /* the callee's leg */
};

struct media_config {
	/* IPv4 or IPv6 literal the relay's sockets bind to. */
	const char *bind_addr;
	/*
	 * The address written into SDP (the public one behind a 1:1 NAT).
	 * NULL: bind_addr, which must then not be a wildcard (EINVAL).
	 */
	const char *advertise_addr;
	/* Ports for RTP (even) and RTCP (RTP + 1), both ends included. */
	uint16_t port_min, port_max;
	/* No RTP from either side for this long ends a stream; 0: never. */
	uint32_t timeout_ms;
	/* A latched source silent this long may be replaced by another. */
	uint32_t relatch_silence_ms;
	/*
	 * Or: this many consecutive RTP packets from one new source carrying
	 * the latched stream's SSRC move the latch there.
	 */
	uint32_t relatch_packets;
	/* Streams alive at once; 0: as many as the ports allow. */
	uint32_t max_streams;
};
/* "0.0.0.0", 16384-32767, 60 s timeout, relatch after 2 s or 5 packets. */
extern const struct media_config media_config_default;

/* SRTP crypto suites of RFC 4568 §6.2 and RFC 7714 §14.2. */
enum media_srtp_suite {
	MEDIA_SRTP_NONE = 0, /* plain RTP */
	MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80,
	MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32,
	MEDIA_SRTP_AEAD_AES_128_GCM,
	MEDIA_SRTP_AEAD_AES_256_GCM,
};

/* The longest master key + salt: AEAD_AES_256_GCM's 32 + 12 bytes. */
#define MEDIA_SRTP_KEY_MAX 44
/* "inline:" + base64 of MEDIA_SRTP_KEY_MAX bytes + NUL. */
#define MEDIA_SRTP_KEY_TEXT_MAX (7 + 60 + 1)

/* One SDES master key and salt; suite MEDIA_SRTP_NONE means plain. */
struct media_srtp_key {
	enum media_srtp_suite suite;
	uint8_t bytes[MEDIA_SRTP_KEY_MAX]; /* media_srtp_key_len(suite) used */
};

/* The suite named `name` as in a=crypto; 0, or ENOENT. */
int media_srtp_suite_by_name(struct tnd_slice name, enum media_srtp_suite *out);
/* Its a=crypto name, or NULL for MEDIA_SRTP_NONE and unknown values. */
const char *media_srtp_suite_name(enum media_srtp_suite suite);
/* Master key + salt bytes of `suite` (30, 30, 28, 44); 0 for none. */
size_t media_srtp_key_len(enum media_srtp_suite suite);
/* A fresh key from OpenSSL's CSPRNG. 0, EINVAL (no suite) or EIO. */
int media_srtp_key_generate(enum media_srtp_suite suite,
			    struct media_srtp_key *out);
/*
 * The RFC 4568 §6.1 key-params "inline:<base64>" into out[size], NUL
 * terminated (MEDIA_SRTP_KEY_TEXT_MAX always suffices). 0, EINVAL or
 * ENOSPC.
 */
int media_srtp_key_encode(const struct media_srtp_key *key, char *out,
			  size_t size);
/*
 * Reads key-params "inline:<base64>[|lifetime]" for `suite`. The base64
 * must decode to exactly the suite's key length (EINVAL otherwise); a
 * lifetime ("2^31" or digits) is accepted and ignored; an MKI
 * ("|1:4") or a second key (";") is refused with ENOTSUP.
 */
int media_srtp_key_decode(enum media_srtp_suite suite, struct tnd_slice text,
			  struct media_srtp_key *out);

/*
 * A relay on `base` and `timers`, both borrowed for its life. `cfg` NULL
 * means media_config_default; its strings are copied. 0, EINVAL (bad
 * address or port range, wildcard without advertise_addr) or ENOMEM.
 * libsrtp (srtp_init) starts with the first SRTP key any relay is given
 * and stops when the last relay that started it is freed.
 */
int media_relay_new(struct event_base *base, struct tnd_timers *timers,
		    const struct media_config *cfg, struct media_relay **out);
/* Every stream must have been freed first. NULL is fine. */
void media_relay_free(struct media_relay *relay);
/* The configured media timeout, MEDIA_TIMEOUT_OFF when there is none. */
uint32_t media_relay_timeout(const struct media_relay *relay);
/* Streams alive. */
uint32_t media_relay_streams(const struct media_relay *relay);

/* Called once when neither side sent RTP for the stream's timeout. */
typedef void (*media_idle_fn)(void *arg, struct media_stream *stream);

/* Payload type -> RTP clock rate, for jitter (RFC 3550 A.8). */
struct media_pt_rate {
	uint8_t pt;
	uint32_t rate;
};

struct media_side_opts {
	bool rtcp_mux; /* RFC 5761: RTCP on this side's RTP ports */
	/* The key this side sends with: we unprotect what it sends. */
	struct media_srtp_key recv_key;
	/* The key we protect what we send to this side with. */
	struct media_srtp_key send_key;
};

/* Zero-initialised options are plain RTP both ways with the defaults. */
struct media_stream_opts {
	const struct media_pt_rate *rates; /* copied; unlisted types: 8000 */
	size_t nrates;
	struct media_side_opts side[2]; /* by enum media_side */
	/* 0: the relay's timeout_ms; MEDIA_TIMEOUT_OFF: none. */
	uint32_t timeout_ms;
	media_idle_fn idle_fn;
	void *idle_arg;
};
#define MEDIA_TIMEOUT_OFF UINT32_MAX

/*
 * A stream with an RTP/RTCP port pair bound for each side. 0; ENOSPC
 * when the port range (or max_streams) is exhausted, so the caller can
 * refuse the new call and leave running ones alone; EINVAL (a key with
 * a bad suite, a rate of 0), ENOMEM, EIO (libsrtp refused a key), or the
 * socket's errno (EMFILE, EACCES...).
 */
int media_stream_new(struct media_relay *relay,
		     const struct media_stream_opts *opts,
		     struct media_stream **out);
/* Closes the ports and cancels the timer. NULL is fine. */
void media_stream_free(struct media_stream *stream);

/* What to advertise to `side`: the address text and its two ports. */
void media_stream_local(const struct media_stream *stream, enum media_side side,
			const char **addr, uint16_t *rtp_port,
			uint16_t *rtcp_port);

/*
 * Where `side` said it receives (its SDP's c= and m= lines), again
 * after each re-INVITE; it re-opens latching for that side. `rtcp` NULL
 * means the RTP address with port + 1. A wildcard address (0.0.0.0, ::)
 * or port 0 holds the side: nothing is sent to it until the next call.
 * The family must be the bind address's (EAFNOSUPPORT); 0 or EINVAL.
 */
int media_stream_set_remote(struct media_stream *stream, enum media_side side,
			    const struct sockaddr *rtp, socklen_t rtp_len,
			    const struct sockaddr *rtcp, socklen_t rtcp_len,
			    bool rtcp_mux);
/*
 * Replaces `side`'s SRTP keys (either may be NULL or MEDIA_SRTP_NONE for
 * plain in that direction). 0, EINVAL or EIO; on failure the side keeps
 * its previous keys.
 */
int media_stream_set_keys(struct media_stream *stream, enum media_side side,
			  const struct media_srtp_key *recv_key,
			  const struct media_srtp_key *send_key);
/* A new timeout from now (MEDIA_TIMEOUT_OFF or 0: none), e.g. on hold. */
void media_stream_set_timeout(struct media_stream *stream, uint32_t timeout_ms);

/*
 * Where the stream sends `side`'s RTP (rtcp false) or RTCP: the latched
 * source if latched, else the SDP address. 0, or ENOENT when there is
 * none (not told yet, or held). `latched` may be NULL.
 */
int media_stream_remote(const struct media_stream *stream, enum media_side side,
			bool rtcp, struct sockaddr_storage *addr,
			socklen_t *len, bool *latched);

/*
 * Per side: what the relay received from that side and forwarded to the
 * other (the direction side -> other side), and what that side reported
 * in its own RTCP about what it receives. See docs/media.md.
 */
struct media_side_stats {
	uint64_t rtp_packets_in, rtp_bytes_in;   /* every datagram */
	uint64_t rtp_packets_out, rtp_bytes_out; /* as sent, SRTP included */
	uint64_t rtcp_packets_in, rtcp_bytes_in;
	uint64_t rtcp_packets_out, rtcp_bytes_out;
	/* Dropped, RTP and RTCP together. */
	uint64_t dropped_stranger;  /* from a source other than the latch */
	uint64_t dropped_malformed; /* not RTP/RTCP version 2 */
	uint64_t dropped_srtp;      /* authentication or replay failure */
	uint64_t dropped_no_dest;   /* the other side has no destination */
	uint64_t dropped_send;      /* sendto or protect failed */
	/* RFC 3550 A.1/A.3 over the current SSRC's sequence numbers. */
	uint32_t ssrc;
	uint64_t expected;
	int64_t lost; /* negative with duplicates */
	/* RFC 3550 A.8 interarrival jitter. */
	uint32_t jitter_ts; /* in timestamp units */
	double jitter_ms;
	/* The first report block of the last SR/RR this side sent. */
	bool report_valid;
	uint32_t report_ssrc;         /* the source it reports on */
	uint8_t report_fraction_lost; /* fixed point, /256 */
	int32_t report_cumulative_lost;
	uint32_t report_highest_seq;
	uint32_t report_jitter_ts;
	/* Latching. */
	bool latched;
	uint64_t relatches;
	uint64_t last_rtp_ms; /* tnd_timers_now of the last valid RTP */
};

void media_stream_stats(const struct media_stream *stream, enum media_side side,
			struct media_side_stats *out);

#endif
