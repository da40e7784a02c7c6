/*
 * tandem's SIP message layer behind the benchmark's parser table
 * (bench_parse.h).
 *
 * sip_msg_parse copies the bytes into the message's own buffer and reads
 * the headers every message needs; the fields are slices into it. Printing
 * asks sip_msg_print_size for the size, allocates that buffer and prints
 * into it, so tandem pays for an allocation as the other libraries do.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tandem/sip_msg.h"

#include "bench_parse.h"

static void *parse_tandem(const char *data, size_t len)
{
	struct sip_msg *msg = NULL;
	struct sip_parse_error err = { 0 };
	int rc = sip_msg_parse(&sip_limits_default, data, len, &msg, &err);

	if (rc != 0) {
		fprintf(stderr, "tandem: parse error %d at offset %zu: %s\n",
			rc, err.offset, err.what ? err.what : "?");
		if (msg != NULL)
			sip_msg_free(msg);
		return NULL;
	}
	return msg;
}

static struct bench_str field(struct tnd_slice s)
{
	return (struct bench_str){ s.len ? s.p : NULL, s.len };
}

static int read_tandem(void *m, struct bench_fields *out)
{
	const struct sip_msg *msg = m;

	if (msg->call_id.len == 0 || !msg->has_cseq || !msg->has_from ||
	    !msg->has_to || !msg->has_via || !msg->has_content_length)
		return -1;
	out->call_id = field(msg->call_id);
	out->call_id_host = field(TND_SLICE_NULL);
	out->cseq = msg->cseq.number;
	out->cseq_method = field(msg->cseq.method_name);
	out->from_tag = field(msg->from.tag);
	out->to_tag = field(msg->to.tag);
	out->via_branch = field(msg->via.branch);
	out->content_length = msg->content_length;
	return 0;
}

static char *print_tandem(void *m, size_t *len)
{
	const struct sip_msg *msg = m;
	size_t size = sip_msg_print_size(msg);
	char *text = malloc(size);

	if (text == NULL)
		return NULL;
	if (sip_msg_print(msg, text, size, len) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static void print_free_tandem(void *msg, char *text)
{
	(void)msg;
	free(text);
}

static void free_tandem(void *msg)
{
	sip_msg_free(msg);
}

const struct bench_parser bench_tandem = {
	.name = "tandem",
	.init = NULL,
	.parse = parse_tandem,
	.read = read_tandem,
	.print = print_tandem,
	.print_free = print_free_tandem,
	.free = free_tandem,
};
