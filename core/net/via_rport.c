/*
 * The server side of RFC 3261 §18.2.1 and RFC 3581 §4 on a request's top
 * Via, and §18.2.2 with RFC 3581 §4 for where its responses go.
 *
 * Stamping edits the first Via header through the sip layer's header
 * edits: its first value is rebuilt with received (and rport's value)
 * spliced in, every other byte kept, and any later comma-separated
 * values of that header kept as they were.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tandem/mem.h"
#include "net_int.h"

/* One change to the first value: replace [at, at + cut) with text. */
struct via_splice {
	size_t at;
	size_t cut;
	char text[INET6_ADDRSTRLEN + 16];
};

static size_t offset_in(struct tnd_slice outer, const char *p)
{
	return (size_t)(p - outer.p);
}

/* Where a new parameter goes: after the last non-blank of the value. */
static size_t value_end(struct tnd_slice v)
{
	size_t n = v.len;

	while (n && (v.p[n - 1] == ' ' || v.p[n - 1] == '\t' ||
		     v.p[n - 1] == '\r' || v.p[n - 1] == '\n'))
		n--;
	return n;
}

/*
 * The splice that sets parameter `name` to `value` in `first`: its value
 * replaced where it exists, else ";name=value" appended.
 */
static void splice_param(struct tnd_slice first, struct tnd_slice params,
			 const char *name, const char *value,
			 struct via_splice *sp)
{
	struct tnd_slice n, v;
	size_t pos = 0;

	while (sip_params_next(params, &pos, &n, &v)) {
		if (!tnd_slice_caseeq_cstr(n, name))
			continue;
		if (v.p) {
			sp->at = offset_in(first, v.p);
			sp->cut = v.len;
			snprintf(sp->text, sizeof(sp->text), "%s", value);
		} else {
			sp->at = offset_in(first, n.p) + n.len;
			sp->cut = 0;
			snprintf(sp->text, sizeof(sp->text), "=%s", value);
		}
		return;
	}
	sp->at = value_end(first);
	sp->cut = 0;
	snprintf(sp->text, sizeof(sp->text), ";%s=%s", name, value);
}

/* first with the splices (in order of position) applied, then `rest`. */
static char *via_rebuild(struct tnd_slice first, struct via_splice *sp,
			 size_t nsp, struct tnd_slice rest, size_t *len)
{
	size_t cap = first.len + rest.len + 1, at = 0, n = 0;
	char *out;

	for (size_t i = 0; i < nsp; i++)
		cap += strlen(sp[i].text);
	if (!(out = tnd_malloc(cap)))
		return NULL;
	for (size_t i = 0; i < nsp; i++) {
		memcpy(out + n, first.p + at, sp[i].at - at);
		n += sp[i].at - at;
		memcpy(out + n, sp[i].text, strlen(sp[i].text));
		n += strlen(sp[i].text);
		at = sp[i].at + sp[i].cut;
	}
	memcpy(out + n, first.p + at, first.len - at);
	n += first.len - at;
	memcpy(out + n, rest.p, rest.len);
	n += rest.len;
	*len = n;
	return out;
}

/*
 * Replaces the first Via header by `value`: the new one is added first,
 * so that a failed allocation leaves the message as it was, then the old
 * one (now the second Via) is removed.
 */
static int via_replace_first(struct sip_msg *req, struct tnd_slice value)
{
	const struct sip_hdr *h;
	int rc;

	if ((rc = sip_msg_hdr_add(req, "Via", value, SIP_HDR_PREPEND)))
		return rc;
	h = sip_msg_hdr_next(req, sip_msg_hdr(req, SIP_HDR_VIA));
	return h ? sip_msg_hdr_remove_one(req, h) : EINVAL;
}

static int via_edit(struct sip_msg *req, struct via_splice *sp, size_t nsp)
{
	const struct sip_hdr *h = sip_msg_hdr(req, SIP_HDR_VIA);
	struct tnd_slice first, rest;
	size_t pos = 0, len;
	char *value;
	int rc;

	if (!h || !sip_value_next(h->value, &pos, &first))
		return EINVAL;
	/* What follows the first value (blanks, comma, later values). */
	rest.p = first.p + first.len;
	rest.len = (size_t)(h->value.p + h->value.len - rest.p);
	if (nsp == 2 && sp[1].at < sp[0].at) {
		struct via_splice tmp = sp[0];

		sp[0] = sp[1];
		sp[1] = tmp;
	}
	if (!(value = via_rebuild(first, sp, nsp, rest, &len)))
		return ENOMEM;
	rc = via_replace_first(req, (struct tnd_slice){ value, len });
	tnd_free(value);
	return rc;
}

int net_via_stamp(struct sip_msg *req, const struct net_peer *source)
{
	const struct sip_hdr *h = sip_msg_hdr(req, SIP_HDR_VIA);
	struct tnd_slice first;
	struct via_splice sp[2];
	char ip[INET6_ADDRSTRLEN], port[8];
	size_t nsp = 0, pos = 0;
	bool set_rport, add_received;

	if (!req->has_via || !h || !sip_value_next(h->value, &pos, &first))
		return EINVAL;
	net_addr_ip_print(&source->addr, ip, sizeof(ip));
	if (!ip[0])
		return EINVAL;
	/* RFC 3581 §4: a bare rport asks for the source port, and then
	 * received is added even when sent-by names the source already. */
	set_rport = req->via.has_rport && req->via.rport == 0;
	add_received =
	    set_rport || !net_addr_ip_is(&source->addr, req->via.host);
	if (set_rport) {
		snprintf(port, sizeof(port), "%u",
			 (unsigned)net_addr_port(&source->addr));
		splice_param(first, req->via.params, "rport", port, &sp[nsp++]);
	}
	/* §18.2.1: received holds the source IP, IPv6 without brackets. */
	if (add_received)
		splice_param(first, req->via.params, "received", ip,
			     &sp[nsp++]);
	if (nsp == 0)
		return 0;
	return via_edit(req, sp, nsp);
}

void net_via_reply_peer(const struct sip_msg *req,
			const struct net_peer *source, struct net_peer *out)
{
	*out = *source;
	if (!req->has_via)
		return;
	/*
	 * §18.2.2: reliable transports answer on the same connection, or,
	 * once it has closed, on a new one to the received IP at the sent-by
	 * port.
	 */
	if (net_transport_reliable(source->transport)) {
		out->via_port = req->via.port                  ? req->via.port
				: source->transport == NET_TLS ? NET_SIPS_PORT
							       : NET_SIP_PORT;
		return;
	}
	/* RFC 3581 §4: rport means back to the source IP and port. */
	if (req->via.has_rport)
		return;
	/*
	 * A maddr asks for multicast, which we never send: fall through to
	 * the received address. That is the source IP (we just set received
	 * to it when sent-by differed), with the sent-by port.
	 */
	net_addr_set_port(&out->addr,
			  req->via.port ? req->via.port : NET_SIP_PORT);
}
