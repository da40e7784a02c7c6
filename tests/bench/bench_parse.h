/*
 * The parser benchmark's view of one SIP library: a small table of
 * functions (parse, read fields, print, free) that the driver in
 * bench_parse.c runs and times the same way for every library. Each
 * library's adapter lives in its own file (bench_tandem.c, bench_osip.c,
 * bench_sofia.c) and uses nothing but that library.
 */
#ifndef TANDEM_BENCH_PARSE_H
#define TANDEM_BENCH_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A field as the library hands it out; p is NULL when it is absent. */
struct bench_str {
	const char *p;
	size_t len;
};

/* What every "parse" reads out of its result. */
struct bench_fields {
	struct bench_str call_id;
	struct bench_str call_id_host; /* for libraries that split at '@' */
	uint32_t cseq;
	struct bench_str cseq_method;
	struct bench_str from_tag;
	struct bench_str to_tag;
	struct bench_str via_branch; /* of the top Via */
	uint32_t content_length;
};

struct bench_parser {
	const char *name;
	/* Called once before anything else, may be NULL; 0 on success. */
	int (*init)(void);
	/*
	 * Parses the whole message in data[len] (not NUL-terminated). Returns
	 * the library's message, or NULL after saying why on stderr.
	 */
	void *(*parse)(const char *data, size_t len);
	/* Fills *out; -1 when a header the benchmark needs is missing. */
	int (*read)(void *msg, struct bench_fields *out);
	/* The whole message as bytes in a buffer the library allocated. */
	char *(*print)(void *msg, size_t *len);
	void (*print_free)(void *msg, char *text);
	void (*free)(void *msg);
};

extern const struct bench_parser bench_tandem;
extern const struct bench_parser bench_osip;
extern const struct bench_parser bench_sofia;

/* A NUL-terminated library string as a field (absent when NULL). */
static inline struct bench_str bench_cstr(const char *s)
{
	return (struct bench_str){ s, s != NULL ? strlen(s) : 0 };
}

#endif
