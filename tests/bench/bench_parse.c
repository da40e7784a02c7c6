/*
 * SIP parser benchmark: tandem against libosip2 and sofia-sip on the same
 * messages, in the same run. Not a test: it prints numbers and fails only
 * when a library cannot parse a message or reads wrong values from it.
 *
 * For each message (files in messages/, loaded at run time) and library
 * it times two operations. "parse": parse the whole message from the byte
 * buffer and read Call-ID, CSeq number and method, From tag, To tag, top
 * Via branch and Content-Length. "parse+print": the same, then serialise
 * the whole message to bytes. Every iteration frees all it allocated.
 * Each row is warmed up, then timed over a fixed number of iterations
 * (-n, or enough for about -t seconds per row), best of three runs.
 *
 * The libraries are driven through the table in bench_parse.h, one
 * adapter per library (bench_tandem.c, bench_osip.c, bench_sofia.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_parse.h"

#ifndef BENCH_MESSAGES_DIR
#define BENCH_MESSAGES_DIR "messages"
#endif

enum { BENCH_RUNS = 3 };
static const double BENCH_WARMUP_SECONDS = 0.05;

/* The values every library must read from a message. */
struct bench_expect {
	const char *call_id;
	uint32_t cseq;
	const char *cseq_method;
	const char *from_tag;
	const char *to_tag; /* NULL: no tag */
	const char *via_branch;
	uint32_t content_length;
};

struct bench_message {
	const char *file;
	struct bench_expect expect;
	char *data; /* exactly len bytes, no NUL after them */
	size_t len;
};

static struct bench_message messages[] = {
	{ .file = "invite.sip",
	  .expect = { .call_id = "a84b4c76e66710@pc33.atlanta.example.com",
		      .cseq = 314159,
		      .cseq_method = "INVITE",
		      .from_tag = "1928301774",
		      .to_tag = NULL,
		      .via_branch = "z9hG4bK776asdhds",
		      .content_length = 914 } },
	{ .file = "ok200.sip",
	  .expect = { .call_id = "a84b4c76e66710@pc33.atlanta.example.com",
		      .cseq = 314159,
		      .cseq_method = "INVITE",
		      .from_tag = "1928301774",
		      .to_tag = "a6c85cf",
		      .via_branch = "z9hG4bKnashds8",
		      .content_length = 0 } },
};
enum { BENCH_NMESSAGES = sizeof(messages) / sizeof(messages[0]) };

/* tandem first: the other rows are compared with it. */
static const struct bench_parser *const parsers[] = {
	&bench_tandem,
	&bench_osip,
	&bench_sofia,
};
enum { BENCH_NPARSERS = sizeof(parsers) / sizeof(parsers[0]) };

struct bench_options {
	uint64_t iterations; /* 0: from seconds */
	double seconds;      /* per row */
	const char *dir;
};

/* One row of the table. */
struct bench_row {
	const struct bench_message *msg;
	const struct bench_parser *lib;
	bool print;
};

/* Where the measured work ends up, so that none of it can be dropped. */
static volatile uint64_t sink;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench_parse: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: bench_parse [-n ITERATIONS | -t SECONDS] [-d DIR]\n"
		"  -n N        time N iterations per run (default: from -t)\n"
		"  -t SECONDS  aim at about SECONDS per row (default 1)\n"
		"  -d DIR      folder holding the messages (default %s)\n",
		BENCH_MESSAGES_DIR);
}

static struct bench_options parse_options(int argc, char **argv)
{
	struct bench_options o = { 0, 1.0, BENCH_MESSAGES_DIR };
	char *end;
	int c;

	while ((c = getopt(argc, argv, "n:t:d:h")) != -1) {
		switch (c) {
		case 'n':
			o.iterations = strtoull(optarg, &end, 10);
			if (*end != '\0' || o.iterations == 0)
				die("-n wants a positive integer, not '%s'",
				    optarg);
			break;
		case 't':
			o.seconds = strtod(optarg, &end);
			if (*end != '\0' || !(o.seconds > 0))
				die("-t wants a positive number, not '%s'",
				    optarg);
			break;
		case 'd': o.dir = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc) {
		usage(stderr);
		exit(2);
	}
	return o;
}

static void message_load(struct bench_message *m, const char *dir)
{
	char path[4096];
	FILE *f;
	long size;

	snprintf(path, sizeof(path), "%s/%s", dir, m->file);
	f = fopen(path, "rb");
	if (f == NULL)
		die("cannot open %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		die("cannot size %s (empty?)", path);
	m->len = (size_t)size;
	m->data = malloc(m->len);
	if (m->data == NULL)
		die("out of memory");
	if (fread(m->data, 1, m->len, f) != m->len)
		die("cannot read %s", path);
	fclose(f);
}

static bool str_is(struct bench_str got, const char *want)
{
	if (want == NULL)
		return got.p == NULL;
	return got.p != NULL && got.len == strlen(want) &&
	       memcmp(got.p, want, got.len) == 0;
}

/* Call-ID as one value, or as the two halves a library split at '@'. */
static bool call_id_is(const struct bench_fields *f, const char *want)
{
	const char *at = strchr(want, '@');
	size_t left;

	if (f->call_id_host.p == NULL)
		return str_is(f->call_id, want);
	if (at == NULL)
		return false;
	left = (size_t)(at - want);
	return f->call_id.len == left &&
	       memcmp(f->call_id.p, want, left) == 0 &&
	       str_is(f->call_id_host, at + 1);
}

/* The first field that differs from the expected value, or NULL. */
static const char *fields_mismatch(const struct bench_fields *f,
				   const struct bench_expect *e)
{
	if (!call_id_is(f, e->call_id))
		return "Call-ID";
	if (f->cseq != e->cseq || !str_is(f->cseq_method, e->cseq_method))
		return "CSeq";
	if (!str_is(f->from_tag, e->from_tag))
		return "From tag";
	if (!str_is(f->to_tag, e->to_tag))
		return "To tag";
	if (!str_is(f->via_branch, e->via_branch))
		return "top Via branch";
	if (f->content_length != e->content_length)
		return "Content-Length";
	return NULL;
}

/* Parses data[len] with lib and checks the fields; dies on a failure. */
static void *parse_checked(const struct bench_parser *lib,
			   const struct bench_message *m, const char *data,
			   size_t len, const char *what)
{
	char who[256];
	struct bench_fields f = { 0 };
	const char *bad;
	void *msg;

	snprintf(who, sizeof(who), "%s on %s (%s)", lib->name, m->file, what);
	msg = lib->parse(data, len);
	if (msg == NULL)
		die("%s: parse failed", who);
	if (lib->read(msg, &f) != 0)
		die("%s: a header the benchmark reads is missing", who);
	if ((bad = fields_mismatch(&f, &m->expect)) != NULL)
		die("%s: the %s read is not the expected value", who, bad);
	return msg;
}

/*
 * Before any timing: the library parses the message, reads the expected
 * values, prints it, and parses its own print back to the same values.
 * Returns the printed size.
 */
static size_t library_check(const struct bench_parser *lib,
			    const struct bench_message *m)
{
	void *msg = parse_checked(lib, m, m->data, m->len, "original");
	size_t len = 0;
	char *text = lib->print(msg, &len);
	void *again;

	if (text == NULL || len == 0)
		die("%s on %s: print failed", lib->name, m->file);
	again = parse_checked(lib, m, text, len, "its own print");
	lib->free(again);
	lib->print_free(msg, text);
	lib->free(msg);
	return len;
}

static uint64_t fold(struct bench_str s)
{
	if (s.len == 0)
		return 0;
	return s.len + (unsigned char)s.p[0] + (unsigned char)s.p[s.len - 1];
}

/* One iteration of a row: all the work, everything freed. */
static void row_iterate(const struct bench_row *r)
{
	const struct bench_parser *lib = r->lib;
	struct bench_fields f;
	void *msg = lib->parse(r->msg->data, r->msg->len);
	uint64_t acc;

	if (msg == NULL || lib->read(msg, &f) != 0)
		die("%s on %s: parse failed while timing", lib->name,
		    r->msg->file);
	acc = fold(f.call_id) + fold(f.call_id_host) + f.cseq +
	      fold(f.cseq_method) + fold(f.from_tag) + fold(f.to_tag) +
	      fold(f.via_branch) + f.content_length;
	if (r->print) {
		size_t len = 0;
		char *text = lib->print(msg, &len);

		if (text == NULL || len == 0)
			die("%s on %s: print failed while timing", lib->name,
			    r->msg->file);
		acc += len + (unsigned char)text[len - 1];
		lib->print_free(msg, text);
	}
	lib->free(msg);
	sink += acc;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double row_run(const struct bench_row *r, uint64_t n)
{
	double start = now();

	for (uint64_t i = 0; i < n; i++)
		row_iterate(r);
	return now() - start;
}

/* Warms up for a moment and returns the seconds one iteration takes. */
static double row_warm_up(const struct bench_row *r)
{
	uint64_t n = 1;
	double t;

	while ((t = row_run(r, n)) < BENCH_WARMUP_SECONDS)
		n *= 2;
	return t / (double)n;
}

struct bench_result {
	uint64_t iterations;
	double best; /* seconds, the fastest of BENCH_RUNS runs */
};

static struct bench_result row_measure(const struct bench_row *r,
				       const struct bench_options *o)
{
	double per_iteration = row_warm_up(r);
	struct bench_result res = { o->iterations, 0 };

	if (res.iterations == 0) {
		double n = o->seconds / BENCH_RUNS / per_iteration;

		res.iterations = n < 1 ? 1 : (uint64_t)n;
	}
	for (int run = 0; run < BENCH_RUNS; run++) {
		double t = row_run(r, res.iterations);

		if (run == 0 || t < res.best)
			res.best = t;
	}
	return res;
}

static double rate_of(const struct bench_result *res)
{
	return (double)res->iterations / res->best;
}

static void table_header(void)
{
	printf("%-10s %-10s %-12s %11s %12s %10s %12s\n", "message", "parser",
	       "operation", "iterations", "msgs/s", "ns/msg", "tandem/this");
}

/* Prints one row; `tandem_rate` is tandem's msgs/s on the same work. */
static void table_row(const struct bench_row *r, const struct bench_result *res,
		      double tandem_rate)
{
	double rate = rate_of(res);
	double ns = res->best * 1e9 / (double)res->iterations;
	char name[64];

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(r->msg->file, "."),
		 r->msg->file);
	printf("%-10s %-10s %-12s %11llu %12.0f %10.1f %11.2fx\n", name,
	       r->lib->name, r->print ? "parse+print" : "parse",
	       (unsigned long long)res->iterations, rate, ns,
	       tandem_rate / rate);
	fflush(stdout);
}

static void check_all(void)
{
	for (size_t i = 0; i < BENCH_NMESSAGES; i++) {
		const struct bench_message *m = &messages[i];
		size_t printed[BENCH_NPARSERS];

		for (size_t p = 0; p < BENCH_NPARSERS; p++)
			printed[p] = library_check(parsers[p], m);
		printf("%s (%zu bytes): same values everywhere; printed:",
		       m->file, m->len);
		for (size_t p = 0; p < BENCH_NPARSERS; p++)
			printf(" %s %zu%s", parsers[p]->name, printed[p],
			       p + 1 < BENCH_NPARSERS ? "," : "\n");
	}
}

static void describe(const struct bench_options *o)
{
	if (o->iterations != 0)
		printf("%llu iterations per run",
		       (unsigned long long)o->iterations);
	else
		printf("about %.2g s per row", o->seconds);
	printf(", best of %d runs after a warm-up; CLOCK_MONOTONIC\n"
	       "tandem/this: tandem's msgs/s over this row's "
	       "(above 1: tandem is faster)\n\n",
	       BENCH_RUNS);
}

int main(int argc, char **argv)
{
	struct bench_options o = parse_options(argc, argv);

	for (size_t p = 0; p < BENCH_NPARSERS; p++)
		if (parsers[p]->init != NULL && parsers[p]->init() != 0)
			die("%s: initialisation failed", parsers[p]->name);
	for (size_t i = 0; i < BENCH_NMESSAGES; i++)
		message_load(&messages[i], o.dir);
	check_all();
	describe(&o);
	table_header();
	for (size_t i = 0; i < BENCH_NMESSAGES; i++) {
		for (int print = 0; print <= 1; print++) {
			double tandem_rate = 0;

			for (size_t p = 0; p < BENCH_NPARSERS; p++) {
				struct bench_row r = { &messages[i], parsers[p],
						       print };
				struct bench_result res = row_measure(&r, &o);

				if (p == 0)
					tandem_rate = rate_of(&res);
				table_row(&r, &res, tandem_rate);
			}
		}
	}
	for (size_t i = 0; i < BENCH_NMESSAGES; i++)
		free(messages[i].data);
	return 0;
}
