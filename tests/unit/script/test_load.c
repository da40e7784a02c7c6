/*
 * Loading a dialplan (script.c, state.c, lua/tandem/sandbox.lua): errors
 * named with file and line, unknown hooks refused, the sandbox, globals
 * locked after load, script_check, and reload: a new state for new
 * calls only when it loads cleanly, the old one kept for the calls that
 * started on it and closed with the last of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "script_test.h"
#include "tandem/mem.h"
#include "test.h"

static int test_load_names_syntax_error_file_and_line(void)
{
	struct fixture f;

	CHECK_INT(fixture_open(&f, "syntax_error.lua"), EINVAL);
	CHECK(strcmp(f.err, "syntax_error.lua:2: ')' expected near 'end'") ==
	      0);
	fixture_close(&f);
	return 0;
}

static int test_load_reports_missing_file(void)
{
	struct fixture f;

	CHECK_INT(fixture_open(&f, "missing.lua"), ENOENT);
	CHECK(strncmp(f.err, "cannot open missing.lua", 23) == 0);
	fixture_close(&f);
	return 0;
}

static int test_load_refuses_unknown_hook_first_by_line(void)
{
	struct fixture f;

	CHECK_INT(fixture_open(&f, "unknown_hook.lua"), EINVAL);
	CHECK(strcmp(f.err, "unknown_hook.lua:3: unknown hook on_invit "
			    "(hooks are on_invite, on_request, on_response, "
			    "on_cancel, on_hangup, on_refer)") == 0);
	fixture_close(&f);
	return 0;
}

static int test_load_reports_error_in_main_chunk(void)
{
	struct fixture f;

	CHECK_INT(fixture_open(&f, "main_error.lua"), EINVAL);
	CHECK(strcmp(f.err, "main_error.lua:2: attempt to index upvalue "
			    "'settings' (a nil value)") == 0 ||
	      strcmp(f.err, "main_error.lua:2: attempt to index local "
			    "'settings' (a nil value)") == 0);
	fixture_close(&f);
	return 0;
}

static int test_load_refuses_hook_that_is_not_a_function(void)
{
	struct fixture f;

	CHECK_INT(fixture_open(&f, "hook_not_function.lua"), EINVAL);
	CHECK(strcmp(f.err, "hook_not_function.lua: on_invite is a string, "
			    "not a function") == 0);
	fixture_close(&f);
	return 0;
}

static int test_load_warns_that_on_refer_is_not_called(void)
{
	struct fixture f;

	CHECK_OK(fixture_open(&f, "on_refer.lua"));
	CHECK(test_logged("W script: on_refer.lua: on_refer is not called "
			  "yet: REFER requests go to on_request"));
	fixture_close(&f);
	return 0;
}

static int test_sandbox_leaves_out_io_dofile_loadfile_exit(void)
{
	struct fixture f;

	CHECK_OK(fixture_open(&f, "sandbox.lua"));
	CHECK(test_logged("I sandbox.lua:2: nil nil nil nil nil"));
	CHECK(test_logged("I sandbox.lua:3: function function function "
			  "function function function function nil"));
	CHECK(test_logged("I sandbox.lua:5: Call-ID"));
	CHECK(test_logged("I sandbox.lua:6: sandbox.lua:6: require: only "
			  "tandem modules can be loaded, not \"ffi\""));
	CHECK(test_logged("I sandbox.lua:7: sandbox.lua:7: require: only "
			  "tandem modules can be loaded, not \"socket\""));
	CHECK(test_logged("I sandbox.lua:8: sandbox.lua:8: tandem.sleep() is "
			  "only allowed in on_invite"));
	CHECK(test_logged("I sandbox.lua:9: printed 42"));
	fixture_close(&f);
	return 0;
}

static int test_globals_are_locked_after_load(void)
{
	struct fixture f;

	CHECK_OK(fixture_open(&f, "globals.lua"));
	fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(test_logged("I call 1: globals.lua:7: counter 1"));
	CHECK(test_logged_prefix("E call 1: on_invite failed: globals.lua:8: "
				 "assignment to undeclared global leaked "
				 "(globals are locked after load)\n"
				 "stack traceback:"));
	CHECK(fake_b2b_recorded("b2b_call_fail 1"));
	CHECK(!fake_b2b_recorded("b2b_call_script_done 1"));
	fixture_close(&f);
	return 0;
}

static int test_check_loads_and_frees(void)
{
	struct script_config good = { .path = "globals.lua" };
	struct script_config bad = { .path = "unknown_hook.lua" };
	char err[256] = "";

	CHECK(chdir(DIALPLAN_DIR) == 0);
	CHECK_INT(script_check(&good, err, sizeof(err)), 0);
	CHECK_INT(script_check(&bad, err, sizeof(err)), EINVAL);
	CHECK(strncmp(err, "unknown_hook.lua:3: unknown hook on_invit", 41) ==
	      0);
	return 0;
}

/* Out of memory at every step of a load: ENOMEM, and nothing leaks. */
static int test_load_out_of_memory_fails_cleanly(void)
{
	struct script_config config = { .path = "globals.lua" };
	struct tnd_timers timers;
	struct script *s;
	char err[256];
	int rc;

	tnd_timers_init_manual(&timers, 0);
	if (chdir(DIALPLAN_DIR))
		return errno;
	rc = script_new(&config, &timers, &s, err, sizeof(err));
	if (rc)
		return rc;
	script_free(s);
	return 0;
}

static int write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		return errno;
	fputs(text, fp);
	return fclose(fp) ? errno : 0;
}

#define RELOAD_A                                                    \
	"local p = newproxy(true)\n"                                \
	"getmetatable(p).__gc = function() print('A closed') end\n" \
	"keep = p\n"                                                \
	"function on_invite(call)\n"                                \
	"  tandem.log.info('A starts')\n"                           \
	"  tandem.sleep(1)\n"                                       \
	"  tandem.log.info('A resumes')\n"                          \
	"end\n"
#define RELOAD_B                          \
	"function on_invite(call)\n"      \
	"  tandem.log.info('B starts')\n" \
	"end\n"

static int test_reload_keeps_old_state_for_calls_in_progress(void)
{
	char dir[] = "/tmp/tandem-script-XXXXXX", err[256];
	struct b2b_call *c1, *c2;
	struct fixture f;

	CHECK(mkdtemp(dir));
	CHECK(chdir(dir) == 0);
	CHECK_OK(write_file("reload.lua", RELOAD_A));
	CHECK_OK(fixture_open_in(&f, dir, "reload.lua"));
	c1 = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(test_logged("I call 1: reload.lua:5: A starts"));

	CHECK_OK(write_file("reload.lua", "function on_invite( end\n"));
	CHECK_INT(script_reload(f.script, err, sizeof(err)), EINVAL);
	CHECK(strcmp(err, "reload.lua:1: <name> or '...' expected near "
			  "'end'") == 0);

	CHECK_OK(write_file("reload.lua", RELOAD_B));
	CHECK_OK(script_reload(f.script, err, sizeof(err)));
	c2 = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(test_logged("I call 2: reload.lua:2: B starts"));
	CHECK(fake_b2b_recorded("b2b_call_script_done 2"));

	tnd_timers_advance(&f.timers, 1000);
	CHECK(test_logged("I call 1: reload.lua:7: A resumes"));
	CHECK(!test_logged_prefix("I A closed"));
	test_hangup(&f, c1, B2B_END_CALLEE, 200, "OK", 1700000001000u);
	CHECK(test_logged("I reload.lua:2: A closed"));
	test_hangup(&f, c2, B2B_END_CALLER, 200, "OK", 0);
	fixture_close(&f);
	CHECK(unlink("reload.lua") == 0);
	CHECK(rmdir(dir) == 0);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_load_names_syntax_error_file_and_line),
	TEST(test_load_reports_missing_file),
	TEST(test_load_refuses_unknown_hook_first_by_line),
	TEST(test_load_reports_error_in_main_chunk),
	TEST(test_load_refuses_hook_that_is_not_a_function),
	TEST(test_load_warns_that_on_refer_is_not_called),
	TEST(test_sandbox_leaves_out_io_dofile_loadfile_exit),
	TEST(test_globals_are_locked_after_load),
	TEST(test_check_loads_and_frees),
	TEST_OOM(test_load_out_of_memory_fails_cleanly),
	TEST(test_reload_keeps_old_state_for_calls_in_progress),
};

TEST_MAIN(cases)
