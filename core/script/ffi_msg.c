/*
 * The FFI functions on messages: the start line, URIs, From and To,
 * where it came from, header lookup and edits, req:reply and res:drop.
 * Strings come back as slices of the message, copied by Lua at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>

#include "script_int.h"
#include "tandem/ffi.h"
#include "tandem/net_peer.h"
#include "tandem/sip_msg.h"

static struct tnd_ffi_str str(struct tnd_slice s)
{
	return (struct tnd_ffi_str){ .p = s.p ? s.p : "", .len = s.len };
}

static int resolve(uint32_t slot, uint32_t gen, struct script_slot **s,
		   const struct sip_msg **sip)
{
	struct script_run *run;
	int st = script_ffi_msg(slot, gen, &run, s);

	if (!st)
		*sip = b2b_msg_sip((*s)->ptr);
	return st;
}

int tnd_ffi_msg_get(uint32_t slot, uint32_t gen, struct tnd_ffi_msg *out)
{
	const struct sip_msg *m;
	struct script_slot *s;
	int st = resolve(slot, gen, &s, &m);

	if (st)
		return st;
	out->is_request = m->is_request;
	out->method = str(m->is_request ? m->method_name : m->cseq.method_name);
	out->status = m->is_request ? 0 : m->status;
	out->reason = str(m->is_request ? TND_SLICE_NULL : m->reason);
	out->call_id = str(m->call_id);
	out->body = str(m->body);
	return TND_FFI_OK;
}

static void fill_uri(struct tnd_ffi_uri *out, struct tnd_slice text,
		     const struct sip_uri *uri)
{
	*out = (struct tnd_ffi_uri){ .text = str(text) };
	if (!uri)
		return;
	out->scheme = str(uri->scheme_text);
	out->user = str(uri->user);
	out->host = str(uri->host);
	out->params = str(uri->params);
	out->port = uri->port;
}

int tnd_ffi_msg_uri(uint32_t slot, uint32_t gen, struct tnd_ffi_uri *out)
{
	const struct sip_msg *m;
	struct script_slot *s;
	int st = resolve(slot, gen, &s, &m);

	if (st)
		return st;
	if (!m->is_request)
		return TND_FFI_DECLINED;
	fill_uri(out, m->ruri_text, &m->ruri);
	return TND_FFI_OK;
}

int tnd_ffi_msg_nameaddr(uint32_t slot, uint32_t gen, int which,
			 struct tnd_ffi_nameaddr *out)
{
	const struct sip_nameaddr *na;
	struct sip_parse_error perr;
	const struct sip_msg *m;
	struct script_slot *s;
	struct sip_uri uri;
	int st = resolve(slot, gen, &s, &m);

	if (st)
		return st;
	if (which == TND_FFI_FROM && m->has_from)
		na = &m->from;
	else if (which == TND_FFI_TO && m->has_to)
		na = &m->to;
	else
		return TND_FFI_DECLINED;
	out->display = str(na->display);
	out->tag = str(na->tag);
	fill_uri(&out->uri, na->uri,
		 sip_uri_parse(na->uri, &uri, &perr) ? NULL : &uri);
	return TND_FFI_OK;
}

int tnd_ffi_msg_source(uint32_t slot, uint32_t gen, struct tnd_ffi_source *out)
{
	static const char *const transports[] = {
		[NET_UDP] = "udp", [NET_TCP] = "tcp", [NET_TLS] = "tls"
	};
	const struct net_peer *peer;
	const struct sip_msg *m;
	struct script_slot *s;
	const void *ip;
	int st = resolve(slot, gen, &s, &m);

	if (st)
		return st;
	peer = b2b_msg_source(s->ptr);
	if (!peer)
		return TND_FFI_DECLINED;
	if (peer->addr.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&peer->addr;
		ip = &in->sin_addr;
		out->port = ntohs(in->sin_port);
	} else if (peer->addr.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)&peer->addr;
		ip = &in6->sin6_addr;
		out->port = ntohs(in6->sin6_port);
	} else {
		return TND_FFI_DECLINED;
	}
	if (!inet_ntop(peer->addr.ss_family, ip, out->address,
		       sizeof(out->address)))
		return TND_FFI_DECLINED;
	out->transport = transports[peer->transport];
	return TND_FFI_OK;
}

int tnd_ffi_msg_header(uint32_t slot, uint32_t gen, const char *name,
		       size_t index, struct tnd_ffi_str *out)
{
	const struct sip_msg *m;
	const struct sip_hdr *h;
	struct script_slot *s;
	int st = resolve(slot, gen, &s, &m);

	if (st)
		return st;
	h = sip_msg_hdr_by_name(m, tnd_slice_from_cstr(name));
	for (size_t i = 0; h && i < index; i++)
		h = sip_msg_hdr_next(m, h);
	if (!h)
		return TND_FFI_DECLINED;
	*out = str(h->value);
	return TND_FFI_OK;
}

static int edit_status(int rc, const char *name, char *err, size_t errlen)
{
	switch (rc) {
	case 0: return TND_FFI_OK;
	case EPERM:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "header %s is managed by the core", name);
	case EINVAL:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "invalid value for header %s", name);
	default:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "out of memory");
	}
}

int tnd_ffi_msg_set_header(uint32_t slot, uint32_t gen, const char *name,
			   const char *value, char *err, size_t errlen)
{
	const struct sip_msg *m;
	struct script_slot *s;
	int st = resolve(slot, gen, &s, &m);

	if (st)
		return st;
	return edit_status(b2b_msg_set_header(s->ptr, name, value), name, err,
			   errlen);
}

int tnd_ffi_msg_add_header(uint32_t slot, uint32_t gen, const char *name,
			   const char *value, char *err, size_t errlen)
{
	const struct sip_msg *m;
	struct script_slot *s;
	int st = resolve(slot, gen, &s, &m);

	if (st)
		return st;
	return edit_status(b2b_msg_add_header(s->ptr, name, value), name, err,
			   errlen);
}

int tnd_ffi_msg_remove_header(uint32_t slot, uint32_t gen, const char *name,
			      char *err, size_t errlen)
{
	const struct sip_msg *m;
	struct script_slot *s;
	int st = resolve(slot, gen, &s, &m);

	if (st)
		return st;
	return edit_status(b2b_msg_remove_header(s->ptr, name), name, err,
			   errlen);
}

int tnd_ffi_msg_reply(uint32_t slot, uint32_t gen, int status,
		      const char *reason, const char *const *headers,
		      size_t nheaders, char *err, size_t errlen)
{
	const struct sip_msg *m;
	struct script_slot *s;
	int st = resolve(slot, gen, &s, &m);

	if (st)
		return st;
	if (s->kind != SCRIPT_HANDLE_REQUEST)
		return script_ffi_err(err, errlen, TND_FFI_BADCTX,
				      "req:reply() is only allowed in "
				      "on_request");
	if (m->method == SIP_METHOD_ACK)
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "an ACK cannot be answered");
	if (status < 100 || status > 699)
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "req:reply() status must be 100..699, "
				      "not %d",
				      status);
	if (!reason)
		reason = sip_reason_phrase((uint16_t)status);
	switch (b2b_msg_reply(s->ptr, (uint16_t)status, reason,
			      nheaders ? headers : NULL, nheaders)) {
	case 0: s->answered |= status >= 200; return TND_FFI_OK;
	case EINVAL:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "req:reply() refused: a header does not "
				      "parse");
	case EPROTO:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "request has already been answered");
	default:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "out of memory");
	}
}

int tnd_ffi_msg_drop(uint32_t slot, uint32_t gen, char *err, size_t errlen)
{
	const struct sip_msg *m;
	struct script_slot *s;
	int st = resolve(slot, gen, &s, &m);

	if (st)
		return st;
	if (s->kind != SCRIPT_HANDLE_RESPONSE)
		return script_ffi_err(err, errlen, TND_FFI_BADCTX,
				      "res:drop() is only allowed in "
				      "on_response");
	if (b2b_msg_drop(s->ptr) == EPROTO)
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "only a provisional response can be "
				      "dropped");
	return TND_FFI_OK;
}
