/*
 * rtp_load's callers, for tandem: one UDP socket plays the caller of
 * every call. A caller sends INVITE with its SDP (retransmitted on T1,
 * doubling, RFC 3261 §17.1.1.2), takes 1xx and 2xx, ACKs the 2xx to
 * its Contact (again for each 2xx retransmission, §13.2.2.4), starts
 * side A's media to the port the 2xx's SDP names, and at the end sends
 * BYE (retransmitted up to T2, §17.1.2.2). Calls are told apart by
 * "r<run>c<idx>": the caller's Call-ID, the request URI's user that
 * tandem's bench dialplan keeps for the callee (load_sip_uas.c).
 */
#include "rtp_load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define SDP_MAX   512
#define RECV_LOOP 32

static int invite_build(struct load_ctx *c, struct load_call *call, char *b)
{
	const struct load_opts *o = c->o;
	char sdp[SDP_MAX], user[32];
	int n;

	snprintf(user, sizeof(user), "r%08xc%u", c->run_id, call->idx);
	n = load_sdp_print(sdp, sizeof(sdp), user, call->side[LOAD_A].port,
			   o->srtp ? call->key_a : NULL);
	if (n < 0)
		return -1;
	return snprintf(
	    b, LOAD_SIP_MSG_MAX,
	    "INVITE sip:%s@127.0.0.1:%u SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK%si;rport\r\n"
	    "Max-Forwards: 70\r\n"
	    "From: <sip:a@127.0.0.1>;tag=a%s\r\n"
	    "To: <sip:%s@127.0.0.1>\r\n"
	    "Call-ID: %s@rtp-load\r\n"
	    "CSeq: 1 INVITE\r\n"
	    "Contact: <sip:a@127.0.0.1:%u>\r\n"
	    "Content-Type: application/sdp\r\n"
	    "Content-Length: %d\r\n\r\n%s",
	    user, ntohs(o->sip.sin_port), o->uac_port, user, user, user, user,
	    o->uac_port, n, sdp);
}

/* ACK (a new branch, §13.2.2.4) or BYE, to the 2xx's Contact. */
static int in_dialog_build(struct load_ctx *c, struct load_call *call,
			   const char *method, unsigned cseq, char *b)
{
	char user[32];

	snprintf(user, sizeof(user), "r%08xc%u", c->run_id, call->idx);
	return snprintf(
	    b, LOAD_SIP_MSG_MAX,
	    "%s %s SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK%s%c;rport\r\n"
	    "Max-Forwards: 70\r\n"
	    "From: <sip:a@127.0.0.1>;tag=a%s\r\n"
	    "To: %s\r\n"
	    "Call-ID: %s@rtp-load\r\n"
	    "CSeq: %u %s\r\n"
	    "Content-Length: 0\r\n\r\n",
	    method, call->sip.contact, c->o->uac_port, user,
	    method[0] == 'A' ? 'k' : 'b', user, call->sip.to, user, cseq,
	    method);
}

static void invite_send(struct load_ctx *c, struct load_call *call)
{
	char b[LOAD_SIP_MSG_MAX];

	load_sip_send(c, c->uac_fd, &c->o->sip, b, invite_build(c, call, b));
}

static void in_dialog_send(struct load_ctx *c, struct load_call *call,
			   const char *method, unsigned cseq)
{
	char b[LOAD_SIP_MSG_MAX];

	load_sip_send(c, c->uac_fd, &c->o->sip, b,
		      in_dialog_build(c, call, method, cseq, b));
}

void load_sip_start(struct load_ctx *c, struct load_call *call)
{
	struct load_sip_call *s = &call->sip;

	s->uac = LOAD_UAC_CALLING;
	s->uac_since_ns = c->now;
	s->uac_tries = 0;
	invite_send(c, call);
	load_sip_retry_arm(c, &s->uac_retry_ns, &s->uac_tries, false);
}

void load_sip_end(struct load_ctx *c, struct load_call *call)
{
	struct load_sip_call *s = &call->sip;

	load_side_stop(&call->side[LOAD_A]);
	if (s->uac != LOAD_UAC_UP) {
		load_call_ended(c, call, s->uac == LOAD_UAC_DONE);
		return;
	}
	s->uac = LOAD_UAC_BYE;
	s->uac_since_ns = c->now;
	s->uac_tries = 0;
	in_dialog_send(c, call, "BYE", 2);
	load_sip_retry_arm(c, &s->uac_retry_ns, &s->uac_tries, true);
}

void load_sip_check_ended(struct load_ctx *c, struct load_call *call)
{
	if (call->state == LOAD_CALL_ENDING && call->sip.uac == LOAD_UAC_DONE &&
	    call->sip.uas == LOAD_UAS_DONE)
		load_call_ended(c, call, true);
}

void load_sip_retry(struct load_ctx *c, struct load_call *call)
{
	struct load_sip_call *s = &call->sip;

	if (s->uac == LOAD_UAC_CALLING || s->uac == LOAD_UAC_PROCEEDING) {
		if (load_sip_expired(c, s->uac_since_ns)) {
			load_call_failed(c, call, "no answer to the INVITE");
		} else if (s->uac == LOAD_UAC_CALLING &&
			   c->now >= s->uac_retry_ns) {
			invite_send(c, call);
			load_sip_retry_arm(c, &s->uac_retry_ns, &s->uac_tries,
					   false);
		}
	} else if (s->uac == LOAD_UAC_BYE) {
		if (load_sip_expired(c, s->uac_since_ns)) {
			load_call_ended(c, call, false);
		} else if (c->now >= s->uac_retry_ns) {
			in_dialog_send(c, call, "BYE", 2);
			load_sip_retry_arm(c, &s->uac_retry_ns, &s->uac_tries,
					   true);
		}
	}
	load_sip_uas_retry(c, call);
}

void load_sip_free(struct load_call *call)
{
	free(call->sip.to);
	free(call->sip.contact);
	free(call->sip.answer);
	call->sip.to = call->sip.contact = call->sip.answer = NULL;
}

/* The dialog of a 2xx: its To (with the tag) and its Contact. */
static int dialog_take(struct load_call *call, const struct load_sip_msg *m)
{
	struct load_sip_call *s = &call->sip;

	if (!s->to)
		s->to = load_slice_dup(m->to);
	if (!s->contact)
		s->contact = load_slice_dup(load_sip_nameaddr_uri(m->contact));
	return s->to && s->contact && s->contact[0] ? 0 : EINVAL;
}

/* A 2xx after the caller gave up on the INVITE (64*T1): the call is
 * counted failed and gets no media, but is ACKed and ended with one
 * BYE (§15), so that the relay does not keep it. */
static void on_late_2xx(struct load_ctx *c, struct load_call *call,
			const struct load_sip_msg *m)
{
	if (dialog_take(call, m))
		return;
	in_dialog_send(c, call, "ACK", 1);
	if (call->sip.uac != LOAD_UAC_DONE) {
		call->sip.uac = LOAD_UAC_DONE;
		in_dialog_send(c, call, "BYE", 2);
	}
}

/* The first 2xx: where side A sends (and its SRTP keys), the dialog's
 * To and Contact. 0, or the reason it cannot be used. */
static const char *take_answer(struct load_ctx *c, struct load_call *call,
			       const struct load_sip_msg *m)
{
	struct load_side *a = &call->side[LOAD_A];
	struct load_sdp sdp;

	if (load_sdp_parse(m->body, &sdp) || (c->o->srtp && !sdp.has_key))
		return "unusable SDP in the 200";
	if (dialog_take(call, m))
		return "no Contact in the 200";
	if (c->o->srtp && load_side_set_keys(a, call->key_a, sdp.key))
		return "no SRTP session";
	a->to = c->o->sip;
	if (sdp.addr.s_addr)
		a->to.sin_addr = sdp.addr;
	a->to.sin_port = htons(sdp.port);
	return NULL;
}

static void on_2xx(struct load_ctx *c, struct load_call *call,
		   const struct load_sip_msg *m)
{
	struct load_sip_call *s = &call->sip;
	const char *why;

	if (call->state == LOAD_CALL_FAILED) {
		on_late_2xx(c, call, m);
		return;
	}
	if (s->uac == LOAD_UAC_CALLING || s->uac == LOAD_UAC_PROCEEDING) {
		why = take_answer(c, call, m);
		if (why) {
			load_call_failed(c, call, why);
			return;
		}
		s->uac = LOAD_UAC_UP;
		load_side_start(c, &call->side[LOAD_A]);
		if (s->uas == LOAD_UAS_UP)
			load_call_up(c, call);
	}
	if (s->contact) /* each 2xx, first or again, is ACKed */
		in_dialog_send(c, call, "ACK", 1);
}

static void on_response(struct load_ctx *c, struct load_call *call,
			const struct load_sip_msg *m)
{
	struct load_sip_call *s = &call->sip;

	if (load_sip_cseq_is(m->cseq, "BYE")) {
		if (s->uac == LOAD_UAC_BYE && m->status >= 200) {
			s->uac = LOAD_UAC_DONE;
			load_sip_check_ended(c, call);
		}
	} else if (!load_sip_cseq_is(m->cseq, "INVITE")) {
		return;
	} else if (m->status < 200) {
		if (s->uac == LOAD_UAC_CALLING)
			s->uac = LOAD_UAC_PROCEEDING;
	} else if (m->status < 300) {
		on_2xx(c, call, m);
	} else if (s->uac == LOAD_UAC_CALLING ||
		   s->uac == LOAD_UAC_PROCEEDING) {
		fprintf(stderr, "rtp_load: call %u: INVITE answered %u\n",
			call->idx, m->status);
		s->uac = LOAD_UAC_DONE;
		load_call_failed(c, call, NULL);
	}
}

/* A request to a caller: tandem ending a call (BYE), or anything else;
 * answered 200 either way (ACK excepted). */
static void on_request(struct load_ctx *c, const struct sockaddr_in *from,
		       const struct load_sip_msg *m)
{
	char b[LOAD_SIP_MSG_MAX];
	unsigned idx;

	if (load_slice_eq(m->method, "ACK"))
		return;
	load_sip_send(c, c->uac_fd, from, b,
		      load_sip_response(m, "200 OK", NULL, NULL, b));
	if (!load_slice_eq(m->method, "BYE") ||
	    load_sip_call_of(c, m->call_id, &idx) ||
	    c->calls[idx].sip.uac != LOAD_UAC_UP)
		return;
	fprintf(stderr, "rtp_load: call %u: BYE from the relay\n", idx);
	c->calls[idx].sip.uac = LOAD_UAC_DONE;
	load_side_stop(&c->calls[idx].side[LOAD_A]);
}

void load_sip_uac_receive(struct load_ctx *c)
{
	char buf[LOAD_SIP_MSG_MAX];
	struct sockaddr_in from;

	for (int i = 0; i < RECV_LOOP; i++) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(c->uac_fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);
		struct load_sip_msg m;
		unsigned idx;

		if (n <= 0)
			return;
		if (load_sip_parse(buf, (size_t)n, &m))
			continue;
		if (m.request)
			on_request(c, &from, &m);
		else if (!load_sip_call_of(c, m.call_id, &idx))
			on_response(c, &c->calls[idx], &m);
	}
}
