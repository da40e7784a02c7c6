/*
 * The network side of the bench of b2b_fake.h: the caller's and the
 * callees' messages, injected as parsed text, and the checks and
 * summaries of what we sent.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "b2b_fake.h"

/* ---- the caller --------------------------------------------------------- */

static int receive(struct b2b_test *t, const struct net_peer *from,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int receive(struct b2b_test *t, const struct net_peer *from,
		   const char *fmt, ...)
{
	char text[4096];
	struct sip_msg *msg = NULL;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(text))
		return EINVAL;
	rc = sip_msg_parse(NULL, text, (size_t)n, &msg, NULL);
	if (rc) {
		sip_msg_free(msg);
		if (rc == ENOMEM || tnd_mem_failures_injected() > 0)
			return ENOMEM;
		test_fail(__FILE__, __LINE__, "test message does not parse");
		return rc;
	}
	txn_layer_receive(t->e->layer, msg, from);
	return bt_settle(t);
}

/* "Content-Type: ...\r\n" for a body, "" without. */
static const char *ctype(const char *body)
{
	return body ? "Content-Type: application/sdp\r\n" : "";
}

int bt_invite_mf(struct b2b_test *t, unsigned max_forwards, const char *extra,
		 const char *body)
{
	return receive(t, &t->caller,
		       "INVITE sip:bob@" BT_US " SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=" BT_A_BRANCH
		       ";rport\r\n"
		       "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKorigin\r\n"
		       "Record-Route: " BT_A_RR "\r\n"
		       "Max-Forwards: %u\r\n"
		       "From: " BT_A_FROM "\r\n"
		       "To: <sip:bob@example.com>\r\n"
		       "Call-ID: " BT_A_CALL_ID "\r\n"
		       "CSeq: 1 INVITE\r\n"
		       "Contact: <sip:alice@10.0.0.9:5060>\r\n"
		       "%s%s"
		       "Content-Length: %zu\r\n\r\n%s",
		       max_forwards, extra, ctype(body),
		       body ? strlen(body) : 0, body ? body : "");
}

int bt_invite(struct b2b_test *t, const char *extra, const char *body)
{
	return bt_invite_mf(t, 70, extra, body);
}

int bt_cancel(struct b2b_test *t)
{
	return receive(t, &t->caller,
		       "CANCEL sip:bob@" BT_US " SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=" BT_A_BRANCH
		       ";rport\r\n"
		       "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKorigin\r\n"
		       "Max-Forwards: 70\r\n"
		       "From: " BT_A_FROM "\r\n"
		       "To: <sip:bob@example.com>\r\n"
		       "Call-ID: " BT_A_CALL_ID "\r\n"
		       "CSeq: 1 CANCEL\r\n"
		       "Content-Length: 0\r\n\r\n");
}

int bt_ack_failure(struct b2b_test *t)
{
	return receive(t, &t->caller,
		       "ACK sip:bob@" BT_US " SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=" BT_A_BRANCH
		       ";rport\r\n"
		       "Max-Forwards: 70\r\n"
		       "From: " BT_A_FROM "\r\n"
		       "To: <sip:bob@example.com>;tag=%s\r\n"
		       "Call-ID: " BT_A_CALL_ID "\r\n"
		       "CSeq: 1 ACK\r\n"
		       "Content-Length: 0\r\n\r\n",
		       bt_a_tag(t));
}

int bt_caller(struct b2b_test *t, const char *method, uint32_t cseq,
	      const char *branch, const char *extra, const char *body)
{
	return receive(t, &t->caller,
		       "%s "
		       "sip:" BT_US " SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=%s;rport\r\n"
		       "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=%s.o\r\n"
		       "Max-Forwards: 70\r\n"
		       "From: " BT_A_FROM "\r\n"
		       "To: <sip:bob@example.com>;tag=%s\r\n"
		       "Call-ID: " BT_A_CALL_ID "\r\n"
		       "CSeq: %u %s\r\n"
		       "Contact: <sip:alice@10.0.0.9:5060>\r\n"
		       "%s%s"
		       "Content-Length: %zu\r\n\r\n%s",
		       method, branch, branch, bt_a_tag(t), cseq, method, extra,
		       ctype(body), body ? strlen(body) : 0, body ? body : "");
}

static uint16_t port_of(const struct net_peer *p)
{
	const struct sockaddr_in *a = (const void *)&p->addr;

	return p->addr.ss_family == AF_INET ? ntohs(a->sin_port) : 0;
}

const char *bt_a_tag(struct b2b_test *t)
{
	for (size_t i = 0; !t->a_tag[0] && i < t->e->io.nsends; i++) {
		const struct sip_msg *m = bt_sent(t, i);

		if (m && !m->is_request &&
		    port_of(&t->e->io.sends[i].to) == BT_CALLER_PORT &&
		    m->to.tag.len && m->to.tag.len < sizeof(t->a_tag))
			snprintf(t->a_tag, sizeof(t->a_tag), "%.*s",
				 TND_SLICE_FMT(m->to.tag));
	}
	return t->a_tag;
}

/* ---- the callees -------------------------------------------------------- */

int bt_reply(struct b2b_test *t, size_t i, uint16_t status, const char *tag,
	     const char *body)
{
	return bt_reply_with(t, i, status, tag, NULL, body);
}

int bt_reply_with(struct b2b_test *t, size_t i, uint16_t status,
		  const char *tag, const char *const *extra, const char *body)
{
	const struct sip_msg *req = bt_sent(t, i);
	struct sip_msg *built, *res;
	char contact[256];
	int rc;

	if (!req || !req->is_request) {
		if (tnd_mem_failures_injected() > 0)
			return ENOMEM; /* not sent, or not parsed */
		test_fail(__FILE__, __LINE__, "send %zu is no request", i);
		return EINVAL;
	}
	if ((rc = sip_msg_response_new(req, status, NULL, S(tag), &built)))
		return rc;
	snprintf(contact, sizeof(contact), "<%.*s>",
		 TND_SLICE_FMT(req->ruri_text));
	if (status > 100 && status < 300 && req->method != SIP_METHOD_BYE &&
	    req->method != SIP_METHOD_CANCEL)
		rc = sip_msg_hdr_add(built, "Contact", S(contact),
				     SIP_HDR_APPEND);
	for (; rc == 0 && extra && extra[0]; extra += 2)
		rc = sip_msg_hdr_add(built, extra[0], S(extra[1]),
				     SIP_HDR_APPEND);
	if (rc == 0 && body)
		rc = sip_msg_hdr_set(built, "Content-Type",
				     S("application/sdp"));
	if (rc == 0 && body)
		rc = sip_msg_set_body(built, S(body));
	if (rc == 0)
		rc = fake_reparse(built, &res);
	sip_msg_free(built);
	if (rc == 0) {
		txn_layer_receive(t->e->layer, res, &t->e->io.sends[i].to);
		rc = bt_settle(t);
	}
	return rc;
}

int bt_callee(struct b2b_test *t, size_t invite, const char *tag,
	      const char *method, uint32_t cseq, const char *branch,
	      const char *body)
{
	const struct sip_msg *inv = bt_sent(t, invite);
	const struct net_peer *peer = &t->e->io.sends[invite].to;

	if (!inv || inv->method != SIP_METHOD_INVITE) {
		if (tnd_mem_failures_injected() > 0)
			return ENOMEM;
		test_fail(__FILE__, __LINE__, "send %zu is no INVITE", invite);
		return EINVAL;
	}
	return receive(t, peer,
		       "%s sip:" BT_US " SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=%s\r\n"
		       "Max-Forwards: 70\r\n"
		       "From: %.*s;tag=%s\r\n"
		       "To: %.*s\r\n"
		       "Call-ID: %.*s\r\n"
		       "CSeq: %u %s\r\n"
		       "Contact: <%.*s>\r\n"
		       "%s"
		       "Content-Length: %zu\r\n\r\n%s",
		       method, port_of(peer), branch,
		       TND_SLICE_FMT(bt_hdr(inv, "To")), tag,
		       TND_SLICE_FMT(bt_hdr(inv, "From")),
		       TND_SLICE_FMT(inv->call_id), cseq, method,
		       TND_SLICE_FMT(inv->ruri_text), ctype(body),
		       body ? strlen(body) : 0, body ? body : "");
}

/* ---- what was sent ------------------------------------------------------ */

const struct sip_msg *bt_sent(struct b2b_test *t, size_t i)
{
	return fake_sent(t->e, i);
}

struct tnd_slice bt_hdr(const struct sip_msg *msg, const char *name)
{
	const struct sip_hdr *h =
	    msg ? sip_msg_hdr_by_name(msg, S(name)) : NULL;

	return h ? h->value : S("");
}

static const char *peer_name(const struct net_peer *p, char *buf, size_t size)
{
	switch (port_of(p)) {
	case BT_CALLER_PORT: return "a";
	case 5080: return "bob";
	case 5090: return "carol";
	}
	snprintf(buf, size, "%u", port_of(p));
	return buf;
}

const char *bt_wire(const struct b2b_test *t, char *buf, size_t size)
{
	const struct fake_io *io = &t->e->io;
	char kind[32], port[8];

	buf[0] = '\0';
	for (size_t i = 0; i < io->nsends; i++) {
		const char *p = io->sends[i].data ? io->sends[i].data : "?";

		if (strncmp(p, "SIP/2.0 ", 8) == 0)
			p += 8;
		snprintf(kind, sizeof(kind), "%.*s", (int)strcspn(p, " \r\n"),
			 p);
		bt_append(buf, size, "%s:%s@%llu%s",
			  peer_name(&io->sends[i].to, port, sizeof(port)), kind,
			  (unsigned long long)io->sends[i].at_ms,
			  io->sends[i].error ? "!" : "");
	}
	if (io->overflow)
		bt_append(buf, size, "(overflow)");
	return buf;
}

/* Every Via of `m` in one line, ", "-separated. */
static void vias(const struct sip_msg *m, char *buf, size_t size)
{
	buf[0] = '\0';
	for (const struct sip_hdr *h = sip_msg_hdr(m, SIP_HDR_VIA); h;
	     h = sip_msg_hdr_next(m, h))
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%.*s",
			 buf[0] ? ", " : "", TND_SLICE_FMT(h->value));
}

int bt_check_to_caller(struct b2b_test *t, size_t i, uint16_t status)
{
	const struct sip_msg *m = bt_sent(t, i);
	char buf[512];

	CHECK(m != NULL);
	CHECK(!m->is_request);
	CHECK_INT(m->status, status);
	CHECK_INT(port_of(&t->e->io.sends[i].to), BT_CALLER_PORT);
	vias(m, buf, sizeof(buf));
	CHECK_TEXT("vias", buf,
		   "SIP/2.0/UDP 127.0.0.1:5070;branch=" BT_A_BRANCH ";rport, "
		   "SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKorigin");
	CHECK_STR(m->call_id, BT_A_CALL_ID);
	CHECK_STR(bt_hdr(m, "From"), BT_A_FROM);
	CHECK_STR(m->to.uri, "sip:bob@example.com");
	CHECK(m->to.tag.len > 0);
	CHECK_STR(m->to.tag, bt_a_tag(t));
	CHECK_STR(bt_hdr(m, "CSeq"), "1 INVITE");
	if (status > 100 && status < 300) {
		CHECK_STR(bt_hdr(m, "Contact"), BT_US_CONTACT);
		CHECK_STR(bt_hdr(m, "Record-Route"), BT_A_RR);
		CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_RECORD_ROUTE), 1);
	} else {
		CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_RECORD_ROUTE), 0);
	}
	return 0;
}

int bt_check_in_b_dialog(struct b2b_test *t, size_t i, size_t invite,
			 const char *tag, const char *method, uint32_t cseq)
{
	const struct sip_msg *m = bt_sent(t, i);
	const struct sip_msg *inv = bt_sent(t, invite);

	CHECK(m != NULL && inv != NULL);
	CHECK(m->is_request);
	CHECK_STR(m->method_name, method);
	CHECK(port_of(&t->e->io.sends[i].to) ==
	      port_of(&t->e->io.sends[invite].to));
	CHECK(tnd_slice_eq(m->ruri_text, inv->ruri_text));
	CHECK(tnd_slice_eq(m->call_id, inv->call_id));
	CHECK(tnd_slice_eq(m->from.tag, inv->from.tag));
	CHECK(tnd_slice_eq(m->from.uri, inv->from.uri));
	CHECK_STR(m->to.tag, tag);
	CHECK(tnd_slice_eq(m->to.uri, inv->to.uri));
	CHECK_STR(m->cseq.method_name, method);
	if (cseq)
		CHECK_INT(m->cseq.number, cseq);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_VIA), 1);
	CHECK_STR(m->via.transport, "UDP");
	CHECK_STR(m->via.host, "192.0.2.1");
	CHECK_INT(m->via.port, 5060);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_ROUTE), 0);
	return 0;
}

int bt_check_in_a_dialog(struct b2b_test *t, size_t i, const char *method)
{
	const struct sip_msg *m = bt_sent(t, i);

	CHECK(m != NULL);
	CHECK(m->is_request);
	CHECK_STR(m->method_name, method);
	CHECK_INT(port_of(&t->e->io.sends[i].to), BT_CALLER_PORT);
	CHECK_STR(m->ruri_text, "sip:alice@10.0.0.9:5060");
	CHECK_STR(bt_hdr(m, "Route"), BT_A_RR);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_ROUTE), 1);
	CHECK_STR(m->call_id, BT_A_CALL_ID);
	CHECK_STR(m->from.uri, "sip:bob@example.com");
	CHECK_STR(m->from.tag, bt_a_tag(t));
	CHECK_STR(m->to.uri, "sip:alice@example.com");
	CHECK_STR(m->to.tag, "atag");
	CHECK_STR(m->cseq.method_name, method);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_VIA), 1);
	CHECK_STR(m->via.host, "192.0.2.1");
	CHECK_INT(m->via.port, 5060);
	return 0;
}
