/*
 * The b2b hooks a script binds: each finds the state to run on (the
 * call's own, or the current one for a new call or a request outside a
 * dialog), hands Lua handles for the call and the message, runs the
 * dialplan's hook, and falls back to the core's default when the
 * dialplan has none. Handles of a hook's message end when it returns.
 *
 * A Lua error fails only the call it ran for: on_invite and
 * on_response fail the call; on_request answers 500 (unless the script
 * answered) and fails its call; errors in on_cancel and on_hangup, which
 * run on a call already ending, are logged.
 */
#include <errno.h>
#include <inttypes.h>
#include <lauxlib.h>
#include <string.h>

#include "script_int.h"
#include "tandem/log.h"

static void push_call(lua_State *L, const struct script_call *sc)
{
	if (sc)
		lua_rawgeti(L, LUA_REGISTRYINDEX, sc->object);
	else
		lua_pushnil(L);
}

static void hook_on_invite(void *arg, struct b2b_call *call)
{
	struct script_call *sc;
	int rc = script_call_new(arg, call, &sc);

	if (rc) {
		tnd_log_error("call %" PRIu64 ": cannot run the script: %s",
			      b2b_call_id(call), strerror(rc));
		b2b_call_fail(call);
		return;
	}
	if (sc->state->hooks[SCRIPT_HOOK_INVITE] == LUA_NOREF) {
		b2b_call_reply(call, 404, "Not Found", NULL, 0);
		return;
	}
	script_call_start(sc);
}

/*
 * Runs on_request or on_response (`hook`) for `msg`, whose handle ends
 * when it returns. Returns 0 when the hook ran cleanly or is not
 * defined, EINVAL when it failed; *answered tells whether the script
 * answered the request finally.
 */
static int run_msg_hook(struct script *s, struct b2b_call *call,
			struct b2b_msg *msg, enum script_hook hook,
			bool *answered)
{
	bool request = hook == SCRIPT_HOOK_REQUEST;
	struct script_call *sc = call ? b2b_call_user(call) : NULL;
	struct script_state *st = sc ? sc->state : s->current;
	struct script_ref ref;
	char prefix[32];
	int rc;

	*answered = false;
	if (st->hooks[hook] == LUA_NOREF || (call && !sc))
		return 0;
	if (script_handles_put(&s->handles,
			       request ? SCRIPT_HANDLE_REQUEST
				       : SCRIPT_HANDLE_RESPONSE,
			       msg, &ref)) {
		tnd_log_error("%s%s skipped: out of memory",
			      script_run_prefix(sc, prefix, sizeof(prefix)),
			      script_hook_name(hook));
		return 0;
	}
	lua_rawgeti(st->L, LUA_REGISTRYINDEX,
		    st->rt[request ? SCRIPT_RT_REQUEST : SCRIPT_RT_RESPONSE]);
	lua_rawgeti(st->L, LUA_REGISTRYINDEX, st->hooks[hook]);
	lua_pushinteger(st->L, ref.slot);
	lua_pushinteger(st->L, ref.gen);
	push_call(st->L, sc);
	rc = script_run_pcall(
	    st, request ? SCRIPT_PHASE_REQUEST : SCRIPT_PHASE_RESPONSE, sc,
	    script_hook_name(hook), 4);
	*answered =
	    script_handles_get(&s->handles, ref.slot, ref.gen)->answered;
	script_handles_release(&s->handles, &ref);
	return rc;
}

static void hook_on_request(void *arg, struct b2b_call *call,
			    struct b2b_msg *req)
{
	bool answered;

	if (!run_msg_hook(arg, call, req, SCRIPT_HOOK_REQUEST, &answered))
		return;
	if (!answered && b2b_msg_sip(req)->method != SIP_METHOD_ACK)
		b2b_msg_reply(req, 500, "Server Internal Error", NULL, 0);
	if (call)
		b2b_call_fail(call);
}

static void hook_on_response(void *arg, struct b2b_call *call,
			     struct b2b_msg *res)
{
	bool answered;

	if (run_msg_hook(arg, call, res, SCRIPT_HOOK_RESPONSE, &answered))
		b2b_call_fail(call);
}

static void hook_on_cancel(void *arg, struct b2b_call *call)
{
	struct script_call *sc = b2b_call_user(call);
	struct script_state *st;

	(void)arg;
	if (!sc || sc->state->hooks[SCRIPT_HOOK_CANCEL] == LUA_NOREF)
		return;
	st = sc->state;
	lua_rawgeti(st->L, LUA_REGISTRYINDEX, st->rt[SCRIPT_RT_CANCEL]);
	lua_rawgeti(st->L, LUA_REGISTRYINDEX, st->hooks[SCRIPT_HOOK_CANCEL]);
	push_call(st->L, sc);
	script_run_pcall(st, SCRIPT_PHASE_CANCEL, sc, "on_cancel", 2);
}

static void hook_on_dial_done(void *arg, struct b2b_call *call,
			      const struct b2b_dial_result *result)
{
	struct script_call *sc = b2b_call_user(call);
	struct script *s = arg;
	char prefix[32];

	if (!sc || sc->wait != SCRIPT_WAIT_DIAL)
		return;
	sc->wait = SCRIPT_WAIT_NONE;
	/* Over for the script: on_hangup comes next and drops it. */
	if (b2b_call_state(call) == B2B_CALL_ENDED)
		return;
	if (result->response &&
	    script_handles_put(&s->handles, SCRIPT_HANDLE_DIAL_RESPONSE,
			       result->response, &sc->dial_response))
		tnd_log_error("%sthe dial's response is not available to the "
			      "script: out of memory",
			      script_run_prefix(sc, prefix, sizeof(prefix)));
	sc->dial_result = result;
	script_call_resume(sc);
	sc->dial_result = NULL;
}

static void hook_on_hangup(void *arg, struct b2b_call *call,
			   const struct b2b_end_info *info)
{
	struct script_call *sc = b2b_call_user(call);
	struct script_state *st;

	(void)arg;
	if (!sc)
		return;
	st = sc->state;
	if (st->hooks[SCRIPT_HOOK_HANGUP] != LUA_NOREF) {
		sc->end_info = info;
		lua_rawgeti(st->L, LUA_REGISTRYINDEX, st->rt[SCRIPT_RT_HANGUP]);
		lua_rawgeti(st->L, LUA_REGISTRYINDEX,
			    st->hooks[SCRIPT_HOOK_HANGUP]);
		push_call(st->L, sc);
		script_run_pcall(st, SCRIPT_PHASE_HANGUP, sc, "on_hangup", 2);
		sc->end_info = NULL;
	}
	script_call_free(sc);
}

struct b2b_hooks script_hooks_make(struct script *script)
{
	return (struct b2b_hooks){
		.on_invite = hook_on_invite,
		.on_request = hook_on_request,
		.on_response = hook_on_response,
		.on_cancel = hook_on_cancel,
		.on_dial_done = hook_on_dial_done,
		.on_hangup = hook_on_hangup,
		.arg = script,
	};
}
