/*
 * The fixture and log capture of script_test.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "script_test.h"
#include "tandem/log.h"

static char log_buf[65536];
static size_t log_len;

static void capture(enum tnd_log_level level, const char *line, void *arg)
{
	static const char letters[] = "EWID";
	int n;

	(void)arg;
	n = snprintf(log_buf + log_len, sizeof(log_buf) - log_len, "%c %s\n",
		     letters[level], line);
	if (n > 0 && log_len + (size_t)n < sizeof(log_buf))
		log_len += (size_t)n;
}

const char *test_log(void)
{
	return log_buf;
}

void test_log_clear(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

static bool find_entry(const char *text, bool whole)
{
	size_t len = strlen(text);

	for (const char *p = log_buf; (p = strstr(p, text)); p++) {
		if ((p == log_buf || p[-1] == '\n') &&
		    (!whole || p[len] == '\n'))
			return true;
	}
	return false;
}

bool test_logged(const char *line)
{
	bool found = find_entry(line, true);

	/* SCRIPT_TEST_LOG=1: show what was logged when a line is missing. */
	if (!found && getenv("SCRIPT_TEST_LOG"))
		fprintf(stderr, "-- log:\n%s-- end of log\n", log_buf);
	return found;
}

bool test_logged_prefix(const char *prefix)
{
	return find_entry(prefix, false);
}

int fixture_open(struct fixture *f, const char *name)
{
	return fixture_open_in(f, DIALPLAN_DIR, name);
}

int fixture_open_in(struct fixture *f, const char *dir, const char *name)
{
	struct script_config config = { .path = name };
	int rc;

	memset(f, 0, sizeof(*f));
	tnd_timers_init_manual(&f->timers, 1000);
	fake_b2b_reset();
	test_log_clear();
	tnd_log_set_level(TND_LOG_DEBUG);
	tnd_log_set_sink(capture, NULL);
	if (chdir(dir))
		return errno;
	rc =
	    script_new(&config, &f->timers, &f->script, f->err, sizeof(f->err));
	if (!rc)
		f->hooks = script_hooks(f->script);
	return rc;
}

void fixture_close(struct fixture *f)
{
	fake_b2b_reset();
	script_free(f->script);
	f->script = NULL;
	tnd_log_set_sink(NULL, NULL);
	tnd_log_set_level(TND_LOG_INFO);
}

void test_hangup(struct fixture *f, struct b2b_call *call, enum b2b_end_by by,
		 uint16_t code, const char *reason, uint64_t answer_ms)
{
	struct b2b_end_info info = {
		.by = by,
		.code = code,
		.reason = reason,
		.setup_ms = 1700000000123u,
		.answer_ms = answer_ms,
		.end_ms = 1700000005500u,
	};

	fake_b2b_hangup(&f->hooks, call, &info);
}
