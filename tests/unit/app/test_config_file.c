/*
 * The configuration file reader (core/app/config_file.c): lines become
 * the option words they stand for; comments, blanks and flags; faults
 * name their line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_file.h"
#include "test.h"

/* Writes `text` to a fresh temporary file; its path in path[64]. */
static int write_file(const char *text, char *path)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/tandem-config-XXXXXX");
	if ((fd = mkstemp(path)) < 0 || !(f = fdopen(fd, "w")))
		return EIO;
	fputs(text, f);
	fclose(f);
	return 0;
}

static int read_text(const char *text, struct app_config_file *cfg)
{
	char path[64];
	int rc = write_file(text, path);

	if (rc == 0) {
		rc = app_config_file_read(path, cfg);
		unlink(path);
	}
	return rc;
}

static int test_config_lines_become_option_words(void)
{
	struct app_config_file cfg;

	CHECK_OK(read_text("listen = udp:127.0.0.1:5060\n"
			   "  t1=200  \n"
			   "listen\t=\ttcp:[::1]:5060\n",
			   &cfg));
	CHECK_INT(cfg.nargs, 6);
	CHECK(strcmp(cfg.args[0], "--listen") == 0);
	CHECK(strcmp(cfg.args[1], "udp:127.0.0.1:5060") == 0);
	CHECK(strcmp(cfg.args[2], "--t1") == 0);
	CHECK(strcmp(cfg.args[3], "200") == 0);
	CHECK(strcmp(cfg.args[5], "tcp:[::1]:5060") == 0);
	app_config_file_free(&cfg);
	return 0;
}

static int test_config_comments_and_blank_lines_ignored(void)
{
	struct app_config_file cfg;

	CHECK_OK(read_text("# tandem\n\n   \nt4 = 5000 # ms\n", &cfg));
	CHECK_INT(cfg.nargs, 2);
	CHECK(strcmp(cfg.args[1], "5000") == 0);
	app_config_file_free(&cfg);
	return 0;
}

static int test_config_flags_take_yes_or_no(void)
{
	struct app_config_file cfg;

	CHECK_OK(read_text("tls-verify-client = yes\n", &cfg));
	CHECK_INT(cfg.nargs, 1);
	CHECK(strcmp(cfg.args[0], "--tls-verify-client") == 0);
	app_config_file_free(&cfg);
	CHECK_OK(read_text("tls-verify-client = no\n", &cfg));
	CHECK_INT(cfg.nargs, 0);
	app_config_file_free(&cfg);
	CHECK_INT(read_text("tls-verify-client = maybe\n", &cfg), EINVAL);
	return 0;
}

static int test_config_last_line_without_newline(void)
{
	struct app_config_file cfg;

	CHECK_OK(read_text("t2 = 4000", &cfg));
	CHECK_INT(cfg.nargs, 2);
	CHECK(strcmp(cfg.args[1], "4000") == 0);
	app_config_file_free(&cfg);
	return 0;
}

static int test_config_faults_are_refused(void)
{
	struct app_config_file cfg;

	CHECK_INT(read_text("listen udp:127.0.0.1:5060\n", &cfg), EINVAL);
	CHECK_INT(read_text("listen =\n", &cfg), EINVAL);
	CHECK_INT(read_text("= 5\n", &cfg), EINVAL);
	CHECK_INT(read_text("config = other.conf\n", &cfg), EINVAL);
	CHECK(app_config_file_read("/nonexistent/tandem.conf", &cfg) != 0);
	return 0;
}

static const struct test_case cases[] = {
	TEST_OOM(test_config_lines_become_option_words),
	TEST(test_config_comments_and_blank_lines_ignored),
	TEST(test_config_flags_take_yes_or_no),
	TEST(test_config_last_line_without_newline),
	TEST(test_config_faults_are_refused),
};

TEST_MAIN(cases)
