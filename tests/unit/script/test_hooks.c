/*
 * The hooks other than on_invite (hooks.c): defaults when the dialplan
 * has none, and what a Lua error does in each: on_request answers 500
 * (unless the script answered) and fails its call, on_response fails
 * its call, on_cancel and on_hangup only log. The call's resources go
 * with on_hangup whatever happened.
 */
#include <string.h>

#include "script_test.h"
#include "test.h"

#define TEST_OPTIONS_ANSWER_FIRST                                \
	"OPTIONS sip:tandem.example.com SIP/2.0\r\n"             \
	"Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-o2\r\n" \
	"From: <sip:probe@example.com>;tag=o2\r\n"               \
	"To: <sip:tandem.example.com>\r\n"                       \
	"Call-ID: o2@192.0.2.10\r\n"                             \
	"CSeq: 8 OPTIONS\r\n"                                    \
	"X-Answer-First: yes\r\n"                                \
	"Content-Length: 0\r\n"                                  \
	"\r\n"

static int test_missing_hooks_leave_the_defaults(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "empty.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	fake_b2b_request(&f.hooks, NULL, TEST_OPTIONS);
	fake_b2b_request(&f.hooks, c, TEST_BYE);
	fake_b2b_response(&f.hooks, c, TEST_RESPONSE("180 Ringing"));
	fake_b2b_cancel(&f.hooks, c);
	test_hangup(&f, c, B2B_END_CALLER, 487, "Request Terminated", 0);
	CHECK(strcmp(fake_b2b_record(),
		     "b2b_call_reply 1 404 Not Found []\n") == 0);
	CHECK(strcmp(test_log(), "") == 0);
	fixture_close(&f);
	return 0;
}

static int test_request_error_outside_a_dialog_answers_500(void)
{
	struct fixture f;

	CHECK_OK(fixture_open(&f, "request_error.lua"));
	fake_b2b_request(&f.hooks, NULL, TEST_OPTIONS);
	CHECK(test_logged_prefix("E on_request failed: request_error.lua:9: "
				 "bad request handling\nstack traceback:\n"));
	CHECK(fake_b2b_recorded("b2b_msg_reply OPTIONS 500 Server Internal "
				"Error []"));
	CHECK_INT(fake_b2b_count("b2b_call_fail"), 0);
	fixture_close(&f);
	return 0;
}

static int test_request_error_after_an_answer_does_not_answer_again(void)
{
	struct fixture f;

	CHECK_OK(fixture_open(&f, "request_error.lua"));
	fake_b2b_request(&f.hooks, NULL, TEST_OPTIONS_ANSWER_FIRST);
	CHECK(test_logged_prefix("E on_request failed: request_error.lua:9: "
				 "bad request handling"));
	CHECK(strcmp(fake_b2b_record(), "b2b_msg_reply OPTIONS 200 OK []\n") ==
	      0);
	fixture_close(&f);
	return 0;
}

static int test_request_error_in_a_call_fails_the_call(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "request_error.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	fake_b2b_request(&f.hooks, c, TEST_BYE);
	CHECK(test_logged_prefix("E call 1: on_request failed: "
				 "request_error.lua:9: bad request handling"));
	CHECK(fake_b2b_recorded("b2b_msg_reply BYE 500 Server Internal Error "
				"[]"));
	CHECK(fake_b2b_recorded("b2b_call_fail 1"));
	test_hangup(&f, c, B2B_END_SCRIPT, 500, "Server Internal Error", 0);
	CHECK(!fake_b2b_recorded("b2b_call_script_done 1"));
	fixture_close(&f);
	return 0;
}

static int test_response_error_fails_the_call(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "response_error.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	fake_b2b_response(&f.hooks, c, TEST_RESPONSE("183 Session Progress"));
	CHECK(test_logged_prefix("E call 1: on_response failed: (error object "
				 "is not a string)\nstack traceback:\n"));
	CHECK(fake_b2b_recorded("b2b_call_fail 1"));
	test_hangup(&f, c, B2B_END_SCRIPT, 500, "Server Internal Error", 0);
	fixture_close(&f);
	return 0;
}

static int test_cancel_and_hangup_errors_are_logged(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "cancel_hangup.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	fake_b2b_cancel(&f.hooks, c);
	CHECK(test_logged("I call 1: cancel_hangup.lua:6: cancelled 1 ended"));
	CHECK(
	    test_logged_prefix("E call 1: on_cancel failed: "
			       "cancel_hangup.lua:7: cancel handling failed"));
	test_hangup(&f, c, B2B_END_CALLER, 487, "Request Terminated", 0);
	CHECK(test_logged("I call 1: cancel_hangup.lua:11: hangup caller 487 "
			  "Request Terminated"));
	CHECK(test_logged_prefix("E call 1: on_hangup failed: "
				 "cancel_hangup.lua:12: hangup handling "
				 "failed"));
	CHECK_INT(fake_b2b_count("b2b_call_fail"), 0);
	CHECK_INT(fake_b2b_count("b2b_call_script_done"), 0);
	fixture_close(&f);
	return 0;
}

/* b2b_free without on_hangup: script_free still frees every call. */
static int test_script_free_frees_calls_the_b2b_dropped(void)
{
	struct fixture f;

	CHECK_OK(fixture_open(&f, "dial.lua"));
	fake_b2b_invite(&f.hooks, TEST_INVITE);
	fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK_INT(fake_b2b_count("b2b_call_dial"), 2);
	fixture_close(&f);
	return 0;
}

/*
 * A whole call with the nth allocation failing, for every n: whatever
 * fails (the load, a hook, the coroutine, a handle), nothing crashes and
 * nothing leaks.
 */
static int test_a_call_survives_running_out_of_memory(void)
{
	struct fixture f;
	struct b2b_call *c;
	int rc = fixture_open(&f, "failover.lua");

	if (rc) {
		fixture_close(&f);
		return rc;
	}
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	if (c) {
		fake_b2b_response(&f.hooks, c, TEST_RESPONSE("180 Ringing"));
		fake_b2b_dial_done(&f.hooks, c, false, 486, "Busy Here",
				   TEST_RESPONSE("486 Busy Here"));
		fake_b2b_request(&f.hooks, c, TEST_BYE);
		fake_b2b_dial_done(&f.hooks, c, true, 200, "OK",
				   TEST_RESPONSE("200 OK"));
		test_hangup(&f, c, B2B_END_CALLER, 200, "OK", 1700000001000u);
	}
	fixture_close(&f);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_missing_hooks_leave_the_defaults),
	TEST(test_request_error_outside_a_dialog_answers_500),
	TEST(test_request_error_after_an_answer_does_not_answer_again),
	TEST(test_request_error_in_a_call_fails_the_call),
	TEST(test_response_error_fails_the_call),
	TEST(test_cancel_and_hangup_errors_are_logged),
	TEST(test_script_free_frees_calls_the_b2b_dropped),
	TEST_OOM(test_a_call_survives_running_out_of_memory),
};

TEST_MAIN(cases)
