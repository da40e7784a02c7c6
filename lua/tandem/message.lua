--- SIP messages as dialplans see them: on_request's req, on_response's
-- res, call.request and a dial's result.response. Fields (method,
-- status, reason, uri, from, to, call_id, source, body) are read from
-- the core on every access; methods read and edit headers, and answer
-- (req:reply) or drop (res:drop) in the hooks that allow it.
--
-- A message object holds a handle, not the message: used after the
-- message is gone (a req or res after its hook, a dial response after
-- the next dial or the end of the call) it raises "message is gone".
--
-- msg:headers(name) lists the header fields as written: a field holding
-- a comma-separated list ("Supported: timer, 100rel") is one value.
local ffi = require("ffi")
local core = require("tandem.core")
local args = require("tandem.args")
local uri = require("tandem.uri")

local C, str = core.C, core.str
local OK, DECLINED = core.OK, core.DECLINED

local M = {}

local methods, fields = {}, {}
local info = ffi.new("struct tnd_ffi_msg")
local uri_out = ffi.new("struct tnd_ffi_uri")
local nameaddr_out = ffi.new("struct tnd_ffi_nameaddr")
local source_out = ffi.new("struct tnd_ffi_source")
local header_out = ffi.new("struct tnd_ffi_str")

local Message = {
  __index = function(m, key)
    local method = methods[key]
    if method then
      return method
    end
    local get = fields[key]
    if not get then
      return nil
    end
    local value, st = get(m)
    if st then
      core.raise(st, core.MSG_GONE, 2)
    end
    return value
  end,
  __newindex = function(_, key)
    error(string.format("message field %s is read-only", tostring(key)), 2)
  end,
  __tostring = function()
    return "tandem message"
  end,
}

--- The message object of handle (slot, gen).
function M.wrap(slot, gen)
  return setmetatable({ _slot = slot, _gen = gen }, Message)
end

-- Field getters return the value, or nil and a failed status.
local function from_info(pick)
  return function(m)
    local st = C.tnd_ffi_msg_get(m._slot, m._gen, info)
    if st ~= OK then
      return nil, st
    end
    return (pick(info))
  end
end

fields.method = from_info(function(i) return str(i.method) end)
fields.call_id = from_info(function(i) return str(i.call_id) end)
fields.body = from_info(function(i) return str(i.body) end)
fields.status = from_info(function(i)
  if i.is_request == 0 then
    return i.status
  end
end)
fields.reason = from_info(function(i)
  if i.is_request == 0 then
    return str(i.reason)
  end
end)

local function uri_of(u)
  return uri.new(str(u.text), str(u.scheme), str(u.user), str(u.host), u.port, str(u.params))
end

local function nonempty(s)
  return s ~= "" and s or nil
end

function fields.uri(m)
  local st = C.tnd_ffi_msg_uri(m._slot, m._gen, uri_out)
  if st == DECLINED then
    return nil
  elseif st ~= OK then
    return nil, st
  end
  return uri_of(uri_out)
end

local function nameaddr(which)
  return function(m)
    local st = C.tnd_ffi_msg_nameaddr(m._slot, m._gen, which, nameaddr_out)
    if st == DECLINED then
      return nil
    elseif st ~= OK then
      return nil, st
    end
    local na = nameaddr_out
    return { uri = uri_of(na.uri), display = nonempty(str(na.display)),
             tag = nonempty(str(na.tag)) }
  end
end
fields.from = nameaddr(core.FROM)
fields.to = nameaddr(core.TO)

function fields.source(m)
  local st = C.tnd_ffi_msg_source(m._slot, m._gen, source_out)
  if st == DECLINED then
    return nil
  elseif st ~= OK then
    return nil, st
  end
  return { address = ffi.string(source_out.address), port = source_out.port,
           transport = ffi.string(source_out.transport) }
end

--- The value of the first header field named `name`, or nil.
function methods.header(m, name)
  name = args.header_name(name, 2)
  local st = C.tnd_ffi_msg_header(m._slot, m._gen, name, 0, header_out)
  if st == DECLINED then
    return nil
  elseif st ~= OK then
    core.raise(st, core.MSG_GONE, 2)
  end
  return str(header_out)
end

--- The values of every header field named `name`, in order ({} if none).
function methods.headers(m, name)
  name = args.header_name(name, 2)
  local list = {}
  while true do
    local st = C.tnd_ffi_msg_header(m._slot, m._gen, name, #list, header_out)
    if st == DECLINED then
      return list
    elseif st ~= OK then
      core.raise(st, core.MSG_GONE, 2)
    end
    list[#list + 1] = str(header_out)
  end
end

--- Replaces every header field named `name` by one with `value`.
function methods.set_header(m, name, value)
  name = args.header_name(name, 2)
  value = args.header_value(name, value, 2)
  local st = C.tnd_ffi_msg_set_header(m._slot, m._gen, name, value, core.errbuf, core.ERRLEN)
  if st ~= OK then
    core.raise(st, core.MSG_GONE, 2)
  end
end

--- Adds a header field after the others.
function methods.add_header(m, name, value)
  name = args.header_name(name, 2)
  value = args.header_value(name, value, 2)
  local st = C.tnd_ffi_msg_add_header(m._slot, m._gen, name, value, core.errbuf, core.ERRLEN)
  if st ~= OK then
    core.raise(st, core.MSG_GONE, 2)
  end
end

--- Removes every header field named `name`.
function methods.remove_header(m, name)
  name = args.header_name(name, 2)
  local st = C.tnd_ffi_msg_remove_header(m._slot, m._gen, name, core.errbuf, core.ERRLEN)
  if st ~= OK then
    core.raise(st, core.MSG_GONE, 2)
  end
end

--- on_request: answers the request instead of the default handling.
function methods.reply(m, code, reason, headers)
  code = args.status(code, "req:reply()", 2)
  reason = args.optional_string(reason, "req:reply() reason", 2)
  local lines = args.header_lines(headers, 2)
  local arr, n = core.cstrings(lines)
  local st = C.tnd_ffi_msg_reply(m._slot, m._gen, code, reason, arr, n,
    core.errbuf, core.ERRLEN)
  if st ~= OK then
    core.raise(st, core.MSG_GONE, 2)
  end
end

--- on_response: does not relay this provisional response.
function methods.drop(m)
  local st = C.tnd_ffi_msg_drop(m._slot, m._gen, core.errbuf, core.ERRLEN)
  if st ~= OK then
    core.raise(st, core.MSG_GONE, 2)
  end
end

return M
