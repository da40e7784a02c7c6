/*
 * Dialogs (dialog.c, dialog_request.c): the UAS and UAC sides built from
 * the call of RFC 3261 §24.2 (Alice at atlanta calls Bob at biloxi through
 * the proxies ss1.atlanta and ss2.biloxi, both record-routing), in-dialog
 * requests with loose and strict routing (§12.2.1.1), the ACK for a 2xx,
 * target refresh, matching and the remote CSeq check (§12.2.2).
 */
#include <stdio.h>
#include <string.h>

#include "tandem/dialog.h"
#include "tandem/mem.h"
#include "tandem/rand.h"
#include "tandem/sip_msg.h"
#include "test.h"

#define CALL_ID "3848276298220188511@atlanta.example.com"

/* F1: Alice's INVITE, as her UA sends it. */
#define F1_INVITE                                                           \
	"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"                     \
	"Via: SIP/2.0/TCP client.atlanta.example.com:5060;"                 \
	"branch=z9hG4bK74bf9\r\n"                                           \
	"Max-Forwards: 70\r\n"                                              \
	"Route: <sip:ss1.atlanta.example.com;lr>\r\n"                       \
	"From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"    \
	"To: Bob <sip:bob@biloxi.example.com>\r\n"                          \
	"Call-ID: " CALL_ID "\r\n"                                          \
	"CSeq: 1 INVITE\r\n"                                                \
	"Contact: <sip:alice@client.atlanta.example.com;transport=tcp>\r\n" \
	"Content-Length: 0\r\n"                                             \
	"\r\n"

/* F5: the same INVITE as Bob receives it. */
#define F5_INVITE                                                           \
	"INVITE sip:bob@client.biloxi.example.com SIP/2.0\r\n"              \
	"Via: SIP/2.0/TCP ss2.biloxi.example.com:5060;"                     \
	"branch=z9hG4bK721e4.1\r\n"                                         \
	"Via: SIP/2.0/TCP ss1.atlanta.example.com:5060;"                    \
	"branch=z9hG4bK2d4790.1;received=192.0.2.111\r\n"                   \
	"Via: SIP/2.0/TCP client.atlanta.example.com:5060;"                 \
	"branch=z9hG4bK74bf9;received=192.0.2.101\r\n"                      \
	"Max-Forwards: 68\r\n"                                              \
	"Record-Route: <sip:ss2.biloxi.example.com;lr>\r\n"                 \
	"Record-Route: <sip:ss1.atlanta.example.com;lr>\r\n"                \
	"From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"    \
	"To: Bob <sip:bob@biloxi.example.com>\r\n"                          \
	"Call-ID: " CALL_ID "\r\n"                                          \
	"CSeq: 1 INVITE\r\n"                                                \
	"Contact: <sip:alice@client.atlanta.example.com;transport=tcp>\r\n" \
	"Content-Length: 0\r\n"                                             \
	"\r\n"

/* F11 (and F8 with "180 Ringing"): Bob's answer as Alice receives it. */
#define F11_HEAD(status)                                                 \
	"SIP/2.0 " status "\r\n"                                         \
	"Via: SIP/2.0/TCP client.atlanta.example.com:5060;"              \
	"branch=z9hG4bK74bf9;received=192.0.2.101\r\n"                   \
	"Record-Route: <sip:ss2.biloxi.example.com;lr>\r\n"              \
	"Record-Route: <sip:ss1.atlanta.example.com;lr>\r\n"             \
	"From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n" \
	"Call-ID: " CALL_ID "\r\n"                                       \
	"CSeq: 1 INVITE\r\n"                                             \
	"Contact: <sip:bob@client.biloxi.example.com;transport=tcp>\r\n" \
	"Content-Length: 0\r\n"
#define F11_OK             \
	F11_HEAD("200 OK") \
	"To: Bob <sip:bob@biloxi.example.com>;tag=314159\r\n\r\n"
#define F8_RINGING              \
	F11_HEAD("180 Ringing") \
	"To: Bob <sip:bob@biloxi.example.com>;tag=314159\r\n\r\n"
#define F8_RINGING_NO_TAG \
	F11_HEAD("180 Ringing") "To: Bob <sip:bob@biloxi.example.com>\r\n\r\n"

#define BOB_CONTACT   "sip:bob@client.biloxi.example.com;transport=tcp"
#define ALICE_CONTACT "sip:alice@client.atlanta.example.com;transport=tcp"

/* An in-dialog request from one side to the other, templated. */
static int request_text(char *out, size_t size, const char *method,
			unsigned cseq, const char *from_tag, const char *to_tag,
			const char *call_id, const char *contact)
{
	int n =
	    snprintf(out, size,
		     "%s sip:bob@client.biloxi.example.com SIP/2.0\r\n"
		     "Via: SIP/2.0/TCP ss2.biloxi.example.com;"
		     "branch=z9hG4bKx\r\n"
		     "From: Alice <sip:alice@atlanta.example.com>;tag=%s\r\n"
		     "To: Bob <sip:bob@biloxi.example.com>;tag=%s\r\n"
		     "Call-ID: %s\r\n"
		     "CSeq: %u %s\r\n"
		     "%s%s%s"
		     "Content-Length: 0\r\n\r\n",
		     method, from_tag, to_tag, call_id, cseq, method,
		     contact ? "Contact: <" : "", contact ? contact : "",
		     contact ? ">\r\n" : "");

	return n > 0 && (size_t)n < size ? 0 : ENOSPC;
}

/* Parses `text`; under TEST_OOM a failed allocation ends the case. */
#define PARSE(text, m)                                                     \
	do {                                                               \
		int rc_ =                                                  \
		    sip_msg_parse(NULL, (text), strlen(text), &(m), NULL); \
		if (rc_ == ENOMEM)                                         \
			return ENOMEM;                                     \
		CHECK_INT(rc_, 0);                                         \
	} while (0)

/* Bob's side of the call, from F5. */
static int bob_dialog(struct dialog **d)
{
	struct sip_msg *inv;
	int rc;

	PARSE(F5_INVITE, inv);
	rc = dialog_uas_new(inv, S("314159"), BOB_CONTACT, d);
	sip_msg_free(inv);
	return rc;
}

/* Alice's side of the call, from F1 and F11 (or F8). */
static int alice_dialog(const char *response, struct dialog **d)
{
	struct sip_msg *inv, *res;
	int rc;

	PARSE(F1_INVITE, inv);
	rc = sip_msg_parse(NULL, response, strlen(response), &res, NULL);
	if (rc == 0) {
		rc = dialog_uac_new(inv, res, ALICE_CONTACT, d);
		sip_msg_free(res);
	}
	sip_msg_free(inv);
	return rc;
}

/* The n-th Route value of `m` (0-based), or an empty slice. */
static struct tnd_slice route_at(const struct sip_msg *m, size_t n)
{
	struct sip_value_iter it = { 0 };
	struct tnd_slice v = TND_SLICE_NULL;

	for (size_t i = 0; i <= n; i++) {
		if (!sip_msg_value_next(m, SIP_HDR_ROUTE, &it, &v))
			return TND_SLICE_NULL;
	}
	return v;
}

static int test_uas_new_copies_fields_and_route_set_in_order(void)
{
	struct dialog *d;

	CHECK_INT(bob_dialog(&d), 0);
	CHECK_STR(S(d->call_id), CALL_ID);
	CHECK_STR(S(d->local_tag), "314159");
	CHECK_STR(S(d->remote_tag), "9fxced76sl");
	CHECK_STR(S(d->local_uri), "sip:bob@biloxi.example.com");
	CHECK_STR(S(d->remote_uri), "sip:alice@atlanta.example.com");
	CHECK_STR(S(d->remote_target), ALICE_CONTACT);
	CHECK_STR(S(d->local_contact), BOB_CONTACT);
	CHECK_INT(d->nroutes, 2);
	CHECK_STR(S(d->route_set[0]), "<sip:ss2.biloxi.example.com;lr>");
	CHECK_STR(S(d->route_set[1]), "<sip:ss1.atlanta.example.com;lr>");
	CHECK(d->has_remote_cseq);
	CHECK_INT(d->remote_cseq, 1);
	CHECK(!d->has_local_cseq);
	CHECK(!d->is_uac);
	CHECK(dialog_is_early(d));
	dialog_confirm(d);
	CHECK(!dialog_is_early(d));
	dialog_free(d);
	return 0;
}

static int test_uas_new_copies_comma_separated_record_route(void)
{
	struct sip_msg *inv;
	struct dialog *d;
	const char *text =
	    "INVITE sip:b@h SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP p.example.com;branch=z9hG4bKa\r\n"
	    "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\r\n"
	    "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: c\r\n"
	    "CSeq: 7 INVITE\r\nContact: <sip:a@10.0.0.1>\r\n"
	    "Content-Length: 0\r\n\r\n";

	PARSE(text, inv);
	CHECK_INT(dialog_uas_new(inv, S("2"), "sip:b@10.0.0.2", &d), 0);
	sip_msg_free(inv);
	CHECK_INT(d->nroutes, 2);
	CHECK_STR(S(d->route_set[0]), "<sip:p2.example.com;lr>");
	CHECK_STR(S(d->route_set[1]), "<sip:p1.example.com;lr>");
	CHECK_INT(d->remote_cseq, 7);
	dialog_free(d);
	return 0;
}

static int test_uas_new_without_contact_is_einval(void)
{
	struct sip_msg *inv;
	struct dialog *d = (struct dialog *)1;
	const char *text = "INVITE sip:b@h SIP/2.0\r\n"
			   "Via: SIP/2.0/UDP h;branch=z9hG4bKa\r\n"
			   "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\n"
			   "Call-ID: c\r\nCSeq: 1 INVITE\r\n"
			   "Content-Length: 0\r\n\r\n";

	PARSE(text, inv);
	CHECK_INT(dialog_uas_new(inv, S("2"), "sip:b@h", &d), EINVAL);
	CHECK(d == NULL);
	sip_msg_free(inv);
	CHECK_INT(tnd_mem_live_blocks(), 0);
	return 0;
}

static int test_uas_new_refuses_star_contact_and_empty_tag(void)
{
	struct sip_msg *inv;
	struct dialog *d;
	const char *text = "INVITE sip:b@h SIP/2.0\r\n"
			   "Via: SIP/2.0/UDP h;branch=z9hG4bKa\r\n"
			   "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\n"
			   "Call-ID: c\r\nCSeq: 1 INVITE\r\nContact: *\r\n"
			   "Content-Length: 0\r\n\r\n";

	PARSE(text, inv);
	CHECK_INT(dialog_uas_new(inv, S("2"), "sip:b@h", &d), EINVAL);
	sip_msg_free(inv);
	PARSE(F5_INVITE, inv);
	CHECK_INT(dialog_uas_new(inv, S(""), "sip:b@h", &d), EINVAL);
	sip_msg_free(inv);
	return 0;
}

static int test_uac_new_reverses_route_set(void)
{
	struct dialog *d;

	CHECK_INT(alice_dialog(F11_OK, &d), 0);
	CHECK_STR(S(d->call_id), CALL_ID);
	CHECK_STR(S(d->local_tag), "9fxced76sl");
	CHECK_STR(S(d->remote_tag), "314159");
	CHECK_STR(S(d->local_uri), "sip:alice@atlanta.example.com");
	CHECK_STR(S(d->remote_uri), "sip:bob@biloxi.example.com");
	CHECK_STR(S(d->remote_target), BOB_CONTACT);
	CHECK_INT(d->nroutes, 2);
	CHECK_STR(S(d->route_set[0]), "<sip:ss1.atlanta.example.com;lr>");
	CHECK_STR(S(d->route_set[1]), "<sip:ss2.biloxi.example.com;lr>");
	CHECK(d->has_local_cseq);
	CHECK_INT(d->local_cseq, 1);
	CHECK(!d->has_remote_cseq);
	CHECK(d->is_uac);
	CHECK(!dialog_is_early(d));
	dialog_free(d);
	return 0;
}

/* A 2xx from another fork: its own tag, Contact and route set. */
#define FORK_OK                                                          \
	"SIP/2.0 200 OK\r\n"                                             \
	"Via: SIP/2.0/TCP client.atlanta.example.com:5060;"              \
	"branch=z9hG4bK74bf9;received=192.0.2.101\r\n"                   \
	"Record-Route: <sip:ss3.example.com;lr>\r\n"                     \
	"From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n" \
	"To: Bob <sip:bob@biloxi.example.com>;tag=fork2\r\n"             \
	"Call-ID: " CALL_ID "\r\n"                                       \
	"CSeq: 1 INVITE\r\n"                                             \
	"Contact: <sip:bob@desk.biloxi.example.com>\r\n"                 \
	"Content-Length: 0\r\n\r\n"

static int test_uac_fork_takes_local_side_from_sibling(void)
{
	struct dialog *first, *fork = NULL;
	struct sip_msg *res, *bye;
	int rc;

	CHECK_INT(alice_dialog(F11_OK, &first), 0);
	/* The first dialog has moved on (a BYE): the fork starts at 1. */
	rc = dialog_request_new(first, SIP_METHOD_BYE, NULL, NULL,
				TND_SLICE_NULL, TND_SLICE_NULL, &bye);
	if (rc == 0)
		sip_msg_free(bye);
	if (rc == 0) {
		PARSE(FORK_OK, res);
		rc = dialog_uac_fork(first, res, &fork);
		sip_msg_free(res);
	}
	CHECK_INT(rc, 0);
	CHECK_STR(S(fork->call_id), CALL_ID);
	CHECK_STR(S(fork->local_tag), "9fxced76sl");
	CHECK_STR(S(fork->remote_tag), "fork2");
	CHECK_STR(S(fork->local_uri), "sip:alice@atlanta.example.com");
	CHECK_STR(S(fork->remote_uri), "sip:bob@biloxi.example.com");
	CHECK_STR(S(fork->remote_target), "sip:bob@desk.biloxi.example.com");
	CHECK_STR(S(fork->local_contact), ALICE_CONTACT);
	CHECK_INT(fork->nroutes, 1);
	CHECK_STR(S(fork->route_set[0]), "<sip:ss3.example.com;lr>");
	CHECK_INT(fork->local_cseq, 1);
	CHECK_INT(first->local_cseq, 2);
	CHECK(fork->is_uac && !dialog_is_early(fork));
	dialog_free(fork);
	dialog_free(first);
	return 0;
}

static int test_uac_fork_refuses_other_requests_and_uas(void)
{
	struct dialog *first = NULL, *bob = NULL, *fork = NULL;
	struct sip_msg *res;
	int rc_other = 0, rc_uas = 0;

	CHECK_INT(alice_dialog(F11_OK, &first), 0);
	CHECK_INT(bob_dialog(&bob), 0);
	PARSE(FORK_OK, res);
	/* A sibling of another Call-ID: this is not its request's answer. */
	tnd_free(first->call_id);
	first->call_id = tnd_slice_dup(S("other@atlanta.example.com"));
	if (first->call_id)
		rc_other = dialog_uac_fork(first, res, &fork);
	rc_uas = dialog_uac_fork(bob, res, &fork);
	sip_msg_free(res);
	dialog_free(first);
	dialog_free(bob);
	CHECK_INT(rc_other, EINVAL);
	CHECK_INT(rc_uas, EINVAL);
	CHECK(fork == NULL);
	return 0;
}

static int test_uac_new_early_from_1xx_with_to_tag_only(void)
{
	struct dialog *d;

	CHECK_INT(alice_dialog(F8_RINGING, &d), 0);
	CHECK(dialog_is_early(d));
	dialog_free(d);
	CHECK_INT(alice_dialog(F8_RINGING_NO_TAG, &d), EINVAL);
	CHECK(d == NULL);
	return 0;
}

static int test_request_loose_routing_targets_remote_contact(void)
{
	struct dialog *d;
	struct sip_msg *bye;

	CHECK_INT(bob_dialog(&d), 0);
	CHECK_INT(dialog_request_new(d, SIP_METHOD_BYE, NULL, NULL,
				     TND_SLICE_NULL, TND_SLICE_NULL, &bye),
		  0);
	/* F13: BYE sip:alice@client.atlanta... via ss2, then ss1. */
	CHECK(bye->is_request);
	CHECK_INT(bye->method, SIP_METHOD_BYE);
	CHECK_STR(bye->ruri_text, ALICE_CONTACT);
	CHECK_INT(sip_msg_hdr_count(bye, SIP_HDR_ROUTE), 2);
	CHECK_STR(route_at(bye, 0), "<sip:ss2.biloxi.example.com;lr>");
	CHECK_STR(route_at(bye, 1), "<sip:ss1.atlanta.example.com;lr>");
	CHECK_STR(bye->from.uri, "sip:bob@biloxi.example.com");
	CHECK_STR(bye->from.tag, "314159");
	CHECK_STR(bye->to.uri, "sip:alice@atlanta.example.com");
	CHECK_STR(bye->to.tag, "9fxced76sl");
	CHECK_STR(bye->call_id, CALL_ID);
	CHECK_STR(sip_msg_hdr(bye, SIP_HDR_CONTACT)->value,
		  "<" BOB_CONTACT ">");
	CHECK_INT(bye->max_forwards, 70);
	CHECK_STR(bye->via.host, DIALOG_VIA_UNSENT_HOST);
	CHECK_INT(bye->via.branch.len, TND_BRANCH_LEN);
	CHECK_INT(bye->cseq.method, SIP_METHOD_BYE);
	sip_msg_free(bye);
	dialog_free(d);
	return 0;
}

static int test_request_strict_routing_puts_target_last(void)
{
	struct sip_msg *inv, *req;
	struct dialog *d;
	const char *text =
	    "INVITE sip:b@h SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP p.example.com;branch=z9hG4bKa\r\n"
	    "Record-Route: <sip:strict.example.com;maddr=192.0.2.9?X=1>\r\n"
	    "Record-Route: <sip:loose.example.com;lr>\r\n"
	    "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: c\r\n"
	    "CSeq: 7 INVITE\r\nContact: <sip:a@10.0.0.1:5070>\r\n"
	    "Content-Length: 0\r\n\r\n";

	PARSE(text, inv);
	CHECK_INT(dialog_uas_new(inv, S("2"), "sip:b@10.0.0.2", &d), 0);
	sip_msg_free(inv);
	CHECK_INT(dialog_request_new(d, SIP_METHOD_INFO, NULL, NULL,
				     TND_SLICE_NULL, TND_SLICE_NULL, &req),
		  0);
	/* RFC 3261 §12.2.1.1: the strict router's URI, headers stripped. */
	CHECK_STR(req->ruri_text, "sip:strict.example.com;maddr=192.0.2.9");
	CHECK_INT(sip_msg_hdr_count(req, SIP_HDR_ROUTE), 2);
	CHECK_STR(route_at(req, 0), "<sip:loose.example.com;lr>");
	CHECK_STR(route_at(req, 1), "<sip:a@10.0.0.1:5070>");
	sip_msg_free(req);
	dialog_free(d);
	return 0;
}

static int test_request_without_route_set_has_no_route(void)
{
	struct sip_msg *inv, *req;
	struct dialog *d;
	const char *text = "INVITE sip:b@h SIP/2.0\r\n"
			   "Via: SIP/2.0/UDP h;branch=z9hG4bKa\r\n"
			   "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\n"
			   "Call-ID: c\r\nCSeq: 1 INVITE\r\n"
			   "Contact: <sip:a@10.0.0.1>\r\n"
			   "Content-Length: 0\r\n\r\n";

	PARSE(text, inv);
	CHECK_INT(dialog_uas_new(inv, S("2"), "sip:b@h", &d), 0);
	sip_msg_free(inv);
	CHECK_INT(d->nroutes, 0);
	CHECK_INT(dialog_request_new(d, SIP_METHOD_BYE, NULL, NULL,
				     TND_SLICE_NULL, TND_SLICE_NULL, &req),
		  0);
	CHECK_STR(req->ruri_text, "sip:a@10.0.0.1");
	CHECK_INT(sip_msg_hdr_count(req, SIP_HDR_ROUTE), 0);
	sip_msg_free(req);
	dialog_free(d);
	return 0;
}

static int test_request_cseq_starts_below_2_31_and_increments(void)
{
	struct sip_msg *a, *b;
	struct dialog *d;

	CHECK_INT(bob_dialog(&d), 0);
	CHECK_INT(dialog_request_new(d, SIP_METHOD_INFO, NULL, NULL,
				     TND_SLICE_NULL, TND_SLICE_NULL, &a),
		  0);
	CHECK(a->cseq.number >= 1);
	CHECK(a->cseq.number < DIALOG_CSEQ_LIMIT);
	CHECK(d->has_local_cseq);
	CHECK_INT(d->local_cseq, a->cseq.number);
	CHECK_INT(dialog_request_new(d, SIP_METHOD_UNKNOWN, "FOO", NULL,
				     TND_SLICE_NULL, TND_SLICE_NULL, &b),
		  0);
	CHECK_INT(b->cseq.number, (long long)a->cseq.number + 1);
	CHECK_STR(b->method_name, "FOO");
	CHECK_STR(b->cseq.method_name, "FOO");
	sip_msg_free(a);
	sip_msg_free(b);
	dialog_free(d);
	return 0;
}

/* §13.2.2.4: numbers the early dialog used stay used; lower ones change
 * nothing. */
static int test_cseq_used_moves_the_next_request_above(void)
{
	struct sip_msg *req;
	struct dialog *d;
	uint32_t first;

	CHECK_INT(alice_dialog(F11_OK, &d), 0);
	first = d->local_cseq;
	dialog_cseq_used(d, first + 5);
	dialog_cseq_used(d, first + 1);
	dialog_cseq_used(d, 0);
	CHECK_INT(dialog_request_new(d, SIP_METHOD_BYE, NULL, NULL,
				     TND_SLICE_NULL, TND_SLICE_NULL, &req),
		  0);
	CHECK_INT(req->cseq.number, (long long)first + 6);
	sip_msg_free(req);
	dialog_free(d);
	return 0;
}

static int test_request_cseq_stops_below_2_31(void)
{
	struct sip_msg *req;
	struct dialog *d;

	CHECK_INT(alice_dialog(F11_OK, &d), 0);
	d->local_cseq = DIALOG_CSEQ_LIMIT - 2;
	CHECK_INT(dialog_request_new(d, SIP_METHOD_BYE, NULL, NULL,
				     TND_SLICE_NULL, TND_SLICE_NULL, &req),
		  0);
	CHECK_INT(req->cseq.number, DIALOG_CSEQ_LIMIT - 1);
	sip_msg_free(req);
	CHECK_INT(dialog_request_new(d, SIP_METHOD_BYE, NULL, NULL,
				     TND_SLICE_NULL, TND_SLICE_NULL, &req),
		  ERANGE);
	CHECK(req == NULL);
	CHECK_INT(d->local_cseq, DIALOG_CSEQ_LIMIT - 1);
	dialog_free(d);
	return 0;
}

static int test_request_refuses_ack_and_cancel(void)
{
	struct sip_msg *req;
	struct dialog *d;

	CHECK_INT(alice_dialog(F11_OK, &d), 0);
	CHECK_INT(dialog_request_new(d, SIP_METHOD_ACK, NULL, NULL,
				     TND_SLICE_NULL, TND_SLICE_NULL, &req),
		  EINVAL);
	CHECK_INT(dialog_request_new(d, SIP_METHOD_CANCEL, NULL, NULL,
				     TND_SLICE_NULL, TND_SLICE_NULL, &req),
		  EINVAL);
	CHECK_INT(d->local_cseq, 1);
	dialog_free(d);
	return 0;
}

static int test_request_extra_headers_follow_routes_and_body_kept(void)
{
	const char *extra[] = { "Subject: lunch", "X-Leg: a", NULL };
	struct sip_msg *req;
	struct dialog *d;

	CHECK_INT(alice_dialog(F11_OK, &d), 0);
	CHECK_INT(dialog_request_new(d, SIP_METHOD_INFO, NULL, extra,
				     S("application/dtmf-relay"),
				     S("Signal=5\r\n"), &req),
		  0);
	CHECK_INT(req->cseq.number, 2);
	/* Via, Max-Forwards, From, To, Call-ID, CSeq, Contact, 2 Route,
	 * Subject, X-Leg, Content-Type, Content-Length. */
	CHECK_INT(req->nhdrs, 13);
	CHECK_STR(req->hdrs[7].name, "Route");
	CHECK_STR(req->hdrs[7].value, "<sip:ss1.atlanta.example.com;lr>");
	CHECK_STR(req->hdrs[8].value, "<sip:ss2.biloxi.example.com;lr>");
	CHECK_STR(req->hdrs[9].name, "Subject");
	CHECK_STR(req->hdrs[10].value, "a");
	CHECK_STR(sip_msg_hdr(req, SIP_HDR_CONTENT_TYPE)->value,
		  "application/dtmf-relay");
	CHECK_STR(req->body, "Signal=5\r\n");
	sip_msg_free(req);
	dialog_free(d);
	return 0;
}

static int test_ack_reuses_cseq_number(void)
{
	struct sip_msg *ack, *bye;
	struct dialog *d;

	CHECK_INT(alice_dialog(F11_OK, &d), 0);
	CHECK_INT(dialog_ack_new(d, 1, &ack), 0);
	/* F12: ACK sip:bob@client.biloxi... via ss1, then ss2. */
	CHECK_INT(ack->method, SIP_METHOD_ACK);
	CHECK_STR(ack->ruri_text, BOB_CONTACT);
	CHECK_INT(ack->cseq.number, 1);
	CHECK_INT(ack->cseq.method, SIP_METHOD_ACK);
	CHECK_STR(route_at(ack, 0), "<sip:ss1.atlanta.example.com;lr>");
	CHECK_STR(route_at(ack, 1), "<sip:ss2.biloxi.example.com;lr>");
	CHECK_STR(ack->to.tag, "314159");
	CHECK_STR(ack->from.tag, "9fxced76sl");
	CHECK_INT(d->local_cseq, 1);
	CHECK_INT(dialog_request_new(d, SIP_METHOD_BYE, NULL, NULL,
				     TND_SLICE_NULL, TND_SLICE_NULL, &bye),
		  0);
	CHECK_INT(bye->cseq.number, 2);
	sip_msg_free(ack);
	sip_msg_free(bye);
	dialog_free(d);
	return 0;
}

static int test_update_target_replaces_remote_target(void)
{
	char text[1024];
	struct sip_msg *reinvite, *bye;
	struct dialog *d;

	CHECK_INT(bob_dialog(&d), 0);
	CHECK_INT(request_text(text, sizeof(text), "INVITE", 2, "9fxced76sl",
			       "314159", CALL_ID, "sip:alice@192.0.2.44:5080"),
		  0);
	PARSE(text, reinvite);
	CHECK_INT(dialog_update_target(d, reinvite), 0);
	sip_msg_free(reinvite);
	CHECK_STR(S(d->remote_target), "sip:alice@192.0.2.44:5080");
	CHECK_INT(dialog_request_new(d, SIP_METHOD_BYE, NULL, NULL,
				     TND_SLICE_NULL, TND_SLICE_NULL, &bye),
		  0);
	CHECK_STR(bye->ruri_text, "sip:alice@192.0.2.44:5080");
	sip_msg_free(bye);
	/* Without a Contact the target stays. */
	CHECK_INT(request_text(text, sizeof(text), "UPDATE", 3, "9fxced76sl",
			       "314159", CALL_ID, NULL),
		  0);
	PARSE(text, reinvite);
	CHECK_INT(dialog_update_target(d, reinvite), EINVAL);
	sip_msg_free(reinvite);
	CHECK_STR(S(d->remote_target), "sip:alice@192.0.2.44:5080");
	dialog_free(d);
	return 0;
}

/* Whether the templated request with these identifiers matches `d`. */
static int match_request(const struct dialog *d, const char *from_tag,
			 const char *to_tag, const char *call_id, bool *matched)
{
	char text[1024];
	struct sip_msg *m;

	CHECK_INT(request_text(text, sizeof(text), "BYE", 2, from_tag, to_tag,
			       call_id, NULL),
		  0);
	PARSE(text, m);
	*matched = dialog_match(d, m);
	sip_msg_free(m);
	return 0;
}

static int test_match_requests_by_call_id_and_both_tags(void)
{
	struct dialog *d;
	bool m;

	CHECK_INT(bob_dialog(&d), 0);
	CHECK_INT(match_request(d, "9fxced76sl", "314159", CALL_ID, &m), 0);
	CHECK(m);
	CHECK_INT(match_request(d, "9fxced76sl", "314158", CALL_ID, &m), 0);
	CHECK(!m);
	CHECK_INT(match_request(d, "9fxced76sL", "314159", CALL_ID, &m), 0);
	CHECK(!m);
	CHECK_INT(match_request(d, "9fxced76sl", "314159", "other@h", &m), 0);
	CHECK(!m);
	/* Tags the other way round are Bob's own request, not Alice's. */
	CHECK_INT(match_request(d, "314159", "9fxced76sl", CALL_ID, &m), 0);
	CHECK(!m);
	dialog_free(d);
	return 0;
}

static int test_match_responses_to_our_requests(void)
{
	struct sip_msg *ok, *other;
	struct dialog *d;
	const char *text = F11_HEAD(
	    "200 OK") "To: Bob <sip:bob@biloxi.example.com>;tag=999\r\n\r\n";

	CHECK_INT(alice_dialog(F11_OK, &d), 0);
	PARSE(F11_OK, ok);
	CHECK(dialog_match(d, ok));
	sip_msg_free(ok);
	/* A 2xx from another fork: another dialog. */
	PARSE(text, other);
	CHECK(!dialog_match(d, other));
	sip_msg_free(other);
	dialog_free(d);
	return 0;
}

/* Checks a templated request of `method` and `cseq` against `d`. */
static int check_cseq(struct dialog *d, const char *method, unsigned cseq,
		      int *rc)
{
	char text[1024];
	struct sip_msg *m;

	CHECK_INT(request_text(text, sizeof(text), method, cseq, "9fxced76sl",
			       "314159", CALL_ID, NULL),
		  0);
	PARSE(text, m);
	*rc = dialog_check_remote_cseq(d, m);
	sip_msg_free(m);
	return 0;
}

static int test_remote_cseq_lower_equal_higher(void)
{
	struct dialog *d;
	int rc;

	CHECK_INT(bob_dialog(&d), 0);
	CHECK_INT(d->remote_cseq, 1);
	CHECK_INT(check_cseq(d, "INFO", 5, &rc), 0);
	CHECK_INT(rc, 0);
	CHECK_INT(d->remote_cseq, 5);
	CHECK_INT(check_cseq(d, "INFO", 5, &rc), 0);
	CHECK_INT(rc, EALREADY);
	CHECK_INT(check_cseq(d, "BYE", 4, &rc), 0);
	CHECK_INT(rc, EPROTO);
	CHECK_INT(d->remote_cseq, 5);
	/* ACK and CANCEL are not checked and change nothing. */
	CHECK_INT(check_cseq(d, "ACK", 1, &rc), 0);
	CHECK_INT(rc, 0);
	CHECK_INT(check_cseq(d, "CANCEL", 9, &rc), 0);
	CHECK_INT(rc, 0);
	CHECK_INT(d->remote_cseq, 5);
	dialog_free(d);
	return 0;
}

static int test_remote_cseq_empty_takes_first_request(void)
{
	struct dialog *d;
	int rc;

	/* RFC 3261 §12.2.2: Alice's dialog has no remote CSeq yet. */
	CHECK_INT(alice_dialog(F11_OK, &d), 0);
	CHECK_INT(check_cseq(d, "BYE", 3, &rc), 0);
	CHECK_INT(rc, 0);
	CHECK(d->has_remote_cseq);
	CHECK_INT(d->remote_cseq, 3);
	dialog_free(d);
	return 0;
}

/* Under TEST_OOM: every allocation fails in turn, each cleanly. */
static int test_uas_new_and_request_new_fail_cleanly(void)
{
	const char *extra[] = { "Subject: lunch", NULL };
	struct sip_msg *inv, *req;
	struct dialog *d;
	int rc;

	PARSE(F5_INVITE, inv);
	rc = dialog_uas_new(inv, S("314159"), BOB_CONTACT, &d);
	sip_msg_free(inv);
	if (rc == ENOMEM) {
		CHECK(d == NULL);
		return ENOMEM;
	}
	CHECK_INT(rc, 0);
	rc = dialog_request_new(d, SIP_METHOD_BYE, NULL, extra, TND_SLICE_NULL,
				TND_SLICE_NULL, &req);
	if (rc == ENOMEM) {
		CHECK(req == NULL);
		CHECK(!d->has_local_cseq);
		dialog_free(d);
		return ENOMEM;
	}
	CHECK_INT(rc, 0);
	CHECK_INT(sip_msg_hdr_count(req, SIP_HDR_ROUTE), 2);
	sip_msg_free(req);
	dialog_free(d);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_uas_new_copies_fields_and_route_set_in_order),
	TEST(test_uas_new_copies_comma_separated_record_route),
	TEST(test_uas_new_without_contact_is_einval),
	TEST(test_uas_new_refuses_star_contact_and_empty_tag),
	TEST(test_uac_new_reverses_route_set),
	TEST(test_uac_new_early_from_1xx_with_to_tag_only),
	TEST(test_uac_fork_takes_local_side_from_sibling),
	TEST(test_uac_fork_refuses_other_requests_and_uas),
	TEST(test_request_loose_routing_targets_remote_contact),
	TEST(test_request_strict_routing_puts_target_last),
	TEST(test_request_without_route_set_has_no_route),
	TEST(test_request_cseq_starts_below_2_31_and_increments),
	TEST(test_request_cseq_stops_below_2_31),
	TEST(test_request_refuses_ack_and_cancel),
	TEST(test_request_extra_headers_follow_routes_and_body_kept),
	TEST(test_ack_reuses_cseq_number),
	TEST(test_update_target_replaces_remote_target),
	TEST(test_match_requests_by_call_id_and_both_tags),
	TEST(test_match_responses_to_our_requests),
	TEST(test_cseq_used_moves_the_next_request_above),
	TEST(test_remote_cseq_lower_equal_higher),
	TEST(test_remote_cseq_empty_takes_first_request),
	TEST_OOM(test_uas_new_and_request_new_fail_cleanly),
};

TEST_MAIN(cases)
