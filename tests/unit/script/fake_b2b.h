/*
 * A fake of the b2b layer (every function of tandem/b2b.h) for the
 * script tests: it records each action the script asks for as one line
 * of text ("b2b_call_dial 1 [sip:a@x] timeout=0 ..."), keeps call state
 * the way the contract describes, and lets a test fire the hooks and
 * dial results a real b2b would deliver from the loop.
 */
#ifndef TANDEM_TEST_FAKE_B2B_H
#define TANDEM_TEST_FAKE_B2B_H

#include <stdbool.h>
#include <stdint.h>

#include "tandem/b2b.h"

/* Frees every call and message without hooks; clears the record. */
void fake_b2b_reset(void);
/* The actions recorded since the last reset, one per line. */
const char *fake_b2b_record(void);
/* True when `line` was recorded (a whole line). */
bool fake_b2b_recorded(const char *line);
/* How many recorded lines start with `prefix`. */
int fake_b2b_count(const char *prefix);
/* The next call of the b2b function `fn` fails with `err`. */
void fake_b2b_fail_next(const char *fn, int err);
/* Every recorded action moves `timers` (a manual clock) by `ms`. */
void fake_b2b_set_delay(struct tnd_timers *timers, uint64_t ms);

/* A new call from INVITE `text` (ids count from 1): fires on_invite. */
struct b2b_call *fake_b2b_invite(const struct b2b_hooks *h, const char *text);
/* Fires on_request with request `text`, in `call` or (NULL) outside. */
void fake_b2b_request(const struct b2b_hooks *h, struct b2b_call *call,
		      const char *text);
/* Fires on_response with response `text` on `call`. */
void fake_b2b_response(const struct b2b_hooks *h, struct b2b_call *call,
		       const char *text);
void fake_b2b_cancel(const struct b2b_hooks *h, struct b2b_call *call);
/* Ends the dial: on_dial_done with a response parsed from `text` (may
 * be NULL), kept by the call until its next dial or its end. */
void fake_b2b_dial_done(const struct b2b_hooks *h, struct b2b_call *call,
			bool answered, uint16_t code, const char *reason,
			const char *text);
/* Ends the call: state ENDED, on_hangup, then the call is freed. */
void fake_b2b_hangup(const struct b2b_hooks *h, struct b2b_call *call,
		     const struct b2b_end_info *info);
void fake_b2b_set_state(struct b2b_call *call, enum b2b_call_state state);

#endif
