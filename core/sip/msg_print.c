/*
 * Printing a message with its edits in one pass. The same walk counts
 * when the buffer is too small, so the size and the text can never
 * disagree. Content-Length is always written, and always right.
 */
#include <errno.h>
#include <string.h>

#include "sip_int.h"

static void put_start_line(struct sip_text *o, const struct sip_msg *msg)
{
	if (msg->is_request) {
		sip_text_slice(o, msg->method_name);
		sip_text_put(o, " ", 1);
		sip_text_slice(o, msg->ruri_text);
		sip_text_cstr(o, " SIP/2.0\r\n");
		return;
	}
	char code[4] = { (char)('0' + msg->status / 100),
			 (char)('0' + msg->status / 10 % 10),
			 (char)('0' + msg->status % 10), ' ' };
	sip_text_cstr(o, "SIP/2.0 ");
	sip_text_put(o, code, 4);
	sip_text_slice(o, msg->reason);
	sip_text_put(o, "\r\n", 2);
}

static void put_content_length(struct sip_text *o, struct tnd_slice name,
			       size_t body_len)
{
	sip_text_slice(o, name);
	sip_text_put(o, ": ", 2);
	sip_text_uint(o, (uint32_t)body_len);
	sip_text_put(o, "\r\n", 2);
}

static void print_all(struct sip_text *o, const struct sip_msg *msg)
{
	bool wrote_length = false;

	put_start_line(o, msg);
	for (size_t i = 0; i < msg->nhdrs; i++) {
		const struct sip_hdr *h = &msg->hdrs[i];

		if (h->id == SIP_HDR_CONTENT_LENGTH) {
			/* The first one, in its place and spelling; others go.
			 */
			if (!wrote_length)
				put_content_length(o, h->name, msg->body.len);
			wrote_length = true;
			continue;
		}
		sip_text_slice(o, h->name);
		sip_text_put(o, ": ", 2);
		sip_text_slice(o, h->value);
		sip_text_put(o, "\r\n", 2);
	}
	if (!wrote_length)
		put_content_length(o, TND_SLICE_LIT("Content-Length"),
				   msg->body.len);
	sip_text_put(o, "\r\n", 2);
	sip_text_slice(o, msg->body);
}

int sip_msg_print(const struct sip_msg *msg, char *out, size_t size,
		  size_t *written)
{
	struct sip_text o = { out, size, 0 };

	print_all(&o, msg);
	*written = o.len;
	return o.len <= size ? 0 : ENOSPC;
}

size_t sip_msg_print_size(const struct sip_msg *msg)
{
	struct sip_text o = { NULL, 0, 0 };

	print_all(&o, msg);
	return o.len;
}
