/*
 * Anchored media of a call: the script's switch (b2b_call_anchor_media),
 * the relay streams it owns (one per m= line), their timeouts (only once
 * the call is answered, and not while held: a held phone may send
 * nothing for as long as it likes) and what the script sees of them.
 * Reading and rewriting the SDP itself is media_sdp.c's job.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tandem/log.h"
#include "tandem/mem.h"
#include "b2b_media.h"

int b2b_call_anchor_media(struct b2b_call *call,
			  const struct b2b_media_opts *opts)
{
	if (!call->b2b->env.media)
		return ENOTSUP;
	if (call->bridged || call_is_ended(call))
		return EPROTO;
	if (!call->media &&
	    !(call->media = tnd_calloc(1, sizeof(*call->media))))
		return ENOMEM;
	call->media->opts = *opts;
	return 0;
}

struct b2b_stream *b2b_media_stream_at(struct b2b_media *media, size_t index)
{
	struct b2b_stream *grown;

	if (index < media->nstreams)
		return &media->streams[index];
	grown = tnd_realloc(media->streams, (index + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	memset(&grown[media->nstreams], 0,
	       (index + 1 - media->nstreams) * sizeof(*grown));
	media->streams = grown;
	media->nstreams = index + 1;
	return &grown[index];
}

/* No RTP either way for the stream's timeout: the call ends. */
static void on_stream_idle(void *arg, struct media_stream *ms)
{
	struct b2b_call *call = arg;

	(void)ms;
	call_hold(call);
	tnd_log_info("call %llu: no media, hanging up",
		     (unsigned long long)call->id);
	b2b_call_teardown(call, B2B_END_CORE, 408, "Media Timeout");
	call_release(call);
}

int b2b_media_stream_open(struct b2b_stream *st,
			  const struct media_pt_rate *rates, size_t nrates)
{
	struct b2b_call *call = st->call;
	struct media_stream_opts o = {
		.rates = rates,
		.nrates = nrates,
		.timeout_ms = MEDIA_TIMEOUT_OFF, /* from the answer on */
		.idle_fn = on_stream_idle,
		.idle_arg = call,
	};

	return media_stream_new(call->b2b->env.media, &o, &st->ms);
}

void b2b_media_stream_remote(struct b2b_stream *st, enum media_side side)
{
	struct b2b_call *call = st->call;
	int rc;

	if (!st->ms || !st->has_remote[side])
		return;
	rc = media_stream_set_remote(
	    st->ms, side, (const struct sockaddr *)&st->rtp[side],
	    st->rtp_len[side],
	    st->has_rtcp[side] ? (const struct sockaddr *)&st->rtcp[side]
			       : NULL,
	    st->has_rtcp[side] ? st->rtcp_len[side] : 0,
	    st->peer_mux[side] && st->our_mux[side]);
	if (rc)
		tnd_log_warn("call %llu: media address of side %c not used: %s",
			     (unsigned long long)call->id, "AB"[side],
			     strerror(rc));
}

void b2b_media_stream_timeout(struct b2b_stream *st)
{
	const struct b2b_media *media = st->call->media;
	uint32_t ms = media->opts.timeout_ms;

	if (!st->ms || !media->answered)
		return;
	if (st->on_hold[MEDIA_SIDE_A] || st->on_hold[MEDIA_SIDE_B])
		ms = MEDIA_TIMEOUT_OFF;
	else if (!ms)
		ms = media_relay_timeout(st->call->b2b->env.media);
	media_stream_set_timeout(st->ms, ms);
}

void b2b_media_answered(struct b2b_call *call)
{
	if (!call->media)
		return;
	call->media->answered = true;
	for (size_t i = 0; i < call->media->nstreams; i++)
		b2b_media_stream_timeout(&call->media->streams[i]);
}

void b2b_media_free(struct b2b_call *call)
{
	struct b2b_media *media = call->media;

	if (!media)
		return;
	for (size_t i = 0; i < media->nstreams; i++)
		media_stream_free(media->streams[i].ms);
	tnd_free(media->streams);
	tnd_free(media);
	call->media = NULL;
}

void b2b_media_side_fini(struct b2b_side *side)
{
	if (!side->oa)
		return;
	sdp_oa_release(&side->oa->oa);
	tnd_free(side->oa);
	side->oa = NULL;
}

const char *b2b_media_why(const struct b2b_call *call)
{
	return call->media ? call->media->why : "";
}

void b2b_media_set_why(struct b2b_call *call, const char *fmt, ...)
{
	va_list ap;

	if (!call->media)
		return;
	va_start(ap, fmt);
	vsnprintf(call->media->why, sizeof(call->media->why), fmt, ap);
	va_end(ap);
}

size_t b2b_call_media_count(const struct b2b_call *call)
{
	return call->media ? call->media->nstreams : 0;
}

bool b2b_call_media_side(const struct b2b_call *call, size_t index,
			 enum media_side side, struct b2b_media_side_info *out)
{
	const struct b2b_stream *st;
	struct sockaddr_storage to;
	socklen_t len = sizeof(to);
	uint16_t rtcp;

	memset(out, 0, sizeof(*out));
	if (!call->media || index >= call->media->nstreams)
		return false;
	st = &call->media->streams[index];
	if (!st->ms)
		return false;
	media_stream_local(st->ms, side, &out->local_addr, &out->local_rtp_port,
			   &rtcp);
	out->local_rtcp_port = rtcp;
	if (media_stream_remote(st->ms, side, false, &to, &len,
				&out->latched) == 0) {
		const void *ip = &((struct sockaddr_in *)&to)->sin_addr;
		uint16_t port = ((struct sockaddr_in *)&to)->sin_port;

		if (to.ss_family == AF_INET6) {
			ip = &((struct sockaddr_in6 *)&to)->sin6_addr;
			port = ((struct sockaddr_in6 *)&to)->sin6_port;
		}
		out->has_remote = inet_ntop(to.ss_family, ip, out->remote_addr,
					    sizeof(out->remote_addr)) != NULL;
		out->remote_port = ntohs(port);
	}
	out->srtp =
	    st->srtp[side] ? media_srtp_suite_name(st->recv[side].suite) : NULL;
	media_stream_stats(st->ms, side, &out->stats);
	return true;
}
