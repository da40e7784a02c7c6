/*
 * `tandem --parse FILE`: shows how a SIP message parses: the start line,
 * every header with the kind it was recognised as, the fields read at
 * parse time and the body size, or the error a 400 would carry.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/sip_msg.h"
#include "parse_cmd.h"

static int read_all(FILE *f, char **data, size_t *len)
{
	size_t cap = 4096, n = 0, got;
	char *buf = tnd_malloc(cap), *grown;

	if (!buf)
		return ENOMEM;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			if (!(grown = tnd_realloc(buf, cap * 2))) {
				tnd_free(buf);
				return ENOMEM;
			}
			buf = grown;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		tnd_free(buf);
		return EIO;
	}
	*data = buf;
	*len = n;
	return 0;
}

static void show_essentials(const struct sip_msg *m)
{
	if (m->has_via)
		printf("top Via: %.*s %.*s port %u branch %.*s\n",
		       TND_SLICE_FMT(m->via.transport),
		       TND_SLICE_FMT(m->via.host), m->via.port,
		       TND_SLICE_FMT(m->via.branch));
	if (m->has_from)
		printf("From: <%.*s> tag %.*s\n", TND_SLICE_FMT(m->from.uri),
		       TND_SLICE_FMT(m->from.tag));
	if (m->has_to)
		printf("To: <%.*s> tag %.*s\n", TND_SLICE_FMT(m->to.uri),
		       TND_SLICE_FMT(m->to.tag));
	if (m->call_id.len)
		printf("Call-ID: %.*s\n", TND_SLICE_FMT(m->call_id));
	if (m->has_cseq)
		printf("CSeq: %u %.*s\n", m->cseq.number,
		       TND_SLICE_FMT(m->cseq.method_name));
	if (m->has_max_forwards)
		printf("Max-Forwards: %u\n", m->max_forwards);
}

static void show_message(const struct sip_msg *m)
{
	if (m->is_request)
		printf("request %.*s %.*s\n", TND_SLICE_FMT(m->method_name),
		       TND_SLICE_FMT(m->ruri_text));
	else
		printf("response %u %.*s\n", m->status,
		       TND_SLICE_FMT(m->reason));
	for (size_t i = 0; i < m->nhdrs; i++) {
		const struct sip_hdr *h = &m->hdrs[i];
		const char *kind = sip_hdr_name(h->id);

		printf("  [%s] %.*s: %.*s\n", *kind ? kind : "other",
		       TND_SLICE_FMT(h->name), TND_SLICE_FMT(h->value));
	}
	show_essentials(m);
	printf("body: %zu bytes\n", m->body.len);
}

int app_parse_file(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct sip_parse_error err = { 0 };
	struct sip_msg *msg;
	char *data;
	size_t len;
	int rc;

	if (!f) {
		fprintf(stderr, "tandem: cannot open %s: %s\n", path,
			strerror(errno));
		return 2;
	}
	rc = read_all(f, &data, &len);
	if (f != stdin)
		fclose(f);
	if (rc) {
		fprintf(stderr, "tandem: cannot read %s: %s\n", path,
			strerror(rc));
		return 2;
	}
	rc = sip_msg_parse(&sip_limits_default, data, len, &msg, &err);
	if (rc == 0 || msg)
		show_message(msg);
	if (rc == EBADMSG)
		printf("error: %u %s at offset %zu%s%.*s\n", err.status,
		       err.what, err.offset,
		       err.header.len ? " in header " : "",
		       TND_SLICE_FMT(err.header));
	sip_msg_free(msg);
	tnd_free(data);
	return rc ? 1 : 0;
}
