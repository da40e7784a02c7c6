/*
 * rtp_load's callees, for tandem: one UDP socket plays the callee of
 * every call. The INVITE tandem sends names the call in its request
 * URI's user ("r<run>c<idx>", kept by the bench dialplan); the callee
 * answers 200 with a To tag, a Contact holding the same user (so
 * tandem's ACK and BYE name the call too) and its SDP, retransmits the
 * 200 until the ACK (RFC 3261 §13.3.1.4), then starts side B's media
 * to the port the INVITE's SDP named. A BYE is answered 200, and its
 * retransmissions too.
 */
#include "rtp_load.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define SDP_MAX   512
#define RECV_LOOP 32

/* The 200 to an INVITE, with side B's SDP; NULL when it does not fit. */
static char *answer_build(struct load_ctx *c, struct load_call *call,
			  const struct load_sip_msg *m)
{
	char b[LOAD_SIP_MSG_MAX], tail[LOAD_SIP_MSG_MAX / 2], sdp[SDP_MAX];
	char user[32], tag[32];
	int n;

	snprintf(user, sizeof(user), "r%08xc%u", c->run_id, call->idx);
	snprintf(tag, sizeof(tag), "b%s", user);
	n = load_sdp_print(sdp, sizeof(sdp), user, call->side[LOAD_B].port,
			   NULL);
	if (n < 0)
		return NULL;
	snprintf(tail, sizeof(tail),
		 "Contact: <sip:%s@127.0.0.1:%u>\r\n"
		 "Content-Type: application/sdp\r\n"
		 "Content-Length: %d\r\n\r\n%s",
		 user, c->o->uas_port, n, sdp);
	if (load_sip_response(m, "200 OK", tag, tail, b) < 0)
		return NULL;
	return strdup(b);
}

static void on_invite(struct load_ctx *c, struct load_call *call,
		      const struct load_sip_msg *m)
{
	struct load_sip_call *s = &call->sip;
	struct load_side *b = &call->side[LOAD_B];
	struct load_sdp sdp;

	if (s->uas == LOAD_UAS_IDLE && call->state == LOAD_CALL_SETUP) {
		if (load_sdp_parse(m->body, &sdp) || sdp.has_key) {
			load_call_failed(c, call, "unusable SDP offered to B");
			return;
		}
		s->answer = answer_build(c, call, m);
		if (!s->answer) {
			load_call_failed(c, call, "cannot answer");
			return;
		}
		b->to = c->o->sip;
		if (sdp.addr.s_addr)
			b->to.sin_addr = sdp.addr;
		b->to.sin_port = htons(sdp.port);
		s->uas = LOAD_UAS_ANSWERED;
		s->uas_since_ns = c->now;
		s->uas_tries = 0;
		load_sip_retry_arm(c, &s->uas_retry_ns, &s->uas_tries, true);
	}
	if (s->uas == LOAD_UAS_ANSWERED) /* first, or again */
		load_sip_send(c, c->uas_fd, &c->o->sip, s->answer,
			      (int)strlen(s->answer));
}

static void on_ack(struct load_ctx *c, struct load_call *call)
{
	struct load_sip_call *s = &call->sip;

	if (s->uas != LOAD_UAS_ANSWERED)
		return;
	s->uas = LOAD_UAS_UP;
	free(s->answer);
	s->answer = NULL;
	load_side_start(c, &call->side[LOAD_B]);
	if (s->uac == LOAD_UAC_UP)
		load_call_up(c, call);
}

static void on_bye(struct load_ctx *c, struct load_call *call)
{
	load_side_stop(&call->side[LOAD_B]);
	if (call->sip.uas == LOAD_UAS_DONE)
		return;
	if (call->state != LOAD_CALL_ENDING)
		fprintf(stderr, "rtp_load: call %u: BYE to the callee\n",
			call->idx);
	call->sip.uas = LOAD_UAS_DONE;
	load_sip_check_ended(c, call);
}

void load_sip_uas_retry(struct load_ctx *c, struct load_call *call)
{
	struct load_sip_call *s = &call->sip;

	if (s->uas != LOAD_UAS_ANSWERED || call->state != LOAD_CALL_SETUP)
		return;
	if (load_sip_expired(c, s->uas_since_ns)) {
		load_call_failed(c, call, "no ACK to the callee's 200");
	} else if (c->now >= s->uas_retry_ns) {
		load_sip_send(c, c->uas_fd, &c->o->sip, s->answer,
			      (int)strlen(s->answer));
		load_sip_retry_arm(c, &s->uas_retry_ns, &s->uas_tries, true);
	}
}

static void on_request(struct load_ctx *c, const struct sockaddr_in *from,
		       const struct load_sip_msg *m)
{
	char b[LOAD_SIP_MSG_MAX];
	unsigned idx;
	bool ours = !load_sip_call_of(c, load_sip_uri_user(m->uri), &idx);

	if (load_slice_eq(m->method, "INVITE")) {
		if (ours)
			on_invite(c, &c->calls[idx], m);
		else
			load_sip_send(c, c->uas_fd, from, b,
				      load_sip_response(m, "404 Not Found",
							NULL, NULL, b));
	} else if (load_slice_eq(m->method, "ACK")) {
		if (ours)
			on_ack(c, &c->calls[idx]);
	} else {
		/* BYE (a stale one too), or anything else: 200. */
		load_sip_send(c, c->uas_fd, from, b,
			      load_sip_response(m, "200 OK", NULL, NULL, b));
		if (ours && load_slice_eq(m->method, "BYE"))
			on_bye(c, &c->calls[idx]);
	}
}

void load_sip_uas_receive(struct load_ctx *c)
{
	char buf[LOAD_SIP_MSG_MAX];
	struct sockaddr_in from;

	for (int i = 0; i < RECV_LOOP; i++) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(c->uas_fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);
		struct load_sip_msg m;

		if (n <= 0)
			return;
		if (!load_sip_parse(buf, (size_t)n, &m) && m.request)
			on_request(c, &from, &m);
	}
}
