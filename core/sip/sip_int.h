/*
 * Private to core/sip: character classes and the scanner every header
 * parser is built from. A scanner walks a slice with a cursor and never
 * reads past its end; each scan_* function either consumes what it names
 * and returns true, or leaves the cursor where it was and returns false.
 */
#ifndef TANDEM_SIP_INT_H
#define TANDEM_SIP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/sip_error.h"
#include "tandem/sip_msg.h"
#include "tandem/slice.h"

enum {
	SIP_CC_TOKEN = 1 << 0, /* RFC 3261 token: alphanum -.!%*_+`'~ */
	SIP_CC_WORD = 1 << 1,  /* word: token plus ()<>:\"/[]?{} */
	SIP_CC_DIGIT = 1 << 2,
	SIP_CC_ALPHA = 1 << 3,
	SIP_CC_HEX = 1 << 4,
	SIP_CC_UNRESERVED = 1 << 5, /* alphanum and mark -_.!~*'() */
	SIP_CC_WS = 1 << 6,         /* SP, HTAB */
};
extern const uint8_t sip_cc[256];

static inline bool sip_cc_is(char c, uint8_t cls)
{
	return (sip_cc[(unsigned char)c] & cls) != 0;
}

struct sip_scan {
	const char *start;
	const char *p;
	const char *end;
};

static inline void sip_scan_init(struct sip_scan *s, struct tnd_slice text)
{
	s->start = text.p;
	s->p = text.p;
	s->end = text.len ? text.p + text.len : text.p;
}

static inline bool sip_scan_eof(const struct sip_scan *s)
{
	return s->p >= s->end;
}

static inline size_t sip_scan_offset(const struct sip_scan *s)
{
	return (size_t)(s->p - s->start);
}

static inline bool sip_scan_peek(const struct sip_scan *s, char c)
{
	return s->p < s->end && *s->p == c;
}

/* Skips SP, HTAB and line folds (CRLF or LF followed by SP/HTAB). */
void sip_scan_lws_slow(struct sip_scan *s);
static inline void sip_scan_lws(struct sip_scan *s)
{
	/* Most calls find no whitespace at all: decide that inline. */
	if (s->p < s->end &&
	    (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
		sip_scan_lws_slow(s);
}
/* Consumes exactly `c`. */
bool sip_scan_char(struct sip_scan *s, char c);
/* Consumes LWS c LWS (SEMI, COMMA, EQUAL, SLASH, COLON of §25.1). */
bool sip_scan_sep(struct sip_scan *s, char c);
bool sip_scan_token(struct sip_scan *s, struct tnd_slice *out);
bool sip_scan_word(struct sip_scan *s, struct tnd_slice *out);
/* A run of characters of class `cls`; false when empty. */
bool sip_scan_class(struct sip_scan *s, uint8_t cls, struct tnd_slice *out);
/*
 * A quoted-string at the cursor: `inner` is what lies between the quotes,
 * quoted-pairs as written. False (cursor unmoved) when the cursor is not at
 * '"' or the string is unterminated.
 */
bool sip_scan_quoted(struct sip_scan *s, struct tnd_slice *inner);
/* Decimal digits no larger than max; ERANGE/EINVAL as tnd_slice_to_u32. */
int sip_scan_uint(struct sip_scan *s, uint32_t max, uint32_t *out);
/* The rest of the text with trailing LWS trimmed. */
struct tnd_slice sip_scan_rest(struct sip_scan *s);

/*
 * Header parameters: *( SEMI generic-param ), generic-param =
 * token [ EQUAL gen-value ], gen-value = token / host / quoted-string.
 * `region` spans from the first ';' to the last parameter (empty if none).
 */
int sip_scan_params(struct sip_scan *s, struct tnd_slice *region,
		    struct sip_parse_error *err);

/* Host of a sent-by or URI: hostname, IPv4 or "[IPv6]" (brackets dropped
 * from `host`). Also takes the RFC 5118 §4.10 three-colon form. */
bool sip_scan_host(struct sip_scan *s, struct tnd_slice *host,
		   enum sip_host_type *type);
/* True when `text` is a dotted IPv4 address with each part 0..255. */
bool sip_is_ipv4(struct tnd_slice text);
/* True when `text` (no brackets) is an IPv6 address, RFC 4291 §2.2. */
bool sip_is_ipv6(struct tnd_slice text);

/* URI helpers shared by uri.c and uri_eq.c. */
/* Value of a hex digit the caller has checked is one. */
int sip_uri_hex_value(char c);
/* True when p starts a well-formed %HH escape before end. */
bool sip_uri_escape_ok(const char *p, const char *end);
/* RFC 3966 visual-separator: "-" / "." / "(" / ")". */
bool sip_uri_is_visual_separator(char c);

/* Fills err with the fault's position relative to the scanner's start. */
int sip_scan_fail(const struct sip_scan *s, struct sip_parse_error *err,
		  const char *what);

/*
 * A text writer that counts past the end of its buffer instead of
 * writing: run once with {NULL, 0} for the size, once more for the text.
 */
struct sip_text {
	char *p;
	size_t size;
	size_t len;
};
void sip_text_put(struct sip_text *t, const char *s, size_t n);
void sip_text_slice(struct sip_text *t, struct tnd_slice s);
void sip_text_cstr(struct sip_text *t, const char *s);
void sip_text_uint(struct sip_text *t, uint32_t v);

/* Private message state: the strings edits copied in, freed with it. */
struct sip_msg_chunk;
struct sip_msg_edits {
	struct sip_msg_chunk *chunks;
};

/*
 * Parses text this layer generated. Non-strict: the essential headers are
 * read when valid, but a bad one copied from a peer's request does not
 * stop the parse. Returns 0, ENOMEM, or EINVAL for text that won't parse.
 */
int sip_msg_parse_generated(const char *data, size_t len, bool strict,
			    struct sip_msg **out);

void sip_msg_edits_free(struct sip_msg_edits *edits);

/*
 * One block holding a zeroed message, room for `nfields` headers and a
 * NUL-terminated copy of `len` bytes of `data` (msg->buf). NULL: no memory.
 */
struct sip_msg *sip_msg_alloc(const char *data, size_t len, size_t nfields);
/* The same block, its `len` bytes of buffer left for the caller to fill. */
struct sip_msg *sip_msg_alloc_blank(size_t len, size_t nfields);

/*
 * Moving parsed fields onto a copy of the bytes they were read from:
 * slices inside [from, end] (end inclusive) are moved to the same offset
 * from `to`; NULL slices and slices elsewhere stay.
 */
struct sip_rebase {
	uintptr_t from, end;
	const char *to;
};
void sip_slice_move(const struct sip_rebase *rb, struct tnd_slice *s);
void sip_via_move(const struct sip_rebase *rb, struct sip_via *via);
void sip_nameaddr_move(const struct sip_rebase *rb, struct sip_nameaddr *na);

/*
 * One header field (its lines joined, no final CRLF) split as a parse
 * splits it: name, HCOLON, value with surrounding LWS trimmed. NULL when
 * it splits, else where it went wrong (its name is not a token followed
 * by a colon).
 */
const char *sip_field_split(const char *start, const char *end,
			    struct sip_hdr *h);

/*
 * Writing a message straight into its own buffer, in two passes of the
 * same code: one counting (msg NULL) and one filling, after
 * sip_assembly_alloc. Header fields are recorded in the message as they
 * are written (msg_assemble.c).
 */
struct sip_assembly {
	struct sip_text t;
	struct sip_msg *msg; /* NULL while counting */
	size_t nhdrs;        /* counted */
	bool bad;            /* a field would not split */
};
/* Writes n bytes; returns their offset in the text. */
size_t sip_assembly_put(struct sip_assembly *a, const char *s, size_t n);
/* `len` bytes at offset `at` of the message being filled. */
struct tnd_slice sip_assembly_at(const struct sip_assembly *a, size_t at,
				 size_t len);
/*
 * Ends the header field written since offset `start` with CRLF. Filling,
 * records it (split as a parse would, `id` given or, SIP_HDR_COUNT,
 * looked up from its name) and returns it; NULL while counting or when
 * it would not split (a->bad is then set).
 */
const struct sip_hdr *sip_assembly_end_field(struct sip_assembly *a,
					     size_t start, enum sip_hdr_id id);
/* After the counting pass: the message, and the writer reset to fill it.
 * ENOMEM, or 0. */
int sip_assembly_alloc(struct sip_assembly *a);

/* Reads the parse-time fields (Via, From, To, ...) from msg->hdrs. */
int sip_msg_read_essentials(struct sip_msg *msg, struct sip_parse_error *err);
/* Re-reads the parse-time fields of header kind `id` from msg->hdrs. */
int sip_msg_refresh_essential(struct sip_msg *msg, enum sip_hdr_id id,
			      struct sip_parse_error *err);
/* True for the kinds sip_msg_refresh_essential keeps in step. */
bool sip_hdr_is_essential(enum sip_hdr_id id);

#endif
