/*
 * The SIP service of the tandem command: builds the event loop, the timer
 * facility on the monotonic clock, the network with its listeners, the
 * transaction layer and the default responder; runs until SIGINT or
 * SIGTERM; then frees everything in the reverse order.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <event2/event.h>

#include "tandem/log.h"
#include "tandem/net.h"
#include "tandem/txn.h"
#include "listeners.h"
#include "pinger.h"
#include "responder.h"
#include "tandem/resolve.h"
#include "server.h"

struct server {
	struct event_base *base;
	struct tnd_timers timers;
	struct net *net;
	struct txn_layer *txn;
	struct responder responder;
	struct app_listeners listeners;
	struct net_resolver *resolver;
	struct pinger *pinger;
	struct event *sigint, *sigterm;
};

static int send_bytes(void *arg, const struct net_peer *to, const char *data,
		      size_t len)
{
	return net_send(arg, to, data, len);
}

static int send_named(void *arg, const struct net_peer *to, const char *name,
		      const char *data, size_t len)
{
	return net_send_tls(arg, to, name, data, len);
}

static void receive(void *arg, struct sip_msg *msg_take,
		    const struct net_peer *from)
{
	struct server *s = arg;

	txn_layer_receive(s->txn, msg_take, from);
}

/* A connection failed or closed with data queued: its transactions end. */
static void on_net_error(void *arg, const struct net_peer *to, int err)
{
	struct server *s = arg;

	txn_layer_transport_error(s->txn, to, err);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server *s = arg;

	(void)what;
	tnd_log_info("signal %d: stopping", (int)sig);
	event_base_loopbreak(s->base);
}

/* Peer pings need DNS (RFC 3263) and our own address for their Via. */
static int start_pinger(struct server *s, const struct app_options *opts)
{
	struct net_resolver_config rc_cfg = { .servers = opts->dns_servers };
	struct txn_route_env env = { .layer = s->txn,
				     .local = app_listeners_local,
				     .local_arg = &s->listeners };
	int rc;

	if (opts->nping == 0)
		return 0;
	if ((rc = net_resolver_new(s->base, &s->timers, &rc_cfg,
				   &s->resolver))) {
		tnd_log_error("cannot start the DNS resolver: %s",
			      strerror(rc));
		return rc;
	}
	env.resolver = s->resolver;
	rc = pinger_new(&env, &s->timers, opts->ping, opts->nping,
			opts->ping_interval_ms, &s->pinger);
	if (rc)
		tnd_log_error("cannot ping: %s", strerror(rc));
	net_timers_kick(s->net);
	return rc;
}

static int server_start(struct server *s, const struct app_options *opts)
{
	struct txn_io io = { .send = send_bytes, .send_named = send_named };
	struct txn_tu tu = { responder_on_request, &s->responder };
	struct net_config cfg = net_config_default;
	int rc;

	if (!(s->base = event_base_new()))
		return ENOMEM;
	tnd_timers_init(&s->timers, tnd_clock_monotonic);
	cfg.tls = opts->tls;
	if ((rc = net_new(s->base, &s->timers, &cfg, receive, s, &s->net)))
		return rc;
	io.arg = s->net;
	if ((rc = txn_layer_new(&opts->txn, &s->timers, io, tu, &s->txn)))
		return rc;
	s->responder.layer = s->txn;
	net_set_error_fn(s->net, on_net_error, s);
	s->sigint = evsignal_new(s->base, SIGINT, on_signal, s);
	s->sigterm = evsignal_new(s->base, SIGTERM, on_signal, s);
	if (!s->sigint || !s->sigterm || event_add(s->sigint, NULL) ||
	    event_add(s->sigterm, NULL))
		return ENOMEM;
	if ((rc = app_listeners_open(&s->listeners, s->net, opts)))
		return rc;
	return start_pinger(s, opts);
}

static void server_stop(struct server *s)
{
	if (s->sigint)
		event_free(s->sigint);
	if (s->sigterm)
		event_free(s->sigterm);
	pinger_free(s->pinger);
	txn_layer_free(s->txn);
	net_resolver_free(s->resolver);
	net_free(s->net);
	if (s->base)
		event_base_free(s->base);
}

int app_server_run(const struct app_options *opts)
{
	struct server s = { 0 };
	int rc;

	tnd_log_set_level(opts->log_level);
	signal(SIGPIPE, SIG_IGN);
	rc = server_start(&s, opts);
	if (rc == 0) {
		tnd_log_info("tandem running, T1 %u ms", opts->txn.t1_ms);
		event_base_dispatch(s.base);
	} else {
		tnd_log_error("cannot start: %s", strerror(rc));
	}
	server_stop(&s);
	return rc ? 1 : 0;
}
