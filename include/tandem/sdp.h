/*
 * SDP (RFC 8866): parse a session description, read its fields, edit it
 * and print it again. Pure: no I/O, no clock. A parsed session owns a copy
 * of its text (the SIP message it came from may die first) and a table of
 * its lines, every line kept verbatim and in order, unknown letters too.
 * Edits replace, insert or remove lines in that table; printing writes the
 * table out with CRLF line ends. Getters never allocate: they return
 * slices into the session, valid until the next edit or the free.
 *
 * A "level" names where a line lives: SDP_SESSION for the session part, or
 * the 0-based index of a media section (the m= line and what follows it).
 * Offer/answer helpers live in tandem/sdp_oa.h.
 */
#ifndef TANDEM_SDP_H
#define TANDEM_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/slice.h"

struct sdp_session;

/* The session level, as opposed to a media section's index. */
#define SDP_SESSION SIZE_MAX

#define SDP_DEFAULT_MAX_BYTES 65536
#define SDP_DEFAULT_MAX_LINES 1024
#define SDP_DEFAULT_MAX_MEDIA 32

/* Limits for sdp_session_parse; a zero field takes its default. */
struct sdp_limits {
	size_t max_bytes;
	size_t max_lines;
	size_t max_media;
};

/* What a parse or a check found wrong, fit for a 488's reason phrase. */
struct sdp_error {
	const char *what; /* static text: "bad m= line" */
	size_t line;      /* 1-based line of the fault; 0 for the whole body */
};

/* Formats "bad m= line 7" (or just `what` for line 0) into buf. */
void sdp_error_print(const struct sdp_error *err, char *buf, size_t size);

/* Things a sloppy peer got wrong that the parse forgave (RFC 3264 peers). */
enum sdp_note {
	SDP_NOTE_NO_S = 1 << 0,          /* no s= line */
	SDP_NOTE_NO_T = 1 << 1,          /* no t= line */
	SDP_NOTE_EMPTY_LINE = 1 << 2,    /* empty lines, dropped */
	SDP_NOTE_NO_CONNECTION = 1 << 3, /* a media section without any c= */
};

/*
 * Parses `text` (RFC 8866 §5, §9) into a new session. Lines end in CRLF
 * or a bare LF. The first line must be v=0; one o= with its six fields
 * must be at session level; every m= needs media, a port (0..65535,
 * optionally /count) and a proto; every c= needs nettype, addrtype and an
 * IPv4, IPv6 or host name address. A missing s= or t= is forgiven and
 * noted. Returns 0 with *out set, EBADMSG (err says what and on which
 * line), EMSGSIZE (over a limit; err says which) or ENOMEM. `limits` and
 * `err` may be NULL.
 */
int sdp_session_parse(struct tnd_slice text, const struct sdp_limits *limits,
		      struct sdp_session **out, struct sdp_error *err);
void sdp_session_free(struct sdp_session *session);
/* A bitmask of enum sdp_note. */
unsigned sdp_session_notes(const struct sdp_session *session);
size_t sdp_session_media_count(const struct sdp_session *session);

/*
 * Prints the session, edits applied, into a fresh util/mem block the
 * caller frees with tnd_free: CRLF after every line, NUL-terminated
 * (*len excludes the NUL). Returns 0 or ENOMEM.
 */
int sdp_session_print(const struct sdp_session *session, char **out,
		      size_t *len);

/* One line of the table, as the next print would write it. */
struct sdp_line_ref {
	char type;              /* 'v', 'o', 'm', 'a', ... */
	struct tnd_slice value; /* what follows "x=" */
	size_t level;           /* SDP_SESSION or a media index */
};
size_t sdp_session_line_count(const struct sdp_session *session);
/* Returns 0, or EINVAL when i is past the end. */
int sdp_session_line(const struct sdp_session *session, size_t i,
		     struct sdp_line_ref *out);

/* Splits off the next run of non-blanks; false when none is left. */
bool sdp_token_next(struct tnd_slice *rest, struct tnd_slice *token);

/* o= (RFC 8866 §5.2), each field as written. */
struct sdp_origin {
	struct tnd_slice username;
	struct tnd_slice sess_id;
	struct tnd_slice sess_version;
	struct tnd_slice nettype;
	struct tnd_slice addrtype;
	struct tnd_slice address;
};
/* Returns 0 (the parse guarantees an o= line). */
int sdp_session_origin(const struct sdp_session *session,
		       struct sdp_origin *out);

enum sdp_addr_kind {
	SDP_ADDR_IP4,
	SDP_ADDR_IP6,
	SDP_ADDR_FQDN, /* kept as text; resolving it is not this layer's job */
};

/* c= (RFC 8866 §5.7). `address` has no /ttl or /count suffix. */
struct sdp_connection {
	struct tnd_slice nettype;
	struct tnd_slice addrtype;
	struct tnd_slice address;
	enum sdp_addr_kind kind;
	uint32_t ttl;   /* IPv4 multicast, else 0 */
	uint32_t count; /* number of addresses, 1 when not given */
};
/* The first c= at exactly this level: 0, ENOENT, or EINVAL (no level). */
int sdp_connection_get(const struct sdp_session *session, size_t level,
		       struct sdp_connection *out);
/* The c= that applies to a media section: its own, else the session's. */
int sdp_media_connection(const struct sdp_session *session, size_t index,
			 struct sdp_connection *out);

/* m= (RFC 8866 §5.14). */
struct sdp_media {
	struct tnd_slice media; /* "audio", "video", ... */
	uint32_t port;          /* 0: rejected or disabled (RFC 3264 §6) */
	uint32_t port_count;    /* 1 when not given */
	struct tnd_slice proto; /* "RTP/AVP", "UDP/TLS/RTP/SAVPF", ... */
	struct tnd_slice
	    fmts; /* the format list; walk it with sdp_token_next */
};
/* Returns 0 or EINVAL (no such section). */
int sdp_media_get(const struct sdp_session *session, size_t index,
		  struct sdp_media *out);

/*
 * Attributes (RFC 8866 §5.13) by name, matched without regard to case.
 * A flag attribute (a=sendonly) has no value: value.p is NULL; `value`
 * may be NULL. The cursor form walks every one with that name: start
 * *cursor at 0.
 */
bool sdp_attr_find(const struct sdp_session *session, size_t level,
		   const char *name, struct tnd_slice *value);
bool sdp_attr_next(const struct sdp_session *session, size_t level,
		   const char *name, size_t *cursor, struct tnd_slice *value);

enum sdp_direction {
	SDP_SENDRECV,
	SDP_SENDONLY,
	SDP_RECVONLY,
	SDP_INACTIVE,
};
/* Media level over session level, sendrecv when neither says (§6.7). */
enum sdp_direction sdp_media_direction(const struct sdp_session *session,
				       size_t index);
const char *sdp_direction_name(enum sdp_direction dir);
/*
 * On hold (RFC 3264 §8.4): the section is sendonly or inactive, or its
 * connection address is the legacy 0.0.0.0 (RFC 2543).
 */
bool sdp_media_on_hold(const struct sdp_session *session, size_t index);
/* Every section with a non-zero port is on hold, and there is one. */
bool sdp_session_on_hold(const struct sdp_session *session);

/* a=rtpmap (RFC 8866 §6.6), or the static table of RFC 3551 §6. */
struct sdp_rtpmap {
	uint32_t payload_type;
	struct tnd_slice encoding; /* "PCMU", "opus", ... */
	uint32_t clock_rate;
	uint32_t channels; /* 1 when not given */
	bool is_static;    /* from RFC 3551, no a=rtpmap in the SDP */
};
/* Returns 0, ENOENT, EBADMSG (a malformed a=rtpmap) or EINVAL. */
int sdp_media_rtpmap(const struct sdp_session *session, size_t index,
		     uint32_t payload_type, struct sdp_rtpmap *out);

/* a=rtcp (RFC 3605 §2.1): a port and an optional address. */
struct sdp_rtcp {
	uint32_t port;
	bool has_address;
	struct tnd_slice nettype;
	struct tnd_slice addrtype;
	struct tnd_slice address;
};
/* Returns 0, ENOENT, EBADMSG or EINVAL. */
int sdp_media_rtcp(const struct sdp_session *session, size_t index,
		   struct sdp_rtcp *out);
/* a=rtcp-mux (RFC 5761 §5.1.1) at media level. */
bool sdp_media_rtcp_mux(const struct sdp_session *session, size_t index);

/*
 * Edits. Every one returns 0, EINVAL (no such level or section, or a
 * value that holds CR, LF or NUL, or a token that holds a blank) or
 * ENOMEM, and leaves the session as it was when it fails.
 */

/* Sets the first c= at `level` to "IN <addrtype> <address>", adding one
 * in RFC 8866 order when there is none. */
int sdp_connection_set(struct sdp_session *session, size_t level,
		       struct tnd_slice addrtype, struct tnd_slice address);
/* Sets the m= port, keeping the rest of the line (0 rejects, §6). */
int sdp_media_set_port(struct sdp_session *session, size_t index,
		       uint32_t port);
int sdp_media_set_proto(struct sdp_session *session, size_t index,
			struct tnd_slice proto);
/* Adds a=name[:value] after the level's other lines; a NULL value.p adds a
 * flag attribute. */
int sdp_attr_add(struct sdp_session *session, size_t level, const char *name,
		 struct tnd_slice value);
/* Replaces the first a=name in place and removes the others; adds one
 * when there is none. */
int sdp_attr_set(struct sdp_session *session, size_t level, const char *name,
		 struct tnd_slice value);
/* Removes every a=name at the level; *removed (may be NULL) counts them. */
int sdp_attr_remove(struct sdp_session *session, size_t level, const char *name,
		    size_t *removed);
/* Removes the ICE attributes (RFC 8839 §5) at the level. */
int sdp_ice_remove(struct sdp_session *session, size_t level, size_t *removed);
/* Sets a=rtcp:<port> (no address: the c= one applies). To drop it, or
 * every a=crypto, use sdp_attr_remove with "rtcp" or "crypto". */
int sdp_media_set_rtcp(struct sdp_session *session, size_t index,
		       uint32_t port);
/* Replaces o= with these fields (each a token, none empty). */
int sdp_session_set_origin(struct sdp_session *session,
			   const struct sdp_origin *origin);

/* SDES a=crypto (RFC 4568 §9.1). Key material stays base64 text. */
#define SDP_CRYPTO_MAX_KEYS 4
struct sdp_crypto_key {
	struct tnd_slice method;   /* "inline" */
	struct tnd_slice key_salt; /* base64 of key || salt */
	struct tnd_slice lifetime; /* "2^20", "1048576" or empty */
	struct tnd_slice mki;      /* MKI value or empty */
	struct tnd_slice mki_length;
};
struct sdp_crypto {
	uint32_t tag; /* 1..999999999 digits */
	struct tnd_slice suite;
	struct sdp_crypto_key keys[SDP_CRYPTO_MAX_KEYS];
	size_t nkeys;
	struct tnd_slice session_params; /* the rest, as written, or empty */
};
/* Parses the value of an a=crypto (after "crypto:"): 0 or EBADMSG. */
int sdp_crypto_parse(struct tnd_slice value, struct sdp_crypto *out);
/* Prints a crypto value into buf (NUL-terminated); 0, EINVAL or ENOSPC.
 * *len gets the length without the NUL. */
int sdp_crypto_print(const struct sdp_crypto *crypto, char *buf, size_t size,
		     size_t *len);
/* Adds an a=crypto line to a media section. */
int sdp_crypto_add(struct sdp_session *session, size_t index,
		   const struct sdp_crypto *crypto);

/*
 * What a media relay needs written into one media section, in one call
 * (sdp_media_anchor):
 * - c= gets addrtype and address: the first anchor rewrites the session
 *   c= when there is one (every section relying on it then points at the
 *   relay, and no peer address is left there); the section's own c= is
 *   rewritten; a section without one gets one only when the session c=
 *   names another address or there is none;
 * - the m= port becomes rtp_port;
 * - with keep_rtcp_mux and a=rtcp-mux in the section, a=rtcp goes; else
 *   a=rtcp-mux goes and a=rtcp becomes rtp_port + 1;
 * - strip_ice removes ICE attributes from the section and the session;
 * - a non-empty proto replaces the m= proto (RTP/AVP <-> RTP/SAVP);
 * - replace_crypto removes every a=crypto and adds `crypto` (ncrypto).
 * A section the offer or answer rejected (port 0) is left alone.
 */
struct sdp_anchor {
	struct tnd_slice addrtype; /* "IP4" or "IP6" */
	struct tnd_slice address;
	uint32_t rtp_port;
	bool keep_rtcp_mux;
	bool strip_ice;
	struct tnd_slice proto;
	bool replace_crypto;
	const struct sdp_crypto *crypto;
	size_t ncrypto;
};
/* Returns 0, EINVAL or ENOMEM; on failure the session may be partly
 * rewritten (drop it, or redo the anchor). */
int sdp_media_anchor(struct sdp_session *session, size_t index,
		     const struct sdp_anchor *anchor);

#endif
