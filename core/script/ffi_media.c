/*
 * The FFI functions on a call's media: call:anchor_media() and the
 * streams of call.media, with their addresses and statistics.
 */
#include <errno.h>
#include <string.h>

#include "script_int.h"
#include "tandem/ffi.h"

int tnd_ffi_call_anchor_media(uint32_t slot, uint32_t gen,
			      const struct tnd_ffi_media_opts *o, char *err,
			      size_t errlen)
{
	static const enum b2b_srtp srtp[] = { B2B_SRTP_AUTO, B2B_SRTP_OFF,
					      B2B_SRTP_SDES };
	struct b2b_media_opts opts = { .timeout_ms = o->timeout_ms };
	struct script_run *run;
	struct script_call *sc;
	int st = script_ffi_call(slot, gen, &run, &sc);

	if (st)
		return st;
	for (int side = 0; side < 2; side++) {
		if (o->srtp[side] < 0 || o->srtp[side] > 2)
			return script_ffi_err(err, errlen, TND_FFI_ERROR,
					      "call:anchor_media(): bad srtp");
		opts.side[side].srtp = srtp[o->srtp[side]];
		opts.side[side].keep_ice = o->keep_ice[side] != 0;
	}
	switch (b2b_call_anchor_media(sc->call, &opts)) {
	case 0: return TND_FFI_OK;
	case ENOTSUP:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "call:anchor_media(): the media relay "
				      "is off (see --media-bind)");
	case EPROTO:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "call:anchor_media() must come before "
				      "the call is answered");
	default:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "out of memory");
	}
}

int tnd_ffi_call_media_count(uint32_t slot, uint32_t gen, uint32_t *out)
{
	struct script_run *run;
	struct script_call *sc;
	int st = script_ffi_call(slot, gen, &run, &sc);

	if (st)
		return st;
	*out = (uint32_t)b2b_call_media_count(sc->call);
	return TND_FFI_OK;
}

int tnd_ffi_call_media_side(uint32_t slot, uint32_t gen, uint32_t index,
			    int side, struct tnd_ffi_media_side *out)
{
	struct b2b_media_side_info i;
	struct script_run *run;
	struct script_call *sc;
	int st = script_ffi_call(slot, gen, &run, &sc);

	if (st)
		return st;
	memset(out, 0, sizeof(*out));
	if ((side != 0 && side != 1) ||
	    !b2b_call_media_side(sc->call, index, (enum media_side)side, &i))
		return TND_FFI_DECLINED;
	out->local_addr = i.local_addr;
	out->local_rtp_port = i.local_rtp_port;
	out->local_rtcp_port = i.local_rtcp_port;
	out->has_remote = i.has_remote;
	out->latched = i.latched;
	memcpy(out->remote_addr, i.remote_addr, sizeof(out->remote_addr));
	out->remote_port = i.remote_port;
	out->srtp = i.srtp;
	out->packets_in = i.stats.rtp_packets_in;
	out->bytes_in = i.stats.rtp_bytes_in;
	out->packets_out = i.stats.rtp_packets_out;
	out->bytes_out = i.stats.rtp_bytes_out;
	out->rtcp_packets_in = i.stats.rtcp_packets_in;
	out->rtcp_packets_out = i.stats.rtcp_packets_out;
	out->dropped_stranger = i.stats.dropped_stranger;
	out->dropped_malformed = i.stats.dropped_malformed;
	out->dropped_srtp = i.stats.dropped_srtp;
	out->lost = i.stats.lost;
	out->jitter_ms = i.stats.jitter_ms;
	out->relatches = i.stats.relatches;
	return TND_FFI_OK;
}
