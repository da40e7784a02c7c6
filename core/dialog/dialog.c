/*
 * Dialog state (RFC 3261 §12): creating the UAS and UAC sides from the
 * messages that establish a dialog (§12.1), target refresh, matching
 * messages to a dialog and the remote CSeq check (§12.2.2). Building
 * requests inside a dialog lives in dialog_request.c. Every string kept
 * is a util/mem copy owned by the dialog.
 */
#include <errno.h>
#include <string.h>

#include "tandem/dialog.h"
#include "tandem/mem.h"

/* A heap copy of `s` into *out; ENOMEM leaves *out NULL. */
static int dup_into(struct tnd_slice s, char **out)
{
	*out = tnd_slice_dup(s);
	return *out ? 0 : ENOMEM;
}

/*
 * The URI of the first Contact value of `msg`: the remote target
 * (RFC 3261 §12.1.1, §12.1.2). EINVAL without one or for "*".
 */
static int contact_uri(const struct sip_msg *msg, struct tnd_slice *uri)
{
	struct sip_value_iter it = { 0 };
	struct sip_parse_error err;
	struct sip_contact c;
	struct tnd_slice v;

	if (!sip_msg_value_next(msg, SIP_HDR_CONTACT, &it, &v))
		return EINVAL;
	if (sip_contact_parse(v, &c, &err) != 0)
		return EBADMSG;
	if (c.star || c.addr.uri.len == 0)
		return EINVAL;
	*uri = c.addr.uri;
	return 0;
}

/*
 * The route set from the Record-Route values of `msg`, each copied as
 * written: in order for a UAS (§12.1.1), reversed for a UAC (§12.1.2).
 */
static int copy_route_set(struct dialog *d, const struct sip_msg *msg,
			  bool reverse)
{
	struct sip_value_iter it = { 0 };
	struct sip_parse_error err;
	struct sip_nameaddr na;
	struct tnd_slice v;
	size_t n = 0;

	while (sip_msg_value_next(msg, SIP_HDR_RECORD_ROUTE, &it, &v)) {
		if (sip_nameaddr_parse(v, &na, &err) != 0)
			return EBADMSG;
		n++;
	}
	if (n == 0)
		return 0;
	d->route_set = tnd_calloc(n, sizeof(*d->route_set));
	if (!d->route_set)
		return ENOMEM;
	d->nroutes = n;
	memset(&it, 0, sizeof(it));
	for (size_t i = 0;
	     sip_msg_value_next(msg, SIP_HDR_RECORD_ROUTE, &it, &v); i++) {
		if (dup_into(v, &d->route_set[reverse ? n - 1 - i : i]))
			return ENOMEM;
	}
	return 0;
}

/* What both sides copy, named from our point of view. */
struct dialog_parts {
	struct tnd_slice call_id, local_tag, remote_tag;
	struct tnd_slice local_uri, remote_uri, target;
	const char *local_contact;
};

static int dialog_alloc(const struct dialog_parts *p, struct dialog **out)
{
	struct dialog *d = tnd_calloc(1, sizeof(*d));
	int err;

	*out = d;
	if (!d)
		return ENOMEM;
	if ((err = dup_into(p->call_id, &d->call_id)) ||
	    (err = dup_into(p->local_tag, &d->local_tag)) ||
	    (err = dup_into(p->remote_tag, &d->remote_tag)) ||
	    (err = dup_into(p->local_uri, &d->local_uri)) ||
	    (err = dup_into(p->remote_uri, &d->remote_uri)) ||
	    (err = dup_into(p->target, &d->remote_target)) ||
	    (err = dup_into(tnd_slice_from_cstr(p->local_contact),
			    &d->local_contact)))
		return err;
	return 0;
}

/* The headers every dialog-creating message must have (§8.1.1). */
static bool has_dialog_headers(const struct sip_msg *m)
{
	return m->call_id.len && m->has_from && m->has_to && m->has_cseq;
}

int dialog_uas_new(const struct sip_msg *invite, struct tnd_slice local_tag,
		   const char *local_contact_uri, struct dialog **out)
{
	struct dialog_parts p = { .local_contact = local_contact_uri };
	struct dialog *d = NULL;
	int err;

	*out = NULL;
	if (!invite->is_request || !has_dialog_headers(invite) ||
	    local_tag.len == 0 || !local_contact_uri || !*local_contact_uri)
		return EINVAL;
	if ((err = contact_uri(invite, &p.target)))
		return err;
	/* RFC 3261 §12.1.1: remote = From, local = To. */
	p.call_id = invite->call_id;
	p.local_tag = local_tag;
	p.remote_tag = invite->from.tag;
	p.local_uri = invite->to.uri;
	p.remote_uri = invite->from.uri;
	if ((err = dialog_alloc(&p, &d)) ||
	    (err = copy_route_set(d, invite, false)))
		goto out;
	d->remote_cseq = invite->cseq.number;
	d->has_remote_cseq = true;
	d->early = true;
	*out = d;
	return 0;
out:
	dialog_free(d);
	return err;
}

/* The UAC side from its parts and the response that makes it
 * (§12.1.2): route set reversed, early for a 1xx. */
static int uac_make(const struct dialog_parts *p,
		    const struct sip_msg *response, uint32_t local_cseq,
		    struct dialog **out)
{
	struct dialog *d = NULL;
	int err;

	if ((err = dialog_alloc(p, &d)) ||
	    (err = copy_route_set(d, response, true))) {
		dialog_free(d);
		return err;
	}
	d->local_cseq = local_cseq;
	d->has_local_cseq = true;
	d->early = response->status < 200;
	d->is_uac = true;
	*out = d;
	return 0;
}

int dialog_uac_new(const struct sip_msg *request,
		   const struct sip_msg *response,
		   const char *local_contact_uri, struct dialog **out)
{
	struct dialog_parts p = { .local_contact = local_contact_uri };
	int err;

	*out = NULL;
	if (!request->is_request || response->is_request ||
	    !has_dialog_headers(request) || !has_dialog_headers(response) ||
	    response->status <= 100 || response->status >= 300 ||
	    request->from.tag.len == 0 || response->to.tag.len == 0 ||
	    !local_contact_uri || !*local_contact_uri)
		return EINVAL;
	if ((err = contact_uri(response, &p.target)))
		return err;
	/* RFC 3261 §12.1.2: local = From, remote = To of the response. */
	p.call_id = request->call_id;
	p.local_tag = request->from.tag;
	p.remote_tag = response->to.tag;
	p.local_uri = request->from.uri;
	p.remote_uri = response->to.uri;
	return uac_make(&p, response, request->cseq.number, out);
}

int dialog_uac_fork(const struct dialog *sibling,
		    const struct sip_msg *response, struct dialog **out)
{
	struct dialog_parts p = { .local_contact = sibling->local_contact };
	int err;

	*out = NULL;
	if (!sibling->is_uac || response->is_request ||
	    !has_dialog_headers(response) || response->status <= 100 ||
	    response->status >= 300 || response->to.tag.len == 0 ||
	    !tnd_slice_eq_cstr(response->call_id, sibling->call_id) ||
	    !tnd_slice_eq_cstr(response->from.tag, sibling->local_tag))
		return EINVAL;
	if ((err = contact_uri(response, &p.target)))
		return err;
	p.call_id = tnd_slice_from_cstr(sibling->call_id);
	p.local_tag = tnd_slice_from_cstr(sibling->local_tag);
	p.remote_tag = response->to.tag;
	p.local_uri = tnd_slice_from_cstr(sibling->local_uri);
	p.remote_uri = response->to.uri;
	/* The response's CSeq is the request's: the sibling may be past it. */
	return uac_make(&p, response, response->cseq.number, out);
}

void dialog_free(struct dialog *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nroutes && d->route_set; i++)
		tnd_free(d->route_set[i]);
	tnd_free(d->route_set);
	tnd_free(d->call_id);
	tnd_free(d->local_tag);
	tnd_free(d->remote_tag);
	tnd_free(d->local_uri);
	tnd_free(d->remote_uri);
	tnd_free(d->remote_target);
	tnd_free(d->local_contact);
	tnd_free(d);
}

int dialog_update_target(struct dialog *d, const struct sip_msg *msg)
{
	struct tnd_slice uri;
	char *copy;
	int err;

	if ((err = contact_uri(msg, &uri)))
		return err;
	if ((err = dup_into(uri, &copy)))
		return err;
	tnd_free(d->remote_target);
	d->remote_target = copy;
	return 0;
}

void dialog_cseq_used(struct dialog *d, uint32_t used)
{
	if (used && (!d->has_local_cseq || used > d->local_cseq)) {
		d->local_cseq = used;
		d->has_local_cseq = true;
	}
}

void dialog_confirm(struct dialog *d)
{
	d->early = false;
}

bool dialog_is_early(const struct dialog *d)
{
	return d->early;
}

bool dialog_match(const struct dialog *d, const struct sip_msg *msg)
{
	struct tnd_slice ours, theirs;

	if (!msg->has_from || !msg->has_to ||
	    !tnd_slice_eq_cstr(msg->call_id, d->call_id))
		return false;
	/* RFC 3261 §12.2.2 (requests) and §12.2.1.2 (responses). */
	ours = msg->is_request ? msg->to.tag : msg->from.tag;
	theirs = msg->is_request ? msg->from.tag : msg->to.tag;
	return tnd_slice_eq_cstr(ours, d->local_tag) &&
	       tnd_slice_eq_cstr(theirs, d->remote_tag);
}

int dialog_check_remote_cseq(struct dialog *d, const struct sip_msg *req)
{
	if (!req->is_request || !req->has_cseq)
		return EINVAL;
	/* RFC 3261 §12.2.2: ACK and CANCEL carry the numbers of others. */
	if (req->method == SIP_METHOD_ACK || req->method == SIP_METHOD_CANCEL)
		return 0;
	if (d->has_remote_cseq) {
		if (req->cseq.number < d->remote_cseq)
			return EPROTO;
		if (req->cseq.number == d->remote_cseq)
			return EALREADY;
	}
	d->remote_cseq = req->cseq.number;
	d->has_remote_cseq = true;
	return 0;
}
