/*
 * rtp_load's event loop: one epoll set holding every socket (two per
 * call, the SIP or ng sockets) and a 1 ms timerfd that drives the send
 * schedule. Each registration carries a tag and a call index in the
 * epoll data, so a wake-up needs no lookup. One thread: the generator
 * must stay as simple to account for as the relay it measures.
 */
#include "rtp_load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define EVENTS_MAX 256

uint64_t load_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* A non-blocking UDP socket on 127.0.0.1:port (0: the kernel picks one
 * from its ephemeral range); the port in *bound. -1 on failure. */
int load_udp_open(uint16_t port, uint16_t *bound)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		close(fd);
		return -1;
	}
	*bound = ntohs(sa.sin_port);
	return fd;
}

/* "IP:PORT", IPv4 only: the benchmark runs on loopback. */
int load_addr_parse(const char *s, struct sockaddr_in *out)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned long port;

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return EINVAL;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (*end || port == 0 || port > 65535)
		return EINVAL;
	memset(out, 0, sizeof(*out));
	out->sin_family = AF_INET;
	out->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &out->sin_addr) == 1 ? 0 : EINVAL;
}

int load_loop_watch(struct load_ctx *c, int fd, enum load_tag tag, unsigned idx)
{
	struct epoll_event ev = { .events = EPOLLIN };

	ev.data.u64 = (uint64_t)tag << 32 | idx;
	return epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev) ? errno : 0;
}

int load_loop_open(struct load_ctx *c)
{
	struct itimerspec its = { .it_interval.tv_nsec = (long)NS_PER_MS,
				  .it_value.tv_nsec = (long)NS_PER_MS };

	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	c->timerfd =
	    timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (c->epfd < 0 || c->timerfd < 0 ||
	    timerfd_settime(c->timerfd, 0, &its, NULL))
		return errno;
	c->now = load_now();
	c->wheel.done_ms = c->now / NS_PER_MS;
	return load_loop_watch(c, c->timerfd, LOAD_TAG_TIMER, 0);
}

void load_loop_close(struct load_ctx *c)
{
	if (c->timerfd >= 0)
		close(c->timerfd);
	if (c->epfd >= 0)
		close(c->epfd);
}

static void on_event(struct load_ctx *c, uint64_t data)
{
	enum load_tag tag = (enum load_tag)(data >> 32);
	unsigned idx = (unsigned)data;
	uint64_t expirations;

	switch (tag) {
	case LOAD_TAG_TIMER:
		if (read(c->timerfd, &expirations, sizeof(expirations)) < 0 &&
		    errno != EAGAIN)
			perror("rtp_load: timerfd");
		load_wheel_run(c);
		break;
	case LOAD_TAG_UAC: load_sip_uac_receive(c); break;
	case LOAD_TAG_UAS: load_sip_uas_receive(c); break;
	case LOAD_TAG_NG: load_ng_receive(c); break;
	case LOAD_TAG_SIDE_A:
	case LOAD_TAG_SIDE_B:
		load_side_receive(c,
				  &c->calls[idx].side[tag - LOAD_TAG_SIDE_A]);
		break;
	}
}

/* Waits for at most 1 ms (the tick) and handles what is ready. The
 * clock is read once per wake-up and again after each batch of
 * packets, so a latency sample includes the time its packet waited
 * in this process, as a phone's would. */
void load_loop_once(struct load_ctx *c)
{
	static struct epoll_event ev[EVENTS_MAX];
	int n = epoll_wait(c->epfd, ev, EVENTS_MAX, 1);

	if (n < 0 && errno != EINTR) {
		perror("rtp_load: epoll_wait");
		exit(1);
	}
	c->now = load_now();
	for (int i = 0; i < n; i++)
		on_event(c, ev[i].data.u64);
}
