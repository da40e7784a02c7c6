/*
 * The net object: creating and freeing it, its configuration defaults,
 * the error callback, statistics, and net_send's dispatch by transport.
 * It owns the listeners (listen.c), the connection table (conn_table.c),
 * the datagram buffer, the timer event (loop_timers.c) and the TLS
 * contexts (tls.c).
 */
#include <errno.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/rand.h"
#include "net_int.h"

const struct net_config net_config_default = {
	/* sip_limits_default, spelled out: a constant initializer. */
	.limits = { .max_message = 65535,
		    .max_headers = 256,
		    .max_line = 8192 },
	.max_connections = 1024,
	.max_conn_buffer = 262144,
	.idle_timeout_ms = 120000,
	.connect_timeout_ms = 10000,
	.udp_buffer = 4u << 20,
	.tls = { .verify_server = true },
};

static bool config_valid(const struct net_config *cfg)
{
	return cfg->limits.max_message > 0 &&
	       cfg->limits.max_message < SIZE_MAX &&
	       cfg->limits.max_headers > 0 && cfg->limits.max_line > 0 &&
	       cfg->max_conn_buffer > 0 &&
	       !cfg->tls.cert_file == !cfg->tls.key_file;
}

int net_new(struct event_base *base, struct tnd_timers *timers,
	    const struct net_config *cfg, net_receive_fn fn, void *arg,
	    struct net **out)
{
	struct net *net;
	uint64_t seed;
	int rc;

	*out = NULL;
	if (!cfg)
		cfg = &net_config_default;
	if (!base || !timers || !fn || !config_valid(cfg))
		return EINVAL;
	if ((rc = tnd_rand_u64(&seed)))
		return rc;
	if (!(net = tnd_calloc(1, sizeof(*net))))
		return ENOMEM;
	if (!(net->dgram =
		  tnd_calloc(NET_UDP_BATCH, cfg->limits.max_message + 1)) ||
	    net_conn_table_init(&net->conns, seed)) {
		tnd_free(net->dgram);
		tnd_free(net);
		return ENOMEM;
	}
	net->base = base;
	net->timers = timers;
	net->cfg = *cfg;
	net->on_receive = fn;
	net->receive_arg = arg;
	net_loop_timer_init(&net->loop_timer, base, timers);
	*out = net;
	return 0;
}

void net_free(struct net *net)
{
	struct net_conn *conn;

	if (!net)
		return;
	while ((conn = net_conn_table_any(&net->conns)))
		net_conn_close(conn, NET_CLOSE_SHUTDOWN, 0);
	net_conn_table_free(&net->conns);
	net_listeners_free(net);
	net_tls_free(net);
	net_loop_timer_stop(&net->loop_timer);
	tnd_free(net->dgram);
	tnd_free(net);
}

void net_set_error_fn(struct net *net, net_error_fn fn, void *arg)
{
	net->on_error = fn;
	net->error_arg = fn ? arg : NULL;
}

void net_stats(const struct net *net, struct net_stats *out)
{
	*out = net->stats;
	out->conns_open = net->conns.count;
}

int net_send_tls(struct net *net, const struct net_peer *to,
		 const char *server_name, const char *data, size_t len)
{
	switch (to->transport) {
	case NET_UDP: return net_udp_send(net, to, data, len);
	case NET_TCP: return net_tcp_send(net, to, NULL, data, len);
	case NET_TLS:
		if (server_name &&
		    (!server_name[0] || strlen(server_name) > NET_TLS_NAME_MAX))
			return EINVAL;
		return net_tcp_send(net, to, server_name, data, len);
	}
	return EINVAL;
}

int net_send(struct net *net, const struct net_peer *to, const char *data,
	     size_t len)
{
	return net_send_tls(net, to, NULL, data, len);
}
