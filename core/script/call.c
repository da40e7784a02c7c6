/*
 * A call as the script sees it: its handles (the call and its A-leg
 * INVITE, the last dial's response), its Lua object, and on_invite's
 * coroutine with what it waits for (a dial, a sleep). The coroutine is
 * resumed only by the event that ends its wait, and dropped, never
 * resumed, once the call is over for the script.
 *
 * Steps that allocate Lua objects run under lua_cpcall, so running out
 * of memory fails the call instead of the process.
 */
#include <errno.h>
#include <inttypes.h>
#include <lauxlib.h>

#include "script_int.h"
#include "tandem/log.h"
#include "tandem/mem.h"

/* The Lua call object, from runtime.new_call(slot, gen). */
static int bind_protected(lua_State *L)
{
	struct script_call *sc = lua_touserdata(L, 1);

	lua_rawgeti(L, LUA_REGISTRYINDEX, sc->state->rt[SCRIPT_RT_NEW_CALL]);
	lua_pushinteger(L, sc->self.slot);
	lua_pushinteger(L, sc->self.gen);
	lua_call(L, 2, 1);
	sc->object = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

int script_call_new(struct script *script, struct b2b_call *call,
		    struct script_call **out)
{
	struct script_call *sc = tnd_calloc(1, sizeof(*sc));
	lua_State *L = script->current->L;
	int rc, status;

	if (!sc)
		return ENOMEM;
	sc->script = script;
	sc->state = script->current;
	script_state_ref(sc->state);
	sc->id = b2b_call_id(call);
	sc->object = sc->thread = LUA_NOREF;
	tnd_timer_init(&sc->sleep_timer);
	rc = script_handles_put(&script->handles, SCRIPT_HANDLE_CALL, sc,
				&sc->self);
	if (!rc)
		rc = script_handles_put(&script->handles, SCRIPT_HANDLE_INVITE,
					b2b_call_request(call), &sc->request);
	if (!rc && (status = lua_cpcall(L, bind_protected, sc))) {
		rc = status == LUA_ERRMEM ? ENOMEM : EINVAL;
		lua_pop(L, 1);
	}
	if (rc) {
		script_call_free(sc);
		return rc;
	}
	sc->call = call;
	b2b_call_set_user(call, sc);
	*out = sc;
	return 0;
}

static void drop_thread(struct script_call *sc)
{
	tnd_timer_cancel(sc->script->timers, &sc->sleep_timer);
	sc->wait = SCRIPT_WAIT_NONE;
	sc->co = NULL;
	if (sc->thread != LUA_NOREF)
		luaL_unref(sc->state->L, LUA_REGISTRYINDEX, sc->thread);
	sc->thread = LUA_NOREF;
}

void script_call_free(struct script_call *sc)
{
	struct script_handles *h = &sc->script->handles;

	drop_thread(sc);
	if (sc->object != LUA_NOREF)
		luaL_unref(sc->state->L, LUA_REGISTRYINDEX, sc->object);
	script_handles_release(h, &sc->self);
	script_handles_release(h, &sc->request);
	script_handles_release(h, &sc->dial_response);
	if (sc->call)
		b2b_call_set_user(sc->call, NULL);
	script_state_unref(sc->state);
	tnd_free(sc);
}

/* Runs the coroutine until it waits, ends or fails. */
static void call_resume(struct script_call *sc, int nargs)
{
	struct script_run run;
	char prefix[32];
	int status;

	script_run_enter(&run, sc->state, SCRIPT_PHASE_INVITE, sc, "on_invite");
	status = lua_resume(sc->co, nargs);
	script_run_leave(&run);
	if (status == LUA_YIELD && sc->wait != SCRIPT_WAIT_NONE)
		return;
	if (status == LUA_YIELD)
		tnd_log_error("%son_invite failed: coroutine.yield() outside "
			      "tandem's API",
			      script_run_prefix(sc, prefix, sizeof(prefix)));
	else if (status)
		script_run_log_error(sc, "on_invite", sc->co);
	drop_thread(sc);
	if (status)
		b2b_call_fail(sc->call);
	else
		b2b_call_script_done(sc->call);
}

static int start_protected(lua_State *L)
{
	struct script_call *sc = lua_touserdata(L, 1);

	sc->co = lua_newthread(L);
	sc->thread = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

void script_call_start(struct script_call *sc)
{
	struct script_state *st = sc->state;
	char prefix[32];

	if (lua_cpcall(st->L, start_protected, sc)) {
		lua_pop(st->L, 1);
		tnd_log_error("%scannot start on_invite: out of memory",
			      script_run_prefix(sc, prefix, sizeof(prefix)));
		b2b_call_fail(sc->call);
		return;
	}
	lua_rawgeti(sc->co, LUA_REGISTRYINDEX, st->rt[SCRIPT_RT_INVITE]);
	lua_rawgeti(sc->co, LUA_REGISTRYINDEX, st->hooks[SCRIPT_HOOK_INVITE]);
	lua_rawgeti(sc->co, LUA_REGISTRYINDEX, sc->object);
	call_resume(sc, 2);
}

void script_call_resume(struct script_call *sc)
{
	if (sc->co)
		call_resume(sc, 0);
}

static void on_sleep_timer(struct tnd_timer *timer, void *arg)
{
	struct script_call *sc = arg;

	(void)timer;
	sc->wait = SCRIPT_WAIT_NONE;
	/* Over for the script: on_hangup comes next and drops it. */
	if (b2b_call_state(sc->call) == B2B_CALL_ENDED)
		return;
	script_call_resume(sc);
}

void script_call_sleep(struct script_call *sc, uint32_t ms)
{
	tnd_timer_start(sc->script->timers, &sc->sleep_timer, ms,
			on_sleep_timer, sc);
	sc->wait = SCRIPT_WAIT_SLEEP;
}

void script_call_forget_response(struct script_call *sc)
{
	script_handles_release(&sc->script->handles, &sc->dial_response);
}
