/*
 * on_invite and the call object (call.c, ffi_call.c, lua/tandem/call.lua):
 * the default 404, script_done when the coroutine returns, a Lua error
 * failing only its call, call:reply and call:hangup, tandem.sleep on the
 * manual clock, coroutines dropped when the call ends, the call and its
 * INVITE gone after on_hangup, slow hooks, tandem.log.
 */
#include <string.h>

#include "script_test.h"
#include "test.h"

static int test_invite_without_hook_replies_404(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "empty.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(fake_b2b_recorded("b2b_call_reply 1 404 Not Found []"));
	CHECK(!fake_b2b_recorded("b2b_call_script_done 1"));
	test_hangup(&f, c, B2B_END_SCRIPT, 404, "Not Found", 0);
	fixture_close(&f);
	return 0;
}

static int test_invite_sees_the_request_fields(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "invite_fields.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(test_logged("I call 1: invite_fields.lua:4: id 1 state new same "
			  "request true"));
	CHECK(test_logged("I call 1: invite_fields.lua:5: method INVITE status "
			  "nil reason nil"));
	CHECK(test_logged("I call 1: invite_fields.lua:7: uri "
			  "sip:600@tandem.example.com;transport=udp sip 600 "
			  "tandem.example.com nil udp"));
	CHECK(test_logged("I call 1: invite_fields.lua:8: from Alice a1 alice "
			  "example.com"));
	CHECK(test_logged("I call 1: invite_fields.lua:9: to nil nil "
			  "sip:600@tandem.example.com"));
	CHECK(test_logged("I call 1: invite_fields.lua:10: call_id "
			  "a1@192.0.2.10 body hello"));
	CHECK(test_logged("I call 1: invite_fields.lua:12: source 192.0.2.10 "
			  "5062 udp"));
	CHECK(test_logged("I call 1: invite_fields.lua:13: x-trace one "
			  "one|two"));
	CHECK(test_logged("I call 1: invite_fields.lua:14: supported 1 timer, "
			  "100rel nil"));
	CHECK(test_logged("I call 1: invite_fields.lua:15: unknown field nil "
			  "nil"));
	CHECK(fake_b2b_recorded("b2b_call_script_done 1"));
	test_hangup(&f, c, B2B_END_CORE, 480, "Temporarily Unavailable", 0);
	fixture_close(&f);
	return 0;
}

static int test_invite_error_fails_only_its_call(void)
{
	struct fixture f;
	struct b2b_call *c1, *c2;

	CHECK_OK(fixture_open(&f, "invite_error.lua"));
	c1 = fake_b2b_invite(&f.hooks, TEST_INVITE);
	c2 = fake_b2b_invite(&f.hooks, TEST_INVITE_TO("boom"));
	CHECK(test_logged_prefix("E call 2: on_invite failed: "
				 "invite_error.lua:3: boom\n"
				 "stack traceback:\n"));
	CHECK(strstr(test_log(), "invite_error.lua:3: in function"));
	CHECK(fake_b2b_recorded("b2b_call_fail 2"));
	CHECK(!fake_b2b_recorded("b2b_call_script_done 2"));

	tnd_timers_advance(&f.timers, 1000);
	CHECK(test_logged("I call 1: invite_error.lua:6: still here"));
	CHECK(fake_b2b_recorded("b2b_call_script_done 1"));
	CHECK(!fake_b2b_recorded("b2b_call_fail 1"));
	test_hangup(&f, c2, B2B_END_SCRIPT, 500, "Server Internal Error", 0);
	test_hangup(&f, c1, B2B_END_CORE, 480, "Temporarily Unavailable", 0);
	fixture_close(&f);
	return 0;
}

static int test_call_reply_passes_status_reason_headers(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "reply.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(fake_b2b_recorded("b2b_call_reply 1 486 Busy Here "
				"[Retry-After: 60, X-Reason: busy]"));
	CHECK(test_logged("I call 1: reply.lua:3: state after reply ended"));
	CHECK(fake_b2b_recorded("b2b_call_script_done 1"));
	test_hangup(&f, c, B2B_END_SCRIPT, 486, "Busy Here", 0);
	fixture_close(&f);
	return 0;
}

static int test_call_reply_misuse_raises_at_the_script_line(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "reply_misuse.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
#define SAYS(line, text)   \
	CHECK(test_logged( \
	    "I call 1: reply_misuse.lua:3: reply_misuse.lua:" line ": " text))
	SAYS("7", "call:reply() status must be 300..699, not 200");
	SAYS("8", "call:reply() status must be an integer, got busy");
	SAYS("9", "call:reply() reason must be a string, got number");
	SAYS("10", "headers must be a table, got string");
	SAYS("11", "invalid header name: \"Bad Name\"");
	SAYS("12", "value of header X-A must not contain CR or LF");
	SAYS("13", "header line must be \"Name: value\", got \"no colon\"");
	CHECK(test_logged("I call 1: reply_misuse.lua:3: ok"));
	SAYS("15", "call has ended");
	SAYS("16", "call field state is read-only");
#undef SAYS
	CHECK(fake_b2b_recorded("b2b_call_reply 1 302 Moved Temporarily "
				"[Contact: <sip:elsewhere@10.0.0.7>]"));
	CHECK_INT(fake_b2b_count("b2b_call_reply"), 2);
	test_hangup(&f, c, B2B_END_SCRIPT, 302, "Moved Temporarily", 0);
	fixture_close(&f);
	return 0;
}

static int test_call_hangup_and_hangup_info(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "hangup.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(fake_b2b_recorded("b2b_call_hangup 1"));
	CHECK(test_logged("I call 1: hangup.lua:3: after hangup ended"));
	test_hangup(&f, c, B2B_END_SCRIPT, 200, "OK", 1700000001250u);
	CHECK(test_logged("I call 1: hangup.lua:7: hangup 1 script 200 OK "
			  "1700000000.123 1700000001.25 1700000005.5"));
	fixture_close(&f);
	return 0;
}

static int test_sleep_waits_on_the_manual_clock(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "sleep.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(test_logged("I call 1: sleep.lua:2: before"));
	CHECK_INT(tnd_timers_count(&f.timers), 1);
	tnd_timers_advance(&f.timers, 1499);
	CHECK(!test_logged_prefix("I call 1: sleep.lua:4:"));
	tnd_timers_advance(&f.timers, 1);
	CHECK(test_logged("I call 1: sleep.lua:4: after new"));
	CHECK(fake_b2b_recorded("b2b_call_script_done 1"));
	test_hangup(&f, c, B2B_END_CORE, 480, "Temporarily Unavailable", 0);
	fixture_close(&f);
	return 0;
}

static int test_hangup_during_sleep_drops_the_coroutine(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "sleep.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	test_hangup(&f, c, B2B_END_CALLER, 487, "Request Terminated", 0);
	CHECK(test_logged("I call 1: sleep.lua:8: hangup 1 caller 487 Request "
			  "Terminated nil"));
	CHECK_INT(tnd_timers_count(&f.timers), 0);
	tnd_timers_advance(&f.timers, 5000);
	CHECK(!test_logged_prefix("I call 1: sleep.lua:4:"));
	CHECK(!fake_b2b_recorded("b2b_call_script_done 1"));
	fixture_close(&f);
	return 0;
}

static int test_sleep_misuse_raises_at_the_script_line(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "sleep_misuse.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	fake_b2b_request(&f.hooks, NULL, TEST_OPTIONS);
#define SAYS(who, line, text) \
	CHECK(test_logged(    \
	    "I " who "sleep_misuse.lua:3: sleep_misuse.lua:" line ": " text))
	SAYS("call 1: ", "7",
	     "tandem.sleep() needs a number of seconds >= 0, got -1");
	SAYS("call 1: ", "8",
	     "tandem.sleep() needs a number of seconds >= 0, got 1");
	/* coroutine.wrap adds its own position to errors it passes on. */
	SAYS("call 1: ", "9",
	     "sleep_misuse.lua:9: tandem.sleep() cannot wait inside a "
	     "coroutine the script created");
	SAYS("call 1: ", "10",
	     "sleep_misuse.lua:10: call:dial() cannot wait inside a "
	     "coroutine the script created");
	SAYS("", "14", "tandem.sleep() is only allowed in on_invite");
#undef SAYS
	CHECK_INT(tnd_timers_count(&f.timers), 0);
	CHECK_INT(fake_b2b_count("b2b_call_dial"), 0);
	CHECK(fake_b2b_recorded("b2b_call_script_done 1"));
	test_hangup(&f, c, B2B_END_CORE, 480, "Temporarily Unavailable", 0);
	fixture_close(&f);
	return 0;
}

static int test_stray_yield_fails_the_call(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "stray_yield.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(test_logged("E call 1: on_invite failed: coroutine.yield() "
			  "outside tandem's API"));
	CHECK(fake_b2b_recorded("b2b_call_fail 1"));
	test_hangup(&f, c, B2B_END_SCRIPT, 500, "Server Internal Error", 0);
	fixture_close(&f);
	return 0;
}

static int test_call_and_request_gone_after_hangup(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "stash.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	test_hangup(&f, c, B2B_END_CALLER, 200, "OK", 1700000001000u);
	fake_b2b_request(&f.hooks, NULL, TEST_OPTIONS);
#define SAYS(line, text) \
	CHECK(test_logged("I stash.lua:6: stash.lua:" line ": " text))
	SAYS("14", "call has ended");
	SAYS("15", "call has ended");
	SAYS("16", "call has ended");
	SAYS("17", "message is gone");
	SAYS("18", "message is gone");
#undef SAYS
	CHECK_INT(fake_b2b_count("b2b_call_"), 1); /* script_done only */
	fixture_close(&f);
	return 0;
}

static int test_slow_hook_is_logged(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "slow.lua"));
	fake_b2b_set_delay(&f.timers, 100);
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(!test_logged_prefix("W "));
	test_hangup(&f, c, B2B_END_SCRIPT, 486, "Busy Here", 0);

	fake_b2b_set_delay(&f.timers, 250);
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(test_logged("W call 2: hook on_invite ran 250 ms"));
	fake_b2b_request(&f.hooks, NULL, TEST_OPTIONS);
	CHECK(test_logged("W hook on_request ran 250 ms"));
	test_hangup(&f, c, B2B_END_SCRIPT, 486, "Busy Here", 0);
	fixture_close(&f);
	return 0;
}

static int test_log_levels_with_file_and_line(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "log.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(test_logged("D call 1: log.lua:2: d1"));
	CHECK(test_logged("I call 1: log.lua:3: call 7 was true and nil"));
	CHECK(test_logged("W call 1: log.lua:4: w"));
	CHECK(test_logged("E call 1: log.lua:5: e"));
	CHECK(test_logged("I call 1: log.lua:6: p 1.5"));
	test_hangup(&f, c, B2B_END_CORE, 480, "Temporarily Unavailable", 0);
	fixture_close(&f);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_invite_without_hook_replies_404),
	TEST(test_invite_sees_the_request_fields),
	TEST(test_invite_error_fails_only_its_call),
	TEST(test_call_reply_passes_status_reason_headers),
	TEST(test_call_reply_misuse_raises_at_the_script_line),
	TEST(test_call_hangup_and_hangup_info),
	TEST(test_sleep_waits_on_the_manual_clock),
	TEST(test_hangup_during_sleep_drops_the_coroutine),
	TEST(test_sleep_misuse_raises_at_the_script_line),
	TEST(test_stray_yield_fails_the_call),
	TEST(test_call_and_request_gone_after_hangup),
	TEST(test_slow_hook_is_logged),
	TEST(test_log_levels_with_file_and_line),
};

TEST_MAIN(cases)
