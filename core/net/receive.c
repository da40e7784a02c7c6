/*
 * What every transport does with a datagram or a stream frame: parse it
 * under the configured limits; answer a malformed request statelessly
 * with the parser's status and reason, drop anything else malformed;
 * stamp a request's top Via and work out where its responses go
 * (via_rport.c); hand the message up. It owns nothing past the call:
 * the message goes up, or is freed here.
 */
#include <errno.h>
#include <stdbool.h>

#include "tandem/mem.h"
#include "tandem/rand.h"
#include "net_int.h"

/* Sends `res` where responses to `req` go. Returns 0 or an errno. */
static int send_response(struct net *net, const struct sip_msg *res,
			 const struct net_peer *to)
{
	size_t size = sip_msg_print_size(res), n;
	char *buf = tnd_malloc(size);
	int rc;

	if (!buf)
		return ENOMEM;
	rc = sip_msg_print(res, buf, size, &n);
	if (rc == 0)
		rc = net_send(net, to, buf, n);
	tnd_free(buf);
	return rc;
}

/*
 * A stateless error response (RFC 3261 §8.2.6, §8.2.7): the
 * To gets a tag of ours (§8.2.6.2). Returns 0 or an errno.
 */
static int answer_bad(struct net *net, struct sip_msg *req, uint16_t status,
		      const char *reason, const struct net_peer *source)
{
	char tag[TND_RAND_TOKEN_CHARS + 1];
	struct sip_msg *res = NULL;
	struct net_peer to;
	int rc;

	/* Best effort: the answer should carry received/rport too. */
	if (net_via_stamp(req, source) == ENOMEM)
		return ENOMEM;
	net_via_reply_peer(req, source, &to);
	if ((rc = tnd_rand_token(tag, TND_RAND_TOKEN_CHARS)) ||
	    (rc = sip_msg_response_new(req, status, reason,
				       tnd_slice_from_cstr(tag), &res)))
		return rc;
	rc = send_response(net, res, &to);
	sip_msg_free(res);
	return rc;
}

/*
 * `req` (may be NULL) failed to parse. It is answered only when it can
 * be: a request (not an ACK, RFC 3261 §17.1.1.3 gives it no response)
 * whose top Via was read, without which the client could not match the
 * answer (§18.1.2).
 */
static void receive_bad(struct net *net, struct sip_msg *req, uint16_t status,
			const char *reason, const struct net_peer *source)
{
	int rc = ENOENT;

	if (req && req->is_request && req->has_via &&
	    req->method != SIP_METHOD_ACK) {
		if (status < 400 || status > 699)
			status = 400;
		rc = answer_bad(net, req, status, reason, source);
	}
	if (rc == 0)
		net->stats.bad_answered++;
	else if (rc == ENOMEM)
		net->stats.nomem_dropped++;
	else
		net->stats.bad_dropped++;
	sip_msg_free(req);
}

static void receive_request(struct net *net, struct sip_msg *req,
			    const struct net_peer *source)
{
	struct net_peer reply;

	/* EINVAL (a Via we cannot rebuild) goes up unstamped. */
	if (net_via_stamp(req, source) == ENOMEM) {
		net->stats.nomem_dropped++;
		sip_msg_free(req);
		return;
	}
	net_via_reply_peer(req, source, &reply);
	net->stats.messages_in++;
	net->on_receive(net->receive_arg, req, &reply);
}

/* Only CRLFs: a NAT keep-alive some phones send over UDP too. */
static bool is_crlf_only(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (data[i] != '\r' && data[i] != '\n')
			return false;
	}
	return true;
}

/*
 * More than max_message bytes: the start is parsed to find out whether
 * it is a request that can be told so (413, RFC 3261 §21.4.11).
 */
static void receive_too_large(struct net *net, const char *data,
			      const struct net_peer *source)
{
	struct sip_msg *msg = NULL;
	int rc = sip_msg_parse(&net->cfg.limits, data,
			       net->cfg.limits.max_message, &msg, NULL);

	if (rc == ENOMEM) {
		net->stats.nomem_dropped++;
		return;
	}
	receive_bad(net, msg, 413, "Message Too Large", source);
}

void net_receive(struct net *net, const char *data, size_t len,
		 const struct net_peer *source)
{
	struct sip_parse_error err = { 0 };
	struct sip_msg *msg = NULL;
	int rc;

	if (len > net->cfg.limits.max_message) {
		receive_too_large(net, data, source);
		return;
	}
	if (len == 0 || is_crlf_only(data, len)) {
		net->stats.keepalives_in++;
		return;
	}
	rc = sip_msg_parse(&net->cfg.limits, data, len, &msg, &err);
	if (rc == ENOMEM) {
		net->stats.nomem_dropped++;
	} else if (rc) {
		receive_bad(net, msg, err.status, err.what, source);
	} else if (msg->is_request) {
		receive_request(net, msg, source);
	} else {
		/* Strays and bad Vias are the transaction layer's to drop. */
		net->stats.messages_in++;
		net->on_receive(net->receive_arg, msg, source);
	}
}
