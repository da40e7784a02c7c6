/*
 * libFuzzer target for the SIP message layer: parse, check, type every
 * header, print, parse again, edit, print and parse again, and answer.
 * The input is copied into a heap block of exactly its size, so that
 * AddressSanitizer catches any read past the end. Invariants:
 *
 *   a refusal reports a status, a reason, an offset inside the input and
 *     a header name inside the input; only a request comes back with it,
 *     and a response can always be built to that request;
 *   every slice of a parsed message lies inside the message's buffer;
 *   sip_msg_print_size is what sip_msg_print writes, and one byte less
 *     is ENOSPC reporting that size;
 *   the printed text parses, to the same start line, Call-ID, CSeq,
 *     headers (less duplicate Content-Lengths, plus one when there was
 *     none) and body; so does the text printed after edits;
 *   a response to a request that parsed parses strictly too;
 *   stream framing of the same bytes ends the message where the parse
 *   does.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/sip_check.h"
#include "tandem/sip_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct sip_limits unbounded = {
	.max_message = SIZE_MAX,
	.max_headers = SIZE_MAX,
	.max_line = SIZE_MAX,
};

static bool fuzz_inside(struct tnd_slice s, const char *base, size_t len)
{
	if (s.len == 0)
		return s.p == NULL || (s.p >= base && s.p <= base + len);
	return s.p != NULL && s.p >= base && s.len <= len &&
	       (size_t)(s.p - base) <= len - s.len;
}

static void fuzz_within(struct tnd_slice s, struct tnd_slice text)
{
	if (!fuzz_inside(s, text.p, text.len))
		__builtin_trap();
}

static bool same(struct tnd_slice a, struct tnd_slice b)
{
	return tnd_slice_eq(a, b);
}

/* ---- refusals ------------------------------------------------------------ */

static void fuzz_check_error(const struct sip_parse_error *err, const char *buf,
			     size_t size)
{
	if (err->what == NULL || err->offset > size)
		__builtin_trap();
	if (err->status != 400 && err->status != 413 && err->status != 505)
		__builtin_trap();
	if (err->header.p && !fuzz_inside(err->header, buf, size))
		__builtin_trap();
}

/* ---- slices of a parsed message ------------------------------------------ */

static void fuzz_check_nameaddr(const struct sip_nameaddr *na,
				struct tnd_slice text)
{
	fuzz_within(na->display, text);
	fuzz_within(na->uri, text);
	fuzz_within(na->params, text);
	fuzz_within(na->tag, text);
}

static void fuzz_check_via(const struct sip_via *via, struct tnd_slice text)
{
	fuzz_within(via->protocol, text);
	fuzz_within(via->transport, text);
	fuzz_within(via->host, text);
	fuzz_within(via->params, text);
	fuzz_within(via->branch, text);
	fuzz_within(via->received, text);
	fuzz_within(via->maddr, text);
}

static void fuzz_check_slices(const struct sip_msg *m)
{
	struct tnd_slice buf = { m->buf, m->len };

	fuzz_within(m->method_name, buf);
	fuzz_within(m->ruri_text, buf);
	fuzz_within(m->reason, buf);
	fuzz_within(m->body, buf);
	fuzz_within(m->call_id, buf);
	fuzz_within(m->cseq.method_name, buf);
	fuzz_check_via(&m->via, buf);
	fuzz_check_nameaddr(&m->from, buf);
	fuzz_check_nameaddr(&m->to, buf);
	for (size_t i = 0; i < m->nhdrs; i++) {
		fuzz_within(m->hdrs[i].name, buf);
		fuzz_within(m->hdrs[i].value, buf);
		if (m->hdrs[i].name.len == 0)
			__builtin_trap();
	}
	if (m->is_request != (m->method_name.len > 0) ||
	    (!m->is_request && (m->status < 100 || m->status > 699)))
		__builtin_trap();
	if (m->has_content_length && m->body.len != m->content_length)
		__builtin_trap();
}

/* ---- typed parsers on every header value --------------------------------- */

static void fuzz_failed_inside(int rc, const struct sip_parse_error *err,
			       struct tnd_slice value)
{
	if (rc == 0)
		return;
	if (rc != EBADMSG || err->what == NULL || err->offset > value.len)
		__builtin_trap();
}

static void fuzz_nameaddr(struct tnd_slice v)
{
	struct sip_parse_error err;
	struct sip_nameaddr na;
	struct sip_uri uri;
	struct tnd_slice name, value;
	size_t pos = 0;
	int rc = sip_nameaddr_parse(v, &na, &err);

	fuzz_failed_inside(rc, &err, v);
	if (rc)
		return;
	fuzz_check_nameaddr(&na, v);
	while (sip_params_next(na.params, &pos, &name, &value)) {
		fuzz_within(name, na.params);
		fuzz_within(value, na.params);
	}
	(void)sip_uri_parse(na.uri, &uri, NULL);
}

static void fuzz_contact(struct tnd_slice v)
{
	struct sip_parse_error err;
	struct sip_contact c;
	int rc = sip_contact_parse(v, &c, &err);

	fuzz_failed_inside(rc, &err, v);
	if (rc == 0 && !c.star)
		fuzz_check_nameaddr(&c.addr, v);
	if (rc == 0 && c.has_q && c.q > 1000)
		__builtin_trap();
}

static void fuzz_via(struct tnd_slice v)
{
	struct sip_parse_error err;
	struct sip_via via;
	int rc = sip_via_parse(v, &via, &err);

	fuzz_failed_inside(rc, &err, v);
	if (rc == 0)
		fuzz_check_via(&via, v);
}

static void fuzz_auth(struct tnd_slice v)
{
	struct sip_parse_error err;
	struct sip_auth a;
	struct tnd_slice realm;
	int rc = sip_auth_parse(v, &a, &err);

	fuzz_failed_inside(rc, &err, v);
	if (rc)
		return;
	fuzz_within(a.scheme, v);
	fuzz_within(a.params, v);
	fuzz_within(a.realm, v);
	fuzz_within(a.nonce, v);
	fuzz_within(a.response, v);
	if (sip_auth_param(&a, "realm", &realm))
		fuzz_within(realm, v);
}

static void fuzz_misc(enum sip_hdr_id id, struct tnd_slice v)
{
	struct sip_parse_error err;
	union {
		struct sip_cseq cseq;
		struct tnd_slice callid;
		uint32_t n;
		struct sip_media_type mt;
		struct sip_rack rack;
		struct sip_replaces replaces;
		struct sip_event event;
		struct sip_substate substate;
		struct sip_session_expires se;
	} u;
	int rc = 0;

	switch (id) {
	case SIP_HDR_CSEQ: rc = sip_cseq_parse(v, &u.cseq, &err); break;
	case SIP_HDR_CALL_ID: rc = sip_callid_parse(v, &u.callid, &err); break;
	case SIP_HDR_MAX_FORWARDS:
	case SIP_HDR_EXPIRES:
	case SIP_HDR_MIN_EXPIRES:
	case SIP_HDR_MIN_SE:
	case SIP_HDR_RSEQ:
	case SIP_HDR_CONTENT_LENGTH:
		rc = sip_uint_parse(v, UINT32_MAX, &u.n, &err);
		break;
	case SIP_HDR_CONTENT_TYPE:
		rc = sip_media_type_parse(v, &u.mt, &err);
		break;
	case SIP_HDR_RACK: rc = sip_rack_parse(v, &u.rack, &err); break;
	case SIP_HDR_REPLACES:
		rc = sip_replaces_parse(v, &u.replaces, &err);
		break;
	case SIP_HDR_EVENT: rc = sip_event_parse(v, &u.event, &err); break;
	case SIP_HDR_SUBSCRIPTION_STATE:
		rc = sip_substate_parse(v, &u.substate, &err);
		break;
	case SIP_HDR_SESSION_EXPIRES:
		rc = sip_session_expires_parse(v, &u.se, &err);
		break;
	case SIP_HDR_REQUIRE:
	case SIP_HDR_PROXY_REQUIRE:
	case SIP_HDR_SUPPORTED:
	case SIP_HDR_UNSUPPORTED:
	case SIP_HDR_ALLOW:
		rc = sip_tokens_check(v, &err);
		(void)sip_tokens_contains(v, "timer");
		break;
	default: return;
	}
	fuzz_failed_inside(rc, &err, v);
}

/* One element of a list header, or a whole value. */
static void fuzz_typed_value(enum sip_hdr_id id, struct tnd_slice v)
{
	struct sip_parse_error err;
	struct sip_media_type mt;

	switch (id) {
	case SIP_HDR_VIA: fuzz_via(v); break;
	case SIP_HDR_CONTACT: fuzz_contact(v); break;
	case SIP_HDR_FROM:
	case SIP_HDR_TO:
	case SIP_HDR_ROUTE:
	case SIP_HDR_RECORD_ROUTE:
	case SIP_HDR_REFER_TO:
	case SIP_HDR_REFERRED_BY: fuzz_nameaddr(v); break;
	case SIP_HDR_ACCEPT:
		fuzz_failed_inside(sip_media_type_parse(v, &mt, &err), &err, v);
		break;
	case SIP_HDR_WWW_AUTHENTICATE:
	case SIP_HDR_PROXY_AUTHENTICATE:
	case SIP_HDR_AUTHORIZATION:
	case SIP_HDR_PROXY_AUTHORIZATION: fuzz_auth(v); break;
	default: fuzz_misc(id, v); break;
	}
}

static void fuzz_typed_headers(const struct sip_msg *m)
{
	for (size_t i = 0; i < m->nhdrs; i++) {
		const struct sip_hdr *h = &m->hdrs[i];
		struct tnd_slice item;
		size_t pos = 0, n = 0;

		/* Token lists are checked whole; other lists item by item. */
		if (!sip_hdr_is_list(h->id) || h->id == SIP_HDR_REQUIRE ||
		    h->id == SIP_HDR_PROXY_REQUIRE ||
		    h->id == SIP_HDR_SUPPORTED ||
		    h->id == SIP_HDR_UNSUPPORTED || h->id == SIP_HDR_ALLOW) {
			fuzz_typed_value(h->id, h->value);
			continue;
		}
		while (sip_value_next(h->value, &pos, &item)) {
			fuzz_within(item, h->value);
			fuzz_typed_value(h->id, item);
			if (++n > h->value.len + 1)
				__builtin_trap(); /* the split must end */
		}
	}
}

/* ---- print and parse again ----------------------------------------------- */

static size_t count_kind(const struct sip_msg *m, enum sip_hdr_id id)
{
	return sip_msg_hdr_count(m, id);
}

/* Every Via value, across header fields, in order. */
static size_t count_via_values(const struct sip_msg *m)
{
	struct sip_value_iter it = { 0 };
	struct tnd_slice v;
	size_t n = 0;

	while (sip_msg_value_next(m, SIP_HDR_VIA, &it, &v))
		n++;
	return n;
}

/*
 * `again` is `m` printed and parsed: the same headers, except that the
 * printer keeps only the first Content-Length and adds one if none.
 */
static void fuzz_compare(const struct sip_msg *m, const struct sip_msg *again)
{
	size_t j = 0, ncl = count_kind(m, SIP_HDR_CONTENT_LENGTH);
	bool seen_cl = false;

	if (again->is_request != m->is_request || again->method != m->method ||
	    !same(again->method_name, m->method_name) ||
	    !same(again->ruri_text, m->ruri_text) ||
	    again->status != m->status || !same(again->reason, m->reason) ||
	    !same(again->call_id, m->call_id) ||
	    again->has_cseq != m->has_cseq ||
	    again->cseq.number != m->cseq.number ||
	    !same(again->cseq.method_name, m->cseq.method_name) ||
	    !same(again->body, m->body) || !again->has_content_length)
		__builtin_trap();
	if (again->nhdrs != m->nhdrs - (ncl ? ncl - 1 : 0) + (ncl ? 0 : 1))
		__builtin_trap();
	for (size_t i = 0; i < m->nhdrs; i++) {
		const struct sip_hdr *h = &m->hdrs[i];

		if (h->id == SIP_HDR_CONTENT_LENGTH && seen_cl)
			continue;
		if (again->hdrs[j].id != h->id ||
		    !same(again->hdrs[j].name, h->name))
			__builtin_trap();
		if (h->id != SIP_HDR_CONTENT_LENGTH &&
		    !same(again->hdrs[j].value, h->value))
			__builtin_trap();
		seen_cl |= h->id == SIP_HDR_CONTENT_LENGTH;
		j++;
	}
	if (count_via_values(again) != count_via_values(m) ||
	    !same(again->via.branch, m->via.branch) ||
	    !same(again->from.tag, m->from.tag) ||
	    !same(again->to.tag, m->to.tag))
		__builtin_trap();
}

/* Prints `m` (checking the size both ways) and parses the text strictly. */
static struct sip_msg *fuzz_reprint(const struct sip_msg *m)
{
	size_t size = sip_msg_print_size(m), written = 0;
	char *out = malloc(size);
	struct sip_parse_error err;
	struct sip_msg *again = NULL;

	if (!out)
		return NULL;
	if (sip_msg_print(m, out, size - 1, &written) != ENOSPC ||
	    written != size)
		__builtin_trap();
	if (sip_msg_print(m, out, size, &written) != 0 || written != size)
		__builtin_trap();
	if (sip_msg_parse(&unbounded, out, size, &again, &err) != 0)
		__builtin_trap();
	fuzz_check_slices(again);
	free(out);
	return again;
}

/* ---- edits --------------------------------------------------------------- */

static void fuzz_edit(struct sip_msg *m)
{
	const struct tnd_slice via = TND_SLICE_LIT("SIP/2.0/UDP fuzz.invalid;"
						   "branch=z9hG4bKfuzz");
	const struct tnd_slice ruri = TND_SLICE_LIT("sip:fuzz@fuzz.invalid;lr");
	const struct tnd_slice branch = m->via.branch;
	struct sip_msg *again;

	/* A Via on top and off again: msg->via follows both ways. */
	if (sip_msg_hdr_add(m, "Via", via, SIP_HDR_PREPEND) ||
	    !tnd_slice_eq_cstr(m->via.branch, "z9hG4bKfuzz") ||
	    sip_msg_hdr_remove_one(m, sip_msg_hdr(m, SIP_HDR_VIA)) ||
	    !same(m->via.branch, branch))
		__builtin_trap();
	if (sip_msg_hdr_add(m, "Via", via, SIP_HDR_PREPEND) ||
	    sip_msg_hdr_set(m, "Max-Forwards", TND_SLICE_LIT("69")) ||
	    sip_msg_hdr_remove(m, "Route", NULL) ||
	    sip_msg_set_body(m, TND_SLICE_LIT("edited")) ||
	    (m->is_request && sip_msg_set_ruri(m, ruri)))
		__builtin_trap();
	if (!tnd_slice_eq_cstr(m->via.branch, "z9hG4bKfuzz") ||
	    !m->has_max_forwards || m->max_forwards != 69)
		__builtin_trap();
	/* Refused edits change nothing; checked by the comparison below. */
	if (sip_msg_hdr_add(m, "Content-Length", TND_SLICE_LIT("1"),
			    SIP_HDR_APPEND) != EINVAL ||
	    sip_msg_hdr_set(m, "Subject", TND_SLICE_LIT("a\r\nb")) != EINVAL ||
	    sip_msg_set_ruri(m, TND_SLICE_LIT("sip:a@b?c=d")) != EINVAL)
		__builtin_trap();
	if (!(again = fuzz_reprint(m)))
		return;
	fuzz_compare(m, again);
	if (again->max_forwards != 69 ||
	    !tnd_slice_eq_cstr(again->body, "edited") ||
	    (m->is_request && !same(again->ruri_text, ruri)))
		__builtin_trap();
	sip_msg_free(again);
}

/* ---- framing ------------------------------------------------------------ */

/*
 * On a stream the same bytes must frame where the parse says the message
 * ends (and without Content-Length not at all), or a peer could make the
 * framer and the parser disagree about where the next message starts.
 */
static void fuzz_frame_agrees(const struct sip_msg *m, const char *buf,
			      size_t size)
{
	struct sip_frame_state st = { 0 };
	struct sip_parse_error err;
	enum sip_frame_kind kind;
	size_t skip = 0, frame_len = 0;
	int rc;

	while (skip < size && (buf[skip] == '\r' || buf[skip] == '\n'))
		skip++;
	rc = sip_msg_frame(&unbounded, &st, buf + skip, size - skip, &kind,
			   &frame_len, &err);
	if (!m->has_content_length) {
		if (rc != EBADMSG)
			__builtin_trap();
		return;
	}
	if (rc != 0 || kind != SIP_FRAME_MESSAGE ||
	    frame_len != (size_t)(m->body.p - m->buf) + m->body.len)
		__builtin_trap();
}

/* ---- answering ----------------------------------------------------------- */

static void fuzz_respond(const struct sip_msg *req, uint16_t status,
			 const char *reason, bool strict)
{
	struct sip_msg *resp, *again;
	size_t vias = count_kind(req, SIP_HDR_VIA);

	if (sip_msg_response_new(req, status, reason, TND_SLICE_LIT("fuzztag"),
				 &resp) != 0)
		__builtin_trap();
	fuzz_check_slices(resp);
	if (resp->is_request || resp->status != status ||
	    count_kind(resp, SIP_HDR_VIA) != vias ||
	    count_kind(resp, SIP_HDR_FROM) > 1 ||
	    count_kind(resp, SIP_HDR_TO) > 1)
		__builtin_trap();
	if (strict) {
		/* What parsed, answered, parses as we would accept it. */
		if (!same(resp->call_id, req->call_id) ||
		    resp->cseq.number != req->cseq.number ||
		    !same(resp->via.branch, req->via.branch) ||
		    (req->to.tag.p && !same(resp->to.tag, req->to.tag)))
			__builtin_trap();
		if ((again = fuzz_reprint(resp)) != NULL)
			sip_msg_free(again);
	}
	sip_msg_free(resp);
}

static void fuzz_check(const struct sip_msg *req)
{
	struct sip_check_result res;
	int rc = sip_msg_check_request(req, NULL, &res);

	if ((rc == 0) != (res.status == 0) || (rc && res.reason == NULL))
		__builtin_trap();
	if (res.status == 420 &&
	    !fuzz_inside(res.unsupported, req->buf, req->len))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	struct sip_parse_error err;
	struct sip_msg *m = NULL, *again;
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = sip_msg_parse(&sip_limits_default, buf, size, &m, &err);
	if (rc != 0) {
		if (rc != EBADMSG)
			__builtin_trap();
		fuzz_check_error(&err, buf, size);
		if (m) {
			/* Only a request comes back, to be answered. */
			if (!m->is_request)
				__builtin_trap();
			fuzz_respond(m, err.status, NULL, false);
			fuzz_respond(m, 400, err.what, false);
			sip_msg_free(m);
		}
		free(buf);
		return 0;
	}
	fuzz_check_slices(m);
	fuzz_frame_agrees(m, buf, size);
	fuzz_typed_headers(m);
	if ((again = fuzz_reprint(m)) != NULL) {
		fuzz_compare(m, again);
		sip_msg_free(again);
	}
	if (m->is_request) {
		fuzz_check(m);
		fuzz_respond(m, 200, NULL, true);
	}
	fuzz_edit(m);
	sip_msg_free(m);
	free(buf);
	return 0;
}
