/*
 * pcap_residence: how long each RTP packet stays inside the relay of
 * the media benchmark (scripts/bench-media.sh), read from a loopback
 * capture (classic pcap, as `tcpdump -w` writes it, µs or ns stamps,
 * either byte order; Ethernet, Linux cooked or BSD loopback framing;
 * UDP over IPv4 or IPv6). On lo every datagram is stamped by the kernel
 * as its sender hands it to the device, so a relayed packet is seen
 * twice: entering the relay (sent by a phone) and leaving it (sent by
 * the relay). The relays keep the RTP header, so the two copies share
 * SSRC, sequence number and RTP timestamp: the first sighting is the
 * ingress, the second the egress, and their difference the residence.
 * Anything but RTP (version 2, a payload type not RTCP's) is ignored.
 * Prints one line, "residence key=value ...", over the pairs whose
 * ingress falls in the window. Reads the file itself: no libpcap.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_MS UINT64_C(1000000)
/* Two copies further apart than this are not one packet relayed. */
#define MAX_GAP_NS (1000 * NS_PER_MS)
#define SNAP_MAX   262144 /* libpcap's largest snapshot length */

/* Link types (the pcap global header's "network"). */
#define DLT_NULL        0
#define DLT_EN10MB      1
#define DLT_LINUX_SLL   113
#define MAGIC_US        0xa1b2c3d4u
#define MAGIC_NS        0xa1b23c4du
#define ETHERTYPE_IPV4  0x0800
#define ETHERTYPE_IPV6  0x86dd
#define IPPROTO_UDP_NUM 17

struct pcap_in {
	FILE *f;
	bool swapped; /* written on a machine of the other byte order */
	bool nanos;
	uint32_t link;
	uint64_t t_ns; /* the current record's */
	uint32_t len;  /* its captured bytes, in pkt */
	uint8_t pkt[SNAP_MAX];
};

struct rtp_key {
	uint32_t ssrc, rtp_ts;
	uint16_t seq;
};

/* A packet seen once so far: its key and when. */
struct slot {
	uint64_t t_ns;
	struct rtp_key key;
	bool used;
};

/* Open addressing, linear probing, at most half full. */
struct table {
	struct slot *slot;
	size_t cap, used;
};

struct samples {
	uint32_t *ns;
	size_t n, cap;
};

/* What the window came to: its RTP packets (either copy), their pairs'
 * residences in ns, and the pairs too far apart. */
struct tally {
	uint64_t packets, mismatched;
	struct samples res;
};

struct window {
	uint64_t lo_ns, hi_ns; /* from the first RTP packet */
};

static void usage(void)
{
	fprintf(stderr, "usage: pcap_residence [--skip-ms N] [--window-ms N]"
			" FILE.pcap\n");
	exit(2);
}

static uint64_t num(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (!*s || *end || v > UINT64_MAX / NS_PER_MS / 4)
		usage();
	return v;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint32_t field(const struct pcap_in *in, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return in->swapped ? __builtin_bswap32(v) : v;
}

/* The 24-byte global header: 0, EBADMSG or EPROTONOSUPPORT. */
static int pcap_open(struct pcap_in *in)
{
	uint8_t h[24];
	uint32_t magic;

	if (fread(h, sizeof(h), 1, in->f) != 1)
		return EBADMSG;
	memcpy(&magic, h, sizeof(magic));
	in->swapped = magic == __builtin_bswap32(MAGIC_US) ||
		      magic == __builtin_bswap32(MAGIC_NS);
	magic = field(in, h);
	if (magic != MAGIC_US && magic != MAGIC_NS)
		return EPROTONOSUPPORT; /* pcapng, or not a capture */
	in->nanos = magic == MAGIC_NS;
	in->link = field(in, h + 20) & 0xffff; /* the rest: FCS flags */
	if (in->link != DLT_NULL && in->link != DLT_EN10MB &&
	    in->link != DLT_LINUX_SLL)
		return EPROTONOSUPPORT;
	return 0;
}

/* The next record into in->pkt: 0, ENOENT at the end, EBADMSG. */
static int pcap_next(struct pcap_in *in)
{
	uint8_t h[16];
	uint32_t frac;

	if (fread(h, sizeof(h), 1, in->f) != 1)
		return ENOENT;
	frac = field(in, h + 4);
	in->t_ns = (uint64_t)field(in, h) * 1000000000u +
		   (in->nanos ? frac : (uint64_t)frac * 1000u);
	in->len = field(in, h + 8);
	if (in->len > SNAP_MAX)
		return EBADMSG;
	if (fread(in->pkt, 1, in->len, in->f) != in->len)
		return ENOENT; /* cut short: the capture was stopped */
	return 0;
}

/* `hdr`, when the link header of that length ends in an IP ethertype
 * (2 bytes before its end); else 0. */
static size_t after_ethertype(const struct pcap_in *in, size_t hdr)
{
	uint16_t type;

	if (in->len < hdr)
		return 0;
	type = be16(in->pkt + hdr - 2);
	return type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6 ? hdr : 0;
}

/* Where the IP header starts, or 0 when the frame carries no IP. */
static size_t ip_offset(const struct pcap_in *in)
{
	switch (in->link) {
	case DLT_NULL: return 4; /* the family, in the writer's order */
	case DLT_EN10MB: return after_ethertype(in, 14);
	default: return after_ethertype(in, 16); /* Linux cooked */
	}
}

/* The UDP payload's offset, or 0: not UDP, or a later fragment. */
static size_t udp_payload(const struct pcap_in *in)
{
	size_t ip = ip_offset(in), udp;
	const uint8_t *p = in->pkt + ip;

	if (!ip || in->len < ip + 1)
		return 0;
	if (p[0] >> 4 == 4) {
		if (in->len < ip + 20 || p[9] != IPPROTO_UDP_NUM ||
		    (be16(p + 6) & 0x1fff))
			return 0;
		udp = ip + (size_t)(p[0] & 0x0f) * 4;
	} else if (p[0] >> 4 == 6) {
		if (in->len < ip + 40 || p[6] != IPPROTO_UDP_NUM)
			return 0;
		udp = ip + 40;
	} else {
		return 0;
	}
	return udp + 8;
}

/* True, with its key, when the record holds an RTP packet. RTCP
 * (payload types 200-204 with the marker bit's place, RFC 5761 §4) and
 * anything not version 2 are not. */
static bool rtp_key_get(const struct pcap_in *in, struct rtp_key *key)
{
	size_t off = udp_payload(in);
	const uint8_t *b = in->pkt + off;

	if (!off || in->len < off + 12 || b[0] >> 6 != 2 ||
	    ((b[1] & 0x7f) >= 72 && (b[1] & 0x7f) <= 76))
		return false;
	*key = (struct rtp_key){ .seq = be16(b + 2),
				 .rtp_ts = be32(b + 4),
				 .ssrc = be32(b + 8) };
	return true;
}

static size_t key_hash(const struct rtp_key *k, size_t cap)
{
	uint64_t h = ((uint64_t)k->ssrc << 32 | k->rtp_ts) ^
		     (uint64_t)k->seq * 0x9e3779b97f4a7c15u;

	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9u;
	h ^= h >> 29;
	return (size_t)h & (cap - 1);
}

static bool key_eq(const struct rtp_key *a, const struct rtp_key *b)
{
	return a->ssrc == b->ssrc && a->seq == b->seq && a->rtp_ts == b->rtp_ts;
}

/* The slot holding k, or the free one where it would go. */
static struct slot *table_find(const struct table *t, const struct rtp_key *k)
{
	size_t i = key_hash(k, t->cap);

	while (t->slot[i].used && !key_eq(&t->slot[i].key, k))
		i = (i + 1) & (t->cap - 1);
	return &t->slot[i];
}

static int table_grow(struct table *t)
{
	struct table bigger = { .cap = t->cap ? 2 * t->cap : 1024 };

	bigger.slot = calloc(bigger.cap, sizeof(*bigger.slot));
	if (!bigger.slot)
		return ENOMEM;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].used)
			*table_find(&bigger, &t->slot[i].key) = t->slot[i];
	bigger.used = t->used;
	free(t->slot);
	*t = bigger;
	return 0;
}

/* Empties slot s, moving back the entries after it that probed past
 * it, so that every lookup still finds them without tombstones. */
static void table_remove(struct table *t, struct slot *s)
{
	size_t mask = t->cap - 1, hole = (size_t)(s - t->slot);

	for (size_t i = (hole + 1) & mask; t->slot[i].used;
	     i = (i + 1) & mask) {
		size_t home = key_hash(&t->slot[i].key, t->cap);

		if (((i - home) & mask) >= ((i - hole) & mask)) {
			t->slot[hole] = t->slot[i];
			hole = i;
		}
	}
	t->slot[hole].used = false;
	t->used--;
}

static int samples_add(struct samples *s, uint64_t ns)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 65536;
		uint32_t *ns_new = realloc(s->ns, cap * sizeof(*ns_new));

		if (!ns_new)
			return ENOMEM;
		s->ns = ns_new;
		s->cap = cap;
	}
	s->ns[s->n++] = (uint32_t)ns; /* under MAX_GAP_NS: fits */
	return 0;
}

static bool in_window(const struct window *w, uint64_t t)
{
	return t >= w->lo_ns && t < w->hi_ns;
}

/* One RTP packet, `at` ns after the first: its first copy waits in the
 * table, the second closes the pair. */
static int packet_take(struct table *t, const struct rtp_key *k, uint64_t at,
		       const struct window *w, struct tally *y)
{
	struct slot *s;
	uint64_t ingress;

	if (at + MAX_GAP_NS < w->lo_ns || at >= w->hi_ns + MAX_GAP_NS)
		return 0; /* no pair counted here can involve it */
	y->packets += in_window(w, at);
	if (2 * (t->used + 1) > t->cap && table_grow(t))
		return ENOMEM;
	s = table_find(t, k);
	if (!s->used) {
		*s = (struct slot){ .t_ns = at, .key = *k, .used = true };
		t->used++;
		return 0;
	}
	ingress = s->t_ns;
	table_remove(t, s);
	if (!in_window(w, ingress))
		return 0;
	if (at < ingress || at - ingress > MAX_GAP_NS) {
		y->mismatched++;
		return 0;
	}
	return samples_add(&y->res, at - ingress);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Nearest rank, as rtp_load's histogram reads it; in µs. */
static double percentile_us(const struct samples *s, double pct)
{
	size_t want = (size_t)((double)s->n * pct / 100.0 + 0.5);

	if (!s->n)
		return 0;
	if (want == 0)
		want = 1;
	return s->ns[want - 1] / 1000.0;
}

static void report(const struct table *t, const struct window *w,
		   struct tally *y)
{
	uint64_t unpaired = 0;
	struct samples *r = &y->res;

	for (size_t i = 0; i < t->cap; i++)
		unpaired += t->slot[i].used && in_window(w, t->slot[i].t_ns);
	qsort(r->ns, r->n, sizeof(*r->ns), cmp_u32);
	printf("residence packets=%" PRIu64 " pairs=%zu unpaired=%" PRIu64
	       " mismatched=%" PRIu64 " p50_us=%.1f p90_us=%.1f p99_us=%.1f"
	       " p999_us=%.1f max_us=%.1f\n",
	       y->packets, r->n, unpaired, y->mismatched, percentile_us(r, 50),
	       percentile_us(r, 90), percentile_us(r, 99),
	       percentile_us(r, 99.9), r->n ? r->ns[r->n - 1] / 1000.0 : 0.0);
}

/* Every record of the capture; times count from the first RTP one. */
static int capture_read(struct pcap_in *in, struct window *w, struct table *t,
			struct tally *y)
{
	struct rtp_key k;
	bool started = false;
	uint64_t t0 = 0;
	int rc;

	while (!(rc = pcap_next(in))) {
		if (!rtp_key_get(in, &k))
			continue;
		if (!started) {
			t0 = in->t_ns;
			started = true;
		}
		if (in->t_ns < t0) /* stamped out of order before the first */
			continue;
		rc = packet_take(t, &k, in->t_ns - t0, w, y);
		if (rc)
			return rc;
	}
	return rc == ENOENT ? 0 : rc;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "skip-ms", 1, NULL, 's' },
		{ "window-ms", 1, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	static struct pcap_in in;
	struct window w = { 0, UINT64_MAX / 4 };
	struct table t = { 0 };
	struct tally y = { 0 };
	uint64_t skip_ms = 0, window_ms = 0;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (ch) {
		case 's': skip_ms = num(optarg); break;
		case 'w': window_ms = num(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	w.lo_ns = skip_ms * NS_PER_MS;
	if (window_ms)
		w.hi_ns = w.lo_ns + window_ms * NS_PER_MS;
	in.f = fopen(argv[optind], "rb");
	if (!in.f) {
		perror(argv[optind]);
		return 1;
	}
	rc = pcap_open(&in);
	if (!rc)
		rc = table_grow(&t);
	if (!rc)
		rc = capture_read(&in, &w, &t, &y);
	fclose(in.f);
	if (!rc)
		report(&t, &w, &y);
	else
		fprintf(stderr, "pcap_residence: %s: %s\n", argv[optind],
			rc == EPROTONOSUPPORT
			    ? "not a classic pcap of a supported link type"
			    : strerror(rc));
	free(t.slot);
	free(y.res.ns);
	return rc ? 1 : 0;
}
