/*
 * The script of script.h: its configuration, the current Lua state
 * (reload swaps it only for one that loaded cleanly), the handle table
 * every state's Lua reaches the core through, and the b2b hooks bound
 * once for all reloads. Uses state.c to load, call.c and hooks.c to run.
 */
#include <errno.h>
#include <stdio.h>

#include "script_int.h"
#include "tandem/ffi.h"
#include "tandem/mem.h"

/*
 * Lua finds the FFI functions by name in the executable's dynamic
 * symbol table, and nothing in C calls them; naming them here makes a
 * static link that takes script.c take them too.
 */
const script_ffi_fn script_ffi_exports[] = {
	(script_ffi_fn)tnd_ffi_abi_version,
	(script_ffi_fn)tnd_ffi_log,
	(script_ffi_fn)tnd_ffi_sleep,
	(script_ffi_fn)tnd_ffi_call_get,
	(script_ffi_fn)tnd_ffi_call_dial,
	(script_ffi_fn)tnd_ffi_call_dial_result,
	(script_ffi_fn)tnd_ffi_call_reply,
	(script_ffi_fn)tnd_ffi_call_hangup,
	(script_ffi_fn)tnd_ffi_call_end_info,
	(script_ffi_fn)tnd_ffi_call_anchor_media,
	(script_ffi_fn)tnd_ffi_call_media_count,
	(script_ffi_fn)tnd_ffi_call_media_side,
	(script_ffi_fn)tnd_ffi_msg_get,
	(script_ffi_fn)tnd_ffi_msg_uri,
	(script_ffi_fn)tnd_ffi_msg_nameaddr,
	(script_ffi_fn)tnd_ffi_msg_source,
	(script_ffi_fn)tnd_ffi_msg_header,
	(script_ffi_fn)tnd_ffi_msg_set_header,
	(script_ffi_fn)tnd_ffi_msg_add_header,
	(script_ffi_fn)tnd_ffi_msg_remove_header,
	(script_ffi_fn)tnd_ffi_msg_reply,
	(script_ffi_fn)tnd_ffi_msg_drop,
	NULL,
};

static char *dup_cstr(const char *s)
{
	return tnd_slice_dup(tnd_slice_from_cstr(s));
}

int script_new(const struct script_config *config, struct tnd_timers *timers,
	       struct script **out, char *err, size_t errsize)
{
	struct script *s;
	int rc;

	if (!config->path) {
		snprintf(err, errsize, "no dialplan file given");
		return EINVAL;
	}
	s = tnd_calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errsize, "out of memory");
		return ENOMEM;
	}
	script_handles_init(&s->handles);
	s->timers = timers;
	s->slow_hook_ms = config->slow_hook_ms ? config->slow_hook_ms
					       : SCRIPT_SLOW_HOOK_MS_DEFAULT;
	s->path = dup_cstr(config->path);
	s->lua_dir =
	    dup_cstr(config->lua_dir ? config->lua_dir : TANDEM_LUA_DIR);
	if (!s->path || !s->lua_dir) {
		snprintf(err, errsize, "out of memory");
		rc = ENOMEM;
	} else {
		rc = script_state_new(s, &s->current, err, errsize);
	}
	if (rc) {
		script_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* Calls still bound (b2b_free frees them without on_hangup): their b2b
 * calls are gone, so they are freed without touching them. */
static void free_orphan_calls(struct script *s)
{
	struct script_slot *slot;

	for (uint32_t i = 0; (slot = script_handles_at(&s->handles, i)); i++) {
		if (slot->kind == SCRIPT_HANDLE_CALL) {
			struct script_call *sc = slot->ptr;

			sc->call = NULL;
			script_call_free(sc);
		}
	}
}

void script_free(struct script *script)
{
	if (!script)
		return;
	free_orphan_calls(script);
	script_state_unref(script->current);
	script_handles_fini(&script->handles);
	tnd_free(script->path);
	tnd_free(script->lua_dir);
	tnd_free(script);
}

struct b2b_hooks script_hooks(struct script *script)
{
	return script_hooks_make(script);
}

int script_reload(struct script *script, char *err, size_t errsize)
{
	struct script_state *st;
	int rc = script_state_new(script, &st, err, errsize);

	if (rc)
		return rc;
	script_state_unref(script->current);
	script->current = st;
	return 0;
}

int script_check(const struct script_config *config, char *err, size_t errsize)
{
	struct tnd_timers timers;
	struct script *s;
	int rc;

	tnd_timers_init(&timers, tnd_clock_monotonic);
	rc = script_new(config, &timers, &s, err, errsize);
	if (!rc)
		script_free(s);
	return rc;
}
