/*
 * Message objects (ffi_msg.c, lua/tandem/message.lua, uri.lua): fields
 * of requests and responses, header lookup and edits with the headers
 * the core keeps for itself, req:reply and res:drop in their hooks only,
 * and a message used after its hook raising "message is gone".
 */
#include <string.h>

#include "script_test.h"
#include "test.h"

#define TEST_ACK                                                 \
	"ACK sip:tandem.example.com SIP/2.0\r\n"                 \
	"Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-k1\r\n" \
	"Max-Forwards: 70\r\n"                                   \
	"From: <sip:alice@example.com>;tag=a1\r\n"               \
	"To: <sip:600@tandem.example.com>;tag=t1\r\n"            \
	"Call-ID: a1@192.0.2.10\r\n"                             \
	"CSeq: 1 ACK\r\n"                                        \
	"Content-Length: 0\r\n"                                  \
	"\r\n"

static int test_request_fields_outside_a_dialog(void)
{
	struct fixture f;

	CHECK_OK(fixture_open(&f, "request_fields.lua"));
	fake_b2b_request(&f.hooks, NULL, TEST_OPTIONS);
	CHECK(test_logged("I request_fields.lua:3: call nil"));
	CHECK(test_logged("I request_fields.lua:4: OPTIONS nil nil "
			  "sip:tandem.example.com:5070 tandem.example.com 5070 "
			  "nil"));
	CHECK(test_logged("I request_fields.lua:6: probe o1 nil o1@192.0.2.10 "
			  "true"));
	CHECK(test_logged("I request_fields.lua:7: yes 1 0"));
	CHECK(fake_b2b_recorded("b2b_msg_reply OPTIONS 200 OK [X-A: 1]"));
	fixture_close(&f);
	return 0;
}

static int test_response_fields(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "response_fields.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	fake_b2b_response(&f.hooks, c, TEST_RESPONSE("180 Ringing"));
	CHECK(test_logged("I call 1: response_fields.lua:6: 1 INVITE 180 "
			  "Ringing nil Bob bob7 10.0.0.5 bobphone 192.0.2.10"));
	test_hangup(&f, c, B2B_END_CALLER, 487, "Request Terminated", 0);
	fixture_close(&f);
	return 0;
}

static int test_header_edits_and_core_headers(void)
{
	struct fixture f;

	CHECK_OK(fixture_open(&f, "headers_edit.lua"));
	fake_b2b_request(&f.hooks, NULL, TEST_OPTIONS);
	CHECK(fake_b2b_recorded("b2b_msg_set_header OPTIONS x-probe: no"));
	CHECK(fake_b2b_recorded("b2b_msg_add_header OPTIONS X-Added: 1"));
	CHECK(fake_b2b_recorded("b2b_msg_add_header OPTIONS X-Added: 2"));
	CHECK(fake_b2b_recorded("b2b_msg_remove_header OPTIONS X-Gone"));
	CHECK(test_logged("I headers_edit.lua:11: no 1,2"));
#define SAYS(line, text)                                                 \
	CHECK(test_logged("I headers_edit.lua:3: headers_edit.lua:" line \
			  ": " text))
	SAYS("12", "header Via is managed by the core");
	SAYS("13", "header Call-ID is managed by the core");
	SAYS("14", "header From is managed by the core");
	SAYS("15", "value of header X-A must not contain CR or LF");
	SAYS("16", "invalid header name: \"Bad Name\"");
	SAYS("17", "value of header X-A must be a string, got table");
	SAYS("18", "header name must be a string, got number");
	SAYS("19", "message field method is read-only");
#undef SAYS
	CHECK(fake_b2b_recorded("b2b_msg_reply OPTIONS 200 OK []"));
	fixture_close(&f);
	return 0;
}

static int test_reply_and_drop_only_in_their_hooks(void)
{
	struct fixture f;
	struct b2b_call *c;

	CHECK_OK(fixture_open(&f, "reply_phase.lua"));
	c = fake_b2b_invite(&f.hooks, TEST_INVITE);
	fake_b2b_response(&f.hooks, c, TEST_RESPONSE("180 Ringing"));
	fake_b2b_response(&f.hooks, c, TEST_RESPONSE("200 OK"));
	fake_b2b_request(&f.hooks, NULL, TEST_OPTIONS);
	fake_b2b_request(&f.hooks, NULL, TEST_ACK);
#define SAYS(who, line, text)                                                 \
	CHECK(test_logged("I " who "reply_phase.lua:4: reply_phase.lua:" line \
			  ": " text))
	SAYS("call 1: ", "8", "req:reply() is only allowed in on_request");
	SAYS("call 1: ", "9", "res:drop() is only allowed in on_response");
	SAYS("call 1: ", "14", "req:reply() is only allowed in on_request");
	SAYS("call 1: ", "15", "only a provisional response can be dropped");
	SAYS("", "23", "res:drop() is only allowed in on_response");
	SAYS("", "24", "req:reply() status must be 100..699, not 99");
	SAYS("", "25", "req:reply() reason must be a string, got number");
	SAYS("", "28", "request has already been answered");
	SAYS("", "20", "an ACK cannot be answered");
#undef SAYS
	CHECK(fake_b2b_recorded("b2b_msg_drop 180"));
	CHECK(fake_b2b_recorded("b2b_msg_drop 200"));
	CHECK(fake_b2b_recorded("b2b_msg_reply OPTIONS 180 Ringing []"));
	CHECK(fake_b2b_recorded("b2b_msg_reply OPTIONS 200 OK []"));
	CHECK(fake_b2b_recorded("b2b_msg_reply OPTIONS 486 Busy Here []"));
	CHECK_INT(fake_b2b_count("b2b_msg_reply"), 3);
	test_hangup(&f, c, B2B_END_CALLER, 487, "Request Terminated", 0);
	fixture_close(&f);
	return 0;
}

static int test_message_gone_after_its_hook(void)
{
	struct fixture f;

	CHECK_OK(fixture_open(&f, "message_gone.lua"));
	fake_b2b_request(&f.hooks, NULL, TEST_OPTIONS);
	fake_b2b_request(&f.hooks, NULL, TEST_OPTIONS);
#define SAYS(line)                                                       \
	CHECK(test_logged("I message_gone.lua:5: message_gone.lua:" line \
			  ": message is gone"))
	SAYS("10");
	SAYS("11");
	SAYS("12");
	SAYS("13");
#undef SAYS
	CHECK_INT(fake_b2b_count("b2b_msg_"), 0);
	fixture_close(&f);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_request_fields_outside_a_dialog),
	TEST(test_response_fields),
	TEST(test_header_edits_and_core_headers),
	TEST(test_reply_and_drop_only_in_their_hooks),
	TEST(test_message_gone_after_its_hook),
};

TEST_MAIN(cases)
