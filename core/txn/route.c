/*
 * txn_route: one request on its way to a URI, over the targets RFC 3263
 * gives, one client transaction per try (see txn_route.h). Owns its copy
 * of the request (as printed bytes, parsed anew for each try), the target
 * list, and the resolver lookup while it runs; borrows the current client
 * transaction until that transaction's last event.
 */
#include <errno.h>
#include <string.h>

#include "tandem/log.h"
#include "tandem/mem.h"
#include "tandem/rand.h"
#include "tandem/strbuf.h"
#include "tandem/txn_route.h"

/* RFC 3261 §18.1.1: larger than this with no known path MTU: use TCP. */
#define ROUTE_UDP_MAX 1300

struct txn_route {
	struct txn_route_env env;
	txn_route_fn fn;
	void *arg;
	struct sip_msg *req; /* NULL once no try can follow */
	bool udp_demanded;   /* transport=udp in the URI: never switch */
	char *domain;        /* the URI's host name, for TLS (RFC 5922) */
	struct net_resolve *lookup;
	struct net_targets *targets;
	struct net_peer fixed; /* txn_route_start_peer: the one target */
	bool has_fixed;
	size_t next; /* the next target to try */
	size_t tries;
	struct txn *current;
	int last_error;
	unsigned busy;
	bool freed;
};

static bool route_try_next(struct txn_route *r);

static void route_release(struct txn_route *r)
{
	if (--r->busy || !r->freed)
		return;
	net_resolve_cancel(r->lookup);
	net_targets_free(r->targets);
	tnd_free(r->domain);
	sip_msg_free(r->req);
	tnd_free(r);
}

static void route_emit(struct txn_route *r, enum txn_route_event_kind kind,
		       const struct sip_msg *msg, int error)
{
	struct txn_route_event ev = { kind, msg, error };

	if (!r->freed)
		r->fn(r, &ev, r->arg);
}

/* A final answer or a failure: no try follows, the copy can go. */
static void route_done(struct txn_route *r)
{
	sip_msg_free(r->req);
	r->req = NULL;
}

static void route_fail(struct txn_route *r, int error)
{
	route_done(r);
	tnd_log_info("route: no target answered after %zu tries: %s", r->tries,
		     strerror(error));
	route_emit(r, TXN_ROUTE_FAILED, NULL, error);
}

/* The try's transaction says how it went; failures move to the next. */
static void on_txn_event(struct txn *t, const struct txn_event *ev, void *arg)
{
	struct txn_route *r = arg;

	r->busy++;
	switch (ev->kind) {
	case TXN_EV_RESPONSE:
		/*
		 * RFC 3263 §4.3: a 503 sends us on to the next target; when
		 * none can be tried, this 503 is the answer.
		 */
		if (ev->msg->status == 503) {
			r->last_error = EHOSTUNREACH;
			txn_set_handler(t, NULL, NULL);
			r->current = NULL;
			if (route_try_next(r))
				break;
		}
		if (ev->msg->status >= 200)
			route_done(r);
		route_emit(r, TXN_ROUTE_RESPONSE, ev->msg, 0);
		break;
	case TXN_EV_TIMEOUT:
	case TXN_EV_TRANSPORT_ERROR:
		r->last_error =
		    ev->kind == TXN_EV_TIMEOUT ? ETIMEDOUT : ev->error;
		txn_set_handler(t, NULL, NULL);
		r->current = NULL;
		if (!route_try_next(r))
			route_fail(r, r->last_error);
		break;
	case TXN_EV_TERMINATED: r->current = NULL; break;
	}
	route_release(r);
}

static const char *transport_name(enum net_transport t)
{
	return t == NET_UDP ? "UDP" : t == NET_TCP ? "TCP" : "TLS";
}

/* "host:port" of ours, IPv6 bracketed, for Via and Contact. */
/* Appends our host:port for `to`'s transport and address family. */
static int put_local_hostport(const struct txn_route_env *env,
			      const struct net_peer *to, struct tnd_strbuf *b)
{
	char host[64];
	int family = ((const struct sockaddr *)&to->addr)->sa_family;
	uint16_t port;
	int rc;

	if ((rc = env->local(env->local_arg, to->transport, family, host,
			     sizeof(host), &port)))
		return rc;
	tnd_strbuf_put(b, "[", family == AF_INET6);
	tnd_strbuf_cstr(b, host);
	tnd_strbuf_put(b, "]", family == AF_INET6);
	tnd_strbuf_put(b, ":", 1);
	tnd_strbuf_uint(b, port);
	return 0;
}

static void put_local_uri(const struct txn_route_env *env,
			  const struct net_peer *to, struct tnd_strbuf *b,
			  int *rc)
{
	tnd_strbuf_cstr(b, "sip:");
	if ((*rc = put_local_hostport(env, to, b)))
		return;
	tnd_strbuf_cstr(b, to->transport == NET_UDP   ? ""
			   : to->transport == NET_TCP ? ";transport=tcp"
						      : ";transport=tls");
	if (!tnd_strbuf_ok(b))
		*rc = ENOSPC;
}

int txn_route_local_uri(const struct txn_route_env *env,
			const struct net_peer *to, char *out, size_t size)
{
	struct tnd_strbuf b;
	int rc;

	tnd_strbuf_init(&b, out, size);
	put_local_uri(env, to, &b, &rc);
	return rc;
}

/*
 * A Contact naming SIP_UNSENT_HOST becomes our address on this transport
 * (the user part is not kept: our dialogs are told apart by tags).
 */
static int stamp_contact(const struct txn_route_env *env, struct sip_msg *msg,
			 const struct net_peer *to)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_CONTACT);
	struct sip_contact c;
	struct sip_uri uri;
	char contact[128];
	struct tnd_strbuf b;
	int rc;

	if (!h || sip_contact_parse(h->value, &c, NULL) || c.star ||
	    sip_uri_parse(c.addr.uri, &uri, NULL) ||
	    !tnd_slice_eq_cstr(uri.host, SIP_UNSENT_HOST))
		return 0;
	tnd_strbuf_init(&b, contact, sizeof(contact));
	tnd_strbuf_put(&b, "<", 1);
	put_local_uri(env, to, &b, &rc);
	tnd_strbuf_put(&b, ">", 1);
	if (rc || !tnd_strbuf_ok(&b))
		return rc ? rc : ENOSPC;
	return sip_msg_hdr_set(msg, "Contact",
			       (struct tnd_slice){ contact, b.len });
}

int txn_route_stamp(const struct txn_route_env *env, struct sip_msg *msg,
		    const struct net_peer *to)
{
	char via[200], branch[TND_BRANCH_LEN + 1];
	struct tnd_strbuf b;
	int rc;

	tnd_strbuf_init(&b, via, sizeof(via));
	tnd_strbuf_cstr(&b, "SIP/2.0/");
	tnd_strbuf_cstr(&b, transport_name(to->transport));
	tnd_strbuf_put(&b, " ", 1);
	if ((rc = put_local_hostport(env, to, &b)) ||
	    (rc = tnd_rand_branch(branch, sizeof(branch))))
		return rc;
	tnd_strbuf_cstr(&b, ";branch=");
	tnd_strbuf_cstr(&b, branch);
	tnd_strbuf_cstr(&b, ";rport");
	if (!tnd_strbuf_ok(&b))
		return ENOSPC;
	if ((rc =
		 sip_msg_hdr_set(msg, "Via", (struct tnd_slice){ via, b.len })))
		return rc;
	return stamp_contact(env, msg, to);
}

/* A fresh copy of the request with our Via for this try. */
static int route_build(struct txn_route *r, const struct net_peer *to,
		       struct sip_msg **out)
{
	int rc;

	if (!r->req)
		return EINVAL;
	if ((rc = sip_msg_dup(r->req, out)))
		return rc;
	if ((rc = txn_route_stamp(&r->env, *out, to))) {
		sip_msg_free(*out);
		*out = NULL;
	}
	return rc;
}

/* One try at target `i`; 0 when a transaction is under way. */
static int route_try(struct txn_route *r, size_t i)
{
	struct net_peer to;
	struct sip_msg *req;
	int rc;

	if (r->has_fixed)
		to = r->fixed;
	else
		net_target_peer(&r->targets->t[i], &to);
	if ((rc = route_build(r, &to, &req)))
		return rc;
	if (to.transport == NET_UDP && !r->udp_demanded &&
	    sip_msg_print_size(req) > ROUTE_UDP_MAX) {
		sip_msg_free(req);
		to.transport = NET_TCP;
		if ((rc = route_build(r, &to, &req)))
			return rc;
	}
	r->tries++;
	return txn_client_start_named(r->env.layer, req, &to, r->domain,
				      on_txn_event, r, &r->current);
}

/*
 * Starts the next try that can be started; false when none is left. A
 * target we cannot use (no listener for it) is skipped without replacing
 * what the last real try said.
 */
static bool route_try_next(struct txn_route *r)
{
	size_t n = r->has_fixed ? 1 : r->targets ? r->targets->n : 0;

	while (!r->freed && r->next < n) {
		size_t tried = r->tries;
		int rc = route_try(r, r->next++);

		if (rc == 0)
			return true;
		if (r->tries > tried || !r->last_error || rc == ENOMEM)
			r->last_error = rc;
		if (rc == ENOMEM)
			break;
	}
	if (!r->last_error)
		r->last_error = ENOENT;
	return false;
}

static void on_resolved(void *arg, int err, struct net_targets *targets_take)
{
	struct txn_route *r = arg;

	r->lookup = NULL;
	r->busy++;
	if (err) {
		route_fail(r, err);
	} else {
		r->targets = targets_take;
		if (!route_try_next(r))
			route_fail(r, r->last_error);
	}
	route_release(r);
}

/* A route owning a copy of `req`, not started. */
static int route_new(const struct txn_route_env *env, const struct sip_msg *req,
		     txn_route_fn fn, void *arg, struct txn_route **out)
{
	struct txn_route *r;
	int rc;

	*out = NULL;
	if (!req->is_request || req->method == SIP_METHOD_ACK)
		return EINVAL;
	if (!(r = tnd_calloc(1, sizeof(*r))))
		return ENOMEM;
	if ((rc = sip_msg_dup(req, &r->req))) {
		tnd_free(r);
		return rc;
	}
	r->env = *env;
	r->fn = fn;
	r->arg = arg;
	*out = r;
	return 0;
}

int txn_route_start(const struct txn_route_env *env, const struct sip_msg *req,
		    const struct sip_uri *next_hop, txn_route_fn fn, void *arg,
		    struct txn_route **out)
{
	struct tnd_slice tp;
	struct txn_route *r;
	int rc;

	if ((rc = route_new(env, req, fn, arg, &r)))
		return rc;
	r->udp_demanded = sip_uri_param(next_hop, "transport", &tp) &&
			  tnd_slice_caseeq_cstr(tp, "udp");
	/*
	 * RFC 5922 §4: a TLS server proves the SIP domain of the URI, not
	 * the SRV target it was found at; an IP literal is proven by IP.
	 */
	if (next_hop->host_type == SIP_HOST_NAME &&
	    !(r->domain = tnd_slice_dup(next_hop->host))) {
		rc = ENOMEM;
	} else {
		r->busy = 1;
		rc = net_resolve_uri(env->resolver, next_hop, on_resolved, r,
				     &r->lookup);
		r->busy = 0;
	}
	if (rc) {
		txn_route_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int txn_route_start_peer(const struct txn_route_env *env,
			 const struct sip_msg *req, const struct net_peer *to,
			 txn_route_fn fn, void *arg, struct txn_route **out)
{
	struct txn_route *r;
	int rc;

	if ((rc = route_new(env, req, fn, arg, &r)))
		return rc;
	r->fixed = *to;
	r->has_fixed = true;
	r->udp_demanded = true; /* a flow is kept as it is */
	r->busy = 1;
	if (!route_try_next(r)) {
		rc = r->last_error;
		r->busy = 0;
		txn_route_free(r);
		return rc;
	}
	r->busy = 0;
	*out = r;
	return 0;
}

void txn_route_free(struct txn_route *r)
{
	if (!r)
		return;
	if (r->current) {
		txn_set_handler(r->current, NULL, NULL);
		r->current = NULL;
	}
	r->freed = true;
	r->busy++;
	route_release(r);
}

struct txn *txn_route_current(const struct txn_route *r)
{
	return r->current;
}

size_t txn_route_tries(const struct txn_route *r)
{
	return r->tries;
}
