/*
 * Socket addresses as the net uses them: parsing a listen spec
 * ("udp:127.0.0.1:5060", "tcp:[::1]:0", "tls:127.0.0.1:5061"),
 * comparing and hashing remote addresses for the connection index,
 * ports, and the IP as text for Via received (RFC 3261 §18.2.1). IPv4 and IPv6;
 * numeric only, since names are the resolver's job (RFC 3263, later).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include "net_int.h"

static int spec_transport(const char *name, size_t len,
			  enum net_transport *transport)
{
	if (len == 3 && strncasecmp(name, "udp", 3) == 0)
		*transport = NET_UDP;
	else if (len == 3 && strncasecmp(name, "tcp", 3) == 0)
		*transport = NET_TCP;
	else if (len == 3 && strncasecmp(name, "tls", 3) == 0)
		*transport = NET_TLS;
	else
		return EINVAL;
	return 0;
}

static int spec_port(const char *p, uint16_t *port)
{
	uint32_t n = 0;
	size_t digits = 0;

	for (; *p; p++, digits++) {
		if (*p < '0' || *p > '9' || digits == 5)
			return EINVAL;
		n = n * 10 + (uint32_t)(*p - '0');
	}
	if (digits == 0 || n > 65535)
		return EINVAL;
	*port = (uint16_t)n;
	return 0;
}

/* Splits "host:port" or "[v6]:port"; host copied into host[size]. */
static int spec_host_port(const char *s, char *host, size_t size,
			  const char **port, bool *v6)
{
	const char *end;

	*v6 = s[0] == '[';
	if (*v6) {
		if (!(end = strchr(s, ']')) || end[1] != ':')
			return EINVAL;
		s++;
		*port = end + 2;
	} else {
		if (!(end = strchr(s, ':')) || strchr(end + 1, ':'))
			return EINVAL;
		*port = end + 1;
	}
	if ((size_t)(end - s) >= size || end == s)
		return EINVAL;
	memcpy(host, s, (size_t)(end - s));
	host[end - s] = '\0';
	return 0;
}

int net_spec_parse(const char *spec, enum net_transport *transport,
		   struct sockaddr_storage *addr, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN];
	const char *colon = spec ? strchr(spec, ':') : NULL, *port_text;
	uint16_t port;
	bool v6;
	int rc;

	if (!colon)
		return EINVAL;
	if ((rc = spec_transport(spec, (size_t)(colon - spec), transport)) ||
	    (rc = spec_host_port(colon + 1, host, sizeof(host), &port_text,
				 &v6)) ||
	    (rc = spec_port(port_text, &port)))
		return rc;
	memset(addr, 0, sizeof(*addr));
	if (v6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)addr;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return EINVAL;
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)addr;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return EINVAL;
	}
	*len = net_addr_len(addr);
	return 0;
}

socklen_t net_addr_len(const struct sockaddr_storage *addr)
{
	switch (addr->ss_family) {
	case AF_INET: return sizeof(struct sockaddr_in);
	case AF_INET6: return sizeof(struct sockaddr_in6);
	default: return 0;
	}
}

bool net_addr_eq(const struct sockaddr_storage *a,
		 const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a,
					 *y = (const void *)b;

		return x->sin_port == y->sin_port &&
		       x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a,
					  *y = (const void *)b;

		return x->sin6_port == y->sin6_port &&
		       x->sin6_scope_id == y->sin6_scope_id &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
	}
	return false;
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull; /* FNV-1a */
	return h;
}

uint64_t net_addr_hash(const struct sockaddr_storage *addr, uint64_t seed)
{
	uint64_t h = hash_bytes(seed ^ 0xcbf29ce484222325ull, &addr->ss_family,
				sizeof(addr->ss_family));

	if (addr->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)addr;

		h = hash_bytes(h, &sin->sin_port, sizeof(sin->sin_port));
		h = hash_bytes(h, &sin->sin_addr, sizeof(sin->sin_addr));
	} else if (addr->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)addr;

		h = hash_bytes(h, &sin6->sin6_port, sizeof(sin6->sin6_port));
		h = hash_bytes(h, &sin6->sin6_addr, sizeof(sin6->sin6_addr));
	}
	return h ^ (h >> 29);
}

uint16_t net_addr_port(const struct sockaddr_storage *addr)
{
	if (addr->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)addr)->sin_port);
	if (addr->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)addr)->sin6_port);
	return 0;
}

void net_addr_set_port(struct sockaddr_storage *addr, uint16_t port)
{
	if (addr->ss_family == AF_INET)
		((struct sockaddr_in *)addr)->sin_port = htons(port);
	else if (addr->ss_family == AF_INET6)
		((struct sockaddr_in6 *)addr)->sin6_port = htons(port);
}

void net_addr_ip_print(const struct sockaddr_storage *addr, char *buf,
		       size_t size)
{
	const void *ip = NULL;

	if (addr->ss_family == AF_INET)
		ip = &((const struct sockaddr_in *)addr)->sin_addr;
	else if (addr->ss_family == AF_INET6)
		ip = &((const struct sockaddr_in6 *)addr)->sin6_addr;
	if (!ip || !inet_ntop(addr->ss_family, ip, buf, (socklen_t)size))
		buf[0] = '\0';
}

bool net_addr_ip_is(const struct sockaddr_storage *addr, struct tnd_slice host)
{
	char text[INET6_ADDRSTRLEN];
	unsigned char ip[16];
	int family = addr->ss_family;

	if (host.len == 0 || host.len >= sizeof(text))
		return false;
	memcpy(text, host.p, host.len);
	text[host.len] = '\0';
	/* Textual forms differ ("::1", "0:0::1"): compare the binary. */
	if (inet_pton(family, text, ip) != 1)
		return false;
	if (family == AF_INET)
		return memcmp(ip, &((const struct sockaddr_in *)addr)->sin_addr,
			      4) == 0;
	if (family == AF_INET6)
		return memcmp(ip,
			      &((const struct sockaddr_in6 *)addr)->sin6_addr,
			      16) == 0;
	return false;
}
