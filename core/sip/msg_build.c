/*
 * The ACK of a non-2xx (RFC 3261 §17.1.1.3) and the CANCEL of an INVITE
 * (§9.1). Each writes text with the counting writer and parses it back,
 * strictly, so what we send is what we would accept. They are sent only
 * when calls fail or are cancelled, so the parse costs little; requests
 * (msg_request.c) and responses (msg_response.c) are assembled instead.
 */
#include <errno.h>
#include <string.h>

#include "tandem/mem.h"
#include "sip_int.h"

typedef void (*write_fn)(struct sip_text *t, const void *arg);

/* Runs `write` twice (count, then fill) and parses the result. */
static int build_and_parse(write_fn write, const void *arg,
			   struct sip_msg **out)
{
	struct sip_text t = { NULL, 0, 0 };
	int rc;

	write(&t, arg);
	t = (struct sip_text){ tnd_malloc(t.len ? t.len : 1), t.len, 0 };
	if (!t.p)
		return ENOMEM;
	write(&t, arg);
	rc = sip_msg_parse_generated(t.p, t.len, true, out);
	tnd_free(t.p);
	return rc;
}

static void put_header(struct sip_text *t, struct tnd_slice name,
		       struct tnd_slice value)
{
	sip_text_slice(t, name);
	sip_text_put(t, ": ", 2);
	sip_text_slice(t, value);
	sip_text_put(t, "\r\n", 2);
}

/* ACK of a non-2xx (§17.1.1.3) and CANCEL (§9.1) share their form. */
struct ack_args {
	const struct sip_msg *invite;
	const struct sip_msg *res; /* ACK: its To; CANCEL: NULL */
	const char *method;
};

static void write_ack(struct sip_text *t, const void *arg)
{
	const struct ack_args *a = arg;
	const struct sip_msg *inv = a->invite;
	const struct sip_hdr *via = sip_msg_hdr(inv, SIP_HDR_VIA);
	const struct sip_hdr *to =
	    sip_msg_hdr(a->res ? a->res : inv, SIP_HDR_TO);
	struct tnd_slice top;
	size_t pos = 0;

	sip_text_cstr(t, a->method);
	sip_text_put(t, " ", 1);
	sip_text_slice(t, inv->ruri_text);
	sip_text_cstr(t, " SIP/2.0\r\n");
	/* Only the top Via value, which carries the INVITE's branch. */
	sip_value_next(via->value, &pos, &top);
	put_header(t, TND_SLICE_LIT("Via"), top);
	for (size_t i = 0; i < inv->nhdrs; i++) {
		const struct sip_hdr *h = &inv->hdrs[i];

		if (h->id == SIP_HDR_ROUTE || h->id == SIP_HDR_FROM ||
		    h->id == SIP_HDR_CALL_ID || h->id == SIP_HDR_MAX_FORWARDS)
			put_header(t, h->name, h->value);
	}
	put_header(t, TND_SLICE_LIT("To"), to->value);
	sip_text_cstr(t, "CSeq: ");
	sip_text_uint(t, inv->cseq.number);
	sip_text_put(t, " ", 1);
	sip_text_cstr(t, a->method);
	sip_text_cstr(t, "\r\nContent-Length: 0\r\n\r\n");
}

static bool is_sent_invite(const struct sip_msg *invite)
{
	return invite->is_request && invite->method == SIP_METHOD_INVITE &&
	       invite->has_via && invite->has_cseq && invite->has_to;
}

int sip_msg_ack_new(const struct sip_msg *invite, const struct sip_msg *res,
		    struct sip_msg **out)
{
	struct ack_args a = { invite, res, "ACK" };

	*out = NULL;
	if (!is_sent_invite(invite) || res->is_request || !res->has_to)
		return EINVAL;
	return build_and_parse(write_ack, &a, out);
}

int sip_msg_cancel_new(const struct sip_msg *invite, struct sip_msg **out)
{
	struct ack_args a = { invite, NULL, "CANCEL" };

	*out = NULL;
	if (!is_sent_invite(invite))
		return EINVAL;
	return build_and_parse(write_ack, &a, out);
}
