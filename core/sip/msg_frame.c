/*
 * Framing SIP in a byte stream (RFC 3261 §18.3): a message ends
 * Content-Length bytes after the empty line, and Content-Length is
 * mandatory. CRLF keep-alives of RFC 5626 §3.5.1 come between messages.
 */
#include <errno.h>
#include <string.h>

#include "sip_int.h"

static int keepalive(const char *data, size_t len, enum sip_frame_kind *kind,
		     size_t *frame_len)
{
	if (data[0] == '\n') {
		*kind = SIP_FRAME_KEEPALIVE;
		*frame_len = 1;
		return 0;
	}
	/* data[0] == '\r' */
	if (len < 2)
		return EAGAIN;
	if (data[1] != '\n')
		return EBADMSG;
	if (len >= 4 && data[2] == '\r' && data[3] == '\n') {
		*kind = SIP_FRAME_KEEPALIVE;
		*frame_len = 4;
		return 0;
	}
	if (len == 2 || (len == 3 && data[2] == '\r'))
		return EAGAIN; /* could still become a ping */
	*kind = SIP_FRAME_KEEPALIVE;
	*frame_len = 2;
	return 0;
}

/* Offset just past the empty line, or 0 when not there yet. */
static size_t find_empty_line(const char *data, size_t len, size_t *scanned)
{
	size_t i = *scanned;

	while (i < len) {
		const char *nl = memchr(data + i, '\n', len - i);

		if (!nl) {
			i = len;
			break;
		}
		i = (size_t)(nl - data) + 1;
		if (i < len && data[i] == '\n')
			return i + 1;
		if (i + 1 < len && data[i] == '\r' && data[i + 1] == '\n')
			return i + 2;
		if (i + 1 >= len) {
			i = (size_t)(nl -
				     data); /* recheck this line end later */
			break;
		}
	}
	*scanned = i;
	return 0;
}

static bool is_content_length_name(struct tnd_slice name)
{
	return tnd_slice_caseeq_cstr(name, "Content-Length") ||
	       tnd_slice_caseeq_cstr(name, "l");
}

/*
 * The value after `colon` up to the end of its field: folded lines
 * (RFC 3261 §7.3.1) included, trailing whitespace, CRs and LFs trimmed
 * as sip_msg_parse trims them, so that both read the same number. Sets
 * *nl to the field's last LF; the header section always ends with one.
 */
static struct tnd_slice field_value(const char *colon, const char *end,
				    const char **nl)
{
	const char *e;

	while (*nl + 1 < end && ((*nl)[1] == ' ' || (*nl)[1] == '\t'))
		*nl = memchr(*nl + 1, '\n', (size_t)(end - *nl - 1));
	for (e = *nl; e > colon + 1; e--) {
		if (e[-1] != ' ' && e[-1] != '\t' && e[-1] != '\r' &&
		    e[-1] != '\n')
			break;
	}
	return (struct tnd_slice){ colon + 1, (size_t)(e - colon - 1) };
}

/* Content-Length from the header section; every occurrence must agree. */
static int read_content_length(const char *data, size_t hdr_len, uint32_t *cl,
			       struct sip_parse_error *err)
{
	const char *p = data, *end = data + hdr_len;
	bool found = false;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *colon = memchr(p, ':', (size_t)(nl - p));
		struct tnd_slice name, v;
		uint32_t n;

		if (p != data && colon && *p != ' ' && *p != '\t') {
			name = (struct tnd_slice){ p, (size_t)(colon - p) };
			while (name.len && (name.p[name.len - 1] == ' ' ||
					    name.p[name.len - 1] == '\t'))
				name.len--;
			if (is_content_length_name(name)) {
				v = field_value(colon, end, &nl);
				if (sip_uint_parse(v, UINT32_MAX, &n, NULL) ||
				    (found && n != *cl))
					return sip_parse_fail(
					    err, 400, "Bad Content-Length",
					    (size_t)(p - data));
				found = true;
				*cl = n;
			}
		}
		p = nl + 1;
	}
	if (!found)
		return sip_parse_fail(err, 400,
				      "Content-Length required on streams", 0);
	return 0;
}

static int message_ready(struct sip_frame_state *state, size_t len,
			 enum sip_frame_kind *kind, size_t *frame_len)
{
	if (len < state->frame_len)
		return EAGAIN;
	*kind = SIP_FRAME_MESSAGE;
	*frame_len = state->frame_len;
	*state = (struct sip_frame_state){ 0 };
	return 0;
}

int sip_msg_frame(const struct sip_limits *limits,
		  struct sip_frame_state *state, const char *data, size_t len,
		  enum sip_frame_kind *kind, size_t *frame_len,
		  struct sip_parse_error *err)
{
	size_t hdr_len, window;
	uint32_t cl = 0;
	int rc;

	if (!limits)
		limits = &sip_limits_default;
	if (len == 0)
		return EAGAIN;
	if (data[0] == '\r' || data[0] == '\n') {
		if ((rc = keepalive(data, len, kind, frame_len)) == 0)
			*state = (struct sip_frame_state){ 0 };
		return rc == EBADMSG
			   ? sip_parse_fail(err, 400, "Stray CR in stream", 0)
			   : rc;
	}
	if (state->frame_len)
		return message_ready(state, len, kind, frame_len);
	window = len < limits->max_message ? len : limits->max_message;
	hdr_len = find_empty_line(data, window, &state->scanned);
	if (hdr_len == 0)
		return len >= limits->max_message
			   ? sip_parse_fail(err, 413, "Message Too Large", 0)
			   : EAGAIN;
	if ((rc = read_content_length(data, hdr_len, &cl, err)))
		return rc;
	if (cl > limits->max_message - hdr_len)
		return sip_parse_fail(err, 413, "Message Too Large", 0);
	/* Remembered, so the body's bytes trickling in cost O(1) each. */
	state->frame_len = hdr_len + cl;
	return message_ready(state, len, kind, frame_len);
}
