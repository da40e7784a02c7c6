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
#include "responder.h"
#include "server.h"

struct server {
	struct event_base *base;
	struct tnd_timers timers;
	struct net *net;
	struct txn_layer *txn;
	struct responder responder;
	struct event *sigint, *sigterm;
};

static int send_bytes(void *arg, const struct net_peer *to, const char *data,
		      size_t len)
{
	return net_send(arg, to, data, len);
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

static int open_listeners(struct server *s, const struct app_options *opts)
{
	for (size_t i = 0; i < opts->nlisten; i++) {
		uint32_t id;
		int rc = net_listen(s->net, opts->listen[i], &id);

		if (rc) {
			tnd_log_error("cannot listen on %s: %s",
				      opts->listen[i], strerror(rc));
			return rc;
		}
		tnd_log_info("listening on %s", opts->listen[i]);
	}
	return 0;
}

static int server_start(struct server *s, const struct app_options *opts)
{
	struct txn_io io = { send_bytes, NULL };
	struct txn_tu tu = { responder_on_request, &s->responder };
	int rc;

	if (!(s->base = event_base_new()))
		return ENOMEM;
	tnd_timers_init(&s->timers, tnd_clock_monotonic);
	if ((rc = net_new(s->base, &s->timers, &net_config_default, receive, s,
			  &s->net)))
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
	return open_listeners(s, opts);
}

static void server_stop(struct server *s)
{
	if (s->sigint)
		event_free(s->sigint);
	if (s->sigterm)
		event_free(s->sigterm);
	txn_layer_free(s->txn);
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
