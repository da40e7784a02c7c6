/*
 * The SIP service of the tandem command: builds the event loop, the timer
 * facility on the monotonic clock, the network with its listeners, the
 * transaction layer, and above it either the B2BUA running the --script
 * dialplan or (without one) the default responder; runs until SIGINT or
 * SIGTERM, ending calls with BYE first; SIGHUP reloads the script; then
 * frees everything in the reverse order.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <event2/event.h>

#include "tandem/b2b.h"
#include "tandem/log.h"
#include "tandem/media.h"
#include "tandem/script.h"
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
	struct script *script;
	struct media_relay *media;
	struct b2b *b2b;
	struct event *sigint, *sigterm, *sighup, *drain_deadline;
	bool stopping;
};

/* How long calls get to end on SIGINT/SIGTERM before the loop stops. */
#define SERVER_DRAIN_MS 5000

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

/* Requests the transaction layer passes up: to the B2BUA, or answered. */
static void on_request(void *arg, struct txn *st, const struct sip_msg *req,
		       const struct net_peer *from)
{
	struct server *s = arg;

	if (s->b2b)
		b2b_on_request(s->b2b, st, req, from);
	else
		responder_on_request(&s->responder, st, req, from);
}

static void on_drained(void *arg)
{
	struct server *s = arg;

	tnd_log_info("every call has ended");
	event_base_loopbreak(s->base);
}

static void on_drain_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;

	(void)fd;
	(void)what;
	tnd_log_warn("%zu calls still ending: stopping anyway",
		     b2b_live_calls(s->b2b));
	event_base_loopbreak(s->base);
}

/* The first signal ends the calls (BYE, CANCEL, 503); a second stops. */
static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server *s = arg;
	struct timeval tv = { SERVER_DRAIN_MS / 1000, 0 };

	(void)what;
	tnd_log_info("signal %d: stopping", (int)sig);
	if (!s->b2b || s->stopping) {
		event_base_loopbreak(s->base);
		return;
	}
	s->stopping = true;
	s->drain_deadline = evtimer_new(s->base, on_drain_deadline, s);
	if (s->drain_deadline)
		evtimer_add(s->drain_deadline, &tv);
	b2b_shutdown(s->b2b, on_drained, s);
	net_timers_kick(s->net);
}

static void on_sighup(evutil_socket_t sig, short what, void *arg)
{
	struct server *s = arg;
	char err[512];

	(void)sig;
	(void)what;
	if (script_reload(s->script, err, sizeof(err)))
		tnd_log_error("reload failed, the old script stays: %s", err);
	else
		tnd_log_info("script reloaded");
}

/* Sending to URIs needs DNS (RFC 3263) and our own address for Via. */
static int start_routing(struct server *s, const struct app_options *opts,
			 struct txn_route_env *env)
{
	struct net_resolver_config rc_cfg = { .servers = opts->dns_servers };
	int rc;

	*env = (struct txn_route_env){ .layer = s->txn,
				       .local = app_listeners_local,
				       .local_arg = &s->listeners };
	if (!s->resolver && (rc = net_resolver_new(s->base, &s->timers, &rc_cfg,
						   &s->resolver))) {
		tnd_log_error("cannot start the DNS resolver: %s",
			      strerror(rc));
		return rc;
	}
	env->resolver = s->resolver;
	return 0;
}

/*
 * The RTP relay calls anchor through. A wildcard bind with nothing to
 * advertise leaves anchoring off (SDP must name an address), as does a
 * relay that will not start: signalling runs either way.
 */
static void start_media(struct server *s, const struct app_options *opts)
{
	int rc;

	if (!opts->media.bind_addr) {
		tnd_log_info("media anchoring off: no --media-bind");
		return;
	}
	rc = media_relay_new(s->base, &s->timers, &opts->media, &s->media);
	if (rc) {
		tnd_log_warn("media anchoring off: relay on %s: %s%s",
			     opts->media.bind_addr, strerror(rc),
			     rc == EINVAL ? " (a wildcard --media-bind "
					    "needs --media-advertise)"
					  : "");
		return;
	}
	tnd_log_info("media relay on %s, ports %u-%u, SDP names %s",
		     opts->media.bind_addr, opts->media.port_min,
		     opts->media.port_max,
		     opts->media.advertise_addr ? opts->media.advertise_addr
						: opts->media.bind_addr);
}

/* The dialplan and the B2BUA that runs it. */
static int start_b2b(struct server *s, const struct app_options *opts)
{
	struct script_config sc = { .path = opts->script,
				    .lua_dir = opts->lua_dir };
	struct b2b_config bc = { .t1_ms = opts->txn.t1_ms,
				 .t2_ms = opts->txn.t2_ms,
				 .max_calls = opts->max_calls };
	struct b2b_env env = { .timers = &s->timers };
	struct b2b_hooks hooks;
	char err[512];
	int rc;

	if (!opts->script)
		return 0;
	if ((rc = script_new(&sc, &s->timers, &s->script, err, sizeof(err)))) {
		tnd_log_error("cannot load %s: %s", opts->script, err);
		return rc;
	}
	if ((rc = start_routing(s, opts, &env.route)))
		return rc;
	start_media(s, opts);
	env.media = s->media;
	hooks = script_hooks(s->script);
	if ((rc = b2b_new(&bc, &env, &hooks, &s->b2b)))
		return rc;
	s->sighup = evsignal_new(s->base, SIGHUP, on_sighup, s);
	if (!s->sighup || event_add(s->sighup, NULL))
		return ENOMEM;
	tnd_log_info("dialplan %s loaded", opts->script);
	return 0;
}

/* Peer pings: OPTIONS to each --ping URI. */
static int start_pinger(struct server *s, const struct app_options *opts)
{
	struct txn_route_env env;
	int rc;

	if (opts->nping == 0)
		return 0;
	if ((rc = start_routing(s, opts, &env)))
		return rc;
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
	struct txn_tu tu = { on_request, s };
	struct net_config cfg = net_config_default;
	int rc;

	/* Three priorities: everything at the middle one by default, the
	 * media relay's sockets below it (signalling first when busy). */
	if (!(s->base = event_base_new()) ||
	    event_base_priority_init(s->base, 3))
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
	if ((rc = app_listeners_open(&s->listeners, s->net, opts)) ||
	    (rc = start_b2b(s, opts)))
		return rc;
	return start_pinger(s, opts);
}

static void server_stop(struct server *s)
{
	if (s->sigint)
		event_free(s->sigint);
	if (s->sigterm)
		event_free(s->sigterm);
	if (s->sighup)
		event_free(s->sighup);
	if (s->drain_deadline)
		event_free(s->drain_deadline);
	b2b_free(s->b2b);
	media_relay_free(s->media); /* after the calls, which hold streams */
	script_free(s->script);
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
