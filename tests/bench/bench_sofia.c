/*
 * sofia-sip behind the benchmark's parser table (bench_parse.h).
 *
 * msg_make copies a complete message into a new msg_t and parses every
 * header into its typed form; sip_object gives the parsed headers. A parse
 * that left erroneous headers or the error flag counts as a failure.
 * Printing is msg_as_string, which serialises the whole message into a
 * string allocated from the message's own memory home.
 */
#include <stdio.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_parser.h>
#include <sofia-sip/su_alloc.h>

#include "bench_parse.h"

static void *parse_sofia(const char *data, size_t len)
{
	msg_t *msg = msg_make(sip_default_mclass(), 0, data, (ssize_t)len);
	sip_t const *sip;

	if (msg == NULL) {
		fprintf(stderr, "sofia-sip: msg_make failed\n");
		return NULL;
	}
	sip = sip_object(msg);
	if (sip == NULL || msg_has_error(msg) || sip->sip_error != NULL) {
		fprintf(stderr, "sofia-sip: parse error (bad header: %s)\n",
			sip && sip->sip_error && sip->sip_error->er_name
			    ? sip->sip_error->er_name
			    : "none named");
		msg_destroy(msg);
		return NULL;
	}
	return msg;
}

static int read_sofia(void *msg, struct bench_fields *out)
{
	sip_t const *sip = sip_object(msg);

	if (sip->sip_call_id == NULL || sip->sip_cseq == NULL ||
	    sip->sip_from == NULL || sip->sip_to == NULL ||
	    sip->sip_via == NULL || sip->sip_content_length == NULL)
		return -1;
	out->call_id = bench_cstr(sip->sip_call_id->i_id);
	out->call_id_host = bench_cstr(NULL);
	out->cseq = sip->sip_cseq->cs_seq;
	out->cseq_method = bench_cstr(sip->sip_cseq->cs_method_name);
	out->from_tag = bench_cstr(sip->sip_from->a_tag);
	out->to_tag = bench_cstr(sip->sip_to->a_tag);
	out->via_branch = bench_cstr(sip->sip_via->v_branch);
	out->content_length = sip->sip_content_length->l_length;
	return 0;
}

static char *print_sofia(void *msg, size_t *len)
{
	return msg_as_string(msg_home(msg), msg, NULL, 0, len);
}

static void print_free_sofia(void *msg, char *text)
{
	su_free(msg_home(msg), text);
}

static void free_sofia(void *msg)
{
	msg_destroy(msg);
}

const struct bench_parser bench_sofia = {
	.name = "sofia-sip",
	.init = NULL,
	.parse = parse_sofia,
	.read = read_sofia,
	.print = print_sofia,
	.print_free = print_free_sofia,
	.free = free_sofia,
};
