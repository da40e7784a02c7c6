/*
 * The FFI functions on calls (call:dial, call:reply, call:hangup, the
 * call's fields, on_hangup's info) and tandem.sleep. Each re-resolves
 * its handle, checks that the running hook allows it, and turns the
 * b2b's errno into a sentence for the script author.
 */
#include <errno.h>
#include <string.h>

#include "script_int.h"
#include "tandem/ffi.h"
#include "tandem/sip_msg.h"

int tnd_ffi_call_get(uint32_t slot, uint32_t gen, struct tnd_ffi_call *out)
{
	struct script_run *run;
	struct script_call *sc;
	int st = script_ffi_call(slot, gen, &run, &sc);

	if (st)
		return st;
	out->id = sc->id;
	out->state = b2b_call_state_name(b2b_call_state(sc->call));
	out->request_slot = sc->request.slot;
	out->request_gen = sc->request.gen;
	return TND_FFI_OK;
}

/* Waiting APIs: only on on_invite's own coroutine. */
static int check_wait(const struct script_run *run,
		      const struct script_call *sc, int in_call_thread,
		      const char *api, char *err, size_t errlen)
{
	if (!run || run->phase != SCRIPT_PHASE_INVITE)
		return script_ffi_err(err, errlen, TND_FFI_BADCTX,
				      "%s is only allowed in on_invite", api);
	if (sc && run->call != sc)
		return script_ffi_err(err, errlen, TND_FFI_BADCTX,
				      "%s is only allowed on the call of "
				      "its on_invite",
				      api);
	if (!in_call_thread)
		return script_ffi_err(err, errlen, TND_FFI_BADCTX,
				      "%s cannot wait inside a coroutine the "
				      "script created",
				      api);
	return TND_FFI_OK;
}

int tnd_ffi_sleep(uint32_t ms, int in_call_thread, char *err, size_t errlen)
{
	struct script_run *run = script_run_current();
	int st = check_wait(run, NULL, in_call_thread, "tandem.sleep()", err,
			    errlen);

	if (st)
		return st;
	script_call_sleep(run->call, ms);
	return TND_FFI_AGAIN;
}

static bool uri_ok(struct tnd_slice text)
{
	struct sip_parse_error perr;
	struct sip_uri uri;

	return sip_uri_parse(text, &uri, &perr) == 0;
}

/* From and To: a name-addr or a bare URI. */
static bool nameaddr_ok(const char *text)
{
	struct sip_parse_error perr;
	struct sip_nameaddr na;

	return sip_nameaddr_parse(tnd_slice_from_cstr(text), &na, &perr) == 0 &&
	       uri_ok(na.uri);
}

static int dial_check(const struct tnd_ffi_dial_opts *o, char *err,
		      size_t errlen)
{
	const char *t = o->transport;

	if (o->ntargets == 0)
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "call:dial() needs a target");
	for (size_t i = 0; i < o->ntargets; i++) {
		if (!uri_ok(tnd_slice_from_cstr(o->targets[i])))
			return script_ffi_err(err, errlen, TND_FFI_ERROR,
					      "invalid dial target \"%s\"",
					      o->targets[i]);
	}
	if (o->from && !nameaddr_ok(o->from))
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "invalid dial option from \"%s\"",
				      o->from);
	if (o->to && !nameaddr_ok(o->to))
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "invalid dial option to \"%s\"", o->to);
	if (o->route && !uri_ok(tnd_slice_from_cstr(o->route)))
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "invalid dial option route \"%s\"",
				      o->route);
	if (t && strcmp(t, "udp") && strcmp(t, "tcp") && strcmp(t, "tls"))
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "dial option transport must be \"udp\", "
				      "\"tcp\" or \"tls\", not \"%s\"",
				      t);
	return TND_FFI_OK;
}

int tnd_ffi_call_dial(uint32_t slot, uint32_t gen,
		      const struct tnd_ffi_dial_opts *o, char *err,
		      size_t errlen)
{
	struct b2b_dial_opts opts = {
		.targets = o->targets,
		.ntargets = o->ntargets,
		.timeout_ms = o->timeout_ms,
		.headers = o->nheaders ? o->headers : NULL,
		.nheaders = o->nheaders,
		.from = o->from,
		.to = o->to,
		.route = o->route,
		.transport = o->transport,
	};
	struct script_run *run;
	struct script_call *sc;
	int st = script_ffi_call(slot, gen, &run, &sc);

	if (!st)
		st = check_wait(run, sc, o->in_call_thread, "call:dial()", err,
				errlen);
	if (!st)
		st = dial_check(o, err, errlen);
	if (st)
		return st;
	/* The last dial's response lives until the next dial. */
	script_call_forget_response(sc);
	switch (b2b_call_dial(sc->call, &opts)) {
	case 0: sc->wait = SCRIPT_WAIT_DIAL; return TND_FFI_AGAIN;
	case EINVAL:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "call:dial() refused: a target, from, "
				      "to, route or header does not parse");
	case EPERM:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "call:dial() refused: a header in "
				      "headers is managed by the core");
	case EPROTO:
		return script_ffi_err(err, errlen, TND_FFI_ERROR, "%s",
				      script_ffi_state_error(sc->call));
	default:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "out of memory");
	}
}

int tnd_ffi_call_dial_result(uint32_t slot, uint32_t gen,
			     struct tnd_ffi_dial_result *out)
{
	const struct b2b_dial_result *r;
	struct script_run *run;
	struct script_call *sc;
	int st = script_ffi_call(slot, gen, &run, &sc);

	if (st)
		return st;
	r = sc->dial_result;
	if (!r)
		return TND_FFI_DECLINED;
	out->answered = r->answered;
	out->code = r->code;
	out->reason.p = r->reason ? r->reason : "";
	out->reason.len = strlen(out->reason.p);
	out->has_response = sc->dial_response.gen != 0;
	out->response_slot = sc->dial_response.slot;
	out->response_gen = sc->dial_response.gen;
	return TND_FFI_OK;
}

int tnd_ffi_call_reply(uint32_t slot, uint32_t gen, int status,
		       const char *reason, const char *const *headers,
		       size_t nheaders, char *err, size_t errlen)
{
	struct script_run *run;
	struct script_call *sc;
	int st = script_ffi_call(slot, gen, &run, &sc);

	if (st)
		return st;
	if (status < 300 || status > 699)
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "call:reply() status must be 300..699, "
				      "not %d",
				      status);
	if (!reason)
		reason = sip_reason_phrase((uint16_t)status);
	switch (b2b_call_reply(sc->call, (uint16_t)status, reason,
			       nheaders ? headers : NULL, nheaders)) {
	case 0: return TND_FFI_OK;
	case EINVAL:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "call:reply() refused: a header does "
				      "not parse");
	case EPROTO:
		return script_ffi_err(err, errlen, TND_FFI_ERROR, "%s",
				      script_ffi_state_error(sc->call));
	default:
		return script_ffi_err(err, errlen, TND_FFI_ERROR,
				      "out of memory");
	}
}

int tnd_ffi_call_hangup(uint32_t slot, uint32_t gen)
{
	struct script_run *run;
	struct script_call *sc;
	int st = script_ffi_call(slot, gen, &run, &sc);

	if (st)
		return st;
	b2b_call_hangup(sc->call);
	return TND_FFI_OK;
}

static const char *end_by_name(enum b2b_end_by by)
{
	switch (by) {
	case B2B_END_CALLER: return "caller";
	case B2B_END_CALLEE: return "callee";
	case B2B_END_SCRIPT: return "script";
	case B2B_END_CORE: break;
	}
	return "core";
}

int tnd_ffi_call_end_info(uint32_t slot, uint32_t gen,
			  struct tnd_ffi_end_info *out)
{
	const struct b2b_end_info *info;
	struct script_run *run;
	struct script_call *sc;
	int st = script_ffi_call(slot, gen, &run, &sc);

	if (st)
		return st;
	info = sc->end_info;
	if (!info)
		return TND_FFI_DECLINED;
	out->by = end_by_name(info->by);
	out->code = info->code;
	out->reason.p = info->reason ? info->reason : "";
	out->reason.len = strlen(out->reason.p);
	out->setup_ms = info->setup_ms;
	out->answer_ms = info->answer_ms;
	out->end_ms = info->end_ms;
	return TND_FFI_OK;
}
