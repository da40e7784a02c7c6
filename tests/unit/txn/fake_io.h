/*
 * Fakes for the transaction layer's unit tests. A fake transport records
 * every send (a copy of the bytes, the peer, the manual clock's time) and
 * can fail the next sends with an errno; a fake TU records every request
 * handed up and binds each new server transaction to an event recorder;
 * the recorder keeps every event with its instant. Summaries turn what
 * was recorded into one line ("INVITE@0 INVITE@500 ACK@900") so that a
 * case asserts exact instants, counts and order in one check.
 *
 * A struct fake_env ties them to a layer with the default configuration
 * on a manual clock starting at 0, so all instants are absolute
 * milliseconds. TXN_CASE defines a test case that gets a fresh
 * environment and frees it afterwards (the harness then checks leaks).
 *
 * Uses: txn.h (the contract under test), timer.h (manual clock),
 * sip_msg.h (parsing recorded bytes, building test messages), test.h.
 */
#ifndef TANDEM_TEST_FAKE_IO_H
#define TANDEM_TEST_FAKE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/mem.h"
#include "tandem/net_peer.h"
#include "tandem/sip_msg.h"
#include "tandem/timer.h"
#include "tandem/txn.h"
#include "test.h"

/* Records kept per kind; more are counted as overflow (a failed check). */
#define FAKE_MAX 128

/* The peer test requests come from (the UAC side) ... */
#define FAKE_UAC_PORT 5070
/* ... and the peer client transactions send to (the UAS side). */
#define FAKE_UAS_PORT 5080

/* ---- transport ---------------------------------------------------------- */

struct fake_send {
	char *data; /* a NUL-terminated copy of the bytes */
	size_t len;
	struct net_peer to;
	uint64_t at_ms;
	int error;              /* the errno this attempt failed with, or 0 */
	char name[64];          /* send_named's name, or "" for send */
	struct sip_msg *parsed; /* fake_sent's cache */
};

struct fake_io {
	struct tnd_timers *timers;
	struct fake_send sends[FAKE_MAX];
	size_t nsends; /* attempts, failed ones included */
	bool overflow;
	unsigned fail_count; /* the next fail_count sends fail ... */
	int fail_errno;      /* ... with this errno */
};

struct txn_io fake_io_ops(struct fake_io *io);
/* Makes the next `count` sends fail with `err` (recorded, marked "!"). */
void fake_io_fail_next(struct fake_io *io, unsigned count, int err);
/* Sends as "INVITE@0 INVITE@500 486@900 ACK@900!": method or status,
 * instant, and "!" for a failed attempt. Returns buf. */
const char *fake_io_summary(const struct fake_io *io, char *buf, size_t size);
/* The first line of send i, without CRLF; "" when there is none. */
const char *fake_io_line(const struct fake_io *io, size_t i, char *buf,
			 size_t size);
/* Parses send i into a new message the caller frees. */
int fake_io_parse(const struct fake_io *io, size_t i, struct sip_msg **out);
void fake_io_clear(struct fake_io *io);

/* ---- events ------------------------------------------------------------- */

struct fake_event {
	enum txn_event_kind kind;
	struct txn *t;
	uint64_t at_ms;
	uint16_t status;        /* TXN_EV_RESPONSE: the response's status */
	enum sip_method method; /* TXN_EV_RESPONSE: its CSeq method */
	int error;              /* TXN_EV_TRANSPORT_ERROR: the errno */
	char state[16];         /* txn_state_name at the time of the event */
};

struct fake_events {
	struct tnd_timers *timers;
	struct fake_event ev[FAKE_MAX];
	size_t n;
	bool overflow;
};

/* A txn_event_fn; `arg` is a struct fake_events. */
void fake_events_fn(struct txn *t, const struct txn_event *ev, void *arg);
/* Events as "180@100 486@900 timeout@32000 error@500 terminated@32000". */
const char *fake_events_summary(const struct fake_events *rec, char *buf,
				size_t size);

/* ---- transaction user --------------------------------------------------- */

/* Called at the end of on_request, e.g. to answer at once. */
typedef void (*fake_tu_hook_fn)(void *arg, struct txn *st,
				const struct sip_msg *req);

struct fake_request {
	char *text; /* the request as sip_msg_print wrote it, NUL-terminated */
	size_t len;
	struct txn *st;
	bool st_null;
	struct net_peer from;
	uint64_t at_ms;
	char method[16];
	struct sip_msg *parsed; /* fake_tu_request's cache */
};

struct fake_tu {
	struct tnd_timers *timers;
	struct fake_request reqs[FAKE_MAX];
	size_t nreqs;
	bool overflow;
	struct fake_events *bind; /* handler given to each new st; or NULL */
	fake_tu_hook_fn hook;
	void *hook_arg;
};

struct txn_tu fake_tu_ops(struct fake_tu *tu);
/* Requests as "INVITE@0 CANCEL@900 ACK(no st)@2000". */
const char *fake_tu_summary(const struct fake_tu *tu, char *buf, size_t size);
void fake_tu_clear(struct fake_tu *tu);

/* ---- peers and messages ------------------------------------------------- */

/* 127.0.0.1:port over `transport`; streams carry connection id `port`. */
struct net_peer fake_peer(enum net_transport transport, uint16_t port);
bool fake_peer_is(const struct net_peer *p, enum net_transport transport,
		  uint16_t port);
/* Where test requests come from: 127.0.0.1:5070 over UDP or TCP. */
struct net_peer fake_peer_uac(enum net_transport transport);
/* Where client transactions send: 127.0.0.1:5080. */
struct net_peer fake_peer_uas(enum net_transport transport);

/* Parses printf-formatted text into a new message. 0, ENOMEM, EBADMSG. */
int fake_msg(struct sip_msg **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints `msg` and parses it back, as the network would carry it. */
int fake_reparse(const struct sip_msg *msg, struct sip_msg **out);

/* ---- the environment ---------------------------------------------------- */

struct fake_env {
	struct tnd_timers timers;
	struct fake_io io;
	struct fake_tu tu;
	struct fake_events ev; /* the TU binds server transactions here */
	struct txn_layer *layer;
};

/* Runs body on a fresh environment, then frees it. 0 or an errno. */
int fake_env_run(int (*body)(struct fake_env *e));
/* The same for a body that needs more context: body(e, arg). */
int fake_env_run_with(int (*body)(struct fake_env *e, void *arg), void *arg);
/* Advances the manual clock to the absolute instant `at_ms` (no-op when
 * it has passed), firing every timer due on the way, those due at
 * `at_ms` included. */
void fake_until(struct fake_env *e, uint64_t at_ms);
uint64_t fake_live(struct fake_env *e, enum txn_kind kind);
struct txn_stats fake_stats(struct fake_env *e);

/* Hands the layer a request parsed from text, as if from `from`. */
int fake_receive(struct fake_env *e, const struct net_peer *from,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Starts a client transaction for text sent to `to`, reporting to rec. */
int fake_start(struct fake_env *e, const struct net_peer *to,
	       struct fake_events *rec, struct txn **out, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Answers client transaction ct as its peer would: a response built
 * from txn_request(ct) with To tag `to_tag` ("" for none), printed and
 * parsed back, received from the UAS peer over the Via's transport. */
int fake_reply(struct fake_env *e, const struct txn *ct, uint16_t status,
	       const char *to_tag);
/* The TU answering server transaction st: txn_server_respond's result;
 * EPROTO once st has let its request go. */
int fake_respond(struct txn *st, uint16_t status, const char *to_tag);
/* Send i / TU request i, parsed (freed with the environment); or NULL. */
const struct sip_msg *fake_sent(struct fake_env *e, size_t i);
const struct sip_msg *fake_tu_request(struct fake_env *e, size_t i);

/* ---- checks ------------------------------------------------------------- */

/* Compares texts; on a mismatch records a failure naming `what`. */
bool fake_text_is(const char *file, int line, const char *what, const char *got,
		  const char *want);

#define CHECK_TEXT(what, got, want)                                           \
	do {                                                                  \
		if (!fake_text_is(__FILE__, __LINE__, (what), (got), (want))) \
			return EPROTO;                                        \
	} while (0)
#define CHECK_SENDS(e, want)                                            \
	do {                                                            \
		char sb_[2048];                                         \
		CHECK_TEXT("sends",                                     \
			   fake_io_summary(&(e)->io, sb_, sizeof(sb_)), \
			   (want));                                     \
	} while (0)
#define CHECK_EVENTS(rec, want)                                          \
	do {                                                             \
		char eb_[2048];                                          \
		CHECK_TEXT("events",                                     \
			   fake_events_summary((rec), eb_, sizeof(eb_)), \
			   (want));                                      \
	} while (0)
#define CHECK_REQUESTS(e, want)                                         \
	do {                                                            \
		char rb_[2048];                                         \
		CHECK_TEXT("requests",                                  \
			   fake_tu_summary(&(e)->tu, rb_, sizeof(rb_)), \
			   (want));                                     \
	} while (0)
#define CHECK_STATE(t, want) CHECK_TEXT("state", txn_state_name(t), (want))

/* Under TEST_OOM: once an allocation has failed, stop checking, end. */
#define OOM_BAIL()                                   \
	do {                                         \
		if (tnd_mem_failures_injected() > 0) \
			return ENOMEM;               \
	} while (0)

/* A test case on a fresh struct fake_env *e. */
#define TXN_CASE(name)                              \
	static int name##_body(struct fake_env *e); \
	static int name(void)                       \
	{                                           \
		return fake_env_run(name##_body);   \
	}                                           \
	static int name##_body(struct fake_env *e)

#endif
