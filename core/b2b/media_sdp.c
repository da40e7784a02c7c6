/*
 * SDP across an anchored call. An SDP from one side is read (where that
 * side receives, its rtcp-mux, its SDES key, whether it holds), the relay
 * is told, and the SDP goes on to the other side rewritten: c=, m= and
 * a=rtcp name the relay's ports for that side, ICE is stripped, the
 * profile and a=crypto are that side's own (never the sender's keys),
 * and o= is ours for that side, versioned by sdp_oa.
 *
 * Offer or answer is told by each side's offer/answer state (RFC 3264):
 * an SDP from a side we sent an offer to is its answer, any other an
 * offer, except that an answer in a response may come again (a 183,
 * then the 2xx) and is taken as the same answer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "tandem/log.h"
#include "tandem/mem.h"
#include "b2b_media.h"

#define MAX_RATES 32

enum sdp_role {
	ROLE_OFFER,
	ROLE_ANSWER,
	ROLE_REPEAT, /* the answer of a response, again */
};

static enum media_side side_of(const struct b2b_side *s)
{
	return s->leg ? MEDIA_SIDE_B : MEDIA_SIDE_A;
}

static int side_oa(struct b2b_side *s)
{
	uint64_t r;
	int rc;

	if (s->oa)
		return 0;
	if ((rc = tnd_rand_u64(&r)))
		return rc;
	if (!(s->oa = tnd_calloc(1, sizeof(*s->oa))))
		return ENOMEM;
	sdp_oa_init(&s->oa->oa, r);
	return 0;
}

static bool repeats_answer(const struct b2b_side *s, const struct sip_msg *m)
{
	return !m->is_request && s->oa->oa.state == SDP_OA_STABLE &&
	       s->oa->has_answer_cseq && s->oa->answer_cseq == m->cseq.number;
}

/* What an SDP from `s` in `m` is; `pending` the state meaning "our
 * offer awaits this side's answer" (from it) or the reverse (to it). */
static enum sdp_role role_of(const struct b2b_side *s, const struct sip_msg *m,
			     enum sdp_oa_state pending)
{
	if (s->oa->oa.state == pending)
		return ROLE_ANSWER;
	return repeats_answer(s, m) ? ROLE_REPEAT : ROLE_OFFER;
}

static void note_answer(struct b2b_side *s, const struct sip_msg *m)
{
	s->oa->has_answer_cseq = !m->is_request;
	s->oa->answer_cseq = m->cseq.number;
}

static int fail(struct b2b_call *call, const char *what, size_t index)
{
	b2b_media_set_why(call, "%s (m= line %zu)", what, index + 1);
	return EBADMSG;
}

/* "RTP/AVP" <-> "RTP/SAVP", "RTP/AVPF" <-> "RTP/SAVPF"; other profiles
 * (DTLS, UDPTL) stay as they are. */
static struct tnd_slice profile_for(struct tnd_slice proto, bool srtp)
{
	static const char *const plain[] = { "RTP/AVP", "RTP/AVPF" };
	static const char *const secure[] = { "RTP/SAVP", "RTP/SAVPF" };

	for (size_t i = 0; i < 2; i++)
		if (tnd_slice_eq_cstr(proto, plain[i]) ||
		    tnd_slice_eq_cstr(proto, secure[i]))
			return tnd_slice_from_cstr(srtp ? secure[i] : plain[i]);
	return proto;
}

/* A usable a=crypto of section `i`: a suite we know, one inline key of
 * its length, no MKI or session parameters. `want` (not NONE) asks for
 * that suite: the answer to our offer. */
static bool crypto_pick(const struct sdp_session *s, size_t i,
			enum media_srtp_suite want, uint32_t *tag,
			struct media_srtp_key *key)
{
	struct tnd_slice value;
	size_t cursor = 0;

	while (sdp_attr_next(s, i, "crypto", &cursor, &value)) {
		struct sdp_crypto c;
		enum media_srtp_suite suite;
		char text[MEDIA_SRTP_KEY_TEXT_MAX + 8];

		if (sdp_crypto_parse(value, &c) || c.nkeys != 1 ||
		    c.keys[0].mki.len || c.session_params.len ||
		    media_srtp_suite_by_name(c.suite, &suite) ||
		    (want != MEDIA_SRTP_NONE && suite != want) ||
		    !tnd_slice_eq_cstr(c.keys[0].method, "inline") ||
		    c.keys[0].key_salt.len + 8 > sizeof(text))
			continue;
		snprintf(text, sizeof(text), "inline:%.*s",
			 TND_SLICE_FMT(c.keys[0].key_salt));
		if (media_srtp_key_decode(suite, tnd_slice_from_cstr(text),
					  key))
			continue;
		*tag = c.tag;
		return true;
	}
	return false;
}

/* An address of the SDP with a port, for the relay; false for a host
 * name (the relay learns that side by latching). */
static bool sock_from(struct tnd_slice addr, uint32_t port,
		      struct sockaddr_storage *out, socklen_t *len)
{
	char text[64];

	memset(out, 0, sizeof(*out));
	if (addr.len >= sizeof(text))
		return false;
	memcpy(text, addr.p, addr.len);
	text[addr.len] = '\0';
	if (inet_pton(AF_INET, text, &((struct sockaddr_in *)out)->sin_addr) ==
	    1) {
		out->ss_family = AF_INET;
		((struct sockaddr_in *)out)->sin_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in);
		return true;
	}
	if (inet_pton(AF_INET6, text,
		      &((struct sockaddr_in6 *)out)->sin6_addr) == 1) {
		out->ss_family = AF_INET6;
		((struct sockaddr_in6 *)out)->sin6_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in6);
		return true;
	}
	return false;
}

/* Where side `x` receives stream `i`, as its SDP says. */
static void read_remote(struct b2b_stream *st, enum media_side x,
			const struct sdp_session *s, size_t i,
			const struct sdp_media *m)
{
	struct sdp_connection c;
	struct sdp_rtcp rtcp;

	st->has_remote[x] =
	    sdp_media_connection(s, i, &c) == 0 &&
	    sock_from(c.address, m->port, &st->rtp[x], &st->rtp_len[x]);
	st->has_rtcp[x] = false;
	if (st->has_remote[x] && sdp_media_rtcp(s, i, &rtcp) == 0)
		st->has_rtcp[x] =
		    sock_from(rtcp.has_address ? rtcp.address : c.address,
			      rtcp.port, &st->rtcp[x], &st->rtcp_len[x]);
	st->peer_mux[x] = sdp_media_rtcp_mux(s, i);
	st->on_hold[x] = sdp_media_on_hold(s, i);
}

/* The clock rates of the section's payload types, for jitter. */
static size_t read_rates(const struct sdp_session *s, size_t i,
			 const struct sdp_media *m, struct media_pt_rate *rates)
{
	struct tnd_slice fmts = m->fmts, fmt;
	size_t n = 0;

	while (n < MAX_RATES && sdp_token_next(&fmts, &fmt)) {
		struct sdp_rtpmap map;
		uint32_t pt;

		/* Formats of non-RTP media ("t38") are not payload types. */
		if (tnd_slice_to_u32(fmt, 127, &pt) ||
		    sdp_media_rtpmap(s, i, pt, &map) || !map.clock_rate)
			continue;
		rates[n++] =
		    (struct media_pt_rate){ (uint8_t)pt, map.clock_rate };
	}
	return n;
}

/* Section `i` from side `x`: its keys and where it receives. */
static int take_section(struct b2b_call *call, struct b2b_stream *st,
			enum media_side x, enum sdp_role role,
			const struct sdp_session *s, size_t i,
			const struct sdp_media *m)
{
	enum b2b_srtp mode = call->media->opts.side[x].srtp;
	struct media_srtp_key key;
	uint32_t tag;
	bool found;

	if (role == ROLE_OFFER) {
		found = crypto_pick(s, i, MEDIA_SRTP_NONE, &tag, &key);
		if (mode == B2B_SRTP_SDES && !found)
			return fail(call, "no usable a=crypto", i);
		st->srtp[x] = found && mode != B2B_SRTP_OFF;
	} else if (st->srtp[x]) {
		/* The answer to our a=crypto: its suite, its key. */
		found = crypto_pick(s, i, st->send[x].suite, &tag, &key);
		if (!found)
			return fail(call, "answer without a matching a=crypto",
				    i);
	}
	if (st->srtp[x]) {
		st->crypto_tag[x] = tag;
		st->recv[x] = key;
	}
	read_remote(st, x, s, i, m);
	return 0;
}

/* Our key towards side `y` for `suite`, made once per suite. */
static int send_key(struct b2b_stream *st, enum media_side y,
		    enum media_srtp_suite suite)
{
	if (st->send[y].suite == suite)
		return 0;
	return media_srtp_key_generate(suite, &st->send[y]) ? EIO : 0;
}

/* Section `i` as it goes to side `y`. */
static int give_section(struct b2b_call *call, struct b2b_stream *st,
			enum media_side x, enum media_side y,
			enum sdp_role role, struct sdp_session *s, size_t i,
			const struct sdp_media *m)
{
	const struct b2b_media_side_opts *o = &call->media->opts.side[y];
	char b64[MEDIA_SRTP_KEY_TEXT_MAX];
	struct sdp_connection c;
	struct sdp_crypto crypto;
	const char *addr;
	uint16_t rtp, rtcp;
	bool legacy_hold, had_mux = sdp_media_rtcp_mux(s, i);
	int rc;

	if (role == ROLE_OFFER) {
		st->srtp[y] = o->srtp == B2B_SRTP_SDES ||
			      (o->srtp == B2B_SRTP_AUTO && st->srtp[x]);
		st->our_mux[y] = had_mux;
		if (st->srtp[y]) {
			if ((rc = send_key(
				 st, y,
				 st->srtp[x]
				     ? st->recv[x].suite
				     : MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80)))
				return rc;
			st->crypto_tag[y] = 1;
		}
	} else {
		/* Our answer takes the profile and suite of its offer. */
		st->our_mux[y] = st->peer_mux[y];
		if (st->srtp[y] && (rc = send_key(st, y, st->recv[y].suite)))
			return rc;
	}
	memset(&crypto, 0, sizeof(crypto));
	if (st->srtp[y]) {
		if (media_srtp_key_encode(&st->send[y], b64, sizeof(b64)))
			return EIO;
		crypto.tag = st->crypto_tag[y];
		crypto.suite = tnd_slice_from_cstr(
		    media_srtp_suite_name(st->send[y].suite));
		crypto.keys[0].method = TND_SLICE_LIT("inline");
		crypto.keys[0].key_salt = tnd_slice_from_cstr(b64 + 7);
		crypto.nkeys = 1;
	}
	legacy_hold = sdp_media_connection(s, i, &c) == 0 &&
		      c.kind == SDP_ADDR_IP4 &&
		      tnd_slice_eq_cstr(c.address, "0.0.0.0");
	media_stream_local(st->ms, y, &addr, &rtp, &rtcp);
	if (st->our_mux[y] && !had_mux &&
	    (rc = sdp_attr_add(s, i, "rtcp-mux", (struct tnd_slice){ 0 })))
		return rc;
	struct sdp_anchor an = {
		.addrtype =
		    tnd_slice_from_cstr(strchr(addr, ':') ? "IP6" : "IP4"),
		.address = tnd_slice_from_cstr(addr),
		.rtp_port = rtp,
		.keep_rtcp_mux = st->our_mux[y],
		.strip_ice = !o->keep_ice,
		.proto = profile_for(m->proto, st->srtp[y]),
		.replace_crypto = true,
		.crypto = st->srtp[y] ? &crypto : NULL,
		.ncrypto = st->srtp[y] ? 1 : 0,
	};
	if ((rc = sdp_media_anchor(s, i, &an)))
		return rc;
	/* RFC 2543 hold: the other side must still read c=0.0.0.0. */
	if (legacy_hold && (rc = sdp_connection_set(s, i, TND_SLICE_LIT("IP4"),
						    TND_SLICE_LIT("0.0.0.0"))))
		return rc;
	return 0;
}

static int rewrite_section(struct b2b_call *call, enum media_side x,
			   enum media_side y, enum sdp_role from_role,
			   enum sdp_role to_role, struct sdp_session *s,
			   size_t i)
{
	struct media_pt_rate rates[MAX_RATES];
	struct b2b_stream *st;
	struct sdp_media m;
	int rc;

	if (sdp_media_get(s, i, &m))
		return fail(call, "bad m= line", i);
	if (!(st = b2b_media_stream_at(call->media, i)))
		return ENOMEM;
	st->call = call;
	if (m.port == 0) /* rejected or disabled: passed on as it is */
		return 0;
	if (!st->ms && (rc = b2b_media_stream_open(
			    st, rates, read_rates(s, i, &m, rates))))
		return rc == ENOMEM ? ENOMEM : ENOSPC; /* EMFILE too: 503 */
	if ((rc = take_section(call, st, x, from_role, s, i, &m)) ||
	    (rc = give_section(call, st, x, y, to_role, s, i, &m)))
		return rc;
	if (from_role == ROLE_OFFER)
		st->our_mux[x] = st->peer_mux[x]; /* our answer will agree */
	if (media_stream_set_keys(st->ms, x, st->srtp[x] ? &st->recv[x] : NULL,
				  st->srtp[x] ? &st->send[x] : NULL) ||
	    media_stream_set_keys(st->ms, y, st->srtp[y] ? &st->recv[y] : NULL,
				  st->srtp[y] ? &st->send[y] : NULL))
		tnd_log_warn("call %llu: SRTP keys refused",
			     (unsigned long long)call->id);
	b2b_media_stream_remote(st, x);
	b2b_media_stream_remote(st, y);
	b2b_media_stream_timeout(st);
	return 0;
}

/* The offer/answer steps of one SDP from `from` to `to`. */
static void step_states(struct b2b_side *from, struct b2b_side *to,
			enum sdp_role from_role, enum sdp_role to_role,
			const struct sip_msg *src, const struct sip_msg *dst)
{
	/* A step the state does not allow (a sloppy peer, a dial again
	 * with the caller's same offer) leaves it as it was. */
	if (from_role == ROLE_OFFER)
		(void)sdp_oa_remote_offer(&from->oa->oa);
	else if (from_role == ROLE_ANSWER &&
		 sdp_oa_remote_answer(&from->oa->oa) == 0)
		note_answer(from, src);
	if (to_role == ROLE_OFFER)
		(void)sdp_oa_local_offer(&to->oa->oa);
	else if (to_role == ROLE_ANSWER &&
		 sdp_oa_local_answer(&to->oa->oa) == 0)
		note_answer(to, dst);
}

static bool is_sdp(const struct sip_msg *m)
{
	const struct sip_hdr *ct = sip_msg_hdr(m, SIP_HDR_CONTENT_TYPE);
	struct tnd_slice v;

	if (!ct)
		return false;
	v = ct->value;
	for (size_t i = 0; i < v.len; i++)
		if (v.p[i] == ';') {
			v.len = i;
			break;
		}
	return tnd_slice_caseeq_cstr(tnd_slice_trim(v), "application/sdp");
}

int b2b_media_body(struct b2b_side *from, struct b2b_side *to,
		   const struct sip_msg *src, struct sip_msg *dst)
{
	struct b2b_call *call = from->call;
	struct sdp_session *s = NULL;
	struct sdp_error err;
	enum sdp_role from_role, to_role;
	char *text = NULL;
	size_t len;
	int rc;

	if (!call->media || !src->body.len || !is_sdp(src))
		return b2b_copy_body(src, dst);
	if ((rc = side_oa(from)) || (rc = side_oa(to)))
		return rc;
	if ((rc = sdp_session_parse(src->body, NULL, &s, &err))) {
		if (rc == ENOMEM)
			return ENOMEM;
		sdp_error_print(&err, call->media->why,
				sizeof(call->media->why));
		return EBADMSG;
	}
	from_role = role_of(from, src, SDP_OA_LOCAL_OFFER);
	to_role = role_of(to, dst, SDP_OA_REMOTE_OFFER);
	for (size_t i = 0; i < sdp_session_media_count(s) && rc == 0; i++)
		rc = rewrite_section(call, side_of(from), side_of(to),
				     from_role, to_role, s, i);
	if (rc == 0 && (rc = sdp_oa_stamp_origin(&to->oa->oa, s)) == 0 &&
	    (rc = sdp_session_print(s, &text, &len)) == 0 &&
	    (rc = sip_msg_hdr_set(dst, "Content-Type",
				  TND_SLICE_LIT("application/sdp"))) == 0)
		rc = sip_msg_set_body(dst, (struct tnd_slice){ text, len });
	if (rc == 0)
		step_states(from, to, from_role, to_role, src, dst);
	tnd_free(text);
	sdp_session_free(s);
	return rc;
}

void b2b_media_offer_failed(struct b2b_side *from, struct b2b_side *to)
{
	if (from->oa && from->oa->oa.state == SDP_OA_REMOTE_OFFER)
		(void)sdp_oa_cancel(&from->oa->oa);
	if (to->oa && to->oa->oa.state == SDP_OA_LOCAL_OFFER)
		(void)sdp_oa_cancel(&to->oa->oa);
}
