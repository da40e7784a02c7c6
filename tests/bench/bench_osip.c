/*
 * libosip2 behind the benchmark's parser table (bench_parse.h).
 *
 * osip_message_parse takes a pointer and a length and copies the bytes
 * into a NUL-terminated buffer of its own before parsing, so the driver's
 * buffer is passed as it is and that copy is part of what is timed.
 * Numbers (CSeq, Content-Length) are kept as strings by osip and are
 * converted here, since reading them is part of the work measured.
 */
#include <stdio.h>
#include <stdlib.h>

#include <osipparser2/osip_message.h>
#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>

#include "bench_parse.h"

static int init_osip(void)
{
	return parser_init() == 0 ? 0 : -1;
}

static void *parse_osip(const char *data, size_t len)
{
	osip_message_t *msg;
	int rc;

	if (osip_message_init(&msg) != 0)
		return NULL;
	rc = osip_message_parse(msg, data, len);
	if (rc != 0) {
		fprintf(stderr, "osip2: osip_message_parse returned %d\n", rc);
		osip_message_free(msg);
		return NULL;
	}
	return msg;
}

static uint32_t decimal(const char *s)
{
	return (uint32_t)strtoul(s, NULL, 10);
}

/* The value of parameter `name` in a generic parameter list, or absent. */
static struct bench_str param(osip_list_t *params, const char *name)
{
	osip_generic_param_t *p;

	if (osip_generic_param_get_byname(params, (char *)name, &p) != 0)
		return bench_cstr(NULL);
	return bench_cstr(p->gvalue);
}

static int read_osip(void *m, struct bench_fields *out)
{
	osip_message_t *msg = m;
	osip_call_id_t *call_id = osip_message_get_call_id(msg);
	osip_cseq_t *cseq = osip_message_get_cseq(msg);
	osip_from_t *from = osip_message_get_from(msg);
	osip_to_t *to = osip_message_get_to(msg);
	osip_content_length_t *clen = osip_message_get_content_length(msg);
	osip_via_t *via;

	if (call_id == NULL || cseq == NULL || cseq->number == NULL ||
	    from == NULL || to == NULL || clen == NULL || clen->value == NULL ||
	    osip_message_get_via(msg, 0, &via) < 0)
		return -1;
	out->call_id = bench_cstr(call_id->number);
	out->call_id_host = bench_cstr(call_id->host);
	out->cseq = decimal(cseq->number);
	out->cseq_method = bench_cstr(cseq->method);
	out->from_tag = param(&from->gen_params, "tag");
	out->to_tag = param(&to->gen_params, "tag");
	out->via_branch = param(&via->via_params, "branch");
	out->content_length = decimal(clen->value);
	return 0;
}

static char *print_osip(void *msg, size_t *len)
{
	char *text;

	if (osip_message_to_str(msg, &text, len) != 0)
		return NULL;
	return text;
}

static void print_free_osip(void *msg, char *text)
{
	(void)msg;
	osip_free(text);
}

static void free_osip(void *msg)
{
	osip_message_free(msg);
}

const struct bench_parser bench_osip = {
	.name = "osip2",
	.init = init_osip,
	.parse = parse_osip,
	.read = read_osip,
	.print = print_osip,
	.print_free = print_free_osip,
	.free = free_osip,
};
