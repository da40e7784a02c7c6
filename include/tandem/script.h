/*
 * The Lua dialplan: a LuaJIT state loaded from the operator's script,
 * whose global hook functions (on_invite, on_request, on_response,
 * on_cancel, on_hangup) become the b2b hooks. Each call's on_invite runs
 * in its own coroutine, which yields while it waits (call:dial,
 * tandem.sleep) and is resumed by the event that ends the wait.
 *
 * Reload builds a new state and swaps it in only when it loads cleanly;
 * calls in progress keep the state they started on until they end.
 * A Lua error fails only the call it ran for, logged with file and line.
 */
#ifndef TANDEM_SCRIPT_H
#define TANDEM_SCRIPT_H

#include <stddef.h>

#include "tandem/b2b.h"
#include "tandem/timer.h"

struct script;

struct script_config {
	const char *path;    /* the dialplan file */
	const char *lua_dir; /* holds the tandem Lua modules; NULL: built in */
	/* A hook running longer than this is logged as blocking (100). */
	uint32_t slow_hook_ms;
};

/*
 * Loads the script. Returns 0 with *out set, or an errno with the reason
 * (syntax error with file and line, an unknown hook name, a runtime error
 * in the main chunk) in err[errsize].
 */
int script_new(const struct script_config *config, struct tnd_timers *timers,
	       struct script **out, char *err, size_t errsize);
/* Frees the script; every call must have ended (b2b_free first). */
void script_free(struct script *script);
/* Hooks that run calls on this script (bind once: they follow reloads). */
struct b2b_hooks script_hooks(struct script *script);
/*
 * Loads the file again into a new state; on success new calls use it,
 * calls in progress finish on their own. On failure the old one stays
 * and the reason is in err[errsize].
 */
int script_reload(struct script *script, char *err, size_t errsize);
/* Loads `config->path` as script_new does and frees it: for --check. */
int script_check(const struct script_config *config, char *err, size_t errsize);

#endif
