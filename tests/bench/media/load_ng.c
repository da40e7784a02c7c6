/*
 * rtp_load's rtpengine client: the ng control protocol over UDP (a
 * cookie, a space, a bencoded dictionary; the reply carries the same
 * cookie, and rtpengine answers a repeated cookie from its cache, so a
 * lost request is simply sent again). A call is "offer" with side A's
 * SDP (the reply is the SDP for B: the port B sends to), "answer" with
 * side B's SDP (the reply is the SDP for A, with rtpengine's own key on
 * the SRTP mix), and at the end "delete". On the SRTP mix A offers
 * RTP/SAVP with an SDES key and the offer asks for
 * "transport-protocol": "RTP/AVP" towards B, so rtpengine decrypts and
 * encrypts every packet, as tandem does with a = "sdes", b = plain.
 */
#include "rtp_load.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define NG_MAX     65536
#define SDP_MAX    512
#define RETRY_MS   500
#define RECV_LOOP  32
#define BENC_DEPTH 32

enum ng_state { NG_IDLE, NG_OFFER, NG_ANSWER, NG_UP, NG_DELETE, NG_DONE };

struct benc {
	char *p;
	size_t len, max;
};

static void benc_raw(struct benc *b, const char *s, size_t n)
{
	if (b->len + n < b->max)
		memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void benc_str(struct benc *b, const char *s)
{
	char head[24];
	size_t n = strlen(s);

	benc_raw(b, head, (size_t)snprintf(head, sizeof(head), "%zu:", n));
	benc_raw(b, s, n);
}

static void benc_pair(struct benc *b, const char *key, const char *value)
{
	benc_str(b, key);
	benc_str(b, value);
}

/* One request; its length, or -1 when it does not fit. Offer and
 * answer carry the SDP of the side that makes them (A, then B). */
static int request_build(struct load_ctx *c, struct load_call *call, char *buf,
			 size_t max)
{
	static const char *const command[] = {
		[NG_OFFER] = "offer",
		[NG_ANSWER] = "answer",
		[NG_DELETE] = "delete",
	};
	enum ng_state st = (enum ng_state)call->ng.state;
	enum load_side_id side = st == NG_OFFER ? LOAD_A : LOAD_B;
	const uint8_t *key = st == NG_OFFER && c->o->srtp ? call->key_a : NULL;
	struct benc b = { buf, 0, max };
	char id[32], tag[40], sdp[SDP_MAX];

	snprintf(id, sizeof(id), "r%08xc%u", c->run_id, call->idx);
	b.len = (size_t)snprintf(buf, max, "%sn%u d", id, call->ng.seq);
	benc_pair(&b, "command", command[st]);
	benc_pair(&b, "call-id", id);
	if (st != NG_DELETE) {
		snprintf(tag, sizeof(tag), "a%s", id);
		benc_pair(&b, "from-tag", tag);
		if (load_sdp_print(sdp, sizeof(sdp), id, call->side[side].port,
				   key) < 0)
			return -1;
		benc_pair(&b, "sdp", sdp);
	}
	if (st == NG_ANSWER) {
		snprintf(tag, sizeof(tag), "b%s", id);
		benc_pair(&b, "to-tag", tag);
	}
	if (st == NG_OFFER && c->o->srtp)
		benc_pair(&b, "transport-protocol", "RTP/AVP");
	benc_raw(&b, "e", 1);
	return b.len < max ? (int)b.len : -1;
}

static void request_send(struct load_ctx *c, struct load_call *call)
{
	static char buf[NG_MAX];
	int n = request_build(c, call, buf, sizeof(buf));

	if (n < 0 ||
	    sendto(c->ng_fd, buf, (size_t)n, 0,
		   (const struct sockaddr *)&c->o->ng, sizeof(c->o->ng)) != n)
		c->st.send_err++;
	call->ng.retry_ns = c->now + RETRY_MS * NS_PER_MS;
}

static void request_start(struct load_ctx *c, struct load_call *call,
			  enum ng_state st)
{
	call->ng.state = (uint8_t)st;
	call->ng.seq++;
	call->ng.since_ns = c->now;
	request_send(c, call);
}

void load_ng_start(struct load_ctx *c, struct load_call *call)
{
	request_start(c, call, NG_OFFER);
}

void load_ng_end(struct load_ctx *c, struct load_call *call)
{
	load_side_stop(&call->side[LOAD_A]);
	load_side_stop(&call->side[LOAD_B]);
	if (call->ng.state != NG_UP) {
		load_call_ended(c, call, false);
		return;
	}
	request_start(c, call, NG_DELETE);
}

void load_ng_retry(struct load_ctx *c, struct load_call *call)
{
	enum ng_state st = (enum ng_state)call->ng.state;

	if (st != NG_OFFER && st != NG_ANSWER && st != NG_DELETE)
		return;
	if (load_sip_expired(c, call->ng.since_ns)) {
		call->ng.state = NG_DONE;
		if (st == NG_DELETE)
			load_call_ended(c, call, false);
		else
			load_call_failed(c, call, "no ng reply");
	} else if (c->now >= call->ng.retry_ns) {
		request_send(c, call);
	}
}

/* The end of the bencoded value at p (a string, integer, list or
 * dictionary), or NULL when it is cut short or nests too deep. */
static const char *benc_skip(const char *p, const char *end, int depth)
{
	char *colon;
	unsigned long n;

	if (p >= end || depth > BENC_DEPTH)
		return NULL;
	if (*p == 'i') {
		p = memchr(p, 'e', (size_t)(end - p));
		return p ? p + 1 : NULL;
	}
	if (*p == 'l' || *p == 'd') {
		for (p++; p && p < end && *p != 'e';)
			p = benc_skip(p, end, depth + 1);
		return p && p < end ? p + 1 : NULL;
	}
	if (!isdigit((unsigned char)*p))
		return NULL;
	n = strtoul(p, &colon, 10);
	if (colon >= end || *colon != ':' || n > (size_t)(end - colon - 1))
		return NULL;
	return colon + 1 + n;
}

/* The string value of a top-level key of a bencoded dictionary. */
static struct load_slice benc_get(const char *p, const char *end,
				  const char *key)
{
	struct load_slice none = { NULL, 0 };

	if (p >= end || *p++ != 'd')
		return none;
	while (p && p < end && *p != 'e') {
		const char *k = p, *v = benc_skip(p, end, 0);
		const char *colon = memchr(k, ':', (size_t)(end - k));
		const char *after = v ? benc_skip(v, end, 0) : NULL;

		if (!after || !colon)
			return none;
		if ((size_t)(v - colon - 1) == strlen(key) &&
		    !memcmp(colon + 1, key, strlen(key)) &&
		    isdigit((unsigned char)*v)) {
			colon = memchr(v, ':', (size_t)(after - v));
			return (struct load_slice){
				colon + 1, (size_t)(after - colon - 1)
			};
		}
		p = after;
	}
	return none;
}

/* The SDP of an offer's or answer's reply: where side `id` sends. */
static const char *take_sdp(struct load_ctx *c, struct load_call *call,
			    enum load_side_id id, struct load_slice body)
{
	struct load_side *s = &call->side[id];
	struct load_sdp sdp;

	if (load_sdp_parse(body, &sdp))
		return "no SDP in the reply";
	if (id == LOAD_A && c->o->srtp &&
	    (!sdp.has_key || load_side_set_keys(s, call->key_a, sdp.key)))
		return "no usable a=crypto in the answer";
	s->to = c->o->ng;
	if (sdp.addr.s_addr)
		s->to.sin_addr = sdp.addr;
	s->to.sin_port = htons(sdp.port);
	return NULL;
}

static void on_reply(struct load_ctx *c, struct load_call *call, const char *p,
		     const char *end)
{
	struct load_slice result = benc_get(p, end, "result");
	struct load_slice sdp = benc_get(p, end, "sdp");
	enum ng_state st = (enum ng_state)call->ng.state;
	const char *why = NULL;

	if (!load_slice_eq(result, "ok")) {
		struct load_slice r = benc_get(p, end, "error-reason");

		fprintf(stderr, "rtp_load: call %u: ng %.*s: %.*s\n", call->idx,
			(int)result.len, result.p, (int)r.len, r.p);
		why = "ng error";
	} else if (st == NG_OFFER || st == NG_ANSWER) {
		why = take_sdp(c, call, st == NG_OFFER ? LOAD_B : LOAD_A, sdp);
	}
	if (st == NG_DELETE) {
		call->ng.state = NG_DONE;
		load_call_ended(c, call, !why);
	} else if (why) {
		call->ng.state = NG_DONE;
		load_call_failed(c, call, why);
	} else if (st == NG_OFFER) {
		request_start(c, call, NG_ANSWER);
	} else {
		call->ng.state = NG_UP;
		load_side_start(c, &call->side[LOAD_A]);
		load_side_start(c, &call->side[LOAD_B]);
		load_call_up(c, call);
	}
}

void load_ng_receive(struct load_ctx *c)
{
	static char buf[NG_MAX];

	for (int i = 0; i < RECV_LOOP; i++) {
		ssize_t n = recv(c->ng_fd, buf, sizeof(buf) - 1, 0);
		const char *sp;
		unsigned run, idx, seq;
		struct load_call *call;

		if (n <= 0)
			return;
		buf[n] = '\0'; /* for sscanf */
		sp = memchr(buf, ' ', (size_t)n);
		if (!sp || sscanf(buf, "r%8xc%un%u ", &run, &idx, &seq) != 3 ||
		    run != c->run_id || idx >= c->o->calls)
			continue;
		call = &c->calls[idx];
		if (seq == call->ng.seq && (call->ng.state == NG_OFFER ||
					    call->ng.state == NG_ANSWER ||
					    call->ng.state == NG_DELETE))
			on_reply(c, call, sp + 1, buf + n);
	}
}
