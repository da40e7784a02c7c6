/*
 * The b2b layer's test bench: a caller and callees played by the test on
 * the fake transport of tests/unit/txn (every send recorded, every
 * message injected through txn_layer_receive), the transaction layer and
 * the b2b on its manual clock, the resolver on a real event_base (numeric
 * hosts only: no DNS server), and a "script" of plain C hooks that
 * records what it was told and dials, replies or hangs up as the case
 * configured it.
 *
 * The network: we are 192.0.2.1:5060; the caller is a proxy at
 * 127.0.0.1:5070 (UDP) that record-routes; callees answer at the address
 * of their URI ("bob" 127.0.0.1:5080, "carol" 127.0.0.1:5090), with
 * their URI as Contact. Summaries turn what happened into one line each,
 * so that a case asserts exact instants, order and peers in one check:
 *
 *   wire  "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000"
 *   log   "invite@0 response(180)@100 dial_done(200)@1000"
 *
 * B2B_CASE defines a case on a fresh bench; after its body the bench runs
 * the clock 40 s on (past 64*T1) and checks that every call, transaction
 * and timer is gone, then frees the b2b (the harness then counts leaks).
 * Under an injected allocation failure the helpers return ENOMEM instead
 * of reporting a missing message, and the bench still runs the clock on
 * (without checks) before freeing, so error paths wind down too.
 *
 * Uses: b2b.h (the layer under test), fake_io.h (transport, clock),
 * resolve_test_util.h (the loop and resolver), test.h.
 */
#ifndef TANDEM_TEST_B2B_FAKE_H
#define TANDEM_TEST_B2B_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fake_io.h"
#include "resolve_test_util.h"
#include "tandem/b2b.h"
#include "test.h"

#define BT_T1_MS 500
#define BT_T2_MS 4000

/* Us: Via sent-by and Contact on every message we send. */
#define BT_US         "192.0.2.1:5060"
#define BT_US_CONTACT "<sip:" BT_US ">"

#define BT_CALLER_PORT FAKE_UAC_PORT /* 5070 */
#define BT_BOB         "sip:bob@127.0.0.1:5080"
#define BT_CAROL       "sip:carol@127.0.0.1:5090"

/* The caller's INVITE (see bt_invite). */
#define BT_A_CALL_ID "a1@example.com"
#define BT_A_BRANCH  "z9hG4bKa1"
#define BT_A_FROM    "\"Alice\" <sip:alice@example.com>;tag=atag"
#define BT_A_RR      "<sip:127.0.0.1:5070;lr>"

#define BT_SDP_A                           \
	"v=0\r\n"                          \
	"o=alice 1 1 IN IP4 127.0.0.1\r\n" \
	"s=-\r\n"                          \
	"c=IN IP4 127.0.0.1\r\n"           \
	"t=0 0\r\n"                        \
	"m=audio 4000 RTP/AVP 0\r\n"
#define BT_SDP_B                         \
	"v=0\r\n"                        \
	"o=bob 2 2 IN IP4 127.0.0.1\r\n" \
	"s=-\r\n"                        \
	"c=IN IP4 127.0.0.1\r\n"         \
	"t=0 0\r\n"                      \
	"m=audio 6000 RTP/AVP 0\r\n"

#define BT_MAX_TARGETS 4

struct b2b_test {
	struct rt_env rt;   /* event_base, real clock, resolver res[0] */
	struct fake_env *e; /* txn layer, transport, manual clock */
	struct b2b *b2b;
	struct net_peer caller;

	/* The script: on_invite dials `dial` (NULL-terminated) ... */
	const char *dial[BT_MAX_TARGETS + 1];
	uint32_t dial_timeout_ms;
	/* ... and after a failed dial, the next of `failover` alone. */
	const char *failover[BT_MAX_TARGETS + 1];
	size_t failover_next;
	/* Replace the default behaviour of a hook when set. */
	void (*invite_fn)(struct b2b_test *t, struct b2b_call *call);
	void (*request_fn)(struct b2b_test *t, struct b2b_call *call,
			   struct b2b_msg *req);

	/* What the hooks saw. */
	char log[2048];
	struct b2b_call *call; /* from on_invite until its on_hangup */
	int dial_rc;           /* the last b2b_call_dial's */
	int rc[8];             /* what a case's own hooks got back */
	unsigned hangups;
	struct b2b_end_info end;
	bool answered;          /* the last dial result's */
	uint16_t result_code;   /* ... code */
	uint16_t result_status; /* ... response's status, 0: none */
	char a_tag[64];         /* our To tag towards the caller */

	int (*body)(struct b2b_test *t);
};

/* The hooks of the script above (b2b_set_hooks may change them). */
struct b2b_hooks bt_hooks(struct b2b_test *t);
/* Dials `targets` (NULL-terminated) with the case's timeout. */
int bt_dial(struct b2b_test *t, struct b2b_call *call,
	    const char *const *targets);
/* Appends a space-separated token to buf (kept NUL-terminated). */
void bt_append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends "what@now" to the log. */
void bt_log(struct b2b_test *t, const char *what);

/*
 * The call most cases start from: the script dials bob, the caller
 * offers SDP, bob rings at 100 and answers at 1000 (tag "btag", SDP), the
 * caller ACKs at 1100; sends 0..3 are then bob:INVITE a:180 a:200 bob:ACK.
 */
int bt_connect(struct b2b_test *t);
#define BT_CONNECTED_WIRE "bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000"
#define BT_CONNECTED_LOG                                 \
	"invite@0 response(180)@100 response(200)@1000 " \
	"dial_done(200)@1000"

/* Runs the bench with `body`. */
int bt_run(int (*body)(struct b2b_test *t));

#define B2B_CASE(name)                              \
	static int name##_body(struct b2b_test *t); \
	static int name(void)                       \
	{                                           \
		return bt_run(name##_body);         \
	}                                           \
	static int name##_body(struct b2b_test *t)

/* ---- time --------------------------------------------------------------- */

/* Runs what is due now and every resolver callback, until quiet. */
int bt_settle(struct b2b_test *t);
/* Moves the clock to absolute `at_ms` (firing timers on the way), then
 * settles. */
int bt_at(struct b2b_test *t, uint64_t at_ms);
uint64_t bt_now(const struct b2b_test *t);

/* ---- the caller --------------------------------------------------------- */

/* Each message injected below is followed by bt_settle. */

/* The caller's INVITE with Max-Forwards `max_forwards`, `extra` header
 * lines ("" for none) and `body` (NULL: none; else application/sdp). */
int bt_invite_mf(struct b2b_test *t, unsigned max_forwards, const char *extra,
		 const char *body);
int bt_invite(struct b2b_test *t, const char *extra, const char *body);
/* The caller's CANCEL of its INVITE. */
int bt_cancel(struct b2b_test *t);
/* The caller's ACK of a non-2xx final answer (same branch as the
 * INVITE, our tag in To). */
int bt_ack_failure(struct b2b_test *t);
/*
 * A request in the caller's dialog (ACK of a 2xx included): To with our
 * tag (found in the responses sent to the caller), CSeq `cseq`, branch
 * `branch`, `extra` lines, `body` (NULL: none).
 */
int bt_caller(struct b2b_test *t, const char *method, uint32_t cseq,
	      const char *branch, const char *extra, const char *body);
/* Our tag towards the caller, from the first response sent to it that
 * has one; "" when there is none. */
const char *bt_a_tag(struct b2b_test *t);

/* ---- the callees -------------------------------------------------------- */

/*
 * The callee answers send i (a request sent to it) with `status`, To tag
 * `tag` ("" for none), its URI as Contact on 101..299, and `body` (NULL:
 * none). Received from where send i went.
 */
int bt_reply(struct b2b_test *t, size_t i, uint16_t status, const char *tag,
	     const char *body);
/* bt_reply with `extra` headers: name, value pairs, NULL-terminated. */
int bt_reply_with(struct b2b_test *t, size_t i, uint16_t status,
		  const char *tag, const char *const *extra, const char *body);
/*
 * A request of the callee in the dialog of our INVITE send `invite`, with
 * `tag` its To tag there: From and To swapped, our Contact as
 * Request-URI, CSeq `cseq`, branch `branch`.
 */
int bt_callee(struct b2b_test *t, size_t invite, const char *tag,
	      const char *method, uint32_t cseq, const char *branch,
	      const char *body);

/* ---- what was sent ------------------------------------------------------ */

/* Send i, parsed; NULL when there is none. */
const struct sip_msg *bt_sent(struct b2b_test *t, size_t i);
/* The value of the first header `name` of msg; empty when absent. */
struct tnd_slice bt_hdr(const struct sip_msg *msg, const char *name);
/* "bob:INVITE@0 a:180@100": peer, method or status, instant. */
const char *bt_wire(const struct b2b_test *t, char *buf, size_t size);

/*
 * Send i is our response `status` to the caller's INVITE: to the caller,
 * with its two Vias, Call-ID, From, CSeq and our tag in To; on 101..299
 * our Contact and its Record-Route.
 */
int bt_check_to_caller(struct b2b_test *t, size_t i, uint16_t status);
/*
 * Send i is a request `method` of ours in B-leg dialog `invite` (the
 * B-leg INVITE's send), with the callee's tag `tag`: its Call-ID, our
 * From tag, CSeq number `cseq` (0: not checked), one Via of ours, sent to
 * the callee, the callee's URI as Request-URI.
 */
int bt_check_in_b_dialog(struct b2b_test *t, size_t i, size_t invite,
			 const char *tag, const char *method, uint32_t cseq);

/*
 * Send i is a request `method` of ours in the caller's dialog: to the
 * caller, its Contact as Request-URI, its Record-Route as Route, From
 * with our tag, To with its tag, its Call-ID, one Via of ours.
 */
int bt_check_in_a_dialog(struct b2b_test *t, size_t i, const char *method);

#define CHECK_WIRE(t, want)                                                 \
	do {                                                                \
		char wb_[4096];                                             \
		CHECK_TEXT("wire", bt_wire((t), wb_, sizeof(wb_)), (want)); \
	} while (0)
#define CHECK_LOG(t, want) CHECK_TEXT("log", (t)->log, (want))

#endif
