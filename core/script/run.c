/*
 * Running Lua: the context the FFI functions act on (which script,
 * state, hook and call), the time each run takes (there is no other
 * guard against a runaway hook: under the JIT, instruction-count hooks
 * do not fire), and the protected call that logs a hook's error with
 * file, line and traceback.
 */
#include <errno.h>
#include <inttypes.h>
#include <lauxlib.h>
#include <stdio.h>

#include "script_int.h"
#include "tandem/log.h"

static struct script_run *running;

struct script_run *script_run_current(void)
{
	return running;
}

void script_run_enter(struct script_run *run, struct script_state *st,
		      enum script_phase phase, struct script_call *call,
		      const char *hook)
{
	*run = (struct script_run){
		.script = st->script,
		.state = st,
		.phase = phase,
		.call = call,
		.hook = hook,
		.start_ms = tnd_timers_now(st->script->timers),
		.prev = running,
	};
	script_state_ref(st);
	running = run;
}

void script_run_leave(struct script_run *run)
{
	struct script *s = run->script;
	uint64_t ms = tnd_timers_now(s->timers) - run->start_ms;
	char prefix[32];

	running = run->prev;
	if (ms > s->slow_hook_ms)
		tnd_log_warn(
		    "%shook %s ran %" PRIu64 " ms",
		    script_run_prefix(run->call, prefix, sizeof(prefix)),
		    run->hook, ms);
	script_state_unref(run->state);
}

const char *script_run_prefix(const struct script_call *call, char *buf,
			      size_t size)
{
	if (!call)
		return "";
	snprintf(buf, size, "call %" PRIu64 ": ", call->id);
	return buf;
}

static const char *error_text(lua_State *L, int index)
{
	if (lua_type(L, index) == LUA_TSTRING)
		return lua_tostring(L, index);
	return "(error object is not a string)";
}

int script_run_traceback(lua_State *L)
{
	luaL_traceback(L, L, error_text(L, 1), 1);
	return 1;
}

int script_run_pcall(struct script_state *st, enum script_phase phase,
		     struct script_call *call, const char *hook, int nargs)
{
	lua_State *L = st->L;
	int func = lua_gettop(L) - nargs;
	struct script_run run;
	char prefix[32];
	int status;

	lua_rawgeti(L, LUA_REGISTRYINDEX, st->traceback);
	lua_insert(L, func);
	script_run_enter(&run, st, phase, call, hook);
	status = lua_pcall(L, nargs, 0, func);
	script_run_leave(&run);
	if (status)
		tnd_log_error("%s%s failed: %s",
			      script_run_prefix(call, prefix, sizeof(prefix)),
			      hook, error_text(L, -1));
	lua_settop(L, func - 1);
	return status ? EINVAL : 0;
}

struct coroutine_error {
	lua_State *co;
	const char *prefix, *hook;
};

static int log_coroutine_error(lua_State *L)
{
	struct coroutine_error *ce = lua_touserdata(L, 1);

	luaL_traceback(L, ce->co, error_text(ce->co, -1), 0);
	tnd_log_error("%s%s failed: %s", ce->prefix, ce->hook,
		      lua_tostring(L, -1));
	return 0;
}

void script_run_log_error(struct script_call *call, const char *hook,
			  lua_State *co)
{
	char prefix[32];
	struct coroutine_error ce = {
		.co = co,
		.prefix = script_run_prefix(call, prefix, sizeof(prefix)),
		.hook = hook,
	};

	/* The traceback allocates: without memory, the bare message. */
	if (lua_cpcall(call->state->L, log_coroutine_error, &ce)) {
		lua_pop(call->state->L, 1);
		tnd_log_error("%s%s failed: %s", ce.prefix, hook,
			      error_text(co, -1));
	}
}
