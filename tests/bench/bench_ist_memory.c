/*
 * What one live INVITE server transaction costs in memory. A transaction
 * layer runs on the manual clock with a transport that discards what it
 * is given and a TU that answers every INVITE with 180 Ringing, so each
 * transaction stays live in Proceeding as a call that rings would. N
 * INVITEs (-n, 100000 by default), each a ~900-byte-SDP request with its
 * own branch and Call-ID, are parsed and handed to txn_layer_receive.
 *
 * Reported: heap bytes in use per transaction (glibc's mallinfo2
 * uordblks + hblkhd before and after, over N: what malloc handed out,
 * its chunk overhead and the large mmapped tables included; freed chunks
 * held in glibc's per-thread cache count as in use, so a few KiB stay
 * "in use" after everything is freed), resident memory per transaction
 * (/proc/self/statm, which also counts the pages malloc keeps around),
 * tandem blocks per transaction (util/mem), and the time per transaction
 * created (parsing included; a parse-only pass afterwards tells the two
 * apart). Then the clock moves past Timer H and Timer L to show that no
 * timer ends a transaction in Proceeding, the layer is freed, and the
 * live block count must be back where it started.
 *
 * Uses: txn.h (the layer), timer.h (manual clock), sip_msg.h (parsing
 * the requests, building the 180), mem.h (block counts).
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>

#include "tandem/mem.h"
#include "tandem/sip_msg.h"
#include "tandem/timer.h"
#include "tandem/txn.h"

/* 907 bytes: audio with five codecs and video with four, as softphones
 * offer them. */
static const char sdp[] =
    "v=0\r\n"
    "o=alice 2890844526 2890844526 IN IP4 192.0.2.101\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.101\r\n"
    "b=AS:2048\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 111 9 0 8 101\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "a=fmtp:111 minptime=10;useinbandfec=1;stereo=0\r\n"
    "a=rtpmap:9 G722/8000\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=maxptime:120\r\n"
    "a=rtcp:49171 IN IP4 192.0.2.101\r\n"
    "a=sendrecv\r\n"
    "m=video 51372 RTP/AVP 96 97 98 99\r\n"
    "b=AS:1920\r\n"
    "a=rtpmap:96 H264/90000\r\n"
    "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1\r\n"
    "a=rtpmap:97 H264/90000\r\n"
    "a=fmtp:97 profile-level-id=42e01f;packetization-mode=0\r\n"
    "a=rtpmap:98 VP8/90000\r\n"
    "a=fmtp:98 max-fr=30;max-fs=3600\r\n"
    "a=rtpmap:99 rtx/90000\r\n"
    "a=fmtp:99 apt=96\r\n"
    "a=rtcp-fb:96 nack\r\n"
    "a=rtcp-fb:96 nack pli\r\n"
    "a=rtcp-fb:96 ccm fir\r\n"
    "a=rtcp-fb:98 nack pli\r\n"
    "a=rtcp-fb:98 ccm fir\r\n"
    "a=rtcp:51373 IN IP4 192.0.2.101\r\n"
    "a=sendrecv\r\n"
    "a=extmap:1 urn:ietf:params:rtp-hdrext:toffset\r\n";

/* Parameters: branch number, Call-ID number, Content-Length, body. */
#define INVITE_FMT                                                             \
	"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"                        \
	"Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK-bench-%zu;rport\r\n" \
	"Max-Forwards: 70\r\n"                                                 \
	"From: \"Alice Liddell\" <sip:alice@atlanta.example.com>"              \
	";tag=1928301774\r\n"                                                  \
	"To: \"Bob\" <sip:bob@biloxi.example.com>\r\n"                         \
	"Call-ID: bench-%zu@pc33.atlanta.example.com\r\n"                      \
	"CSeq: 314159 INVITE\r\n"                                              \
	"Contact: <sip:alice@192.0.2.101:5060;transport=udp>\r\n"              \
	"Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, UPDATE, "    \
	"PRACK, INFO\r\n"                                                      \
	"Supported: replaces, timer, 100rel\r\n"                               \
	"Session-Expires: 1800;refresher=uac\r\n"                              \
	"User-Agent: Tandem-Bench/1.0 (softphone)\r\n"                         \
	"Content-Type: application/sdp\r\n"                                    \
	"Content-Length: %zu\r\n"                                              \
	"\r\n"                                                                 \
	"%s"

struct bench {
	size_t n;
	struct tnd_timers timers;
	struct txn_layer *layer;
	struct net_peer from;
	char text[4096]; /* the INVITE being formatted */
	uint64_t sends, send_bytes;
	size_t respond_failures;
	double receive_secs; /* in txn_layer_receive, the TU's 180 included */
	double slowest_secs; /* the slowest one ... */
	size_t slowest_at;   /* ... and which transaction it created */
};

/* What the process holds: malloc's bytes in use, resident bytes, blocks
 * from util/mem, and the monotonic time. */
struct snapshot {
	size_t heap;
	size_t rss;
	size_t blocks;
	double secs;
};

static double now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void snapshot_take(struct snapshot *s)
{
	struct mallinfo2 mi = mallinfo2();
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%lu %lu", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	s->heap = mi.uordblks + mi.hblkhd;
	s->rss = resident * (size_t)sysconf(_SC_PAGESIZE);
	s->blocks = tnd_mem_live_blocks();
	s->secs = now_secs();
}

static int discard_send(void *arg, const struct net_peer *to, const char *data,
			size_t len)
{
	struct bench *b = arg;

	(void)to;
	(void)data;
	b->sends++;
	b->send_bytes += len;
	return 0;
}

/* The TU: rings, and keeps ringing. */
static void ring(void *arg, struct txn *st, const struct sip_msg *req,
		 const struct net_peer *from)
{
	struct bench *b = arg;
	struct sip_msg *res;

	(void)from;
	if (!st ||
	    sip_msg_response_new(req, 180, NULL,
				 tnd_slice_from_cstr("bench-tag"), &res)) {
		b->respond_failures++;
		return;
	}
	if (txn_server_respond(st, res))
		b->respond_failures++;
}

/* Parses INVITE number i into a new message. */
static int invite_parse(struct bench *b, size_t i, struct sip_msg **out)
{
	struct sip_parse_error err = { 0 };
	int len = snprintf(b->text, sizeof(b->text), INVITE_FMT, i, i,
			   sizeof(sdp) - 1, sdp);
	int rc;

	if (len < 0 || (size_t)len >= sizeof(b->text))
		return ENOSPC;
	rc =
	    sip_msg_parse(&sip_limits_default, b->text, (size_t)len, out, &err);
	if (rc && *out) {
		sip_msg_free(*out);
		*out = NULL;
	}
	if (rc)
		fprintf(stderr, "parse error %d at %zu: %s\n", rc, err.offset,
			err.what ? err.what : "?");
	return rc;
}

static int setup(struct bench *b)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&b->from.addr;
	struct txn_io io = { .send = discard_send, .arg = b };
	struct txn_tu tu = { ring, b };

	b->from.transport = NET_UDP;
	b->from.addrlen = sizeof(*sin);
	sin->sin_family = AF_INET;
	sin->sin_port = htons(5060);
	sin->sin_addr.s_addr = htonl(0xc0000265); /* 192.0.2.101 */
	tnd_timers_init_manual(&b->timers, 0);
	return txn_layer_new(&txn_config_default, &b->timers, io, tu,
			     &b->layer);
}

/* Creates the N transactions, noting the slowest txn_layer_receive: a
 * table that grows all at once shows up there as a pause. */
static int create_all(struct bench *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct sip_msg *msg;
		int rc = invite_parse(b, i, &msg);
		double t0, took;

		if (rc)
			return rc;
		t0 = now_secs();
		txn_layer_receive(b->layer, msg, &b->from);
		took = now_secs() - t0;
		b->receive_secs += took;
		if (took > b->slowest_secs) {
			b->slowest_secs = took;
			b->slowest_at = i;
		}
	}
	return 0;
}

/* Parsing alone, each message freed at once: the share of the creation
 * time that is not the transaction layer's. */
static int parse_only(struct bench *b, double *secs)
{
	struct snapshot s0, s1;

	snapshot_take(&s0);
	for (size_t i = 0; i < b->n; i++) {
		struct sip_msg *msg;
		int rc = invite_parse(b, i, &msg);

		if (rc)
			return rc;
		sip_msg_free(msg);
	}
	snapshot_take(&s1);
	*secs = s1.secs - s0.secs;
	return 0;
}

static double per(double total, size_t n)
{
	return total / (double)n;
}

static void report_created(const struct bench *b, const struct snapshot *s0,
			   const struct snapshot *s1)
{
	struct txn_stats st;

	txn_layer_stats(b->layer, &st);
	printf("live INVITE server transactions: %llu of %zu "
	       "(sends %llu, %llu bytes, TU failures %zu)\n",
	       (unsigned long long)st.live[TXN_IST], b->n,
	       (unsigned long long)b->sends, (unsigned long long)b->send_bytes,
	       b->respond_failures);
	printf("  INVITE size                %zu bytes (SDP %zu)\n",
	       strlen(b->text), sizeof(sdp) - 1);
	printf("  heap in use per txn        %.0f bytes\n",
	       per((double)s1->heap - (double)s0->heap, b->n));
	printf("  RSS per txn                %.0f bytes\n",
	       per((double)s1->rss - (double)s0->rss, b->n));
	printf("  tandem blocks per txn      %.2f\n",
	       per((double)s1->blocks - (double)s0->blocks, b->n));
	printf("  time per txn created       %.3f us (parse included), "
	       "%.3f us in txn_layer_receive\n",
	       per(s1->secs - s0->secs, b->n) * 1e6,
	       per(b->receive_secs, b->n) * 1e6);
	printf("  slowest txn_layer_receive  %.3f ms (transaction %zu)\n",
	       b->slowest_secs * 1e3, b->slowest_at + 1);
}

/* Past Timers H and L (64*T1), with T4 to spare: nothing in Proceeding
 * may end on its own. */
static void advance_past_timers(struct bench *b)
{
	uint64_t ms = 64 * (uint64_t)txn_config_default.t1_ms +
		      txn_config_default.t4_ms + 1000;
	uint64_t fired = tnd_timers_advance(&b->timers, ms);
	struct txn_stats st;

	txn_layer_stats(b->layer, &st);
	printf("clock advanced %llu ms: %llu timers fired, "
	       "%llu still live (Proceeding has no end timer)\n",
	       (unsigned long long)ms, (unsigned long long)fired,
	       (unsigned long long)st.live[TXN_IST]);
}

static int parse_args(int argc, char **argv, size_t *n)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			char *end;
			unsigned long long v = strtoull(argv[++i], &end, 10);

			if (*end || v == 0)
				return EINVAL;
			*n = (size_t)v;
		} else {
			return EINVAL;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct bench b = { .n = 100000 };
	struct snapshot before, start, created, advanced, freed;
	double parse_secs = 0;
	int rc;

	if (parse_args(argc, argv, &b.n)) {
		fprintf(stderr, "usage: %s [-n TRANSACTIONS]\n", argv[0]);
		return 2;
	}
	/* Printing first gives stdout its buffer before anything is counted. */
	printf("bench_ist_memory: %zu INVITE server transactions\n", b.n);
	snapshot_take(&before);
	if ((rc = setup(&b))) {
		fprintf(stderr, "txn_layer_new: %s\n", strerror(rc));
		return 1;
	}
	snapshot_take(&start);
	if ((rc = create_all(&b)))
		return 1;
	snapshot_take(&created);
	report_created(&b, &start, &created);
	advance_past_timers(&b);
	snapshot_take(&advanced);
	txn_layer_free(b.layer);
	snapshot_take(&freed);
	printf("layer freed in %.1f ms: %zu tandem blocks live "
	       "(%zu before the layer), heap %+.0f bytes from then: %s\n",
	       (freed.secs - advanced.secs) * 1e3, freed.blocks, before.blocks,
	       (double)freed.heap - (double)before.heap,
	       freed.blocks == before.blocks ? "all freed" : "LEAKED");
	if ((rc = parse_only(&b, &parse_secs)))
		return 1;
	printf("parse alone                  %.3f us per INVITE\n",
	       per(parse_secs, b.n) * 1e6);
	return freed.blocks == before.blocks ? 0 : 1;
}
