/*
 * A tandem core for busted specs: the real script, b2b and transaction
 * layers, wired as the tandem command wires them, on a fake network
 * (every message tandem sends is recorded; what peers send is injected
 * as text) and a manual clock, with the resolver on a real event_base
 * for numeric hosts (no DNS server). It builds as libtandem_testcore.so,
 * which a spec loads with ffi.load(path, true): global symbols, so that
 * the dialplan's own Lua state finds the tnd_ffi_* functions through
 * ffi.C. tests/lua/core/testcore.lua declares this header to the FFI
 * and wraps it.
 *
 * We are 192.0.2.1:5060 over UDP and TCP (5061 over TLS). Peers are
 * written "udp:127.0.0.1:5070"; a stream peer's connection id is its
 * port. The clock starts at 0. Log lines are captured from creation to
 * free, as "E text", "W text", "I text". One core at a time: the log
 * sink is process-wide.
 */
#ifndef TANDEM_TESTCORE_H
#define TANDEM_TESTCORE_H

#include <stddef.h>
#include <stdint.h>

struct tnd_testcore;

/* What tandem sent, in order; `data` lives as long as the core. */
struct tnd_testcore_send {
	const char *data;
	size_t len;
	uint64_t at_ms;
	char to[64]; /* "udp:127.0.0.1:5080" */
};

/* Loads `dialplan`; NULL with the reason in err[errlen] on failure. */
struct tnd_testcore *tnd_testcore_new(const char *dialplan, char *err,
				      size_t errlen);
/* Frees every call (without hooks), the script and the layers. */
void tnd_testcore_free(struct tnd_testcore *tc);

/*
 * A message from peer `from`, then everything it set off, resolver
 * callbacks included. Returns 0, EINVAL (a bad peer), EBADMSG (does
 * not parse; err says why), or ETIME/ELOOP when the core does not
 * settle.
 */
int tnd_testcore_inject(struct tnd_testcore *tc, const char *text, size_t len,
			const char *from, char *err, size_t errlen);
/* Moves the clock `ms` on, running each timer at its instant and what
 * it set off. Returns 0, ETIME or ELOOP. */
int tnd_testcore_advance(struct tnd_testcore *tc, uint64_t ms);
uint64_t tnd_testcore_now(const struct tnd_testcore *tc);

size_t tnd_testcore_sent_count(const struct tnd_testcore *tc);
/* Send i; ENOENT past the last. */
int tnd_testcore_sent(const struct tnd_testcore *tc, size_t i,
		      struct tnd_testcore_send *out);

size_t tnd_testcore_log_count(const struct tnd_testcore *tc);
/* Log line i, or NULL past the last. */
const char *tnd_testcore_log(const struct tnd_testcore *tc, size_t i);

size_t tnd_testcore_live_calls(const struct tnd_testcore *tc);
/* script_reload: 0, or an errno with the reason in err[errlen]. */
int tnd_testcore_reload(struct tnd_testcore *tc, char *err, size_t errlen);
/* util/mem's live blocks, process-wide: 0 once every core is freed. */
size_t tnd_testcore_live_blocks(void);

#endif
