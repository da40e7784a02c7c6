/*
 * Private to core/script: the script, its Lua states, the calls running
 * on them, the handle table that stands between Lua and the b2b's
 * pointers, and the running context the FFI functions act on.
 *
 * Ownership: a struct script owns its handle table and one reference on
 * its current state; each struct script_call owns a reference on the
 * state it started on, its coroutine and Lua object (registry refs) and
 * its handles. A state is closed when its last reference goes.
 */
#ifndef TANDEM_SCRIPT_INT_H
#define TANDEM_SCRIPT_INT_H

#include <lua.h>
#include <stdbool.h>
#include <stdint.h>

#include "tandem/b2b.h"
#include "tandem/script.h"
#include "tandem/timer.h"

#define SCRIPT_SLOW_HOOK_MS_DEFAULT 100

/* Where Lua runs: what each API checks before it acts. */
enum script_phase {
	SCRIPT_PHASE_LOAD,   /* the dialplan's main chunk */
	SCRIPT_PHASE_INVITE, /* on_invite's coroutine */
	SCRIPT_PHASE_REQUEST,
	SCRIPT_PHASE_RESPONSE,
	SCRIPT_PHASE_CANCEL,
	SCRIPT_PHASE_HANGUP,
};

/* The dialplan's hooks, fetched once at load. */
enum script_hook {
	SCRIPT_HOOK_INVITE,
	SCRIPT_HOOK_REQUEST,
	SCRIPT_HOOK_RESPONSE,
	SCRIPT_HOOK_CANCEL,
	SCRIPT_HOOK_HANGUP,
	SCRIPT_HOOK_COUNT
};
const char *script_hook_name(enum script_hook hook);

/* Entry points of lua/tandem/runtime.lua that C calls. */
enum script_rt {
	SCRIPT_RT_NEW_CALL, /* (slot, gen) -> call object */
	SCRIPT_RT_INVITE,   /* (hook, call): on_invite's coroutine body */
	SCRIPT_RT_REQUEST,  /* (hook, slot, gen, call|nil) */
	SCRIPT_RT_RESPONSE, /* (hook, slot, gen, call) */
	SCRIPT_RT_CANCEL,   /* (hook, call) */
	SCRIPT_RT_HANGUP,   /* (hook, call, by, code, reason, setup, answer,
			       end) */
	SCRIPT_RT_COUNT
};

/* handles.c: what Lua holds instead of pointers. */
enum script_handle_kind {
	SCRIPT_HANDLE_FREE,
	SCRIPT_HANDLE_CALL,          /* ptr: struct script_call */
	SCRIPT_HANDLE_INVITE,        /* ptr: the A-leg INVITE (call.request) */
	SCRIPT_HANDLE_REQUEST,       /* ptr: on_request's message */
	SCRIPT_HANDLE_RESPONSE,      /* ptr: on_response's message */
	SCRIPT_HANDLE_DIAL_RESPONSE, /* ptr: a dial's final response */
};

struct script_ref {
	uint32_t slot, gen; /* gen 0: no handle */
};

struct script_slot {
	uint32_t gen; /* bumped on release, never 0 */
	enum script_handle_kind kind;
	void *ptr;
	bool answered;      /* REQUEST: a final reply went out */
	uint32_t next_free; /* FREE: the next free slot, or UINT32_MAX */
};

struct script_handles {
	struct script_slot *slots;
	uint32_t count, cap;
	uint32_t free_head; /* UINT32_MAX: none */
};

void script_handles_init(struct script_handles *h);
void script_handles_fini(struct script_handles *h);
/* Returns 0 or ENOMEM. */
int script_handles_put(struct script_handles *h, enum script_handle_kind kind,
		       void *ptr, struct script_ref *out);
/* The live slot `ref` names, or NULL when it is gone. */
struct script_slot *script_handles_get(struct script_handles *h, uint32_t slot,
				       uint32_t gen);
/* Ends the handle (harmless on none) and zeroes *ref. */
void script_handles_release(struct script_handles *h, struct script_ref *ref);
/* The slot at `index` whatever its state, for walking the table. */
struct script_slot *script_handles_at(struct script_handles *h, uint32_t index);

/* state.c: one loaded Lua state. */
/* What opening a state and loading tandem's modules with a dialplan take
 * (about 320 KiB), and room for a larger dialplan. */
#define SCRIPT_STATE_ARENA (512 << 10)

struct script_state {
	struct script *script;
	lua_State *L;
	char *arena; /* blocks of the state's creation (see state.c) */
	size_t arena_used;
	bool creating;
	unsigned refs;
	int hooks[SCRIPT_HOOK_COUNT]; /* registry refs; LUA_NOREF: none */
	int rt[SCRIPT_RT_COUNT];
	int traceback; /* registry ref of script_run_traceback */
};

/* Returns 0, or an errno with the reason in err[errsize]. */
int script_state_new(struct script *script, struct script_state **out,
		     char *err, size_t errsize);
void script_state_ref(struct script_state *st);
/* Closes the state with its last reference. */
void script_state_unref(struct script_state *st);

/* run.c: the running context, timing, protected calls. */
struct script_run {
	struct script *script;
	struct script_state *state;
	enum script_phase phase;
	struct script_call *call; /* NULL outside a call */
	const char *hook;         /* for logs: "on_invite" */
	uint64_t start_ms;
	struct script_run *prev;
};

/*
 * The one per-process pointer of the layer: the context of the Lua code
 * running now. FFI functions are called by Lua with nothing but handles
 * and plain values, so this is how they find the script, the phase and
 * the call they act for. It is set only while a hook or the main chunk
 * runs, on the one thread that runs the loop, and restored on return.
 */
struct script_run *script_run_current(void);
void script_run_enter(struct script_run *run, struct script_state *st,
		      enum script_phase phase, struct script_call *call,
		      const char *hook);
/* Leaves the context and warns when it ran past slow_hook_ms. */
void script_run_leave(struct script_run *run);
/*
 * Calls the function below `nargs` arguments on st->L under a traceback
 * handler, as hook `hook` of `call` (may be NULL) in `phase`. On a Lua
 * error logs it with the traceback and returns EINVAL; 0 otherwise. The
 * function and its arguments are popped, results dropped.
 */
int script_run_pcall(struct script_state *st, enum script_phase phase,
		     struct script_call *call, const char *hook, int nargs);
/* The message handler of hook calls: the error with a traceback. */
int script_run_traceback(lua_State *L);
/* Logs a failed coroutine's error with its traceback. */
void script_run_log_error(struct script_call *call, const char *hook,
			  lua_State *co);
/* "call 7: " for a call, "" without; buf must hold 32 bytes. */
const char *script_run_prefix(const struct script_call *call, char *buf,
			      size_t size);

/* call.c: a call as the script sees it. */
enum script_wait {
	SCRIPT_WAIT_NONE,
	SCRIPT_WAIT_DIAL,
	SCRIPT_WAIT_SLEEP,
};

struct script_call {
	struct script *script;
	struct script_state *state; /* referenced */
	struct b2b_call *call;
	uint64_t id;
	struct script_ref self, request, dial_response;
	int object; /* registry ref of the Lua call object */
	int thread; /* registry ref of on_invite's coroutine, or LUA_NOREF */
	lua_State *co;
	enum script_wait wait;
	struct tnd_timer sleep_timer;
	/* Set while the resume that ends a dial runs. */
	const struct b2b_dial_result *dial_result;
	/* Set while on_hangup runs. */
	const struct b2b_end_info *end_info;
};

/* Returns 0 or ENOMEM/EINVAL (logged); sets the b2b call's user. */
int script_call_new(struct script *script, struct b2b_call *call,
		    struct script_call **out);
/* Drops the coroutine if parked, unbinds from the b2b call, frees. */
void script_call_free(struct script_call *sc);
/* Runs on_invite in a new coroutine. */
void script_call_start(struct script_call *sc);
/* Resumes the parked coroutine (dial done, sleep over). */
void script_call_resume(struct script_call *sc);
/* Starts tandem.sleep's timer. */
void script_call_sleep(struct script_call *sc, uint32_t ms);
/* Ends the handle of the last dial's response. */
void script_call_forget_response(struct script_call *sc);

/* hooks.c */
struct b2b_hooks script_hooks_make(struct script *script);

struct script {
	char *path, *lua_dir;
	uint32_t slow_hook_ms;
	struct tnd_timers *timers;
	struct script_state *current; /* referenced */
	struct script_handles handles;
};

/* The FFI functions, named so that linking script.c links them too. */
typedef void (*script_ffi_fn)(void);
extern const script_ffi_fn script_ffi_exports[];

/* ffi_common.c: what every FFI function needs. */
int script_ffi_err(char *err, size_t errlen, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The call `slot, gen` names in the running script: OK, GONE, BADCTX. */
int script_ffi_call(uint32_t slot, uint32_t gen, struct script_run **run,
		    struct script_call **out);
/* The message `slot, gen` names: OK, GONE, BADCTX. */
int script_ffi_msg(uint32_t slot, uint32_t gen, struct script_run **run,
		   struct script_slot **out);
/* Why b2b refused an action on the call with EPROTO. */
const char *script_ffi_state_error(const struct b2b_call *call);

#endif
