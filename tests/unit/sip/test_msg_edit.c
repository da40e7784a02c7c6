/*
 * Editing and printing a parsed message (msg_edit.c, msg_print.c): adding,
 * removing and replacing headers, the body and the Request-URI, the
 * edits that are refused, and printing with a Content-Length that fits.
 * Edit cases run under TEST_OOM: an edit that runs out of memory must
 * fail with ENOMEM and leave the message exactly as it was.
 */
#include <stdio.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/sip_msg.h"
#include "test.h"

#define REQUEST                                                               \
	"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"                       \
	"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\r\n" \
	"Max-Forwards: 70\r\n"                                                \
	"Record-Route: <sip:p1.example.com;lr>\r\n"                           \
	"To: Bob <sip:bob@biloxi.example.com>\r\n"                            \
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"      \
	"Call-ID: a84b4c76e66710\r\n"                                         \
	"CSeq: 314159 INVITE\r\n"                                             \
	"Subject: first\r\n"                                                  \
	"Contact: <sip:alice@pc33.atlanta.example.com>\r\n"                   \
	"Subject: second\r\n"                                                 \
	"Content-Type: application/sdp\r\n"                                   \
	"Content-Length: 4\r\n"                                               \
	"\r\n"                                                                \
	"v=0\n"

static int parse_text(const char *text, struct sip_msg **m)
{
	return sip_msg_parse(NULL, text, strlen(text), m, NULL);
}

/* What an edit must not change when it fails. */
struct snapshot {
	char text[4096];
	size_t len;
	size_t nhdrs;
	bool has_via, has_from, has_to, has_cseq, has_max_forwards;
	char branch[64], call_id[64], to_tag[64], from_tag[64];
	uint32_t cseq, max_forwards;
};

static void copy_slice(char *out, size_t size, struct tnd_slice s)
{
	snprintf(out, size, "%.*s", TND_SLICE_FMT(s));
}

static int take_snapshot(const struct sip_msg *m, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	if (sip_msg_print(m, s->text, sizeof(s->text), &s->len))
		return ENOSPC;
	s->nhdrs = m->nhdrs;
	s->has_via = m->has_via;
	s->has_from = m->has_from;
	s->has_to = m->has_to;
	s->has_cseq = m->has_cseq;
	s->has_max_forwards = m->has_max_forwards;
	copy_slice(s->branch, sizeof(s->branch), m->via.branch);
	copy_slice(s->call_id, sizeof(s->call_id), m->call_id);
	copy_slice(s->to_tag, sizeof(s->to_tag), m->to.tag);
	copy_slice(s->from_tag, sizeof(s->from_tag), m->from.tag);
	s->cseq = m->cseq.number;
	s->max_forwards = m->max_forwards;
	return 0;
}

static bool unchanged(const struct sip_msg *m, const struct snapshot *before)
{
	struct snapshot now;

	if (take_snapshot(m, &now))
		return false;
	return now.len == before->len &&
	       memcmp(now.text, before->text, now.len) == 0 &&
	       memcmp(&now.nhdrs, &before->nhdrs,
		      sizeof(now) - offsetof(struct snapshot, nhdrs)) == 0;
}

/*
 * Runs one edit. Out of memory, the message must be intact; the case
 * then frees it and hands ENOMEM to the runner.
 */
#define EDIT(m, expr)                                       \
	do {                                                \
		struct snapshot before_;                    \
		int rc_;                                    \
		CHECK_INT(take_snapshot((m), &before_), 0); \
		rc_ = (expr);                               \
		if (rc_ == ENOMEM) {                        \
			CHECK(unchanged((m), &before_));    \
			sip_msg_free(m);                    \
			return ENOMEM;                      \
		}                                           \
		CHECK_INT(rc_, 0);                          \
	} while (0)

/* A refused edit returns EINVAL and changes nothing. */
#define REFUSED(m, expr)                                    \
	do {                                                \
		struct snapshot before_;                    \
		CHECK_INT(take_snapshot((m), &before_), 0); \
		CHECK_INT((expr), EINVAL);                  \
		CHECK(unchanged((m), &before_));            \
	} while (0)

#define PARSE(text, m)                              \
	do {                                        \
		int rc_ = parse_text((text), &(m)); \
		if (rc_ == ENOMEM)                  \
			return ENOMEM;              \
		CHECK_INT(rc_, 0);                  \
	} while (0)

static bool slice_same(struct tnd_slice a, struct tnd_slice b)
{
	return tnd_slice_eq(a, b);
}

/* Prints `m`, parses the text again and compares every field. */
static int check_round_trip(const struct sip_msg *m)
{
	char text[4096];
	size_t len;
	struct sip_msg *again;
	int rc;

	CHECK_INT(sip_msg_print(m, text, sizeof(text), &len), 0);
	CHECK_INT(len, sip_msg_print_size(m));
	rc = sip_msg_parse(NULL, text, len, &again, NULL);
	if (rc == ENOMEM)
		return ENOMEM;
	CHECK_INT(rc, 0);
	rc = EPROTO;
	if (again->is_request != m->is_request ||
	    !slice_same(again->method_name, m->method_name) ||
	    !slice_same(again->ruri_text, m->ruri_text) ||
	    again->status != m->status ||
	    !slice_same(again->reason, m->reason) || again->nhdrs != m->nhdrs ||
	    !slice_same(again->body, m->body) ||
	    !slice_same(again->via.branch, m->via.branch) ||
	    again->has_via != m->has_via ||
	    !slice_same(again->from.tag, m->from.tag) ||
	    !slice_same(again->to.uri, m->to.uri) ||
	    !slice_same(again->call_id, m->call_id) ||
	    again->cseq.number != m->cseq.number ||
	    again->max_forwards != m->max_forwards)
		goto out;
	for (size_t i = 0; i < m->nhdrs; i++) {
		if (again->hdrs[i].id != m->hdrs[i].id ||
		    !slice_same(again->hdrs[i].name, m->hdrs[i].name) ||
		    (m->hdrs[i].id != SIP_HDR_CONTENT_LENGTH &&
		     !slice_same(again->hdrs[i].value, m->hdrs[i].value)))
			goto out;
	}
	rc = 0;
out:
	if (rc)
		test_fail(__FILE__, __LINE__, "reparse differs:\n%.*s",
			  (int)len, text);
	sip_msg_free(again);
	return rc;
}

#define ROUND_TRIP(m)                          \
	do {                                   \
		int rc_ = check_round_trip(m); \
		if (rc_ == ENOMEM) {           \
			sip_msg_free(m);       \
			return ENOMEM;         \
		}                              \
		CHECK_INT(rc_, 0);             \
	} while (0)

/* Index of header `h` in the array. */
static size_t at(const struct sip_msg *m, const struct sip_hdr *h)
{
	return h ? (size_t)(h - m->hdrs) : (size_t)-1;
}

/* ---- add ----------------------------------------------------------------- */

static int test_edit_add_append(void)
{
	struct sip_msg *m;

	PARSE(REQUEST, m);
	EDIT(m, sip_msg_hdr_add(m, "X-Trace", S("abc 123"), SIP_HDR_APPEND));
	CHECK_INT(m->nhdrs, 13);
	CHECK_STR(m->hdrs[12].name, "X-Trace");
	CHECK_STR(m->hdrs[12].value, "abc 123");
	CHECK_INT(m->hdrs[12].id, SIP_HDR_OTHER);
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

/* A proxy's Via goes on top (RFC 3261 §16.6 step 8): msg->via follows. */
static int test_edit_add_prepend_via_becomes_top(void)
{
	struct sip_msg *m;

	PARSE(REQUEST, m);
	EDIT(m, sip_msg_hdr_add(m, "Via",
				S("SIP/2.0/TCP [2001:db8::1]:5070;"
				  "branch=z9hG4bKtop"),
				SIP_HDR_PREPEND));
	CHECK_INT(at(m, sip_msg_hdr(m, SIP_HDR_VIA)), 0);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_VIA), 2);
	CHECK_STR(m->via.branch, "z9hG4bKtop");
	CHECK_STR(m->via.host, "2001:db8::1");
	CHECK_INT(m->via.host_type, SIP_HOST_IPV6);
	CHECK_INT(m->via.port, 5070);
	CHECK_STR(m->via.transport, "TCP");
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

/* PREPEND puts a header before the first of its kind, not first of all. */
static int test_edit_add_prepend_before_first_of_kind(void)
{
	struct sip_msg *m;

	PARSE(REQUEST, m);
	EDIT(m, sip_msg_hdr_add(m, "Record-Route", S("<sip:p2.example.com;lr>"),
				SIP_HDR_PREPEND));
	CHECK_INT(at(m, sip_msg_hdr(m, SIP_HDR_RECORD_ROUTE)), 2);
	CHECK_STR(m->hdrs[2].value, "<sip:p2.example.com;lr>");
	CHECK_STR(m->hdrs[3].value, "<sip:p1.example.com;lr>");
	/* An unknown header by its name, any case. */
	EDIT(m, sip_msg_hdr_add(m, "subject", S("zeroth"), SIP_HDR_PREPEND));
	CHECK_INT(at(m, sip_msg_hdr(m, SIP_HDR_SUBJECT)), 8);
	CHECK_STR(m->hdrs[8].value, "zeroth");
	CHECK_STR(m->hdrs[9].value, "first");
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

static int test_edit_add_prepend_without_kind_goes_first(void)
{
	struct sip_msg *m;

	PARSE(REQUEST, m);
	EDIT(m, sip_msg_hdr_add(m, "Route", S("<sip:edge.example.com;lr>"),
				SIP_HDR_PREPEND));
	CHECK_INT(at(m, sip_msg_hdr(m, SIP_HDR_ROUTE)), 0);
	CHECK_INT(at(m, sip_msg_hdr(m, SIP_HDR_VIA)), 1);
	CHECK_STR(m->via.branch, "z9hG4bKnashds8");
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

/* Past the header array parsed in place: it grows, in order. */
static int test_edit_add_many_grows_array(void)
{
	char name[32];
	struct sip_msg *m;

	PARSE(REQUEST, m);
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "X-N%d", i);
		EDIT(m, sip_msg_hdr_add(m, name, S("v"), SIP_HDR_APPEND));
	}
	CHECK_INT(m->nhdrs, 12 + 40);
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "X-N%d", i);
		CHECK_STR(m->hdrs[12 + i].name, name);
	}
	CHECK_STR(m->call_id, "a84b4c76e66710");
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

/* ---- remove -------------------------------------------------------------- */

static int test_edit_remove_all_instances(void)
{
	const char *text = REQUEST;
	size_t removed = 99;
	struct sip_msg *m;

	PARSE(text, m);
	CHECK_INT(sip_msg_hdr_remove(m, "SUBJECT", &removed), 0);
	CHECK_INT(removed, 2);
	CHECK(sip_msg_hdr(m, SIP_HDR_SUBJECT) == NULL);
	CHECK_INT(m->nhdrs, 10);
	CHECK_INT(sip_msg_hdr_remove(m, "Subject", &removed), 0);
	CHECK_INT(removed, 0);
	CHECK_INT(sip_msg_hdr_remove(m, "X-Absent", NULL), 0);
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

/* Unknown headers are removed by name, case-insensitively, and only
 * those of that name. */
static int test_edit_remove_unknown_by_name(void)
{
	const char *text = "OPTIONS sip:b@example.com SIP/2.0\r\n"
			   "X-A: 1\r\nX-B: 2\r\nx-a: 3\r\nX-AB: 4\r\n\r\n";
	size_t removed;
	struct sip_msg *m;

	PARSE(text, m);
	CHECK_INT(sip_msg_hdr_remove(m, "X-a", &removed), 0);
	CHECK_INT(removed, 2);
	CHECK_INT(m->nhdrs, 2);
	CHECK_STR(m->hdrs[0].name, "X-B");
	CHECK_STR(m->hdrs[1].name, "X-AB");
	sip_msg_free(m);
	return 0;
}

/* Compact forms are the same header: removing "Via" removes "v" too. */
static int test_edit_remove_compact_matches_long(void)
{
	const char *text = "OPTIONS sip:b@example.com SIP/2.0\r\n"
			   "v: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n"
			   "Via: SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n"
			   "f: <sip:a@example.com>;tag=1\r\n"
			   "t: <sip:b@example.com>\r\n"
			   "i: c@h\r\n"
			   "CSeq: 1 OPTIONS\r\n\r\n";
	size_t removed;
	struct sip_msg *m;

	PARSE(text, m);
	CHECK_INT(sip_msg_hdr_remove(m, "Via", &removed), 0);
	CHECK_INT(removed, 2);
	CHECK(!m->has_via);
	CHECK_INT(m->via.branch.len, 0);
	CHECK_INT(sip_msg_hdr_remove(m, "From", &removed), 0);
	CHECK_INT(removed, 1);
	CHECK(!m->has_from);
	CHECK_INT(sip_msg_hdr_remove(m, "I", &removed),
		  0); /* compact, any case */
	CHECK_INT(removed, 1);
	CHECK_INT(m->call_id.len, 0);
	CHECK_INT(m->nhdrs, 2);
	CHECK(m->has_to && m->has_cseq);
	sip_msg_free(m);
	return 0;
}

static int test_edit_remove_one(void)
{
	const char *text = "OPTIONS sip:b@example.com SIP/2.0\r\n"
			   "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n"
			   "Via: SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n"
			   "Content-Length: 0\r\n\r\n";
	const struct sip_hdr *h;
	struct sip_hdr outside = { 0 };
	struct sip_msg *m;

	PARSE(text, m);
	h = sip_msg_hdr_next(m, sip_msg_hdr(m, SIP_HDR_VIA));
	CHECK_INT(sip_msg_hdr_remove_one(m, h), 0);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_VIA), 1);
	CHECK_STR(m->via.branch, "z9hG4bK1");
	/* Add it back, then remove the top one: the next becomes msg->via. */
	CHECK_INT(sip_msg_hdr_add(m, "Via",
				  S("SIP/2.0/UDP b.example.com;"
				    "branch=z9hG4bK2"),
				  SIP_HDR_APPEND),
		  0);
	CHECK_INT(sip_msg_hdr_remove_one(m, sip_msg_hdr(m, SIP_HDR_VIA)), 0);
	CHECK_STR(m->via.branch, "z9hG4bK2");
	CHECK_STR(m->via.host, "b.example.com");
	/* Not one of this message's headers, or Content-Length: refused. */
	REFUSED(m, sip_msg_hdr_remove_one(m, &outside));
	REFUSED(m, sip_msg_hdr_remove_one(m, m->hdrs + m->nhdrs));
	REFUSED(m, sip_msg_hdr_remove_one(
		       m, sip_msg_hdr(m, SIP_HDR_CONTENT_LENGTH)));
	sip_msg_free(m);
	return 0;
}

/*
 * Only the first From is read at parse time. Removing it exposes one that
 * never was: a bad one leaves no From read, not half of one.
 */
static int test_edit_remove_exposes_unread_duplicate(void)
{
	const char *text = "OPTIONS sip:b@example.com SIP/2.0\r\n"
			   "From: <sip:a@example.com>;tag=1\r\n"
			   "From: \"unterminated <sip:x@example.com>\r\n"
			   "Call-ID: c@h\r\n"
			   "Call-ID: two words\r\n\r\n";
	struct sip_msg *m;

	PARSE(text, m);
	CHECK(m->has_from);
	CHECK_INT(sip_msg_hdr_remove_one(m, sip_msg_hdr(m, SIP_HDR_FROM)), 0);
	CHECK(!m->has_from);
	CHECK_INT(m->from.uri.len, 0);
	CHECK_INT(m->from.tag.len, 0);
	CHECK_INT(sip_msg_hdr_remove_one(m, sip_msg_hdr(m, SIP_HDR_CALL_ID)),
		  0);
	CHECK_INT(m->call_id.len, 0);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_CALL_ID), 1);
	sip_msg_free(m);
	return 0;
}

/* ---- set ----------------------------------------------------------------- */

static int test_edit_set_replaces_all_keeps_first_position(void)
{
	struct sip_msg *m;

	PARSE(REQUEST, m);
	EDIT(m, sip_msg_hdr_set(m, "Subject", S("only")));
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_SUBJECT), 1);
	CHECK_INT(at(m, sip_msg_hdr(m, SIP_HDR_SUBJECT)), 7);
	CHECK_STR(m->hdrs[7].value, "only");
	CHECK_STR(m->hdrs[8].name, "Contact");
	CHECK_INT(m->nhdrs, 11);
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

static int test_edit_set_appends_when_absent(void)
{
	struct sip_msg *m;

	PARSE(REQUEST, m);
	EDIT(m, sip_msg_hdr_set(m, "Supported", S("timer, 100rel")));
	CHECK_INT(at(m, sip_msg_hdr(m, SIP_HDR_SUPPORTED)), 12);
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

/* The fields read at parse time follow the edits. */
static int test_edit_set_essentials_updates_fields(void)
{
	struct sip_msg *m;

	PARSE(REQUEST, m);
	EDIT(m, sip_msg_hdr_set(m, "CSeq", S("314160 INVITE")));
	CHECK_INT(m->cseq.number, 314160);
	EDIT(m, sip_msg_hdr_set(m, "Max-Forwards", S("69")));
	CHECK_INT(m->max_forwards, 69);
	EDIT(m, sip_msg_hdr_set(m, "t",
				S("<sip:bob@biloxi.example.com>;tag=xyz")));
	CHECK_STR(m->to.tag, "xyz");
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_TO), 1);
	EDIT(m, sip_msg_hdr_set(m, "Call-ID", S("new-call@host")));
	CHECK_STR(m->call_id, "new-call@host");
	EDIT(m, sip_msg_hdr_set(m, "From",
				S("<sip:carol@chicago.example.com>;tag=c")));
	CHECK_STR(m->from.uri, "sip:carol@chicago.example.com");
	CHECK_STR(m->from.tag, "c");
	EDIT(m,
	     sip_msg_hdr_set(m, "Via",
			     S("SIP/2.0/UDP a.example.com;branch=z9hG4bKa,"
			       " SIP/2.0/UDP b.example.com;branch=z9hG4bKb")));
	CHECK_STR(m->via.branch, "z9hG4bKa");
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

/* The fields a set updates read the message's copy, not the caller's. */
static int test_edit_set_fields_outlive_the_callers_bytes(void)
{
	static const char *const sets[][2] = {
		{ "Via", "SIP/2.0/TCP h.example.com:5070;branch=z9hG4bKx;"
			 "received=192.0.2.1;maddr=m.example.com" },
		{ "From", "\"Carol\" <sip:carol@c.example.com>;tag=f1" },
		{ "To", "<sip:dan@d.example.com>;tag=t1" },
		{ "Call-ID", "cid@host" },
		{ "CSeq", "7 INVITE" },
	};
	struct sip_msg *m;
	char value[128];

	PARSE(REQUEST, m);
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		size_t len = strlen(sets[i][1]);

		memcpy(value, sets[i][1], len);
		EDIT(m, sip_msg_hdr_set(m, sets[i][0],
					(struct tnd_slice){ value, len }));
		memset(value, '#', sizeof(value));
	}
	CHECK_STR(m->via.transport, "TCP");
	CHECK_STR(m->via.host, "h.example.com");
	CHECK_INT(m->via.port, 5070);
	CHECK_STR(m->via.branch, "z9hG4bKx");
	CHECK_STR(m->via.received, "192.0.2.1");
	CHECK_STR(m->via.maddr, "m.example.com");
	CHECK_STR(m->from.display, "Carol");
	CHECK_STR(m->from.tag, "f1");
	CHECK_STR(m->to.uri, "sip:dan@d.example.com");
	CHECK_STR(m->call_id, "cid@host");
	CHECK_STR(m->cseq.method_name, "INVITE");
	CHECK_INT(m->cseq.number, 7);
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

/* Removing every Via and adding one back brings msg->via back. */
static int test_edit_remove_then_add_essential(void)
{
	struct sip_msg *m;

	PARSE(REQUEST, m);
	CHECK_INT(sip_msg_hdr_remove(m, "v", NULL), 0);
	CHECK(!m->has_via);
	EDIT(m, sip_msg_hdr_add(m, "Via",
				S("SIP/2.0/UDP c.example.com;branch=z9hG4bKc"),
				SIP_HDR_PREPEND));
	CHECK(m->has_via);
	CHECK_STR(m->via.branch, "z9hG4bKc");
	CHECK_INT(at(m, sip_msg_hdr(m, SIP_HDR_VIA)), 0);
	sip_msg_free(m);
	return 0;
}

/* ---- refused edits ------------------------------------------------------- */

static int test_edit_refused_leave_message_unchanged(void)
{
	static const char *const bad_names[] = { "", "Bad Name", "X:Y",
						 "X-\xc3\xa9",
						 "X\r\nInjected" };
	struct sip_msg *m;

	PARSE(REQUEST, m);
	/* The printer writes Content-Length. */
	REFUSED(m,
		sip_msg_hdr_add(m, "Content-Length", S("5"), SIP_HDR_APPEND));
	REFUSED(m, sip_msg_hdr_add(m, "l", S("5"), SIP_HDR_PREPEND));
	REFUSED(m, sip_msg_hdr_set(m, "content-length", S("4")));
	REFUSED(m, sip_msg_hdr_remove(m, "Content-Length", NULL));
	REFUSED(m, sip_msg_hdr_remove(m, "L", NULL));
	/* Values of the headers read at parse time are checked. */
	REFUSED(m, sip_msg_hdr_add(m, "Via", S("garbage"), SIP_HDR_PREPEND));
	REFUSED(m, sip_msg_hdr_add(m, "Via", S(""), SIP_HDR_PREPEND));
	REFUSED(m, sip_msg_hdr_add(m, "v", S("SIP/2.0/UDP a.example.com,,"),
				   SIP_HDR_PREPEND));
	REFUSED(m,
		sip_msg_hdr_set(m, "CSeq", S("1 BYE"))); /* not this method */
	REFUSED(m, sip_msg_hdr_set(m, "CSeq", S("abc INVITE")));
	REFUSED(m, sip_msg_hdr_set(m, "From", S("<sip:a@b")));
	REFUSED(m, sip_msg_hdr_set(m, "To", S("")));
	REFUSED(m, sip_msg_hdr_set(m, "Call-ID", S("two words")));
	REFUSED(m, sip_msg_hdr_set(m, "Max-Forwards", S("256")));
	/* No header injection through values or names. */
	REFUSED(m, sip_msg_hdr_add(m, "Subject", S("a\r\nX-Evil: 1"),
				   SIP_HDR_APPEND));
	REFUSED(m, sip_msg_hdr_add(m, "Subject", S("a\nb"), SIP_HDR_APPEND));
	REFUSED(m, sip_msg_hdr_add(m, "Subject", S("a\rb"), SIP_HDR_APPEND));
	REFUSED(m,
		sip_msg_hdr_add(m, "Subject", ((struct tnd_slice){ "a\0b", 3 }),
				SIP_HDR_APPEND));
	REFUSED(m, sip_msg_hdr_set(m, "Subject", S("x\r\n y")));
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		REFUSED(m, sip_msg_hdr_add(m, bad_names[i], S("v"),
					   SIP_HDR_APPEND));
		REFUSED(m, sip_msg_hdr_set(m, bad_names[i], S("v")));
	}
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

/* ---- body and Request-URI ------------------------------------------------ */

static int test_edit_set_body_changes_content_length(void)
{
	const char *sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n";
	const char *empty_end = "\r\nContent-Length: 0\r\n\r\n";
	char text[4096], want[64];
	size_t len;
	struct sip_msg *m;

	PARSE(REQUEST, m);
	EDIT(m, sip_msg_set_body(m, S(sdp)));
	CHECK_STR(m->body, sdp);
	CHECK_INT(sip_msg_print(m, text, sizeof(text), &len), 0);
	snprintf(want, sizeof(want), "\r\nContent-Length: %zu\r\n\r\n",
		 strlen(sdp));
	CHECK(strstr(text, want) != NULL);
	CHECK(memcmp(text + len - strlen(sdp), sdp, strlen(sdp)) == 0);
	ROUND_TRIP(m);
	EDIT(m, sip_msg_set_body(m, TND_SLICE_NULL));
	CHECK_INT(sip_msg_print(m, text, sizeof(text), &len), 0);
	CHECK(len > strlen(empty_end) &&
	      memcmp(text + len - strlen(empty_end), empty_end,
		     strlen(empty_end)) == 0);
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

static int test_edit_set_ruri_validates(void)
{
	struct sip_msg *m, *resp;
	size_t blocks;

	PARSE(REQUEST, m);
	EDIT(m, sip_msg_set_ruri(
		    m, S("sips:carol@[2001:db8::7]:5061;transport=tcp")));
	CHECK_STR(m->ruri_text, "sips:carol@[2001:db8::7]:5061;transport=tcp");
	CHECK_INT(m->ruri.scheme, SIP_URI_SIPS);
	CHECK_STR(m->ruri.host, "2001:db8::7");
	CHECK_INT(m->ruri.port, 5061);
	ROUND_TRIP(m);
	/* A refused URI costs no memory: repeated attempts cannot grow m. */
	blocks = tnd_mem_live_blocks();
	REFUSED(m, sip_msg_set_ruri(m, S("not a uri")));
	CHECK_INT(tnd_mem_live_blocks(), blocks);
	REFUSED(m, sip_msg_set_ruri(m, S("sip:bob@example.com?Subject=x")));
	REFUSED(m, sip_msg_set_ruri(m, S("")));
	REFUSED(m, sip_msg_set_ruri(m, S("sip:a@b SIP/2.0\r\nX: y")));
	CHECK_STR(m->ruri_text, "sips:carol@[2001:db8::7]:5061;transport=tcp");
	sip_msg_free(m);

	/* A response has no Request-URI. */
	PARSE("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", resp);
	REFUSED(resp, sip_msg_set_ruri(resp, S("sip:a@example.com")));
	sip_msg_free(resp);
	return 0;
}

/* Several edits, one print, one parse: the same message. */
static int test_edit_print_round_trip(void)
{
	struct sip_msg *m;

	PARSE(REQUEST, m);
	EDIT(m, sip_msg_hdr_add(m, "Via",
				S("SIP/2.0/UDP proxy.example.com;"
				  "branch=z9hG4bKp1"),
				SIP_HDR_PREPEND));
	EDIT(m, sip_msg_hdr_set(m, "Max-Forwards", S("69")));
	EDIT(m, sip_msg_hdr_remove(m, "Record-Route", NULL));
	EDIT(m,
	     sip_msg_hdr_add(m, "Record-Route", S("<sip:proxy.example.com;lr>"),
			     SIP_HDR_PREPEND));
	EDIT(m, sip_msg_set_ruri(m, S("sip:bob@192.0.2.4")));
	EDIT(m, sip_msg_set_body(m, S("v=0\r\ns=edited\r\n")));
	EDIT(m, sip_msg_hdr_remove_one(m, sip_msg_hdr(m, SIP_HDR_CONTACT)));
	ROUND_TRIP(m);
	sip_msg_free(m);
	return 0;
}

/* ---- printing ------------------------------------------------------------ */

/* The printer writes one ": " per header and always a Content-Length. */
static int test_print_canonical_form(void)
{
	const char *text = "\r\nOPTIONS sip:b@example.com sip/2.0\n"
			   "v:SIP/2.0/UDP h.example.com;branch=z9hG4bKx\n"
			   "Subject \t:  hi there  \n"
			   "X-Empty:\n\nbody";
	const char *want = "OPTIONS sip:b@example.com SIP/2.0\r\n"
			   "v: SIP/2.0/UDP h.example.com;branch=z9hG4bKx\r\n"
			   "Subject: hi there\r\n"
			   "X-Empty: \r\n"
			   "Content-Length: 4\r\n\r\nbody";
	char out[512];
	size_t len;
	struct sip_msg *m;

	CHECK_INT(parse_text(text, &m), 0);
	CHECK_INT(sip_msg_print(m, out, sizeof(out), &len), 0);
	CHECK_STR(((struct tnd_slice){ out, len }), want);
	CHECK_INT(sip_msg_print_size(m), strlen(want));
	sip_msg_free(m);
	return 0;
}

/* RFC 4475 §3.1.2.2-style duplicates: the first stays in place and
 * spelling, the rest are dropped; a response keeps its reason. */
static int test_print_drops_duplicate_content_length(void)
{
	const char *text = "SIP/2.0 486 Busy Here\r\n"
			   "l: 2\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nokTAIL";
	const char *want = "SIP/2.0 486 Busy Here\r\nl: 2\r\nX-A: 1\r\n\r\nok";
	char out[512];
	size_t len;
	struct sip_msg *m;

	CHECK_INT(parse_text(text, &m), 0);
	CHECK_INT(sip_msg_print(m, out, sizeof(out), &len), 0);
	CHECK_STR(((struct tnd_slice){ out, len }), want);
	sip_msg_free(m);
	return 0;
}

static int test_print_too_small_reports_size(void)
{
	char out[4096];
	size_t need, written = 0;
	struct sip_msg *m;

	CHECK_INT(parse_text(REQUEST, &m), 0);
	need = sip_msg_print_size(m);
	CHECK(need > 100);
	CHECK_INT(sip_msg_print(m, out, need - 1, &written), ENOSPC);
	CHECK_INT(written, need);
	CHECK_INT(sip_msg_print(m, NULL, 0, &written), ENOSPC);
	CHECK_INT(written, need);
	CHECK_INT(sip_msg_print(m, out, 10, &written), ENOSPC);
	CHECK_INT(written, need);
	CHECK_INT(sip_msg_print(m, out, need, &written), 0);
	CHECK_INT(written, need);
	CHECK_INT(sip_msg_print(m, out, sizeof(out), &written), 0);
	CHECK_INT(written, need);
	/* Edits change the size the same way for both. */
	CHECK_INT(sip_msg_hdr_add(m, "X-Long", S("0123456789"), SIP_HDR_APPEND),
		  0);
	CHECK_INT(sip_msg_print_size(m),
		  need + strlen("X-Long: 0123456789\r\n"));
	CHECK_INT(sip_msg_print(m, out, need, &written), ENOSPC);
	CHECK_INT(written, sip_msg_print_size(m));
	sip_msg_free(m);
	return 0;
}

static const struct test_case cases[] = {
	TEST_OOM(test_edit_add_append),
	TEST_OOM(test_edit_add_prepend_via_becomes_top),
	TEST_OOM(test_edit_add_prepend_before_first_of_kind),
	TEST_OOM(test_edit_add_prepend_without_kind_goes_first),
	TEST_OOM(test_edit_add_many_grows_array),
	TEST(test_edit_remove_all_instances),
	TEST(test_edit_remove_unknown_by_name),
	TEST(test_edit_remove_compact_matches_long),
	TEST(test_edit_remove_one),
	TEST(test_edit_remove_exposes_unread_duplicate),
	TEST_OOM(test_edit_set_replaces_all_keeps_first_position),
	TEST_OOM(test_edit_set_appends_when_absent),
	TEST_OOM(test_edit_set_essentials_updates_fields),
	TEST_OOM(test_edit_set_fields_outlive_the_callers_bytes),
	TEST_OOM(test_edit_remove_then_add_essential),
	TEST(test_edit_refused_leave_message_unchanged),
	TEST_OOM(test_edit_set_body_changes_content_length),
	TEST_OOM(test_edit_set_ruri_validates),
	TEST_OOM(test_edit_print_round_trip),
	TEST(test_print_canonical_form),
	TEST(test_print_drops_duplicate_content_length),
	TEST(test_print_too_small_reports_size),
};

TEST_MAIN(cases)
