/*
 * udp_forward: the smallest relay the media benchmark
 * (scripts/bench-media.sh) can put between rtp_load's phones. A hop
 * through another process on another CPU costs wake-ups that no relay
 * avoids and the direct floor never shows, so a relay's own cost is its
 * latency minus this one's under the same load. Ports come in pairs:
 * (LO+2k, LO+2k+1) are call k's side A and side B. A packet on a side's
 * port latches its source as that side's address (the latest wins) and
 * leaves, unchanged, from the other side's socket to the other side's
 * address, or is dropped while that is unknown. One thread, one
 * level-triggered epoll set, recvmmsg and sendto; nothing of tandem.
 */
#define _GNU_SOURCE /* recvmmsg */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH      16
#define PKT_MAX    2048 /* RTP fits; a longer datagram leaves truncated */
#define EVENTS_MAX 256
#define SIGNAL_TAG UINT32_MAX /* the signalfd's epoll data */

struct fwd_side {
	int fd;
	bool latched;
	struct sockaddr_in peer; /* the latest source on this port */
};

struct fwd {
	struct fwd_side *side; /* side[i ^ 1] is side[i]'s other side */
	int epfd;
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in from[BATCH];
	uint8_t buf[BATCH][PKT_MAX];
};

static void opts_parse(int argc, char **argv, struct in_addr *bind_addr,
		       unsigned *lo, unsigned *hi)
{
	char tail;

	if (argc != 5 || strcmp(argv[1], "--bind") ||
	    strcmp(argv[3], "--ports") ||
	    inet_pton(AF_INET, argv[2], bind_addr) != 1 ||
	    sscanf(argv[4], "%u-%u%c", lo, hi, &tail) != 2 || *lo == 0 ||
	    *hi > 65535 || *hi <= *lo || (*hi - *lo) % 2 == 0) {
		fprintf(stderr, "usage: udp_forward --bind IP --ports LO-HI"
				" (an even count: side A, side B per call)\n");
		exit(2);
	}
}

static int side_open(struct fwd *f, unsigned i, struct in_addr addr,
		     uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr = addr,
				  .sin_port = htons(port) };
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	f->side[i].fd = fd;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    epoll_ctl(f->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		fprintf(stderr, "udp_forward: port %u: %s\n", port,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* SIGINT and SIGTERM arrive through the epoll set, so that one coming
 * between two waits is not missed. */
static int signals_watch(struct fwd *f)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = SIGNAL_TAG };
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) ||
	    (fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0 ||
	    epoll_ctl(f->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		perror("udp_forward: signalfd");
		return -1;
	}
	return 0;
}

/* Reads side i until it is empty (EAGAIN, or a batch short of full).
 * What cannot be sent (the other side unknown, a full socket buffer)
 * is lost, and rtp_load counts it as such. */
static void side_drain(struct fwd *f, unsigned i)
{
	struct fwd_side *in = &f->side[i], *out = &f->side[i ^ 1];
	int n;

	do {
		for (int k = 0; k < BATCH; k++)
			f->msg[k].msg_hdr.msg_namelen = sizeof(f->from[k]);
		n = recvmmsg(in->fd, f->msg, BATCH, MSG_DONTWAIT, NULL);
		for (int k = 0; k < n; k++) {
			in->peer = f->from[k];
			in->latched = true;
			if (out->latched)
				sendto(out->fd, f->buf[k], f->msg[k].msg_len, 0,
				       (const struct sockaddr *)&out->peer,
				       sizeof(out->peer));
		}
	} while (n == BATCH);
}

static void run(struct fwd *f)
{
	struct epoll_event ev[EVENTS_MAX];

	for (;;) {
		int n = epoll_wait(f->epfd, ev, EVENTS_MAX, -1);

		if (n < 0 && errno != EINTR) {
			perror("udp_forward: epoll_wait");
			exit(1);
		}
		for (int k = 0; k < n; k++) {
			if (ev[k].data.u32 == SIGNAL_TAG)
				return;
			side_drain(f, ev[k].data.u32);
		}
	}
}

/* Every port bound and watched, or -1 (said on stderr). */
static int fwd_open(struct fwd *f, struct in_addr addr, unsigned lo,
		    unsigned hi)
{
	f->side = calloc(hi - lo + 1, sizeof(*f->side));
	f->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!f->side || f->epfd < 0) {
		perror("udp_forward");
		return -1;
	}
	for (int k = 0; k < BATCH; k++) {
		f->iov[k] = (struct iovec){ f->buf[k], PKT_MAX };
		f->msg[k].msg_hdr = (struct msghdr){ .msg_name = &f->from[k],
						     .msg_iov = &f->iov[k],
						     .msg_iovlen = 1 };
	}
	if (signals_watch(f))
		return -1;
	for (unsigned port = lo; port <= hi; port++)
		if (side_open(f, port - lo, addr, (uint16_t)port))
			return -1;
	return 0;
}

/* Exit closes the sockets. */
int main(int argc, char **argv)
{
	static struct fwd f;
	struct in_addr addr;
	unsigned lo, hi;

	opts_parse(argc, argv, &addr, &lo, &hi);
	if (fwd_open(&f, addr, lo, hi))
		return 1;
	run(&f);
	free(f.side);
	return 0;
}
