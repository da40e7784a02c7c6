/*
 * What the script tests share: a fixture holding a script loaded from
 * tests/unit/script/dialplans/ on a manual clock with its hooks, the
 * log lines the script wrote (captured, not printed), and the SIP
 * messages the fake b2b hands to hooks.
 *
 * Dialplans report what they see through print and tandem.log, so a
 * test checks the exact lines, file and line number included
 * ("I call 1: x.lua:3: ..."). With SCRIPT_TEST_LOG=1 in the environment,
 * a missing log line or b2b record prints what was there instead.
 */
#ifndef TANDEM_TEST_SCRIPT_TEST_H
#define TANDEM_TEST_SCRIPT_TEST_H

#include <stdbool.h>

#include "fake_b2b.h"
#include "tandem/script.h"
#include "tandem/timer.h"

struct fixture {
	struct tnd_timers timers; /* manual; do not move the fixture */
	struct script *script;
	struct b2b_hooks hooks;
	char err[512];
};

/*
 * Loads dialplans/<name> (the working directory becomes dialplans/, so
 * errors name the file as written). Returns script_new's result.
 */
int fixture_open(struct fixture *f, const char *name);
/* The same from another folder. */
int fixture_open_in(struct fixture *f, const char *dir, const char *name);
/* Frees the fake's calls, then the script; stops capturing the log. */
void fixture_close(struct fixture *f);

/* The captured log, one line per entry ("W " warn, "E " error, ...). */
const char *test_log(void);
/* True when an entry is exactly `line` (level letter included). */
bool test_logged(const char *line);
/* True when an entry starts with `prefix`. */
bool test_logged_prefix(const char *prefix);
void test_log_clear(void);

/* Ends `call` as `by` with `code` at fixed times (answer_ms 0: never). */
void test_hangup(struct fixture *f, struct b2b_call *call, enum b2b_end_by by,
		 uint16_t code, const char *reason, uint64_t answer_ms);

#define TEST_INVITE_TO(user)                                               \
	"INVITE sip:" user "@tandem.example.com;transport=udp SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-a1\r\n"           \
	"Max-Forwards: 70\r\n"                                             \
	"From: \"Alice\" <sip:alice@example.com>;tag=a1\r\n"               \
	"To: <sip:" user "@tandem.example.com>\r\n"                        \
	"Call-ID: a1@192.0.2.10\r\n"                                       \
	"CSeq: 1 INVITE\r\n"                                               \
	"Contact: <sip:alice@192.0.2.10:5062>\r\n"                         \
	"Supported: timer, 100rel\r\n"                                     \
	"X-Trace: one\r\n"                                                 \
	"X-Trace: two\r\n"                                                 \
	"Content-Type: text/plain\r\n"                                     \
	"Content-Length: 5\r\n"                                            \
	"\r\n"                                                             \
	"hello"
#define TEST_INVITE TEST_INVITE_TO("600")

#define TEST_OPTIONS                                             \
	"OPTIONS sip:tandem.example.com:5070 SIP/2.0\r\n"        \
	"Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-o1\r\n" \
	"Max-Forwards: 70\r\n"                                   \
	"From: <sip:probe@example.com>;tag=o1\r\n"               \
	"To: <sip:tandem.example.com>\r\n"                       \
	"Call-ID: o1@192.0.2.10\r\n"                             \
	"CSeq: 7 OPTIONS\r\n"                                    \
	"X-Probe: yes\r\n"                                       \
	"Content-Length: 0\r\n"                                  \
	"\r\n"

#define TEST_BYE                                                 \
	"BYE sip:tandem.example.com SIP/2.0\r\n"                 \
	"Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-b1\r\n" \
	"Max-Forwards: 70\r\n"                                   \
	"From: \"Alice\" <sip:alice@example.com>;tag=a1\r\n"     \
	"To: <sip:600@tandem.example.com>;tag=t1\r\n"            \
	"Call-ID: a1@192.0.2.10\r\n"                             \
	"CSeq: 2 BYE\r\n"                                        \
	"Content-Length: 0\r\n"                                  \
	"\r\n"

#define TEST_RESPONSE(status)                                            \
	"SIP/2.0 " status "\r\n"                                         \
	"Via: SIP/2.0/UDP tandem.example.com:5070;branch=z9hG4bK-x1\r\n" \
	"From: <sip:alice@example.com>;tag=b1\r\n"                       \
	"To: \"Bob\" <sip:bob@10.0.0.5>;tag=bob7\r\n"                    \
	"Call-ID: b7@tandem.example.com\r\n"                             \
	"CSeq: 1 INVITE\r\n"                                             \
	"Server: bobphone\r\n"                                           \
	"Content-Length: 0\r\n"                                          \
	"\r\n"

#endif
