/*
 * What every FFI function shares: the ABI version the Lua side checks,
 * the script's log, resolving a handle in the running script, and the
 * error texts a script author reads.
 */
#include <stdarg.h>
#include <stdio.h>

#include "script_int.h"
#include "tandem/ffi.h"
#include "tandem/log.h"

uint32_t tnd_ffi_abi_version(void)
{
	return TND_FFI_ABI_VERSION;
}

int tnd_ffi_log(int level, const char *text)
{
	struct script_run *run = script_run_current();
	char prefix[32];

	if (level < TND_LOG_ERROR || level > TND_LOG_DEBUG)
		level = TND_LOG_INFO;
	tnd_log(
	    (enum tnd_log_level)level, "%s%s",
	    script_run_prefix(run ? run->call : NULL, prefix, sizeof(prefix)),
	    text);
	return TND_FFI_OK;
}

int script_ffi_err(char *err, size_t errlen, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return status;
}

/*
 * Nothing is alive outside a hook, and Lua runs only inside one, so
 * a handle resolved with no running context is simply gone.
 */
int script_ffi_call(uint32_t slot, uint32_t gen, struct script_run **run,
		    struct script_call **out)
{
	struct script_slot *s;

	*run = script_run_current();
	if (!*run)
		return TND_FFI_GONE;
	s = script_handles_get(&(*run)->script->handles, slot, gen);
	if (!s || s->kind != SCRIPT_HANDLE_CALL)
		return TND_FFI_GONE;
	*out = s->ptr;
	/* A call of another state: not reachable from this one. */
	if ((*out)->state != (*run)->state)
		return TND_FFI_GONE;
	return TND_FFI_OK;
}

int script_ffi_msg(uint32_t slot, uint32_t gen, struct script_run **run,
		   struct script_slot **out)
{
	struct script_slot *s;

	*run = script_run_current();
	if (!*run)
		return TND_FFI_GONE;
	s = script_handles_get(&(*run)->script->handles, slot, gen);
	if (!s || s->kind == SCRIPT_HANDLE_CALL)
		return TND_FFI_GONE;
	*out = s;
	return TND_FFI_OK;
}

const char *script_ffi_state_error(const struct b2b_call *call)
{
	switch (b2b_call_state(call)) {
	case B2B_CALL_DIALING: return "dial already in progress";
	case B2B_CALL_ANSWERED:
	case B2B_CALL_CONFIRMED: return "call has already been answered";
	case B2B_CALL_ENDED: return "call has ended";
	case B2B_CALL_NEW: break;
	}
	return "call is not in a state that allows this";
}
