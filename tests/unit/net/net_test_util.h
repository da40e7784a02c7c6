/*
 * Helpers shared by the net tests: a net on a real event_base with an
 * inbox recording what it hands up, plain client sockets on loopback,
 * and NT_WAIT, which drives the loop without blocking until a condition
 * holds or two seconds of wall time have passed. Nothing sleeps.
 */
#ifndef TANDEM_NET_TEST_UTIL_H
#define TANDEM_NET_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "tandem/net.h"
#include "test.h"

struct event_base;

#define NT_MAX 16

/* What the receive callback got, in order; the inbox owns the messages. */
struct nt_inbox {
	size_t n;
	struct sip_msg *msgs[NT_MAX];
	struct net_peer from[NT_MAX];
};
void nt_inbox_receive(void *arg, struct sip_msg *msg_take,
		      const struct net_peer *from);
void nt_inbox_clear(struct nt_inbox *in);

/* What the error callback got. */
struct nt_errors {
	size_t n;
	struct net_peer to[NT_MAX];
	int err[NT_MAX];
};
void nt_errors_record(void *arg, const struct net_peer *to, int err);

struct nt_env {
	struct event_base *base;
	struct tnd_timers timers;
	struct net *net;
	struct nt_inbox inbox;
};
/* A base, timers (manual clock at 1000 ms, or monotonic) and a net. */
int nt_env_open(struct nt_env *env, const struct net_config *cfg,
		bool manual_clock);
/* A second net on env's base and timers, recording into `inbox`. */
int nt_env_add_net(struct nt_env *env, const struct net_config *cfg,
		   struct nt_inbox *inbox, struct net **out);
void nt_env_close(struct nt_env *env);

/* Listens on spec; *addr gets the bound address. Returns the id or 0. */
uint32_t nt_listen(struct net *net, const char *spec,
		   struct sockaddr_storage *addr);

struct nt_wait {
	struct timespec deadline;
};
void nt_wait_start(struct nt_wait *w);
/* One non-blocking loop iteration; false once the deadline has passed. */
bool nt_wait_more(struct nt_wait *w, struct event_base *base);
/* Runs `n` non-blocking iterations: lets anything pending happen. */
void nt_spin(struct event_base *base, int n);

#define NT_WAIT(base, cond)                                  \
	do {                                                 \
		struct nt_wait w_;                           \
		nt_wait_start(&w_);                          \
		while (!(cond) && nt_wait_more(&w_, (base))) \
			;                                    \
		CHECK(cond);                                 \
	} while (0)

/* Bytes a plain socket received so far. */
struct nt_rx {
	char buf[16384];
	size_t len;
	size_t datagrams;
	bool eof;
};
/* Reads whatever is there without blocking; always true (for NT_WAIT). */
bool nt_rx_poll(int fd, struct nt_rx *rx);

/* A non-blocking UDP socket on the loopback of `family`, any port. */
int nt_udp_socket(int family);
uint16_t nt_sock_port(int fd);
uint16_t nt_addr_port(const struct sockaddr_storage *addr);
int nt_sendto(int fd, const char *data, size_t len,
	      const struct sockaddr_storage *to);
/* A TCP client connected to `to`, then made non-blocking; -1 on error. */
int nt_tcp_client(const struct sockaddr_storage *to);
bool nt_send_all(int fd, const char *data, size_t len);
/* A loopback TCP address with nothing listening on it. */
int nt_closed_tcp_addr(int family, struct sockaddr_storage *out);

/*
 * An OPTIONS request with top Via `via`, into buf[size]; its length, or
 * 0 when it does not fit.
 */
size_t nt_request(char *buf, size_t size, const char *via, const char *call_id);
/* The value of the first header `name` of msg, or an empty slice. */
struct tnd_slice nt_hdr(const struct sip_msg *msg, const char *name);

#endif
