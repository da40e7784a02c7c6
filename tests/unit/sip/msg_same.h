/*
 * Test helper: a message built without a parse (msg_response.c,
 * msg_request.c) must read
 * exactly like a parse of its own text. msg_same_as_parse parses m's
 * bytes and compares every field, slices by their offset into each
 * message's buffer. Header-only: used by the unit and torture tests.
 */
#ifndef TANDEM_TEST_MSG_SAME_H
#define TANDEM_TEST_MSG_SAME_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sip_int.h"
#include "test.h"

struct msg_same {
	const struct sip_msg *a, *b;
	const char *what; /* the first field that differs */
};

/* Same length, and the same offset from the buffer (or both absent). */
static bool msg_same_slice(struct msg_same *s, struct tnd_slice x,
			   struct tnd_slice y, const char *what)
{
	bool same = x.len == y.len && !x.p == !y.p &&
		    (!x.p || x.p - s->a->buf == y.p - s->b->buf);

	if (!same && !s->what)
		s->what = what;
	return same;
}

static void msg_same_value(struct msg_same *s, bool same, const char *what)
{
	if (!same && !s->what)
		s->what = what;
}

static void msg_same_nameaddr(struct msg_same *s, const struct sip_nameaddr *x,
			      const struct sip_nameaddr *y, const char *what)
{
	msg_same_slice(s, x->display, y->display, what);
	msg_same_slice(s, x->uri, y->uri, what);
	msg_same_value(s, x->bracketed == y->bracketed, what);
	msg_same_slice(s, x->params, y->params, what);
	msg_same_slice(s, x->tag, y->tag, what);
}

static void msg_same_via(struct msg_same *s, const struct sip_via *x,
			 const struct sip_via *y)
{
	msg_same_slice(s, x->protocol, y->protocol, "via.protocol");
	msg_same_slice(s, x->transport, y->transport, "via.transport");
	msg_same_slice(s, x->host, y->host, "via.host");
	msg_same_value(s, x->host_type == y->host_type, "via.host_type");
	msg_same_value(s, x->port == y->port, "via.port");
	msg_same_slice(s, x->params, y->params, "via.params");
	msg_same_slice(s, x->branch, y->branch, "via.branch");
	msg_same_slice(s, x->received, y->received, "via.received");
	msg_same_slice(s, x->maddr, y->maddr, "via.maddr");
	msg_same_value(s, x->has_rport == y->has_rport && x->rport == y->rport,
		       "via.rport");
	msg_same_value(s, x->ttl == y->ttl, "via.ttl");
}

static void msg_same_ruri(struct msg_same *s, const struct sip_uri *x,
			  const struct sip_uri *y)
{
	msg_same_value(s, x->scheme == y->scheme, "ruri.scheme");
	msg_same_slice(s, x->scheme_text, y->scheme_text, "ruri.scheme");
	msg_same_slice(s, x->user, y->user, "ruri.user");
	msg_same_slice(s, x->password, y->password, "ruri.password");
	msg_same_slice(s, x->host, y->host, "ruri.host");
	msg_same_value(s, x->host_type == y->host_type && x->port == y->port,
		       "ruri.host_type or port");
	msg_same_slice(s, x->params, y->params, "ruri.params");
	msg_same_slice(s, x->headers, y->headers, "ruri.headers");
	msg_same_slice(s, x->opaque, y->opaque, "ruri.opaque");
}

static const char *msg_same_fields(const struct sip_msg *a,
				   const struct sip_msg *b)
{
	struct msg_same s = { a, b, NULL };

	msg_same_value(&s, a->len == b->len && a->is_request == b->is_request,
		       "length or kind");
	msg_same_value(&s, a->method == b->method, "method");
	msg_same_slice(&s, a->method_name, b->method_name, "method_name");
	msg_same_slice(&s, a->ruri_text, b->ruri_text, "ruri_text");
	msg_same_ruri(&s, &a->ruri, &b->ruri);
	msg_same_value(&s, a->status == b->status, "status");
	msg_same_slice(&s, a->reason, b->reason, "reason");
	msg_same_value(&s, a->nhdrs == b->nhdrs, "header count");
	for (size_t i = 0; !s.what && i < a->nhdrs; i++) {
		msg_same_value(&s, a->hdrs[i].id == b->hdrs[i].id, "header id");
		msg_same_slice(&s, a->hdrs[i].name, b->hdrs[i].name,
			       "header name");
		msg_same_slice(&s, a->hdrs[i].value, b->hdrs[i].value,
			       "header value");
	}
	msg_same_value(&s, a->has_via == b->has_via, "has_via");
	msg_same_via(&s, &a->via, &b->via);
	msg_same_value(&s, a->has_from == b->has_from, "has_from");
	msg_same_nameaddr(&s, &a->from, &b->from, "from");
	msg_same_value(&s, a->has_to == b->has_to, "has_to");
	msg_same_nameaddr(&s, &a->to, &b->to, "to");
	msg_same_slice(&s, a->call_id, b->call_id, "call_id");
	msg_same_value(&s,
		       a->has_cseq == b->has_cseq &&
			   a->cseq.number == b->cseq.number &&
			   a->cseq.method == b->cseq.method,
		       "cseq");
	msg_same_slice(&s, a->cseq.method_name, b->cseq.method_name,
		       "cseq.method_name");
	msg_same_value(&s,
		       a->has_max_forwards == b->has_max_forwards &&
			   a->max_forwards == b->max_forwards,
		       "max_forwards");
	msg_same_value(&s,
		       a->has_content_length == b->has_content_length &&
			   a->content_length == b->content_length,
		       "content_length");
	msg_same_slice(&s, a->body, b->body, "body");
	return s.what;
}

/* 0 when `m` reads like a parse of its own bytes (a strict one when
 * `strict`: a request we send); ENOMEM passes through. */
static int msg_same_as_parse(const struct sip_msg *m, const char *label,
			     bool strict)
{
	struct sip_msg *ref = NULL;
	const char *diff;
	int rc = sip_msg_parse_generated(m->buf, m->len, strict, &ref);

	if (rc == ENOMEM)
		return ENOMEM;
	if (rc) {
		test_fail(__FILE__, __LINE__, "%s: built text does not parse",
			  label);
		return EPROTO;
	}
	diff = msg_same_fields(m, ref);
	sip_msg_free(ref);
	if (diff) {
		test_fail(__FILE__, __LINE__, "%s: %s differs from a parse",
			  label, diff);
		return EPROTO;
	}
	return 0;
}

#endif
