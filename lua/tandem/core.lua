--- The C side of the API: the FFI declarations of include/tandem/ffi.h
-- (change both together and bump ABI), the ABI check made at load, and
-- the helpers the API modules share to call C and raise its errors.
-- Internal: dialplans use tandem, call and message objects instead.
local ffi = require("ffi")

local M = {}

--- The ABI these declarations describe; the core must report the same.
M.ABI = 2

local CDEF = [[
enum tnd_ffi_status {
  TND_FFI_OK = 0, TND_FFI_AGAIN = 1, TND_FFI_DECLINED = 2,
  TND_FFI_BADCTX = 3, TND_FFI_GONE = 4, TND_FFI_ERROR = 5,
};
struct tnd_ffi_str { const char *p; size_t len; };
struct tnd_ffi_uri {
  struct tnd_ffi_str text, scheme, user, host;
  struct tnd_ffi_str params;
  uint16_t port;
};
struct tnd_ffi_nameaddr {
  struct tnd_ffi_str display, tag;
  struct tnd_ffi_uri uri;
};
struct tnd_ffi_msg {
  int is_request;
  struct tnd_ffi_str method;
  uint16_t status;
  struct tnd_ffi_str reason, call_id, body;
};
struct tnd_ffi_source {
  char address[48];
  uint16_t port;
  const char *transport;
};
struct tnd_ffi_call {
  uint64_t id;
  const char *state;
  uint32_t request_slot, request_gen;
};
struct tnd_ffi_dial_opts {
  const char *const *targets;
  size_t ntargets;
  uint32_t timeout_ms;
  const char *const *headers;
  size_t nheaders;
  const char *from, *to, *route, *transport;
  int in_call_thread;
};
struct tnd_ffi_dial_result {
  int answered;
  uint16_t code;
  struct tnd_ffi_str reason;
  int has_response;
  uint32_t response_slot, response_gen;
};
struct tnd_ffi_end_info {
  const char *by;
  uint16_t code;
  struct tnd_ffi_str reason;
  uint64_t setup_ms, answer_ms, end_ms;
};

struct tnd_ffi_media_opts {
  int srtp[2];
  int keep_ice[2];
  uint32_t timeout_ms;
};
struct tnd_ffi_media_side {
  const char *local_addr;
  uint16_t local_rtp_port, local_rtcp_port;
  int has_remote, latched;
  char remote_addr[48];
  uint16_t remote_port;
  const char *srtp;
  uint64_t packets_in, bytes_in, packets_out, bytes_out;
  uint64_t rtcp_packets_in, rtcp_packets_out;
  uint64_t dropped_stranger, dropped_malformed, dropped_srtp;
  int64_t lost;
  double jitter_ms;
  uint64_t relatches;
};

uint32_t tnd_ffi_abi_version(void);
int tnd_ffi_log(int level, const char *text);
int tnd_ffi_sleep(uint32_t ms, int in_call_thread, char *err, size_t errlen);
int tnd_ffi_call_get(uint32_t slot, uint32_t gen, struct tnd_ffi_call *out);
int tnd_ffi_call_dial(uint32_t slot, uint32_t gen,
                      const struct tnd_ffi_dial_opts *opts, char *err, size_t errlen);
int tnd_ffi_call_dial_result(uint32_t slot, uint32_t gen,
                             struct tnd_ffi_dial_result *out);
int tnd_ffi_call_reply(uint32_t slot, uint32_t gen, int status, const char *reason,
                       const char *const *headers, size_t nheaders,
                       char *err, size_t errlen);
int tnd_ffi_call_hangup(uint32_t slot, uint32_t gen);
int tnd_ffi_call_end_info(uint32_t slot, uint32_t gen, struct tnd_ffi_end_info *out);
int tnd_ffi_call_anchor_media(uint32_t slot, uint32_t gen,
                              const struct tnd_ffi_media_opts *opts, char *err, size_t errlen);
int tnd_ffi_call_media_count(uint32_t slot, uint32_t gen, uint32_t *out);
int tnd_ffi_call_media_side(uint32_t slot, uint32_t gen, uint32_t index, int side,
                            struct tnd_ffi_media_side *out);
int tnd_ffi_msg_get(uint32_t slot, uint32_t gen, struct tnd_ffi_msg *out);
int tnd_ffi_msg_uri(uint32_t slot, uint32_t gen, struct tnd_ffi_uri *out);
int tnd_ffi_msg_nameaddr(uint32_t slot, uint32_t gen, int which,
                         struct tnd_ffi_nameaddr *out);
int tnd_ffi_msg_source(uint32_t slot, uint32_t gen, struct tnd_ffi_source *out);
int tnd_ffi_msg_header(uint32_t slot, uint32_t gen, const char *name, size_t index,
                       struct tnd_ffi_str *out);
int tnd_ffi_msg_set_header(uint32_t slot, uint32_t gen, const char *name,
                           const char *value, char *err, size_t errlen);
int tnd_ffi_msg_add_header(uint32_t slot, uint32_t gen, const char *name,
                           const char *value, char *err, size_t errlen);
int tnd_ffi_msg_remove_header(uint32_t slot, uint32_t gen, const char *name,
                              char *err, size_t errlen);
int tnd_ffi_msg_reply(uint32_t slot, uint32_t gen, int status, const char *reason,
                      const char *const *headers, size_t nheaders,
                      char *err, size_t errlen);
int tnd_ffi_msg_drop(uint32_t slot, uint32_t gen, char *err, size_t errlen);
]]
ffi.cdef(CDEF)

local C = ffi.C
M.C = C

M.OK, M.AGAIN, M.DECLINED, M.BADCTX, M.GONE, M.ERROR = 0, 1, 2, 3, 4, 5
M.FROM, M.TO = 0, 1

--- Refuses a core that does not export every declared function (its
-- executable must export tnd_ffi_*) or speaks another ABI.
function M.check_core(namespace)
  for name in CDEF:gmatch("(tnd_ffi_[%w_]+)%(") do
    local ok, fn = pcall(function() return namespace[name] end)
    if not ok or fn == nil then
      error("tandem: the executable does not export " .. name
        .. " (link it with core/script's ffi_exports.list)", 0)
    end
  end
  local core_abi = namespace.tnd_ffi_abi_version()
  if core_abi ~= M.ABI then
    error(string.format("tandem: the Lua API speaks ABI %d but the core speaks ABI %d:"
      .. " lua_dir does not belong to this tandem", M.ABI, core_abi), 0)
  end
end
M.check_core(C)

local ERRLEN = 256
M.errbuf = ffi.new("char[?]", ERRLEN)
M.ERRLEN = ERRLEN

--- Raises the failure `st` of a C call for the function `level` levels
-- up (as error's level: 1 is the function calling raise), with
-- `gone_text` for GONE and C's own words otherwise.
function M.raise(st, gone_text, level)
  if st == M.GONE then
    error(gone_text, level + 1)
  end
  error(ffi.string(M.errbuf), level + 1)
end

--- The Lua string a C slice holds.
function M.str(s)
  return ffi.string(s.p, s.len)
end

--- A C array of the strings of `list`, and its length. The array points
-- into the Lua strings: the caller keeps `list` in a local until the C
-- call that uses it has returned.
function M.cstrings(list)
  local n = #list
  if n == 0 then
    return nil, 0
  end
  local arr = ffi.new("const char *[?]", n)
  for i = 1, n do
    arr[i - 1] = list[i]
  end
  return arr, n
end

--- Coroutines running on_invite (weak keys): only they may wait.
M.call_threads = setmetatable({}, { __mode = "k" })

--- 1 when the running coroutine is an on_invite coroutine.
function M.in_call_thread()
  local co = coroutine.running()
  return co and M.call_threads[co] and 1 or 0
end

M.CALL_GONE = "call has ended"
M.MSG_GONE = "message is gone"

return M
