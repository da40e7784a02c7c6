/*
 * Private to core/sdp: the session model the parser, readers, editors and
 * printer share. A session is one block holding the copied text, plus a
 * table of lines. A line's value points into that text until an edit
 * replaces it with a heap copy the line owns. Lines of one level are
 * contiguous: the session part first, then each media section in order.
 */
#ifndef TANDEM_SDP_INT_H
#define TANDEM_SDP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/sdp.h"

struct sdp_line {
	struct tnd_slice value; /* after "x=", no line end */
	char *owned;            /* heap copy behind value, or NULL */
	uint32_t lineno;        /* 1-based in the parsed text; 0 if added */
	uint16_t lvl;           /* 0: session; k: media section k - 1 */
	char type;
};

struct sdp_session {
	struct sdp_line *lines;
	size_t nlines;
	size_t cap;
	size_t nmedia;
	unsigned notes;
	bool session_c_anchored; /* an anchor wrote the session c= */
	char text[];             /* the copied body */
};

/* The internal level of `level`: 0, or EINVAL for a section not there. */
int sdp_level_lvl(const struct sdp_session *s, size_t level, unsigned *lvl);
/* Lines [*begin, *end) of an internal level. */
void sdp_level_range(const struct sdp_session *s, unsigned lvl, size_t *begin,
		     size_t *end);
/* Index of the first line of `type` at lvl, or SIZE_MAX. */
size_t sdp_level_find(const struct sdp_session *s, unsigned lvl, char type);
/* Where a new line of `type` goes at lvl, in RFC 8866 §5 order. */
size_t sdp_level_insert_pos(const struct sdp_session *s, unsigned lvl,
			    char type);

/*
 * Writes the concatenation of `parts` as the value of line `at`: replaces
 * it, or (insert) adds a new line there of `type` at `lvl`. 0 or ENOMEM.
 */
int sdp_line_put(struct sdp_session *s, size_t at, bool insert, char type,
		 unsigned lvl, const struct tnd_slice *parts, size_t nparts);
void sdp_line_remove(struct sdp_session *s, size_t at);

/* A value an edit may write: no CR, LF or NUL. */
bool sdp_value_ok(struct tnd_slice v);
/* A token an edit may write: non-empty, no blanks, a valid value. */
bool sdp_token_ok(struct tnd_slice v);

/* a=name[:value]: splits the value of an a= line. */
void sdp_attr_split(struct tnd_slice value, struct tnd_slice *name,
		    struct tnd_slice *attr_value);

/* Field parsers shared by the parse checks and the getters: 0 or EBADMSG. */
int sdp_origin_parse(struct tnd_slice v, struct sdp_origin *out);
int sdp_connection_parse(struct tnd_slice v, struct sdp_connection *out);
int sdp_media_parse(struct tnd_slice v, struct sdp_media *out);

/* Prints the lines, the o= line left out when skip_origin. */
int sdp_lines_print(const struct sdp_session *s, bool skip_origin, char **out,
		    size_t *len);

/* Decimal text of v into buf (at least 21 bytes); returns the slice. */
struct tnd_slice sdp_u64_text(uint64_t v, char *buf);

#endif
