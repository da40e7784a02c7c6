/*
 * One loaded dialplan: a LuaJIT state holding the Lua side of the API
 * (lua/tandem/, entered through tandem.runtime), the sandbox, the
 * operator's file run once, and registry refs to its hooks and to the
 * runtime entry points C calls. States are reference-counted: the script
 * holds its current one and every call holds the one it started on, so
 * a reload never closes a state under a call in progress.
 *
 * The whole load runs inside lua_cpcall, so a Lua error or an allocation
 * failure at any step comes back as a status instead of a panic. Lua
 * allocates through util/mem (lua_newstate with our allocator; this
 * LuaJIT is built with GC64, where that is supported on x86-64), so the
 * tests count its blocks and inject failures into it like any other.
 */
#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>

#include "script_int.h"
#include "tandem/log.h"
#include "tandem/mem.h"

static const char *const hook_names[SCRIPT_HOOK_COUNT] = {
	[SCRIPT_HOOK_INVITE] = "on_invite",
	[SCRIPT_HOOK_REQUEST] = "on_request",
	[SCRIPT_HOOK_RESPONSE] = "on_response",
	[SCRIPT_HOOK_CANCEL] = "on_cancel",
	[SCRIPT_HOOK_HANGUP] = "on_hangup",
};

static const char *const rt_names[SCRIPT_RT_COUNT] = {
	[SCRIPT_RT_NEW_CALL] = "new_call", [SCRIPT_RT_INVITE] = "invite",
	[SCRIPT_RT_REQUEST] = "request",   [SCRIPT_RT_RESPONSE] = "response",
	[SCRIPT_RT_CANCEL] = "cancel",     [SCRIPT_RT_HANGUP] = "hangup",
};

const char *script_hook_name(enum script_hook hook)
{
	return hook_names[hook];
}

/*
 * Lua's allocator on util/mem. Lua assumes a shrink never fails, so a
 * failed shrink keeps the larger block.
 *
 * LuaJIT 2.1.0-beta3 does not survive allocation failures while it
 * builds a state: inside lua_newstate one crashes it, inside luaopen_ffi
 * one leaks a block, and while it compiles the script one can make it
 * spin for ever. While the state is created, its libraries opened and
 * the script loaded, blocks therefore come from one arena allocated
 * beforehand (its own failure is a clean ENOMEM). Arena blocks are never
 * freed one by one: a freed one is dropped, a grown one moves out.
 */
static bool in_arena(const struct script_state *st, const void *p)
{
	const char *c = p;

	return c && c >= st->arena && c < st->arena + SCRIPT_STATE_ARENA;
}

static void *arena_alloc(struct script_state *st, size_t size)
{
	size_t rounded = (size + 15) & ~(size_t)15;
	void *p;

	if (!st->creating || rounded > SCRIPT_STATE_ARENA - st->arena_used)
		return NULL;
	p = st->arena + st->arena_used;
	st->arena_used += rounded;
	return p;
}

static void *state_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct script_state *st = ud;
	bool from_arena = in_arena(st, ptr);
	void *p;

	if (nsize == 0) {
		if (!from_arena)
			tnd_free(ptr);
		return NULL;
	}
	if (ptr && nsize <= osize) {
		p = from_arena ? ptr : tnd_realloc(ptr, nsize);
		return p ? p : ptr;
	}
	/* A new block, or a larger one. */
	p = arena_alloc(st, nsize);
	if (!p && !from_arena)
		return tnd_realloc(ptr, nsize);
	if (!p)
		p = tnd_malloc(nsize);
	if (p && ptr) {
		memcpy(p, ptr, osize);
		if (!from_arena)
			tnd_free(ptr);
	}
	return p;
}

/* The standard libraries, ffi loaded, the traceback handler. */
static int open_protected(lua_State *L)
{
	struct script_state *st = lua_touserdata(L, 1);

	luaL_openlibs(L);
	lua_getglobal(L, "require");
	lua_pushliteral(L, "ffi");
	lua_call(L, 1, 0);
	lua_pushcfunction(L, script_run_traceback);
	st->traceback = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

static int state_open(struct script_state *st)
{
	st->arena = tnd_malloc(SCRIPT_STATE_ARENA);
	if (!st->arena)
		return ENOMEM;
	st->creating = true;
	st->L = lua_newstate(state_alloc, st);
	if (st->L && lua_cpcall(st->L, open_protected, st)) {
		lua_close(st->L);
		st->L = NULL;
	}
	st->creating = false;
	return st->L ? 0 : ENOMEM;
}

/* What the protected load needs and reports. */
struct load {
	struct script_state *st;
	const char *path, *lua_dir;
	int rc; /* the errno of the step that failed */
};

/* Raises the message on top of the stack as failure `rc`. */
static int load_fail(lua_State *L, struct load *ld, int rc)
{
	ld->rc = rc;
	return lua_error(L);
}

/* Raises the error of a failed Lua status: ENOMEM or EINVAL. */
static void load_check(lua_State *L, struct load *ld, int status)
{
	if (status == LUA_ERRMEM)
		load_fail(L, ld, ENOMEM);
	else if (status)
		load_fail(L, ld, EINVAL);
}

/*
 * tandem.runtime from lua_dir, left at stack index 2 for the later
 * steps; refs to its entry points; the sandbox.
 */
static void load_runtime(lua_State *L, struct load *ld)
{
	lua_getglobal(L, "package");
	lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", ld->lua_dir, ld->lua_dir);
	lua_setfield(L, -2, "path");
	lua_pushliteral(L, "");
	lua_setfield(L, -2, "cpath");
	lua_pop(L, 1);

	lua_getglobal(L, "require");
	lua_pushliteral(L, "tandem.runtime");
	load_check(L, ld, lua_pcall(L, 1, 1, 0));
	for (int i = 0; i < SCRIPT_RT_COUNT; i++) {
		lua_getfield(L, 2, rt_names[i]);
		ld->st->rt[i] = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	lua_getfield(L, 2, "setup");
	lua_call(L, 0, 0);
}

static void load_dialplan(lua_State *L, struct load *ld)
{
	int status = luaL_loadfile(L, ld->path);

	if (status == LUA_ERRFILE)
		load_fail(L, ld, ENOENT);
	load_check(L, ld, status);
	load_check(L, ld, lua_pcall(L, 0, 0, 0));
}

/* Unknown on_* functions are refused: runtime.check names the first. */
static void load_check_hooks(lua_State *L, struct load *ld)
{
	lua_getfield(L, 2, "check");
	lua_call(L, 0, 1);
	if (!lua_isnil(L, -1))
		load_fail(L, ld, EINVAL);
	lua_pop(L, 1);
}

static void load_fetch_hooks(lua_State *L, struct load *ld)
{
	for (int i = 0; i < SCRIPT_HOOK_COUNT; i++) {
		lua_getglobal(L, hook_names[i]);
		if (lua_isfunction(L, -1)) {
			ld->st->hooks[i] = luaL_ref(L, LUA_REGISTRYINDEX);
			continue;
		}
		if (!lua_isnil(L, -1)) {
			lua_pushfstring(L, "%s: %s is a %s, not a function",
					ld->path, hook_names[i],
					luaL_typename(L, -1));
			load_fail(L, ld, EINVAL);
		}
		lua_pop(L, 1);
	}
	lua_getglobal(L, "on_refer");
	if (lua_isfunction(L, -1))
		tnd_log_warn("script: %s: on_refer is not called yet: REFER "
			     "requests go to on_request",
			     ld->path);
	lua_pop(L, 1);
}

static int load_protected(lua_State *L)
{
	struct load *ld = lua_touserdata(L, 1);

	load_runtime(L, ld);
	load_dialplan(L, ld);
	load_check_hooks(L, ld);
	load_fetch_hooks(L, ld);
	lua_getfield(L, 2, "lock");
	lua_call(L, 0, 0);
	return 0;
}

static int state_load(struct script_state *st, char *err, size_t errsize)
{
	struct load ld = { .st = st,
			   .path = st->script->path,
			   .lua_dir = st->script->lua_dir,
			   .rc = EINVAL };
	struct script_run run;
	int status;

	script_run_enter(&run, st, SCRIPT_PHASE_LOAD, NULL, "main chunk");
	st->creating = true; /* from the arena: see state_alloc */
	status = lua_cpcall(st->L, load_protected, &ld);
	st->creating = false;
	script_run_leave(&run);
	if (status == 0)
		return 0;
	if (status == LUA_ERRMEM)
		ld.rc = ENOMEM;
	snprintf(err, errsize, "%s",
		 lua_type(st->L, -1) == LUA_TSTRING ? lua_tostring(st->L, -1)
						    : "error object is not "
						      "a string");
	lua_pop(st->L, 1);
	return ld.rc;
}

int script_state_new(struct script *script, struct script_state **out,
		     char *err, size_t errsize)
{
	struct script_state *st = tnd_calloc(1, sizeof(*st));
	int rc;

	if (!st) {
		snprintf(err, errsize, "out of memory");
		return ENOMEM;
	}
	st->script = script;
	st->refs = 1;
	for (int i = 0; i < SCRIPT_HOOK_COUNT; i++)
		st->hooks[i] = LUA_NOREF;
	for (int i = 0; i < SCRIPT_RT_COUNT; i++)
		st->rt[i] = LUA_NOREF;
	if (state_open(st)) {
		tnd_free(st->arena);
		tnd_free(st);
		snprintf(err, errsize, "out of memory");
		return ENOMEM;
	}
	rc = state_load(st, err, errsize);
	if (rc) {
		script_state_unref(st);
		return rc;
	}
	*out = st;
	return 0;
}

void script_state_ref(struct script_state *st)
{
	st->refs++;
}

void script_state_unref(struct script_state *st)
{
	if (!st || --st->refs > 0)
		return;
	lua_close(st->L);
	tnd_free(st->arena);
	tnd_free(st);
}
