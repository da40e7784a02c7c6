/*
 * call:dial (ffi_call.c, hooks.c's on_dial_done, lua/tandem/call.lua and
 * args.lua): options handed to the b2b, the coroutine parked until
 * on_dial_done, the result table, serial failover, the last response
 * gone after the next dial, every misuse, the phase checks, and a call
 * ending while it dials.
 */
#include <string.h>

#include "script_test.h"
#include "test.h"

static int test_dial_passes_options_and_waits(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "dial.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(fake_b2b_recorded(
	    "b2b_call_dial 1 [sip:b1@10.0.0.5, sip:b2@10.0.0.6] "
	    "timeout=20000 headers=[X-A: 1] from=sip:from@example.com "
	    "to=<sip:to@example.net> route=sip:proxy.example.com;lr "
	    "transport=tcp"));
	CHECK(!fake_b2b_recorded("b2b_call_script_done 1"));
	fake_b2b_dial_done(&f.hooks, c, true, 200, "OK",
			   TEST_RESPONSE("200 OK"));
	CHECK(test_logged("I call 1: dial.lua:6: answered true 200 OK 200 bob7 "
			  "answered"));
	CHECK(fake_b2b_recorded("b2b_call_script_done 1"));
	test_hangup(&f, c, B2B_END_CALLEE, 200, "OK", 1700000002000u);
	CHECK(test_logged("I call 1: dial.lua:11: hangup 1 callee 200 OK "
			  "1700000002"));
	fixture_close(&f);
	return 0;
}

static int test_dial_again_after_failure_is_failover(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "failover.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(fake_b2b_recorded("b2b_call_dial 1 [sip:bob@10.0.0.5] "
				"timeout=500 headers=[] from=- to=- route=- "
				"transport=-"));
	fake_b2b_dial_done(&f.hooks, c, false, 486, "Busy Here",
			   TEST_RESPONSE("486 Busy Here"));
	CHECK(test_logged("I call 1: failover.lua:4: first false 486 Busy Here "
			  "486"));
	CHECK(fake_b2b_recorded("b2b_call_dial 1 [sip:voicemail@10.0.0.9] "
				"timeout=0 headers=[] from=- to=- route=- "
				"transport=-"));
	fake_b2b_dial_done(&f.hooks, c, false, 408, "Request Timeout", NULL);
	CHECK(test_logged("I call 1: failover.lua:8: second false 408 Request "
			  "Timeout nil"));
	CHECK(test_logged("I call 1: failover.lua:10: first response false "
			  "failover.lua:9: message is gone"));
	CHECK(fake_b2b_recorded("b2b_call_script_done 1"));
	test_hangup(&f, c, B2B_END_SCRIPT, 408, "Request Timeout", 0);
	fixture_close(&f);
	return 0;
}

static int test_dial_misuse_raises_at_the_script_line(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "dial_misuse.lua"));
	fake_b2b_fail_next("b2b_call_dial", EINVAL);
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
#define SAYS(line, text)                                                       \
	CHECK(test_logged("I call 1: dial_misuse.lua:3: dial_misuse.lua:" line \
			  ": " text))
	SAYS("7", "dial target must be a URI string or a list of them, got "
		  "number");
	SAYS("8", "dial target list is empty");
	SAYS("9", "dial target 2 must be a URI string, got number");
	SAYS("10", "dial options must be a table, got string");
	SAYS("11", "unknown dial option timout");
	SAYS("12", "dial option timeout must be a positive number of seconds, "
		   "got -1");
	SAYS("13", "dial option from must be a string, got number");
	SAYS("14", "dial option transport must be \"udp\", \"tcp\" or "
		   "\"tls\", not \"sctp\"");
	SAYS("15", "invalid dial target \"not a uri\"");
	SAYS("16", "invalid dial option route \"<<bad\"");
	SAYS("17", "invalid dial option to \"<sip:broken\"");
	SAYS("18", "header line must be \"Name: value\", got \"X-A\"");
	SAYS("19", "call:dial() refused: a target, from, to, route or header "
		   "does not parse");
#undef SAYS
	CHECK_INT(fake_b2b_count("b2b_call_dial"), 1);
	CHECK(fake_b2b_recorded("b2b_call_script_done 1"));
	test_hangup(&f, c, B2B_END_CORE, 480, "Temporarily Unavailable", 0);
	fixture_close(&f);
	return 0;
}

static int test_dial_outside_its_on_invite_is_refused(void)
{
	struct fixture f;
	struct b2b_call *c1, *c2;

	CHECK_OK(fixture_open(&f, "dial_phase.lua"));
	c1 = fake_b2b_invite(&f.hooks, TEST_INVITE);
	c2 = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(test_logged("I call 2: dial_phase.lua:6: dial_phase.lua:15: "
			  "call:dial() is only allowed on the call of its "
			  "on_invite"));
	fake_b2b_request(&f.hooks, c1, TEST_BYE);
	CHECK(test_logged("I call 1: dial_phase.lua:6: dial_phase.lua:19: "
			  "call:dial() is only allowed in on_invite"));
	fake_b2b_cancel(&f.hooks, c1);
	CHECK(test_logged("I call 1: dial_phase.lua:6: dial_phase.lua:24: "
			  "call:dial() is only allowed in on_invite"));
	test_hangup(&f, c1, B2B_END_CALLER, 487, "Request Terminated", 0);
	CHECK(test_logged("I call 1: dial_phase.lua:6: dial_phase.lua:28: "
			  "call:dial() is only allowed in on_invite"));
	CHECK_INT(fake_b2b_count("b2b_call_dial"), 0);
	test_hangup(&f, c2, B2B_END_CORE, 480, "Temporarily Unavailable", 0);
	fixture_close(&f);
	return 0;
}

/* dial_state.lua dials after a second, with the call in `state`. */
static int dial_in_state(enum b2b_call_state state, const char *says)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "dial_state.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	fake_b2b_set_state(c, state);
	tnd_timers_advance(&f.timers, 1000);
	CHECK(test_logged(says));
	test_hangup(&f, c, B2B_END_CORE, 480, "Temporarily Unavailable", 0);
	fixture_close(&f);
	return 0;
}

static int test_dial_in_the_wrong_state_says_why(void)
{
	CHECK_OK(dial_in_state(B2B_CALL_DIALING,
			       "I call 1: dial_state.lua:5: false "
			       "dial_state.lua:4: dial already in progress"));
	CHECK_OK(dial_in_state(B2B_CALL_CONFIRMED,
			       "I call 1: dial_state.lua:5: false "
			       "dial_state.lua:4: call has already been "
			       "answered"));
	return 0;
}

static int test_dial_takes_every_header_form(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "dial_headers.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	CHECK(fake_b2b_recorded("b2b_call_dial 1 [sip:b@10.0.0.5] timeout=0 "
				"headers=[X-B: 2, x-c: 3, X-A: 1, X-A: 1b, "
				"x-z: z] from=- to=- route=- transport=-"));
	test_hangup(&f, c, B2B_END_CALLER, 487, "Request Terminated", 0);
	fixture_close(&f);
	return 0;
}

static int test_hangup_during_dial_drops_the_coroutine(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "dial.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	test_hangup(&f, c, B2B_END_CALLER, 487, "Request Terminated", 0);
	CHECK(test_logged("I call 1: dial.lua:11: hangup 1 caller 487 Request "
			  "Terminated nil"));
	CHECK(!test_logged_prefix("I call 1: dial.lua:6:"));
	CHECK(!fake_b2b_recorded("b2b_call_script_done 1"));
	fixture_close(&f);
	return 0;
}

/* After CANCEL the call is over for the script: no resume. */
static int test_dial_done_after_the_call_ended_does_not_resume(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "dial.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	fake_b2b_cancel(&f.hooks, c);
	fake_b2b_dial_done(&f.hooks, c, false, 487, "Request Terminated",
			   TEST_RESPONSE("487 Request Terminated"));
	CHECK(!test_logged_prefix("I call 1: dial.lua:6:"));
	test_hangup(&f, c, B2B_END_CALLER, 487, "Request Terminated", 0);
	CHECK(test_logged("I call 1: dial.lua:11: hangup 1 caller 487 Request "
			  "Terminated nil"));
	CHECK(!fake_b2b_recorded("b2b_call_script_done 1"));
	CHECK(!fake_b2b_recorded("b2b_call_fail 1"));
	fixture_close(&f);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_dial_passes_options_and_waits),
	TEST(test_dial_again_after_failure_is_failover),
	TEST(test_dial_misuse_raises_at_the_script_line),
	TEST(test_dial_outside_its_on_invite_is_refused),
	TEST(test_dial_in_the_wrong_state_says_why),
	TEST(test_dial_takes_every_header_form),
	TEST(test_hangup_during_dial_drops_the_coroutine),
	TEST(test_dial_done_after_the_call_ended_does_not_resume),
};

TEST_MAIN(cases)
