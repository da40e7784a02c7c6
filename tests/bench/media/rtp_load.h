/*
 * rtp_load: the load generator of the media relay benchmark
 * (scripts/bench-media.sh). One process plays both phones of N calls
 * through a relay (tandem, driven by SIP; rtpengine, driven by its ng
 * protocol; udp_forward, the least a relay in another process can be:
 * a fixed pair of ports per call, no signalling; or none, the phones
 * talking directly, to show the generator's own floor), sends RTP or
 * SRTP at a fixed rate each way, and measures what comes back: counts,
 * loss and one-way latency, and the CPU time the relay and the
 * generator spent meanwhile.
 *
 * This header is shared by its files: rtp_load.c (the command line and
 * the phases of a run), load_loop.c (epoll, the clock and the tick),
 * load_stream.c (sockets, the send schedule, receive, statistics),
 * load_sip_uac.c, load_sip_uas.c and load_sip_msg.c (a minimal SIP UA:
 * caller, callee, messages),
 * load_ng.c (the rtpengine ng client), load_sdp.c (SDP and SDES keys),
 * load_srtp.c (SRTP through libsrtp2)
 * and load_cpu.c (/proc readers). It links nothing of tandem, so that
 * it measures the relay rather than shares its code.
 */
#ifndef RTP_LOAD_H
#define RTP_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <netinet/in.h>

#define NS_PER_US UINT64_C(1000)
#define NS_PER_MS UINT64_C(1000000)
#define NS_PER_S  UINT64_C(1000000000)

/* RFC 3261 §17.1.1.1: T1, and 64*T1 before a transaction gives up. */
#define LOAD_T1_MS      500
#define LOAD_T2_MS      4000
#define LOAD_TIMEOUT_MS (64 * LOAD_T1_MS)

/* SDES AES_CM_128_HMAC_SHA1_80: 16 bytes of key, 14 of salt
 * (RFC 4568 §6.2.1), 40 characters of base64. */
#define LOAD_KEY_LEN 30
#define LOAD_KEY_B64 41

/* Latency histogram: 1 µs buckets up to 100 ms, then one overflow. */
#define LOAD_HIST_US 100000

struct load_slice {
	const char *p;
	size_t len;
};

enum load_relay {
	LOAD_RELAY_TANDEM,
	LOAD_RELAY_RTPENGINE,
	LOAD_RELAY_DIRECT,
	LOAD_RELAY_FORWARD, /* udp_forward: call k on ports LO+2k, LO+2k+1 */
};

enum load_side_id {
	LOAD_A = 0, /* the caller */
	LOAD_B = 1, /* the callee */
};

/* One phone's end of a call's media: a socket of its own (the relay
 * latches on it), where to send, and the stream it sends. */
struct load_side {
	int fd;
	uint16_t port;
	struct sockaddr_in to; /* the relay's port for this side */
	bool sending;
	struct load_srtp *tx, *rx; /* SRTP mix, side A only; NULL: plain */
	uint32_t ssrc;
	uint16_t seq;
	uint32_t rtp_ts;
	uint64_t next_ns;       /* the next send, CLOCK_MONOTONIC */
	struct load_side *next; /* in its wheel slot */
	struct load_call *call;
	enum load_side_id id;
};

enum load_call_state {
	LOAD_CALL_IDLE,
	LOAD_CALL_SETUP,  /* signalling under way */
	LOAD_CALL_UP,     /* both sides know where to send */
	LOAD_CALL_ENDING, /* BYE or delete under way */
	LOAD_CALL_DONE,
	LOAD_CALL_FAILED,
};

/* The SIP state of one call: caller (uac) and callee (uas). */
enum load_uac_state {
	LOAD_UAC_IDLE,
	LOAD_UAC_CALLING,
	LOAD_UAC_PROCEEDING,
	LOAD_UAC_UP,
	LOAD_UAC_BYE,
	LOAD_UAC_DONE,
};
enum load_uas_state {
	LOAD_UAS_IDLE,
	LOAD_UAS_ANSWERED, /* 200 sent, no ACK yet */
	LOAD_UAS_UP,
	LOAD_UAS_DONE,
};
struct load_sip_call {
	uint8_t uac, uas; /* enum load_uac_state, enum load_uas_state */
	uint8_t uac_tries, uas_tries;
	uint64_t uac_retry_ns, uac_since_ns;
	uint64_t uas_retry_ns, uas_since_ns;
	char *to;      /* the To of the caller's 2xx, with its tag */
	char *contact; /* that 2xx's Contact URI: ACK and BYE go there */
	char *answer;  /* the callee's 200, kept for retransmission */
};

/* The ng state of one call (rtpengine). */
struct load_ng_call {
	uint8_t state; /* private enum of load_ng.c */
	uint8_t tries;
	uint32_t seq; /* of the pending request's cookie */
	uint64_t retry_ns, since_ns;
};

struct load_call {
	unsigned idx;
	enum load_call_state state;
	struct load_side side[2];
	uint8_t key_a[LOAD_KEY_LEN]; /* what A sends with (SRTP mix) */
	struct load_sip_call sip;
	struct load_ng_call ng;
};

/* What is measured: packets sent within the window, and packets whose
 * send time (carried in the payload) lies within it, whenever they
 * arrive (up to the drain after it). Index: the sending side. */
struct load_stats {
	uint64_t win_start, win_end; /* 0: not yet */
	uint64_t sent[2], recv[2];
	uint64_t foreign;   /* arrived on another call's or side's socket */
	uint64_t malformed; /* not our packet, or shorter */
	uint64_t rtcp;     /* RTCP (RFC 5761 §4), which rtp_load never sends */
	uint64_t bad_srtp; /* srtp_unprotect refused it */
	uint64_t send_err; /* srtp_protect or sendto failed */
	uint64_t late;     /* the schedule slipped a whole period */
	uint32_t *hist;    /* LOAD_HIST_US + 1 buckets */
};

struct load_opts {
	enum load_relay relay;
	bool srtp;
	unsigned calls;
	unsigned pps;        /* per direction per call */
	unsigned setup_rate; /* calls started per second */
	unsigned warmup_ms, window_ms, drain_ms;
	struct sockaddr_in sip; /* tandem's SIP address */
	uint16_t uac_port, uas_port;
	struct sockaddr_in ng; /* rtpengine's ng address */
	uint16_t forward_port; /* udp_forward's first port (LO) */
	pid_t relay_pid;       /* 0: none */
};

/* The send schedule: a timer wheel of 1 ms slots. */
#define LOAD_WHEEL_SLOTS 128
struct load_wheel {
	struct load_side *slot[LOAD_WHEEL_SLOTS];
	uint64_t done_ms; /* every slot up to this one has run */
};

struct load_ctx {
	const struct load_opts *o;
	uint32_t run_id; /* in Call-IDs and cookies: steps never clash */
	uint64_t period_ns;
	int epfd, timerfd;
	int uac_fd, uas_fd, ng_fd;
	struct load_call *calls;
	struct load_wheel wheel;
	struct load_stats st;
	uint64_t now;       /* CLOCK_MONOTONIC ns, read once per wake-up */
	uint64_t next_scan; /* of the retransmission timers */
	unsigned up, failed, ended, end_failed;
};

/* load_loop.c: epoll tags, the clock, one wake-up. */
enum load_tag {
	LOAD_TAG_TIMER,
	LOAD_TAG_UAC,
	LOAD_TAG_UAS,
	LOAD_TAG_NG,
	LOAD_TAG_SIDE_A,
	LOAD_TAG_SIDE_B,
};
uint64_t load_now(void);
int load_loop_open(struct load_ctx *c);
int load_loop_watch(struct load_ctx *c, int fd, enum load_tag tag,
		    unsigned idx);
void load_loop_close(struct load_ctx *c);
void load_loop_once(struct load_ctx *c);
int load_udp_open(uint16_t port, uint16_t *bound);
int load_addr_parse(const char *s, struct sockaddr_in *out);

/* load_stream.c */
int load_sides_open(struct load_ctx *c);
void load_sides_close(struct load_ctx *c);
int load_side_set_keys(struct load_side *s, const uint8_t *tx_key,
		       const uint8_t *rx_key);
void load_side_start(struct load_ctx *c, struct load_side *s);
void load_side_stop(struct load_side *s);
void load_wheel_run(struct load_ctx *c);
void load_side_receive(struct load_ctx *c, struct load_side *s);
uint32_t load_hist_percentile(const struct load_stats *st, double pct);

/* load_sip_uac.c and load_sip_uas.c: tandem. start/end begin a
 * call's INVITE or BYE; the receivers take what the sockets hold; retry
 * retransmits what is due and gives up after 64*T1. */
void load_sip_start(struct load_ctx *c, struct load_call *call);
void load_sip_end(struct load_ctx *c, struct load_call *call);
void load_sip_uac_receive(struct load_ctx *c);
void load_sip_uas_receive(struct load_ctx *c);
void load_sip_retry(struct load_ctx *c, struct load_call *call);
void load_sip_uas_retry(struct load_ctx *c, struct load_call *call);
void load_sip_check_ended(struct load_ctx *c, struct load_call *call);
void load_sip_free(struct load_call *call);

/* load_sip_msg.c: just enough of RFC 3261 §7 to play both phones. */
#define LOAD_SIP_MSG_MAX 4096
#define LOAD_SIP_VIAS    4
struct load_sip_msg {
	bool request;
	unsigned status;
	struct load_slice method, uri;
	struct load_slice via[LOAD_SIP_VIAS];
	unsigned nvia;
	struct load_slice from, to, call_id, cseq, contact, body;
};
int load_sip_parse(const char *buf, size_t len, struct load_sip_msg *m);
struct load_slice load_sip_uri_user(struct load_slice uri);
struct load_slice load_sip_nameaddr_uri(struct load_slice v);
bool load_sip_cseq_is(struct load_slice cseq, const char *method);
int load_sip_call_of(const struct load_ctx *c, struct load_slice s,
		     unsigned *idx);
int load_sip_response(const struct load_sip_msg *m, const char *status,
		      const char *tag, const char *tail, char *b);
void load_sip_send(struct load_ctx *c, int fd, const struct sockaddr_in *to,
		   const char *msg, int len);
void load_sip_retry_arm(struct load_ctx *c, uint64_t *at, uint8_t *tries,
			bool capped);
bool load_sip_expired(const struct load_ctx *c, uint64_t since);
char *load_slice_dup(struct load_slice s);
bool load_slice_eq(struct load_slice s, const char *lit);
int load_slice_uint(struct load_slice s, unsigned *out);

/* load_ng.c: rtpengine. */
void load_ng_start(struct load_ctx *c, struct load_call *call);
void load_ng_end(struct load_ctx *c, struct load_call *call);
void load_ng_receive(struct load_ctx *c);
void load_ng_retry(struct load_ctx *c, struct load_call *call);

/* load_srtp.c: AES_CM_128_HMAC_SHA1_80 for one direction, libsrtp2. */
struct load_srtp;
int load_srtp_start(void);
void load_srtp_stop(void);
int load_srtp_new_tx(const uint8_t *master, struct load_srtp **out);
int load_srtp_new_rx(const uint8_t *master, struct load_srtp **out);
void load_srtp_free(struct load_srtp *s);
int load_srtp_protect(struct load_srtp *s, uint8_t *pkt, int *len);
int load_srtp_unprotect(struct load_srtp *s, uint8_t *pkt, int *len);

/* load_sdp.c */
struct load_sdp {
	uint16_t port;
	struct in_addr addr;
	bool has_key;
	uint8_t key[LOAD_KEY_LEN];
};
int load_sdp_print(char *buf, size_t size, const char *user, uint16_t port,
		   const uint8_t *key);
int load_sdp_parse(struct load_slice body, struct load_sdp *out);
int load_key_random(uint8_t *key);

/* Shared by the signalling files: the call is up or failed. */
void load_call_up(struct load_ctx *c, struct load_call *call);
void load_call_failed(struct load_ctx *c, struct load_call *call,
		      const char *why);
void load_call_ended(struct load_ctx *c, struct load_call *call, bool ok);

/* load_cpu.c: CPU time from /proc. */
struct load_cpu {
	uint64_t relay_ticks; /* utime + stime, all its threads */
	uint64_t self_ns;     /* this process */
	uint64_t all_ticks;   /* every process, and what they reaped */
	uint64_t rcvbuf_errors;
	uint64_t at_ns;
};
void load_cpu_read(pid_t relay, struct load_cpu *out);

#endif
