/*
 * rtp_load: one step of the media relay benchmark. Sets up --calls
 * calls through the relay (--relay: tandem, rtpengine, forward for
 * udp_forward, or direct for none) at --setup-rate calls/s (each side
 * starts sending as soon as it knows where to), lets the media run for
 * the warm-up, measures for the window, keeps receiving for the drain
 * (so packets sent late in the window are still counted), tears the
 * calls down and prints one line of raw figures, "result key=value
 * ...", that scripts/bench-media.sh turns into its table. Progress and
 * failures go to stderr. The files it is made of are listed in
 * rtp_load.h.
 */
#include "rtp_load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define SCAN_MS        50 /* retransmission timers are checked this often */
#define FAILURES_SHOWN 5
#define TEARDOWN_RATE  1000 /* calls ended per second */

static void usage(void)
{
	fprintf(stderr,
		"usage: rtp_load --relay tandem|rtpengine|forward|direct"
		" --calls N\n"
		"  [--mix rtp|srtp] [--pps 50] [--setup-rate 200]\n"
		"  [--warmup-ms 2000] [--window-ms 10000] [--drain-ms 500]\n"
		"  [--sip IP:PORT --uac-port P --uas-port P]  (tandem)\n"
		"  [--ng IP:PORT]                             (rtpengine)\n"
		"  [--forward-port LO]  (forward: udp_forward's first port)\n"
		"  [--relay-pid PID]  (whose CPU time is measured)\n"
		"forward and direct: --mix rtp only\n");
	exit(2);
}

static unsigned num(const char *s, unsigned lo, unsigned hi)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*end || v < lo || v > hi)
		usage();
	return (unsigned)v;
}

static void relay_parse(const char *s, struct load_opts *o)
{
	if (!strcmp(s, "tandem"))
		o->relay = LOAD_RELAY_TANDEM;
	else if (!strcmp(s, "rtpengine"))
		o->relay = LOAD_RELAY_RTPENGINE;
	else if (!strcmp(s, "direct"))
		o->relay = LOAD_RELAY_DIRECT;
	else if (!strcmp(s, "forward"))
		o->relay = LOAD_RELAY_FORWARD;
	else
		usage();
}

static void mix_parse(const char *s, struct load_opts *o)
{
	if (strcmp(s, "rtp") && strcmp(s, "srtp"))
		usage();
	o->srtp = !strcmp(s, "srtp");
}

static void opts_parse(int argc, char **argv, struct load_opts *o)
{
	static const struct option longs[] = {
		{ "relay", 1, NULL, 'r' },
		{ "mix", 1, NULL, 'x' },
		{ "calls", 1, NULL, 'c' },
		{ "pps", 1, NULL, 'p' },
		{ "setup-rate", 1, NULL, 's' },
		{ "warmup-ms", 1, NULL, 'w' },
		{ "window-ms", 1, NULL, 'W' },
		{ "drain-ms", 1, NULL, 'd' },
		{ "sip", 1, NULL, 'S' },
		{ "uac-port", 1, NULL, 'a' },
		{ "uas-port", 1, NULL, 'b' },
		{ "ng", 1, NULL, 'n' },
		{ "relay-pid", 1, NULL, 'P' },
		{ "forward-port", 1, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	*o = (struct load_opts){ .pps = 50,
				 .setup_rate = 200,
				 .warmup_ms = 2000,
				 .window_ms = 10000,
				 .drain_ms = 500 };
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (ch) {
		case 'r': relay_parse(optarg, o); break;
		case 'x': mix_parse(optarg, o); break;
		case 'c': o->calls = num(optarg, 1, 1000000); break;
		/* 20 pps at least: a period must fit the wheel's half. */
		case 'p': o->pps = num(optarg, 20, 1000); break;
		case 's': o->setup_rate = num(optarg, 1, 100000); break;
		case 'w': o->warmup_ms = num(optarg, 0, 600000); break;
		case 'W': o->window_ms = num(optarg, 100, 3600000); break;
		case 'd': o->drain_ms = num(optarg, 0, 60000); break;
		case 'S':
			if (load_addr_parse(optarg, &o->sip))
				usage();
			break;
		case 'a': o->uac_port = (uint16_t)num(optarg, 1, 65535); break;
		case 'b': o->uas_port = (uint16_t)num(optarg, 1, 65535); break;
		case 'n':
			if (load_addr_parse(optarg, &o->ng))
				usage();
			break;
		case 'P': o->relay_pid = (pid_t)num(optarg, 1, 1u << 30); break;
		case 'f':
			o->forward_port = (uint16_t)num(optarg, 1, 65535);
			break;
		default: usage();
		}
	}
	if (!o->calls ||
	    (o->relay == LOAD_RELAY_TANDEM &&
	     (!o->sip.sin_port || !o->uac_port || !o->uas_port)) ||
	    (o->relay == LOAD_RELAY_RTPENGINE && !o->ng.sin_port) ||
	    (o->relay == LOAD_RELAY_DIRECT && o->srtp) ||
	    (o->relay == LOAD_RELAY_FORWARD &&
	     (o->srtp || !o->forward_port ||
	      o->forward_port + 2 * (uint64_t)o->calls - 1 > 65535)))
		usage();
}

void load_call_up(struct load_ctx *c, struct load_call *call)
{
	if (call->state != LOAD_CALL_SETUP)
		return;
	call->state = LOAD_CALL_UP;
	c->up++;
}

void load_call_failed(struct load_ctx *c, struct load_call *call,
		      const char *why)
{
	if (call->state != LOAD_CALL_SETUP)
		return;
	call->state = LOAD_CALL_FAILED;
	load_side_stop(&call->side[LOAD_A]);
	load_side_stop(&call->side[LOAD_B]);
	if (why && c->failed < FAILURES_SHOWN)
		fprintf(stderr, "rtp_load: call %u failed: %s\n", call->idx,
			why);
	c->failed++;
}

void load_call_ended(struct load_ctx *c, struct load_call *call, bool ok)
{
	if (call->state != LOAD_CALL_ENDING)
		return;
	call->state = LOAD_CALL_DONE;
	if (ok)
		c->ended++;
	else
		c->end_failed++;
}

/* Without signalling (direct, forward) a call is up at once: side A
 * sends to 127.0.0.1:port_a, side B to 127.0.0.1:port_b. */
static void call_start_unsignalled(struct load_ctx *c, struct load_call *call,
				   uint16_t port_a, uint16_t port_b)
{
	call->side[LOAD_A].to.sin_family = AF_INET;
	call->side[LOAD_A].to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	call->side[LOAD_B].to = call->side[LOAD_A].to;
	call->side[LOAD_A].to.sin_port = htons(port_a);
	call->side[LOAD_B].to.sin_port = htons(port_b);
	load_side_start(c, &call->side[LOAD_A]);
	load_side_start(c, &call->side[LOAD_B]);
	load_call_up(c, call);
}

static void call_start(struct load_ctx *c, struct load_call *call)
{
	uint16_t lo = (uint16_t)(c->o->forward_port + 2 * call->idx);

	call->state = LOAD_CALL_SETUP;
	switch (c->o->relay) {
	case LOAD_RELAY_TANDEM: load_sip_start(c, call); break;
	case LOAD_RELAY_RTPENGINE: load_ng_start(c, call); break;
	case LOAD_RELAY_DIRECT:
		call_start_unsignalled(c, call, call->side[LOAD_B].port,
				       call->side[LOAD_A].port);
		break;
	case LOAD_RELAY_FORWARD:
		call_start_unsignalled(c, call, lo, (uint16_t)(lo + 1));
		break;
	}
}

static void call_end(struct load_ctx *c, struct load_call *call)
{
	call->state = LOAD_CALL_ENDING;
	switch (c->o->relay) {
	case LOAD_RELAY_TANDEM: load_sip_end(c, call); break;
	case LOAD_RELAY_RTPENGINE: load_ng_end(c, call); break;
	case LOAD_RELAY_DIRECT:
	case LOAD_RELAY_FORWARD:
		load_side_stop(&call->side[LOAD_A]);
		load_side_stop(&call->side[LOAD_B]);
		load_call_ended(c, call, true);
		break;
	}
}

/* One wake-up, and every SCAN_MS the calls' retransmission timers. */
static void tick(struct load_ctx *c)
{
	load_loop_once(c);
	if (c->now < c->next_scan)
		return;
	c->next_scan = c->now + SCAN_MS * NS_PER_MS;
	for (unsigned i = 0; i < c->o->calls; i++) {
		struct load_call *call = &c->calls[i];

		if (call->state != LOAD_CALL_SETUP &&
		    call->state != LOAD_CALL_ENDING)
			continue;
		if (c->o->relay == LOAD_RELAY_TANDEM)
			load_sip_retry(c, call);
		else if (c->o->relay == LOAD_RELAY_RTPENGINE)
			load_ng_retry(c, call);
	}
}

static unsigned settled(const struct load_ctx *c, bool ending)
{
	return ending ? c->ended + c->end_failed : c->up + c->failed;
}

/* Starts (or ends) calls at `rate` per second until all have been,
 * and runs until every one is settled or the deadline passes. */
static void paced(struct load_ctx *c, unsigned rate, bool ending)
{
	const struct load_opts *o = c->o;
	uint64_t t0 = c->now, deadline;
	unsigned next = 0, done = 0, total = 0;

	for (unsigned i = 0; i < o->calls; i++)
		total += !ending || c->calls[i].state == LOAD_CALL_UP;
	deadline = t0 + (uint64_t)o->calls * NS_PER_S / rate +
		   (LOAD_TIMEOUT_MS + 5000) * NS_PER_MS;
	while (settled(c, ending) < total && c->now < deadline) {
		uint64_t due = (c->now - t0) * rate / NS_PER_S + 1;

		while (next < o->calls && done < due) {
			struct load_call *call = &c->calls[next++];

			if (ending && call->state != LOAD_CALL_UP)
				continue;
			if (ending)
				call_end(c, call);
			else
				call_start(c, call);
			done++;
		}
		tick(c);
	}
}

static void run_for(struct load_ctx *c, uint64_t ms)
{
	uint64_t until = c->now + ms * NS_PER_MS;

	while (c->now < until)
		tick(c);
}

/* The window: what is sent in it, and what was sent in it and arrives
 * by the end of the drain, with the CPU times at its two edges. */
static void measure(struct load_ctx *c, struct load_cpu *before,
		    struct load_cpu *after)
{
	const struct load_opts *o = c->o;

	load_cpu_read(o->relay_pid, before);
	c->now = load_now();
	c->st.win_start = c->now;
	c->st.win_end = c->now + o->window_ms * NS_PER_MS;
	while (c->now < c->st.win_end)
		tick(c);
	load_cpu_read(o->relay_pid, after);
	run_for(c, o->drain_ms);
}

static void report(const struct load_ctx *c, uint64_t setup_ns,
		   const struct load_cpu *b, const struct load_cpu *a)
{
	const struct load_stats *st = &c->st;
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t self_ticks =
	    (a->self_ns - b->self_ns) * (uint64_t)hz / NS_PER_S;

	printf("result calls=%u up=%u failed=%u setup_ms=%" PRIu64
	       " window_ms=%u cpu_ms=%" PRIu64 " sent_ab=%" PRIu64
	       " sent_ba=%" PRIu64 " recv_ab=%" PRIu64 " recv_ba=%" PRIu64
	       " p50_us=%u p99_us=%u p999_us=%u",
	       c->o->calls, c->up, c->failed, setup_ns / NS_PER_MS,
	       c->o->window_ms, (a->at_ns - b->at_ns) / NS_PER_MS,
	       st->sent[LOAD_A], st->sent[LOAD_B], st->recv[LOAD_A],
	       st->recv[LOAD_B], load_hist_percentile(st, 50),
	       load_hist_percentile(st, 99), load_hist_percentile(st, 99.9));
	printf(" hz=%ld relay_ticks=%" PRIu64 " self_ticks=%" PRIu64
	       " self_ns=%" PRIu64 " all_ticks=%" PRIu64
	       " rcvbuf_errors=%" PRIu64,
	       hz, a->relay_ticks - b->relay_ticks, self_ticks,
	       a->self_ns - b->self_ns, a->all_ticks - b->all_ticks,
	       a->rcvbuf_errors - b->rcvbuf_errors);
	printf(" foreign=%" PRIu64 " malformed=%" PRIu64 " rtcp=%" PRIu64
	       " bad_srtp=%" PRIu64 " send_err=%" PRIu64 " late=%" PRIu64
	       " ended=%u end_failed=%u\n",
	       st->foreign, st->malformed, st->rtcp, st->bad_srtp, st->send_err,
	       st->late, c->ended, c->end_failed);
	fflush(stdout);
}

static int sockets_open(struct load_ctx *c)
{
	const struct load_opts *o = c->o;
	uint16_t port;

	if (o->relay == LOAD_RELAY_TANDEM) {
		c->uac_fd = load_udp_open(o->uac_port, &port);
		c->uas_fd = load_udp_open(o->uas_port, &port);
		if (c->uac_fd < 0 || c->uas_fd < 0 ||
		    load_loop_watch(c, c->uac_fd, LOAD_TAG_UAC, 0) ||
		    load_loop_watch(c, c->uas_fd, LOAD_TAG_UAS, 0))
			return errno ? errno : EIO;
	} else if (o->relay == LOAD_RELAY_RTPENGINE) {
		c->ng_fd = load_udp_open(0, &port);
		if (c->ng_fd < 0 ||
		    load_loop_watch(c, c->ng_fd, LOAD_TAG_NG, 0))
			return errno ? errno : EIO;
	}
	return load_sides_open(c);
}

/* Two sockets per call: as many descriptors as the hard limit allows. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int ctx_init(struct load_ctx *c, const struct load_opts *o)
{
	*c = (struct load_ctx){ .o = o,
				.epfd = -1,
				.timerfd = -1,
				.uac_fd = -1,
				.uas_fd = -1,
				.ng_fd = -1 };
	srandom((unsigned)(load_now() ^ (uint64_t)getpid()));
	c->run_id = (uint32_t)random();
	c->period_ns = NS_PER_S / o->pps;
	c->calls = calloc(o->calls, sizeof(*c->calls));
	c->st.hist = calloc(LOAD_HIST_US + 1, sizeof(*c->st.hist));
	if (!c->calls || !c->st.hist)
		return ENOMEM;
	for (unsigned i = 0; i < o->calls; i++) {
		c->calls[i].side[LOAD_A].fd = c->calls[i].side[LOAD_B].fd = -1;
		if (o->srtp && load_key_random(c->calls[i].key_a))
			return EIO;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct load_opts o;
	struct load_ctx c;
	struct load_cpu before, after;
	uint64_t t0;
	int rc;

	opts_parse(argc, argv, &o);
	raise_nofile();
	rc = o.srtp ? load_srtp_start() : 0;
	if (!rc)
		rc = ctx_init(&c, &o);
	if (!rc)
		rc = load_loop_open(&c);
	if (!rc)
		rc = sockets_open(&c);
	if (rc) {
		fprintf(stderr, "rtp_load: cannot start: %s\n", strerror(rc));
		return 1;
	}
	t0 = c.now = load_now();
	paced(&c, o.setup_rate, false);
	t0 = c.now - t0;
	fprintf(stderr, "rtp_load: %u calls up, %u failed in %.1f s\n", c.up,
		c.failed, (double)t0 / NS_PER_S);
	run_for(&c, o.warmup_ms);
	measure(&c, &before, &after);
	paced(&c, TEARDOWN_RATE, true);
	report(&c, t0, &before, &after);
	for (unsigned i = 0; i < o.calls; i++)
		load_sip_free(&c.calls[i]);
	load_sides_close(&c);
	load_loop_close(&c);
	free(c.calls);
	free(c.st.hist);
	if (o.srtp)
		load_srtp_stop();
	return c.up ? 0 : 1;
}
