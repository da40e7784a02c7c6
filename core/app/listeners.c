/*
 * Opening the --listen listeners and answering "which address of ours"
 * for the Via of what tandem originates.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "listeners.h"
#include "tandem/log.h"

static enum net_transport spec_transport(const char *spec)
{
	if (strncmp(spec, "tcp:", 4) == 0)
		return NET_TCP;
	if (strncmp(spec, "tls:", 4) == 0)
		return NET_TLS;
	return NET_UDP;
}

/* The address in text and its port; false for a wildcard address. */
static bool concrete_address(const struct sockaddr_storage *ss, char *host,
			     size_t size, uint16_t *port)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)ss;

		*port = ntohs(in->sin_port);
		return in->sin_addr.s_addr != htonl(INADDR_ANY) &&
		       inet_ntop(AF_INET, &in->sin_addr, host, (socklen_t)size);
	}
	const struct sockaddr_in6 *in6 = (const void *)ss;

	*port = ntohs(in6->sin6_port);
	return !IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr) &&
	       inet_ntop(AF_INET6, &in6->sin6_addr, host, (socklen_t)size);
}

int app_listeners_open(struct app_listeners *ls, struct net *net,
		       const struct app_options *opts)
{
	for (size_t i = 0; i < opts->nlisten; i++) {
		struct app_listener *l = &ls->l[ls->n];
		socklen_t len = sizeof(l->addr);
		int rc = net_listen(net, opts->listen[i], &l->id);

		if (rc == 0)
			rc = net_listener_address(net, l->id, &l->addr, &len);
		if (rc) {
			tnd_log_error("cannot listen on %s: %s",
				      opts->listen[i], strerror(rc));
			return rc;
		}
		l->transport = spec_transport(opts->listen[i]);
		if (!concrete_address(&l->addr, l->host, sizeof(l->host),
				      &l->port))
			l->host[0] = '\0';
		ls->n++;
		tnd_log_info("listening on %s", opts->listen[i]);
	}
	return 0;
}

int app_listeners_local(void *arg, enum net_transport transport, int family,
			char *host, size_t size, uint16_t *port)
{
	const struct app_listeners *ls = arg;

	for (size_t i = 0; i < ls->n; i++) {
		const struct app_listener *l = &ls->l[i];
		size_t len = strlen(l->host);

		if (l->transport == transport && l->addr.ss_family == family &&
		    len && len < size) {
			memcpy(host, l->host, len + 1);
			*port = l->port;
			return 0;
		}
	}
	return EADDRNOTAVAIL;
}
