/*
 * The SIP message: parsed once, zero-copy, edited cheaply, printed once.
 *
 * A message owns one buffer holding its bytes; its start line, headers and
 * body are slices into it. Parsing splits the headers and reads at once
 * what every message needs (Via, From, To, Call-ID, CSeq, Max-Forwards,
 * Content-Length, the Request-URI); every other header is typed on use
 * with the parsers of sip_hdr.h. Edits are recorded beside the original
 * bytes and applied by sip_msg_print, which also writes Content-Length.
 */
#ifndef TANDEM_SIP_MSG_H
#define TANDEM_SIP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/sip_error.h"
#include "tandem/sip_hdr.h"
#include "tandem/sip_uri.h"
#include "tandem/slice.h"

/*
 * The host our requests name in Via (and Contact) before a transport is
 * chosen: the layer that sends them writes the real one. ".invalid"
 * cannot resolve (RFC 6761 §6.4), so one that escapes is harmless.
 */
#define SIP_UNSENT_HOST "tandem.invalid"

/* Configurable bounds on what a peer may make us parse. */
struct sip_limits {
	size_t
	    max_message; /* whole message, headers and body (default 65535) */
	size_t max_headers; /* header fields (default 256) */
	size_t max_line;    /* one header field, folded lines included (8192) */
};
/* The defaults, for callers without a configuration. */
extern const struct sip_limits sip_limits_default;

struct sip_hdr {
	enum sip_hdr_id id;
	struct tnd_slice name;  /* as written: long or compact form */
	struct tnd_slice value; /* trimmed; may span folded lines */
};

struct sip_msg_edits; /* private: added strings and a replacement body */

struct sip_msg {
	/* Start line. */
	bool is_request;
	enum sip_method method; /* requests */
	struct tnd_slice method_name;
	struct tnd_slice ruri_text;
	struct sip_uri ruri;
	uint16_t status; /* responses: 100..699 */
	struct tnd_slice reason;

	/* Header fields in order; removed ones are gone from the array. */
	struct sip_hdr *hdrs;
	size_t nhdrs;

	/*
	 * Read at parse time from the first header of each kind; absent
	 * ones are empty slices (has_ flags for numbers). Edits keep them
	 * in step with the headers.
	 */
	struct sip_via via; /* the top Via value */
	bool has_via;
	struct sip_nameaddr from, to;
	bool has_from, has_to;
	struct tnd_slice call_id;
	struct sip_cseq cseq;
	bool has_cseq;
	bool has_max_forwards;
	uint32_t max_forwards;
	bool has_content_length;
	uint32_t content_length;

	struct tnd_slice body;

	/* Private to the sip layer. */
	char *buf;
	size_t len;
	size_t hdrs_cap;
	struct sip_msg_edits *edits;
};

/*
 * Parses one whole message from a datagram (or a frame cut by
 * sip_msg_frame). The bytes are copied into a buffer the message owns.
 * Bytes after the body are ignored (RFC 3261 §18.3); without
 * Content-Length the body runs to the end of the data (RFC 2543 senders).
 *
 * Returns 0 with *out set, ENOMEM, or EBADMSG with `err` filled. On
 * EBADMSG, *out is still set (and the caller frees it) when the message
 * is a request whose start line and header fields could be split, so that
 * a 400 (or err->status) can be built from it; otherwise *out is NULL.
 */
int sip_msg_parse(const struct sip_limits *limits, const char *data, size_t len,
		  struct sip_msg **out, struct sip_parse_error *err);
void sip_msg_free(struct sip_msg *msg);

enum sip_frame_kind {
	SIP_FRAME_MESSAGE,   /* a message of frame_len bytes */
	SIP_FRAME_KEEPALIVE, /* CRLFs (RFC 5626 §3.5.1): consume frame_len */
};
/*
 * Per-connection framing progress, so that a message trickling in a byte
 * at a time is scanned once, not once per byte. Zero it for a new stream;
 * sip_msg_frame resets it whenever it returns a frame.
 */
struct sip_frame_state {
	size_t scanned;   /* bytes known to hold no end of the header section */
	size_t frame_len; /* once the header section is read: the whole frame */
};
/*
 * Stream framing (TCP, TLS): finds the end of the first message in `data`.
 * Returns 0 with the kind and length of what to consume, EAGAIN when more
 * bytes are needed, or EBADMSG (no Content-Length, a bad or conflicting
 * one, or a message over the limits) after which the stream is unusable.
 * A "\r\n\r\n" ping is one KEEPALIVE of 4 bytes (answer it with "\r\n");
 * a lone "\r\n" (a pong, or padding) is a KEEPALIVE of 2, a bare "\n" of 1.
 */
int sip_msg_frame(const struct sip_limits *limits,
		  struct sip_frame_state *state, const char *data, size_t len,
		  enum sip_frame_kind *kind, size_t *frame_len,
		  struct sip_parse_error *err);

/* Header access. */
const struct sip_hdr *sip_msg_hdr(const struct sip_msg *msg,
				  enum sip_hdr_id id);
/* First header named `name` (any case; compact forms resolve). */
const struct sip_hdr *sip_msg_hdr_by_name(const struct sip_msg *msg,
					  struct tnd_slice name);
/* Next header of the same kind (same name for SIP_HDR_OTHER), or NULL. */
const struct sip_hdr *sip_msg_hdr_next(const struct sip_msg *msg,
				       const struct sip_hdr *after);
size_t sip_msg_hdr_count(const struct sip_msg *msg, enum sip_hdr_id id);

/*
 * Walks every value of a header kind across all its header fields,
 * splitting list headers at commas: start with an iterator zeroed.
 */
struct sip_value_iter {
	const struct sip_hdr *hdr;
	size_t pos;
	bool started;
};
bool sip_msg_value_next(const struct sip_msg *msg, enum sip_hdr_id id,
			struct sip_value_iter *it, struct tnd_slice *value);

/*
 * Edits. Values are copied; a header of a kind the message reads at parse
 * time (Via, From, To, Call-ID, CSeq, Max-Forwards) is parsed first and an
 * invalid one refused with EINVAL. Content-Length cannot be set: the
 * printer writes it. Returns 0, EINVAL or ENOMEM.
 */
enum sip_hdr_where { SIP_HDR_APPEND, SIP_HDR_PREPEND };
/* Adds `name: value`; PREPEND puts it before the first header of its
 * kind (Via, Record-Route), or first of all when there is none. */
int sip_msg_hdr_add(struct sip_msg *msg, const char *name,
		    struct tnd_slice value, enum sip_hdr_where where);
/* Removes every header named `name`; *removed (may be NULL) counts them. */
int sip_msg_hdr_remove(struct sip_msg *msg, const char *name, size_t *removed);
/* Removes the one header at `hdr` (a pointer from the access functions). */
int sip_msg_hdr_remove_one(struct sip_msg *msg, const struct sip_hdr *hdr);
/* Replaces every header named `name` by one with `value`, in place of the
 * first (appended when there was none). */
int sip_msg_hdr_set(struct sip_msg *msg, const char *name,
		    struct tnd_slice value);
int sip_msg_set_body(struct sip_msg *msg, struct tnd_slice body);
int sip_msg_set_ruri(struct sip_msg *msg, struct tnd_slice uri);

/*
 * Writes the message with its edits into out[size] in one pass, with a
 * Content-Length that matches the body. Returns 0 with *written set,
 * ENOSPC with *written set to the size needed.
 */
int sip_msg_print(const struct sip_msg *msg, char *out, size_t size,
		  size_t *written);
size_t sip_msg_print_size(const struct sip_msg *msg);

/*
 * A response to `req` (RFC 3261 §8.2.6): copies every Via, From, To,
 * Call-ID and CSeq; adds `to_tag` (when not empty) to a To without one.
 * `reason` NULL uses the standard phrase.
 */
int sip_msg_response_new(const struct sip_msg *req, uint16_t status,
			 const char *reason, struct tnd_slice to_tag,
			 struct sip_msg **out);

/*
 * The ACK an INVITE client transaction sends for a non-2xx final response
 * (RFC 3261 §17.1.1.3): the INVITE's Request-URI, top Via, Route headers,
 * From, Call-ID and CSeq number, the response's To. Returns 0, EINVAL or
 * ENOMEM.
 */
int sip_msg_ack_new(const struct sip_msg *invite, const struct sip_msg *res,
		    struct sip_msg **out);

/*
 * The CANCEL of a sent INVITE (RFC 3261 §9.1): its Request-URI, top Via,
 * Route headers, From, To, Call-ID and CSeq number, method CANCEL.
 * Returns 0, EINVAL or ENOMEM.
 */
int sip_msg_cancel_new(const struct sip_msg *invite, struct sip_msg **out);

/*
 * A copy of `msg` with its edits applied, owning its own buffer (what the
 * copy is parsed from: a message that parsed once parses again). Returns
 * 0, ENOMEM, or EBADMSG for a message whose edits made it unparsable.
 */
int sip_msg_dup(const struct sip_msg *msg, struct sip_msg **out);

/* A request from scratch (RFC 3261 §8.1.1); `extra` headers are
 * "Name: value" lines in order, NULL-terminated, may be NULL. */
struct sip_request_spec {
	enum sip_method method;
	const char *method_name; /* for SIP_METHOD_UNKNOWN */
	struct tnd_slice ruri;
	struct tnd_slice via_transport; /* "UDP" */
	struct tnd_slice via_host; /* our sent-by host (IPv6 unbracketed) */
	uint16_t via_port;
	struct tnd_slice branch;   /* empty: a fresh random one */
	struct tnd_slice from;     /* name-addr without tag */
	struct tnd_slice from_tag; /* empty: a fresh random one */
	struct tnd_slice to;       /* name-addr, with tag in a dialog */
	struct tnd_slice call_id;  /* empty: a fresh random one */
	uint32_t cseq;
	struct tnd_slice contact; /* empty: none */
	uint32_t max_forwards;    /* 0: 70 */
	const char *const *extra;
	struct tnd_slice content_type;
	struct tnd_slice body;
};
int sip_msg_request_new(const struct sip_request_spec *spec,
			struct sip_msg **out);

/* The standard reason phrase of RFC 3261 §21 (and later RFCs), or "". */
const char *sip_reason_phrase(uint16_t status);

#endif
