/*
 * The helpers of net_test_util.h: environment set-up and tear-down,
 * recording callbacks, the bounded non-blocking loop driver, and plain
 * loopback sockets standing in for a phone.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "net_test_util.h"

#define NT_DEADLINE_S 2

void nt_inbox_receive(void *arg, struct sip_msg *msg_take,
		      const struct net_peer *from)
{
	struct nt_inbox *in = arg;

	if (in->n == NT_MAX) {
		sip_msg_free(msg_take);
		return;
	}
	in->msgs[in->n] = msg_take;
	in->from[in->n] = *from;
	in->n++;
}

void nt_inbox_clear(struct nt_inbox *in)
{
	for (size_t i = 0; i < in->n; i++)
		sip_msg_free(in->msgs[i]);
	in->n = 0;
}

void nt_errors_record(void *arg, const struct net_peer *to, int err)
{
	struct nt_errors *e = arg;

	if (e->n < NT_MAX) {
		e->to[e->n] = *to;
		e->err[e->n] = err;
	}
	e->n++;
}

int nt_env_open(struct nt_env *env, const struct net_config *cfg,
		bool manual_clock)
{
	int rc;

	memset(env, 0, sizeof(*env));
	if (manual_clock)
		tnd_timers_init_manual(&env->timers, 1000);
	else
		tnd_timers_init(&env->timers, tnd_clock_monotonic);
	if (!(env->base = event_base_new()))
		return ENOMEM;
	rc = net_new(env->base, &env->timers, cfg, nt_inbox_receive,
		     &env->inbox, &env->net);
	if (rc) {
		event_base_free(env->base);
		env->base = NULL;
	}
	return rc;
}

int nt_env_add_net(struct nt_env *env, const struct net_config *cfg,
		   struct nt_inbox *inbox, struct net **out)
{
	return net_new(env->base, &env->timers, cfg, nt_inbox_receive, inbox,
		       out);
}

void nt_env_close(struct nt_env *env)
{
	net_free(env->net);
	env->net = NULL;
	nt_inbox_clear(&env->inbox);
	if (env->base)
		event_base_free(env->base);
	env->base = NULL;
}

uint32_t nt_listen(struct net *net, const char *spec,
		   struct sockaddr_storage *addr)
{
	uint32_t id;
	socklen_t len;

	if (net_listen(net, spec, &id) ||
	    net_listener_address(net, id, addr, &len))
		return 0;
	return id;
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

void nt_wait_start(struct nt_wait *w)
{
	clock_gettime(CLOCK_MONOTONIC, &w->deadline);
	w->deadline.tv_sec += NT_DEADLINE_S;
}

bool nt_wait_more(struct nt_wait *w, struct event_base *base)
{
	struct timespec now;

	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	clock_gettime(CLOCK_MONOTONIC, &now);
	return before(&now, &w->deadline);
}

void nt_spin(struct event_base *base, int n)
{
	for (int i = 0; i < n; i++)
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
}

bool nt_rx_poll(int fd, struct nt_rx *rx)
{
	/* One byte kept free, so that tests may end the text with a NUL. */
	while (!rx->eof && rx->len < sizeof(rx->buf) - 1) {
		ssize_t n = recv(fd, rx->buf + rx->len,
				 sizeof(rx->buf) - 1 - rx->len, MSG_DONTWAIT);

		if (n > 0) {
			rx->len += (size_t)n;
			rx->datagrams++;
		} else if (n == 0) {
			rx->eof = true;
		} else if (errno == ECONNRESET) {
			rx->eof = true;
		} else {
			break; /* EAGAIN, or a zero-length datagram */
		}
	}
	return true;
}

static void loopback(int family, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_loopback;
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
}

static socklen_t addr_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					 : sizeof(struct sockaddr_in);
}

int nt_udp_socket(int family)
{
	struct sockaddr_storage ss;
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	loopback(family, &ss);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&ss, addr_len(&ss))) {
		close(fd);
		return -1;
	}
	return fd;
}

uint16_t nt_addr_port(const struct sockaddr_storage *addr)
{
	if (addr->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)addr)->sin6_port);
	return ntohs(((const struct sockaddr_in *)addr)->sin_port);
}

uint16_t nt_sock_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return 0;
	return nt_addr_port(&ss);
}

int nt_sendto(int fd, const char *data, size_t len,
	      const struct sockaddr_storage *to)
{
	ssize_t n =
	    sendto(fd, data, len, 0, (const struct sockaddr *)to, addr_len(to));

	return n == (ssize_t)len ? 0 : errno;
}

int nt_tcp_client(const struct sockaddr_storage *to)
{
	int fd = socket(to->ss_family, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	/* Blocking is fine: the kernel completes it from the backlog. */
	if (connect(fd, (const struct sockaddr *)to, addr_len(to)) ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)) {
		close(fd);
		return -1;
	}
	return fd;
}

bool nt_send_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

int nt_closed_tcp_addr(int family, struct sockaddr_storage *out)
{
	socklen_t len = sizeof(*out);
	int fd = socket(family, SOCK_STREAM, 0), rc = 0;

	loopback(family, out);
	if (fd < 0)
		return errno;
	/* Bound, never listened on: the port refuses until reused. */
	if (bind(fd, (struct sockaddr *)out, addr_len(out)) ||
	    getsockname(fd, (struct sockaddr *)out, &len))
		rc = errno;
	close(fd);
	return rc;
}

size_t nt_request(char *buf, size_t size, const char *via, const char *call_id)
{
	int n = snprintf(buf, size,
			 "OPTIONS sip:bob@example.com SIP/2.0\r\n"
			 "Via: %s\r\n"
			 "Max-Forwards: 70\r\n"
			 "From: <sip:alice@example.com>;tag=a1\r\n"
			 "To: <sip:bob@example.com>\r\n"
			 "Call-ID: %s\r\n"
			 "CSeq: 1 OPTIONS\r\n"
			 "Content-Length: 0\r\n\r\n",
			 via, call_id);

	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

struct tnd_slice nt_hdr(const struct sip_msg *msg, const char *name)
{
	const struct sip_hdr *h =
	    sip_msg_hdr_by_name(msg, tnd_slice_from_cstr(name));

	return h ? h->value : TND_SLICE_NULL;
}
