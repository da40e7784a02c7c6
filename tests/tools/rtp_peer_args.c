/*
 * The command line of rtp_peer: defaults, the option table, numbers
 * (decimal or 0x hex) and ADDR:PORT literals (IPv6 as [ADDR]:PORT). The
 * end-to-end tests depend on these names, so a misspelt option is an
 * error rather than a prefix match. Usage errors are reported here, on
 * stderr, once; the caller only exits 2. Uses rtp_peer_srtp.c for keys.
 */
#include "rtp_peer.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum arg_kind { ARG_NUM, ARG_ADDR, ARG_KEY, ARG_TEXT };

struct arg_spec {
	const char *name;
	enum arg_kind kind;
	size_t off;   /* of the field in struct peer_opts */
	uint64_t max; /* ARG_NUM only */
};

/* Bounds that keep the schedule's nanosecond arithmetic far from 2^64:
 * COUNT_MAX packets INTERVAL_MAX apart, plus MS_MAX more, fit in 2^56. */
#define U32_MAX      0xffffffffull
#define COUNT_MAX    1000000ull
#define INTERVAL_MAX 60000ull
#define MS_MAX       3600000ull

#define FIELD(f) offsetof(struct peer_opts, f)
#define NUM(f)   ARG_NUM, FIELD(f)

static const struct arg_spec specs[] = {
	{ "--bind", ARG_ADDR, FIELD(bind), 0 },
	{ "--to", ARG_ADDR, FIELD(to), 0 },
	{ "--rtcp-to", ARG_ADDR, FIELD(rtcp_to), 0 },
	{ "--ssrc", NUM(ssrc), U32_MAX },
	{ "--count", NUM(count), COUNT_MAX },
	{ "--interval-ms", NUM(interval_ms), INTERVAL_MAX },
	{ "--start-delay-ms", NUM(start_delay_ms), MS_MAX },
	{ "--pt", NUM(pt), 127 },
	{ "--expect-ssrc", NUM(expect_ssrc), U32_MAX },
	{ "--expect", NUM(expect), U32_MAX },
	{ "--expect-max-foreign", NUM(expect_max_foreign), U32_MAX },
	{ "--duration-ms", NUM(duration_ms), MS_MAX },
	{ "--linger-ms", NUM(linger_ms), MS_MAX },
	{ "--tamper", NUM(tamper), U32_MAX },
	{ "--srtp-send", ARG_KEY, FIELD(srtp_send), 0 },
	{ "--srtp-recv", ARG_KEY, FIELD(srtp_recv), 0 },
	{ "--print-key", ARG_TEXT, FIELD(print_key), 0 },
};
#define NSPECS (sizeof(specs) / sizeof(specs[0]))

void peer_opts_init(struct peer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->ssrc = PEER_UNSET;
	o->count = 50;
	o->interval_ms = 20;
	o->expect_ssrc = PEER_UNSET;
	o->expect_max_foreign = PEER_UNSET;
	o->duration_ms = PEER_UNSET;
	o->linger_ms = 500;
}

void peer_args_usage(FILE *out)
{
	fputs("usage: rtp_peer --bind ADDR:PORT --to ADDR:PORT [options]\n"
	      "       rtp_peer --print-key SUITE\n"
	      "  --ssrc N                 our SSRC (default random)\n"
	      "  --count N                packets to send (50)\n"
	      "  --interval-ms MS         spacing (20)\n"
	      "  --start-delay-ms MS      before the first packet (0)\n"
	      "  --pt N                   payload type (0)\n"
	      "  --expect-ssrc N          the far side's SSRC\n"
	      "  --expect N               valid packets needed to pass (0)\n"
	      "  --expect-max-foreign N   foreign packets allowed (any)\n"
	      "  --duration-ms MS         run time (sending + linger)\n"
	      "  --linger-ms MS           receive after sending (500)\n"
	      "  --srtp-send SUITE:inline:KEY, --srtp-recv SUITE:inline:KEY\n"
	      "  --tamper K               corrupt every K-th packet sent\n"
	      "  --rtcp-to ADDR:PORT      an RTCP RR there every second\n"
	      "ADDR is IPv4 or [IPv6]; N is decimal or 0x hex.\n",
	      out);
}

/* Digits only: strtoull alone would take "-1", " 7" and "+7". */
static int parse_num(const char *s, uint64_t max, uint64_t *out)
{
	int base = 10;
	unsigned long long v;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!(base == 16 ? isxdigit((unsigned char)s[0])
			 : isdigit((unsigned char)s[0])))
		return EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return EINVAL;
	*out = v;
	return 0;
}

static int addr_fill(const char *host, int family, uint16_t port,
		     struct peer_addr *out)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&out->ss;
	void *dst =
	    family == AF_INET ? (void *)&v4->sin_addr : (void *)&v6->sin6_addr;

	if (inet_pton(family, host, dst) != 1)
		return EINVAL;
	out->ss.ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		v4->sin_port = htons(port);
		out->len = sizeof(*v4);
	} else {
		v6->sin6_port = htons(port);
		out->len = sizeof(*v6);
	}
	return 0;
}

int peer_addr_parse(const char *s, struct peer_addr *out)
{
	char host[INET6_ADDRSTRLEN];
	const char *h = s, *colon;
	uint64_t port;
	size_t hl;

	memset(out, 0, sizeof(*out));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return EINVAL;
		h = s + 1;
		colon = close + 1;
	} else {
		colon = strchr(s, ':');
		if (!colon || strchr(colon + 1, ':'))
			return EINVAL;
	}
	hl = (size_t)(colon - h) - (s[0] == '[');
	if (hl >= sizeof(host) || parse_num(colon + 1, 65535, &port))
		return EINVAL;
	memcpy(host, h, hl);
	host[hl] = '\0';
	return addr_fill(host, s[0] == '[' ? AF_INET6 : AF_INET, (uint16_t)port,
			 out);
}

void peer_addr_print(const struct peer_addr *a, char *buf, size_t size)
{
	const struct sockaddr_in *v4 = (const struct sockaddr_in *)&a->ss;
	const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&a->ss;
	char host[INET6_ADDRSTRLEN];

	if (!a->len) {
		snprintf(buf, size, "-");
	} else if (a->ss.ss_family == AF_INET) {
		inet_ntop(AF_INET, &v4->sin_addr, host, sizeof(host));
		snprintf(buf, size, "%s:%u", host, ntohs(v4->sin_port));
	} else {
		inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof(host));
		snprintf(buf, size, "[%s]:%u", host, ntohs(v6->sin6_port));
	}
}

uint16_t peer_addr_port(const struct peer_addr *a)
{
	if (a->ss.ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
}

void peer_addr_set_port(struct peer_addr *a, uint16_t port)
{
	if (a->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a->ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons(port);
}

bool peer_addr_eq(const struct peer_addr *a, const struct peer_addr *b)
{
	char x[64], y[64];

	peer_addr_print(a, x, sizeof(x));
	peer_addr_print(b, y, sizeof(y));
	return strcmp(x, y) == 0;
}

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "rtp_peer: %s%s (see --help)\n", what, arg);
	return EINVAL;
}

static int arg_apply(const struct arg_spec *sp, const char *v,
		     struct peer_opts *o)
{
	char *field = (char *)o + sp->off;
	const char *why = "";

	switch (sp->kind) {
	case ARG_NUM:
		if (parse_num(v, sp->max, (uint64_t *)(void *)field))
			return usage_error("bad number for ", sp->name);
		return 0;
	case ARG_ADDR:
		if (peer_addr_parse(v, (struct peer_addr *)(void *)field))
			return usage_error("bad ADDR:PORT for ", sp->name);
		return 0;
	case ARG_KEY:
		if (peer_key_parse(v, (struct peer_key *)(void *)field, &why))
			return usage_error(sp->name, why);
		return 0;
	case ARG_TEXT: *(const char **)(void *)field = v; return 0;
	}
	return EINVAL;
}

/* What no single option can check: presence and matching families. */
static int args_check(const struct peer_opts *o)
{
	int family = o->bind.ss.ss_family;

	if (o->print_key)
		return 0;
	if (!o->bind.len || !o->to.len)
		return usage_error("--bind and --to are required", "");
	if (o->to.ss.ss_family != family ||
	    (o->rtcp_to.len && o->rtcp_to.ss.ss_family != family))
		return usage_error("--bind, --to and --rtcp-to must all be ",
				   "IPv4 or all IPv6");
	/* Without rtcp-mux, RTCP goes out from the port above ours. */
	if (o->rtcp_to.len && !peer_addr_eq(&o->rtcp_to, &o->to) &&
	    peer_addr_port(&o->bind) == 65535)
		return usage_error("--rtcp-to needs a --bind port below ",
				   "65535");
	return 0;
}

int peer_args_parse(int argc, char **argv, struct peer_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const struct arg_spec *sp = NULL;

		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			o->help = true;
			return 0;
		}
		for (size_t k = 0; k < NSPECS && !sp; k++) {
			if (!strcmp(argv[i], specs[k].name))
				sp = &specs[k];
		}
		if (!sp)
			return usage_error("unknown option ", argv[i]);
		if (i + 1 == argc)
			return usage_error("a value is missing after ",
					   argv[i]);
		if (arg_apply(sp, argv[++i], o))
			return EINVAL;
	}
	return args_check(o);
}
