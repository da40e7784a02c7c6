/*
 * The flat C surface the Lua side of the API calls through LuaJIT's FFI.
 * lua/tandem/core.lua holds the matching ffi.cdef: change both together
 * and bump TND_FFI_ABI_VERSION, which the Lua side checks at load.
 *
 * Every function takes plain C values: handles as (slot, generation)
 * pairs, never pointers into the core; strings come back as (pointer,
 * length) into the message they describe, valid until the hook returns
 * (the Lua side copies them at once). Each returns a status:
 *
 *   OK        done; out-parameters are set
 *   AGAIN     started: the caller yields, and is resumed when it ends
 *   DECLINED  nothing to return (no such header, a response's URI)
 *   BADCTX    not allowed in the running hook; err says where it is
 *   GONE      the call has ended or the message is gone
 *   ERROR     refused; err holds the reason for the script author
 *
 * The functions act on the script whose hook is running; Lua runs only
 * inside hooks, so there always is one when they are called.
 */
#ifndef TANDEM_FFI_H
#define TANDEM_FFI_H

#include <stddef.h>
#include <stdint.h>

#define TND_FFI_ABI_VERSION 2

enum tnd_ffi_status {
	TND_FFI_OK = 0,
	TND_FFI_AGAIN = 1,
	TND_FFI_DECLINED = 2,
	TND_FFI_BADCTX = 3,
	TND_FFI_GONE = 4,
	TND_FFI_ERROR = 5,
};

struct tnd_ffi_str {
	const char *p;
	size_t len;
};

/* A parsed URI; fields of an unparsable one are empty but `text`. */
struct tnd_ffi_uri {
	struct tnd_ffi_str text, scheme, user, host;
	struct tnd_ffi_str params; /* ";a=b;lr" as written, or empty */
	uint16_t port;             /* 0: none given */
};

/* From and To. */
struct tnd_ffi_nameaddr {
	struct tnd_ffi_str display, tag;
	struct tnd_ffi_uri uri;
};
enum tnd_ffi_nameaddr_which {
	TND_FFI_FROM = 0,
	TND_FFI_TO = 1,
};

struct tnd_ffi_msg {
	int is_request;
	/* A request's method, or the CSeq method of a response. */
	struct tnd_ffi_str method;
	uint16_t status; /* responses */
	struct tnd_ffi_str reason, call_id, body;
};

struct tnd_ffi_source {
	char address[48]; /* printed IPv4 or IPv6 address */
	uint16_t port;
	const char *transport; /* "udp", "tcp", "tls" */
};

struct tnd_ffi_call {
	uint64_t id;
	const char *state;                  /* b2b_call_state_name */
	uint32_t request_slot, request_gen; /* the A-leg INVITE */
};

struct tnd_ffi_dial_opts {
	const char *const *targets;
	size_t ntargets;
	uint32_t timeout_ms;        /* 0: until Timer B */
	const char *const *headers; /* "Name: value" lines */
	size_t nheaders;
	const char *from, *to, *route, *transport; /* NULL: the default */
	/* The caller runs on on_invite's own coroutine, not a nested one. */
	int in_call_thread;
};

struct tnd_ffi_dial_result {
	int answered;
	uint16_t code;
	struct tnd_ffi_str reason;
	int has_response;
	uint32_t response_slot, response_gen;
};

/* How and when the call ended, for on_hangup. */
struct tnd_ffi_end_info {
	const char *by; /* "caller", "callee", "script", "core" */
	uint16_t code;
	struct tnd_ffi_str reason;
	uint64_t setup_ms, answer_ms, end_ms; /* answer_ms 0: never */
};

/* call:anchor_media(): per side (0 A, 1 B) srtp 0 auto, 1 off, 2 sdes. */
struct tnd_ffi_media_opts {
	int srtp[2];
	int keep_ice[2];
	uint32_t timeout_ms; /* 0: the relay's; UINT32_MAX: none */
};

/* One side of one stream of call.media. */
struct tnd_ffi_media_side {
	const char *local_addr;
	uint16_t local_rtp_port, local_rtcp_port;
	int has_remote, latched;
	char remote_addr[48];
	uint16_t remote_port;
	const char *srtp; /* suite name, NULL: plain RTP */
	uint64_t packets_in, bytes_in, packets_out, bytes_out;
	uint64_t rtcp_packets_in, rtcp_packets_out;
	uint64_t dropped_stranger, dropped_malformed, dropped_srtp;
	int64_t lost;
	double jitter_ms;
	uint64_t relatches;
};

uint32_t tnd_ffi_abi_version(void);

/* Logs `text` at a tnd_log_level, prefixed with the running call. */
int tnd_ffi_log(int level, const char *text);
/* on_invite only: AGAIN, resumed after `ms`. */
int tnd_ffi_sleep(uint32_t ms, int in_call_thread, char *err, size_t errlen);

int tnd_ffi_call_get(uint32_t slot, uint32_t gen, struct tnd_ffi_call *out);
/* on_invite, its own call only: AGAIN, resumed when the dial is done. */
int tnd_ffi_call_dial(uint32_t slot, uint32_t gen,
		      const struct tnd_ffi_dial_opts *opts, char *err,
		      size_t errlen);
/* Right after the resume that ends a dial; DECLINED otherwise. */
int tnd_ffi_call_dial_result(uint32_t slot, uint32_t gen,
			     struct tnd_ffi_dial_result *out);
/* reason NULL: the standard phrase. */
int tnd_ffi_call_reply(uint32_t slot, uint32_t gen, int status,
		       const char *reason, const char *const *headers,
		       size_t nheaders, char *err, size_t errlen);
int tnd_ffi_call_hangup(uint32_t slot, uint32_t gen);
/* While on_hangup runs for the call; DECLINED otherwise. */
int tnd_ffi_call_end_info(uint32_t slot, uint32_t gen,
			  struct tnd_ffi_end_info *out);
/* Any hook, before the answer. */
int tnd_ffi_call_anchor_media(uint32_t slot, uint32_t gen,
			      const struct tnd_ffi_media_opts *opts, char *err,
			      size_t errlen);
int tnd_ffi_call_media_count(uint32_t slot, uint32_t gen, uint32_t *out);
/* DECLINED: no such stream, or one without relay ports. */
int tnd_ffi_call_media_side(uint32_t slot, uint32_t gen, uint32_t index,
			    int side, struct tnd_ffi_media_side *out);

int tnd_ffi_msg_get(uint32_t slot, uint32_t gen, struct tnd_ffi_msg *out);
/* The Request-URI; DECLINED for a response. */
int tnd_ffi_msg_uri(uint32_t slot, uint32_t gen, struct tnd_ffi_uri *out);
int tnd_ffi_msg_nameaddr(uint32_t slot, uint32_t gen, int which,
			 struct tnd_ffi_nameaddr *out);
/* DECLINED: not a message we received. */
int tnd_ffi_msg_source(uint32_t slot, uint32_t gen, struct tnd_ffi_source *out);
/* The index-th (from 0) header field named `name`; DECLINED past the
 * last. */
int tnd_ffi_msg_header(uint32_t slot, uint32_t gen, const char *name,
		       size_t index, struct tnd_ffi_str *out);
int tnd_ffi_msg_set_header(uint32_t slot, uint32_t gen, const char *name,
			   const char *value, char *err, size_t errlen);
int tnd_ffi_msg_add_header(uint32_t slot, uint32_t gen, const char *name,
			   const char *value, char *err, size_t errlen);
int tnd_ffi_msg_remove_header(uint32_t slot, uint32_t gen, const char *name,
			      char *err, size_t errlen);
/* on_request, its request only; reason NULL: the standard phrase. */
int tnd_ffi_msg_reply(uint32_t slot, uint32_t gen, int status,
		      const char *reason, const char *const *headers,
		      size_t nheaders, char *err, size_t errlen);
/* on_response, its response only. */
int tnd_ffi_msg_drop(uint32_t slot, uint32_t gen, char *err, size_t errlen);

#endif
