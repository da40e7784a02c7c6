/*
 * sip_msg_parse: one message from one buffer (RFC 3261 §7, §18.3).
 *
 * Work happens in passes over a private copy of the bytes: find the end of
 * the header section and count its fields; allocate the message, its
 * header array and its buffer as one block; split the start line and the
 * header fields; frame the body by Content-Length; read the headers every
 * message needs. Every pass is linear and bounded by the limits.
 */
#include <errno.h>
#include <string.h>

#include "tandem/mem.h"
#include "sip_int.h"

const struct sip_limits sip_limits_default = {
	.max_message = 65535,
	.max_headers = 256,
	.max_line = 8192,
};

/* Where a line's content ends (before CRLF or LF) and the next begins. */
static const char *line_end(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	if (!nl)
		return NULL;
	*next = nl + 1;
	return (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Finds the empty line ending the header section. Counts header fields
 * (lines not starting with whitespace, after the start line).
 */
static int find_header_end(const struct sip_limits *lim, const char *start,
			   const char *end, const char **body, size_t *nfields,
			   struct sip_parse_error *err)
{
	const char *p = start, *next, *e;
	size_t fields = 0;

	for (;;) {
		if (!(e = line_end(p, end, &next)))
			return sip_parse_fail(
			    err, 400, "Missing empty line after headers",
			    (size_t)(end - start));
		if (e == p)
			break;
		if (p != start && !is_ws(*p) && ++fields > lim->max_headers)
			return sip_parse_fail(err, 400, "Too many headers",
					      (size_t)(p - start));
		p = next;
	}
	*body = next;
	*nfields = fields;
	return 0;
}

struct sip_msg *sip_msg_alloc_blank(size_t len, size_t nfields)
{
	size_t cap = nfields ? nfields : 1;
	struct sip_msg *msg =
	    tnd_malloc(sizeof(*msg) + cap * sizeof(struct sip_hdr) + len + 1);

	if (!msg)
		return NULL;
	memset(msg, 0, sizeof(*msg));
	msg->hdrs = (struct sip_hdr *)(msg + 1);
	msg->hdrs_cap = cap;
	msg->buf = (char *)(msg->hdrs + cap);
	msg->buf[len] = '\0';
	msg->len = len;
	return msg;
}

struct sip_msg *sip_msg_alloc(const char *data, size_t len, size_t nfields)
{
	struct sip_msg *msg = sip_msg_alloc_blank(len, nfields);

	if (msg)
		memcpy(msg->buf, data, len);
	return msg;
}

void sip_msg_free(struct sip_msg *msg)
{
	if (!msg)
		return;
	if (msg->edits)
		sip_msg_edits_free(msg->edits);
	if (msg->hdrs != (struct sip_hdr *)(msg + 1))
		tnd_free(msg->hdrs);
	tnd_free(msg);
}

/* SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; 505 unless it is 2.0. */
static int check_version(struct tnd_slice v, size_t off,
			 struct sip_parse_error *err)
{
	struct sip_scan s;

	sip_scan_init(&s, v);
	if (memchr(v.p, ' ', v.len) || memchr(v.p, '\t', v.len))
		return sip_parse_fail(err, 400, "Malformed request line", off);
	if (v.len < 4 ||
	    !tnd_slice_caseeq_cstr((struct tnd_slice){ v.p, 4 }, "SIP/"))
		return sip_parse_fail(err, 400, "Malformed SIP version", off);
	s.p += 4;
	if (!sip_scan_class(&s, SIP_CC_DIGIT, NULL) ||
	    !sip_scan_char(&s, '.') ||
	    !sip_scan_class(&s, SIP_CC_DIGIT, NULL) || !sip_scan_eof(&s))
		return sip_parse_fail(err, 400, "Malformed SIP version", off);
	if (!tnd_slice_eq_cstr((struct tnd_slice){ v.p + 4, v.len - 4 }, "2.0"))
		return sip_parse_fail(err, 505, "Version Not Supported", off);
	return 0;
}

/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase */
static int parse_status_line(struct sip_msg *msg, struct tnd_slice line,
			     struct sip_parse_error *err)
{
	const char *sp = memchr(line.p, ' ', line.len);
	const char *end = line.p + line.len;
	uint32_t code;
	int rc;

	if (!sp || (rc = check_version(
			(struct tnd_slice){ line.p, (size_t)(sp - line.p) }, 0,
			err)) != 0)
		return sp ? rc
			  : sip_parse_fail(err, 400, "Malformed status line",
					   0);
	const char *c = sp + 1;
	if (end - c < 3 ||
	    tnd_slice_to_u32((struct tnd_slice){ c, 3 }, 699, &code) ||
	    code < 100 || (end - c > 3 && c[3] != ' '))
		return sip_parse_fail(err, 400, "Bad status code",
				      (size_t)(c - line.p));
	msg->status = (uint16_t)code;
	msg->reason = end - c > 4
			  ? (struct tnd_slice){ c + 4, (size_t)(end - c - 4) }
			  : (struct tnd_slice){ end, 0 };
	for (size_t i = 0; i < msg->reason.len; i++) {
		unsigned char ch = (unsigned char)msg->reason.p[i];
		if (ch < ' ' && ch != '\t')
			return sip_parse_fail(
			    err, 400, "Bad reason phrase",
			    (size_t)(msg->reason.p + i - line.p));
	}
	return 0;
}

/*
 * Request-Line = Method SP Request-URI SP SIP-Version, single spaces
 * (RFC 4475 §3.1.2.9 and §3.1.2.10 may be refused). Only the split is
 * checked here: the version and URI are judged once headers are known, so
 * that a 505 or 400 can still be answered.
 */
static int split_request_line(struct sip_msg *msg, struct tnd_slice line,
			      struct tnd_slice *version,
			      struct sip_parse_error *err)
{
	struct sip_scan s;

	sip_scan_init(&s, line);
	if (!sip_scan_token(&s, &msg->method_name) || !sip_scan_char(&s, ' '))
		return sip_parse_fail(err, 400, "Malformed request line",
				      sip_scan_offset(&s));
	const char *uri = s.p;
	while (!sip_scan_eof(&s) && *s.p != ' ')
		s.p++;
	msg->ruri_text = (struct tnd_slice){ uri, (size_t)(s.p - uri) };
	msg->method = sip_method_lookup(msg->method_name);
	msg->is_request = true;
	/* Past "Method SP" it is a request we can answer, even if malformed. */
	if (msg->ruri_text.len && sip_scan_char(&s, ' '))
		*version = (struct tnd_slice){ s.p, (size_t)(s.end - s.p) };
	return 0;
}

const char *sip_field_split(const char *start, const char *end,
			    struct sip_hdr *h)
{
	struct sip_scan s = { start, start, end };

	if (!sip_scan_token(&s, &h->name))
		return start;
	/* HCOLON = *( SP / HTAB ) ":" SWS */
	while (!sip_scan_eof(&s) && is_ws(*s.p))
		s.p++;
	if (!sip_scan_char(&s, ':'))
		return s.p;
	sip_scan_lws(&s);
	h->value = sip_scan_rest(&s);
	return NULL;
}

static int split_header(struct sip_msg *msg, const struct sip_limits *lim,
			const char *start, const char *end,
			struct sip_parse_error *err)
{
	struct sip_hdr *h = &msg->hdrs[msg->nhdrs];
	const char *fault;

	if ((size_t)(end - start) > lim->max_line)
		return sip_parse_fail(err, 400, "Header too long",
				      (size_t)(start - msg->buf));
	if ((fault = sip_field_split(start, end, h)))
		return sip_parse_fail(err, 400, "Malformed header name",
				      (size_t)(fault - msg->buf));
	h->id = sip_hdr_lookup(h->name);
	msg->nhdrs++;
	return 0;
}

/* Splits header fields between `p` and the empty line, joining folds. */
static int split_headers(struct sip_msg *msg, const struct sip_limits *lim,
			 const char *p, const char *body,
			 struct sip_parse_error *err)
{
	const char *field = NULL, *field_end = NULL, *next = body, *e;
	int rc;

	while (p < body) {
		e = line_end(p, body, &next);
		if (!e || e == p)
			break; /* the empty line */
		if (is_ws(*p) && field) {
			field_end = e; /* a fold continues the field */
		} else {
			if (field && (rc = split_header(msg, lim, field,
							field_end, err)))
				return rc;
			if (is_ws(*p))
				return sip_parse_fail(err, 400,
						      "Fold before any header",
						      (size_t)(p - msg->buf));
			field = p;
			field_end = e;
		}
		p = next;
	}
	return field ? split_header(msg, lim, field, field_end, err) : 0;
}

/* Every Content-Length must agree (RFC 4475 §3.3.9); the body must fit. */
static int frame_body(struct sip_msg *msg, const char *body, const char *end,
		      struct sip_parse_error *err)
{
	for (size_t i = 0; i < msg->nhdrs; i++) {
		const struct sip_hdr *h = &msg->hdrs[i];
		uint32_t n;

		if (h->id != SIP_HDR_CONTENT_LENGTH)
			continue;
		if (sip_uint_parse(h->value, UINT32_MAX, &n, NULL))
			return sip_parse_fail(err, 400, "Bad Content-Length",
					      (size_t)(h->value.p - msg->buf));
		if (msg->has_content_length && n != msg->content_length)
			return sip_parse_fail(err, 400,
					      "Conflicting Content-Length",
					      (size_t)(h->value.p - msg->buf));
		msg->has_content_length = true;
		msg->content_length = n;
	}
	if (!msg->has_content_length) {
		msg->body = (struct tnd_slice){ body, (size_t)(end - body) };
		return 0;
	}
	if (msg->content_length > (size_t)(end - body))
		return sip_parse_fail(err, 400,
				      "Content-Length larger than message",
				      (size_t)(body - msg->buf));
	msg->body = (struct tnd_slice){ body, msg->content_length };
	return 0;
}

static int check_request_line(struct sip_msg *msg, struct tnd_slice version,
			      struct sip_parse_error *err)
{
	size_t off = (size_t)(msg->ruri_text.p - msg->buf);
	int rc;

	if (!version.p)
		return sip_parse_fail(err, 400, "Malformed request line", off);
	off = (size_t)(version.p - msg->buf);
	if ((rc = check_version(version, off, err)))
		return rc;
	off = (size_t)(msg->ruri_text.p - msg->buf);
	if (sip_uri_parse(msg->ruri_text, &msg->ruri, err)) {
		err->offset += off;
		err->status = 400;
		err->what = "Malformed Request-URI";
		return EBADMSG;
	}
	/* RFC 3261 §19.1.1: headers are not allowed in a Request-URI. */
	if (msg->ruri.headers.len)
		return sip_parse_fail(err, 400, "Headers in Request-URI", off);
	return 0;
}

/*
 * Reads each kind of essential header on its own, keeping the valid ones:
 * a bad Via must not leave From, To, Call-ID and CSeq unread in a message
 * we answer (the To tag of RFC 3261 §8.2.6.2 depends on msg->to).
 */
static void read_valid_essentials(struct sip_msg *msg)
{
	for (int i = 0; i < SIP_HDR_COUNT; i++) {
		enum sip_hdr_id id = (enum sip_hdr_id)i;

		if (sip_hdr_is_essential(id))
			(void)sip_msg_refresh_essential(msg, id, NULL);
	}
}

static int parse_sections(struct sip_msg *msg, const struct sip_limits *lim,
			  const char *body, bool strict, bool *replyable,
			  struct sip_parse_error *err)
{
	const char *next = body, *e = line_end(msg->buf, body, &next);
	struct tnd_slice line = { msg->buf, e ? (size_t)(e - msg->buf) : 0 };
	struct tnd_slice version = TND_SLICE_NULL;
	bool response =
	    line.len >= 4 &&
	    tnd_slice_caseeq_cstr((struct tnd_slice){ line.p, 4 }, "SIP/");
	int rc;

	if (line.len > lim->max_line)
		return sip_parse_fail(err, 400, "Start line too long", 0);
	rc = response ? parse_status_line(msg, line, err)
		      : split_request_line(msg, line, &version, err);
	if (rc || (rc = split_headers(msg, lim, next, body, err)))
		return rc;
	*replyable = msg->is_request;
	if (msg->is_request && (rc = check_request_line(msg, version, err)))
		return rc;
	if ((rc = frame_body(msg, body, msg->buf + msg->len, err)))
		return rc;
	if (!strict) {
		read_valid_essentials(msg);
		return 0;
	}
	return sip_msg_read_essentials(msg, err);
}

static int msg_parse(const struct sip_limits *limits, const char *data,
		     size_t len, bool strict, struct sip_msg **out,
		     struct sip_parse_error *err)
{
	struct sip_parse_error scratch;
	const char *body = NULL;
	size_t skip = 0, nfields = 0;
	bool replyable = false;
	struct sip_msg *msg;
	int rc;

	*out = NULL;
	err = err ? err : &scratch;
	if (!limits)
		limits = &sip_limits_default;
	if (len > limits->max_message)
		return sip_parse_fail(err, 413, "Message Too Large", 0);
	/* RFC 3261 §7.5: ignore CRLFs before the start line. */
	while (skip < len && (data[skip] == '\r' || data[skip] == '\n'))
		skip++;
	if ((rc = find_header_end(limits, data + skip, data + len, &body,
				  &nfields, err))) {
		err->offset += skip;
		return rc;
	}
	if (!(msg = sip_msg_alloc(data + skip, len - skip, nfields)))
		return ENOMEM;
	rc = parse_sections(msg, limits, msg->buf + (body - data - skip),
			    strict, &replyable, err);
	if (rc == 0) {
		*out = msg;
		return 0;
	}
	/* Point the error into the caller's bytes, which outlive a freed msg.
	 */
	if (err->header.p)
		err->header.p = data + skip + (err->header.p - msg->buf);
	err->offset += skip;
	if (rc == EBADMSG && replyable) {
		read_valid_essentials(msg);
		*out = msg;
	} else {
		sip_msg_free(msg);
	}
	return rc;
}

int sip_msg_parse(const struct sip_limits *limits, const char *data, size_t len,
		  struct sip_msg **out, struct sip_parse_error *err)
{
	return msg_parse(limits, data, len, true, out, err);
}

int sip_msg_parse_generated(const char *data, size_t len, bool strict,
			    struct sip_msg **out)
{
	static const struct sip_limits unbounded = {
		.max_message = SIZE_MAX,
		.max_headers = SIZE_MAX,
		.max_line = SIZE_MAX,
	};
	int rc = msg_parse(&unbounded, data, len, strict, out, NULL);

	if (rc == EBADMSG) {
		sip_msg_free(*out);
		*out = NULL;
		return EINVAL;
	}
	return rc;
}
