/*
 * libFuzzer target for stream framing (msg_frame.c). The first input byte
 * chooses how the rest is cut into pieces (and, with its top bit, small
 * limits); the rest is a byte stream. It is framed once as it stands and
 * once arriving piece by piece, with the state of one connection carried
 * between calls: both must yield the same frames, (kind, length) for
 * (kind, length), and end the same way. Each call sees a heap copy of
 * exactly the bytes it is given, so a read past them is caught. Every
 * framed message is parsed; when the parse succeeds, it must agree with
 * the framer on where the message ends.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/sip_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct frame {
	enum sip_frame_kind kind;
	size_t len;
};

/* Piece sizes from the seed byte: 1 .. 1 + (seed & 63) bytes. */
struct splitter {
	uint32_t x;
	uint32_t max;
};

static size_t next_piece(struct splitter *s)
{
	s->x ^= s->x << 13;
	s->x ^= s->x >> 17;
	s->x ^= s->x << 5;
	return 1 + s->x % s->max;
}

static int frame_copy(const struct sip_limits *lim, struct sip_frame_state *st,
		      const char *p, size_t len, struct frame *f,
		      struct sip_parse_error *err)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	if (!copy)
		abort();
	memcpy(copy, p, len);
	rc = sip_msg_frame(lim, st, copy, len, &f->kind, &f->len, err);
	free(copy);
	return rc;
}

/* A message the framer cut must, if it parses, end where the cut was. */
static void fuzz_parse_frame(const struct sip_limits *lim, const char *p,
			     size_t len)
{
	struct sip_parse_error err;
	struct sip_msg *m = NULL;
	int rc = sip_msg_parse(lim, p, len, &m, &err);

	if (rc == 0 && (!m->has_content_length ||
			(size_t)(m->body.p - m->buf) + m->body.len != len))
		__builtin_trap();
	if (rc != 0 && rc != EBADMSG)
		__builtin_trap();
	sip_msg_free(m);
}

/* Frames `s[0..len)` as it stands; returns the number of frames. */
static size_t frame_whole(const struct sip_limits *lim, const char *s,
			  size_t len, struct frame *out, int *last,
			  uint16_t *status)
{
	struct sip_frame_state st = { 0 };
	struct sip_parse_error err;
	size_t pos = 0, n = 0;
	struct frame f;
	int rc;

	while ((rc = sip_msg_frame(lim, &st, s + pos, len - pos, &f.kind,
				   &f.len, &err)) == 0) {
		if (f.len == 0 || f.len > len - pos)
			__builtin_trap();
		if (f.kind == SIP_FRAME_KEEPALIVE && f.len != 1 && f.len != 2 &&
		    f.len != 4)
			__builtin_trap();
		if (f.kind == SIP_FRAME_MESSAGE) {
			if (f.len > lim->max_message)
				__builtin_trap();
			fuzz_parse_frame(lim, s + pos, f.len);
		}
		out[n++] = f;
		pos += f.len;
	}
	if (rc != EAGAIN && rc != EBADMSG)
		__builtin_trap();
	if (rc == EBADMSG && err.status != 400 && err.status != 413)
		__builtin_trap();
	*last = rc;
	*status = rc == EBADMSG ? err.status : 0;
	return n;
}

/* The same bytes arriving in pieces must frame the same way. */
static void frame_pieces(const struct sip_limits *lim, struct splitter *sp,
			 const char *s, size_t len, const struct frame *want,
			 size_t nwant, int last, uint16_t status)
{
	struct sip_frame_state st = { 0 };
	struct sip_parse_error err;
	size_t pos = 0, avail = 0, n = 0;
	struct frame f;
	int rc;

	for (;;) {
		rc = frame_copy(lim, &st, s + pos, avail - pos, &f, &err);
		if (rc == 0) {
			if (n >= nwant || f.kind != want[n].kind ||
			    f.len != want[n].len)
				__builtin_trap();
			n++;
			pos += f.len;
			continue;
		}
		if (rc != EAGAIN || avail == len)
			break;
		avail += next_piece(sp);
		if (avail > len)
			avail = len;
	}
	if (n != nwant || rc != last || (rc == EBADMSG && err.status != status))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sip_limits small = {
		.max_message = 256,
		.max_headers = 8,
		.max_line = 128,
	};
	const struct sip_limits *lim;
	struct splitter sp;
	struct frame *frames;
	size_t len, n;
	char *s;
	int last;
	uint16_t status;

	if (size == 0)
		return 0;
	lim = (data[0] & 0x80) ? &small : &sip_limits_default;
	sp = (struct splitter){ 0x9e3779b9u ^ data[0], 1 + (data[0] & 63) };
	len = size - 1;
	/* Every frame is at least one byte. */
	if (!(s = malloc(len ? len : 1)) ||
	    !(frames = malloc((len + 1) * sizeof(*frames))))
		abort();
	memcpy(s, data + 1, len);
	n = frame_whole(lim, s, len, frames, &last, &status);
	frame_pieces(lim, &sp, s, len, frames, n, last, status);
	free(frames);
	free(s);
	return 0;
}
