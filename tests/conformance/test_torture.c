/*
 * The SIP torture messages of RFC 4475 and RFC 5118 against their
 * verdicts (../shared/conformance/verdicts.tsv): each message is parsed
 * as one datagram, exactly as stored, then checked as a UAS would.
 *
 *   valid                       parses, and the request checks pass
 *   valid-but-semantically-bad  parses; the checks refuse it with the
 *                               verdict's status (responses: parse only)
 *   invalid-must-reject         refused: a request with the verdict's status
 *                               (400 when none) and still answerable; a
 *                               response dropped (no message)
 *   invalid-may-accept          our pinned choice below, either way
 *
 * Per-message expectations below pin what each message exists to test.
 * `test_torture --list` names the cases; a missing folder is one case
 * that exits 77 (skipped), never a pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/sip_check.h"
#include "tandem/sip_msg.h"
#include "msg_same.h"
#include "test.h"

#define SKIPPED 77

struct verdict {
	char file[128];
	char verdict[40];
	unsigned status;
};

static const char *conformance_dir(void)
{
	const char *env = getenv("TANDEM_CONFORMANCE_DIR");

	return env && *env ? env : TANDEM_CONFORMANCE_DIR;
}

/* Reads verdicts.tsv; returns the count, or -1 when it is not there. */
static int load_verdicts(struct verdict *v, int max)
{
	char path[1024], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/verdicts.tsv", conformance_dir());
	if (!(f = fopen(path, "r")))
		return -1;
	while (n < max && fgets(line, sizeof(line), f)) {
		char *file = strtok(line, "\t\n"),
		     *verdict = strtok(NULL, "\t\n");
		char *status = strtok(NULL, "\t\n");

		if (!file || !verdict)
			continue;
		snprintf(v[n].file, sizeof(v[n].file), "%s", file);
		snprintf(v[n].verdict, sizeof(v[n].verdict), "%s", verdict);
		v[n].status = status ? (unsigned)atoi(status) : 0;
		n++;
	}
	fclose(f);
	return n;
}

/* "rfc4475/wsinv.dat" -> "rfc4475.wsinv" */
static void case_name(const char *file, char *out, size_t size)
{
	snprintf(out, size, "%.127s", file);
	for (char *p = out; *p; p++) {
		if (*p == '/')
			*p = '.';
	}
	char *dot = strrchr(out, '.');
	if (dot && strcmp(dot, ".dat") == 0)
		*dot = '\0';
}

#include "torture_expect.h"

static int check_accepted(const struct verdict *v, const struct sip_msg *m)
{
	struct sip_check_result res;
	int rc = m->is_request ? sip_msg_check_request(m, NULL, &res) : 0;
	bool bad = strcmp(v->verdict, "valid-but-semantically-bad") == 0;

	if (!m->is_request || !bad) {
		if (rc) {
			test_fail(__FILE__, __LINE__, "%s: refused %u %s",
				  v->file, res.status, res.reason);
			return EPROTO;
		}
		return 0;
	}
	if (rc == 0 && v->status == 0)
		return 0; /* semantically bad for routing, not for the checks */
	if (rc == 0 || (res.status != v->status &&
			!alternative_status(v->file, res.status))) {
		test_fail(__FILE__, __LINE__, "%s: check gave %u, want %u",
			  v->file, rc ? res.status : 0, v->status);
		return EPROTO;
	}
	return 0;
}

static int check_rejected(const struct verdict *v, const struct sip_msg *m,
			  const struct sip_parse_error *err, bool request)
{
	unsigned want = v->status ? v->status : 400;

	if (!request) {
		CHECK(m ==
		      NULL); /* a bad response is dropped, never answered */
		return 0;
	}
	if (err->status != want && !alternative_status(v->file, err->status)) {
		test_fail(__FILE__, __LINE__, "%s: status %u (%s), want %u",
			  v->file, err->status, err->what, want);
		return EPROTO;
	}
	if (m == NULL && !droppable(v->file)) {
		test_fail(__FILE__, __LINE__, "%s: cannot be answered",
			  v->file);
		return EPROTO;
	}
	return 0;
}

/* The answer to every request we can answer, broken or not, reads like
 * a parse of its own text (responses are built without one). */
static int check_response_to(const struct verdict *v, const struct sip_msg *m)
{
	struct sip_msg *res;
	int rc = sip_msg_response_new(m, 400, NULL, S("t400"), &res);

	if (rc) {
		test_fail(__FILE__, __LINE__, "%s: no response: %d", v->file,
			  rc);
		return EPROTO;
	}
	rc = msg_same_as_parse(res, v->file, false);
	sip_msg_free(res);
	return rc;
}

static int run_message(const struct verdict *v)
{
	char path[1024];
	struct sip_parse_error err = { 0 };
	struct sip_msg *m = NULL;
	size_t len;
	char *data;
	int rc;

	snprintf(path, sizeof(path), "%.800s/%.127s", conformance_dir(),
		 v->file);
	if (!(data = test_read_file(path, &len))) {
		fprintf(stderr, "%s: missing\n", path);
		return EPROTO;
	}
	bool request = !(len >= 4 && memcmp(data, "SIP/", 4) == 0);
	bool must_parse =
	    strncmp(v->verdict, "valid", 5) == 0 || accepted_by_choice(v->file);
	int parsed = sip_msg_parse(&sip_limits_default, data, len, &m, &err);

	if (must_parse && parsed != 0) {
		test_fail(__FILE__, __LINE__, "%s: rejected: %u %s at %zu",
			  v->file, err.status, err.what, err.offset);
		rc = EPROTO;
	} else if (!must_parse && parsed == 0) {
		test_fail(__FILE__, __LINE__, "%s: accepted, must be refused",
			  v->file);
		rc = EPROTO;
	} else if (parsed == 0) {
		rc = check_accepted(v, m);
		if (rc == 0)
			rc = check_specifics(v->file, m);
	} else {
		rc = check_rejected(v, m, &err, request);
		if (rc == 0)
			rc = check_reject_reason(v->file, &err);
	}
	if (rc == 0 && m && m->is_request)
		rc = check_response_to(v, m);
	sip_msg_free(m);
	tnd_free(data);
	return rc;
}

int main(int argc, char **argv)
{
	static struct verdict v[256];
	int n = load_verdicts(v, 256);
	char name[160];

	if (n < 0) {
		if (argc == 2 && strcmp(argv[1], "--list") == 0) {
			printf("conformance-folder\n");
			return 0;
		}
		fprintf(stderr,
			"SKIPPED: no verdicts.tsv in %s (set "
			"TANDEM_CONFORMANCE_DIR)\n",
			conformance_dir());
		return SKIPPED;
	}
	int failed = 0, ran = 0;
	for (int i = 0; i < n; i++) {
		case_name(v[i].file, name, sizeof(name));
		if (argc == 2 && strcmp(argv[1], "--list") == 0) {
			printf("%s\n", name);
			continue;
		}
		if (argc == 2 && strcmp(argv[1], name) != 0)
			continue;
		size_t before = tnd_mem_live_blocks();
		int rc = run_message(&v[i]);
		if (rc == 0 && tnd_mem_live_blocks() != before) {
			fprintf(stderr, "%s: leaked\n", name);
			rc = EPROTO;
		}
		printf("%s %s\n", rc ? "FAIL" : "ok  ", name);
		failed += rc != 0;
		ran++;
	}
	if (argc == 2 && strcmp(argv[1], "--list") != 0 && ran == 0) {
		fprintf(stderr, "no message named %s\n", argv[1]);
		return 2;
	}
	return failed ? 1 : 0;
}
