--- Arguments of the Lua API, checked and put in the plain form the C
-- side takes: header tables become "Name: value" lines, seconds become
-- milliseconds, dial options a checked table. Pure Lua, no FFI.
--
-- Each function takes `level` as its caller would pass it to error():
-- an API function passes 2 to blame the script line that called it.
-- Helpers pass level + 1 to the helpers they call.
local headers = require("tandem.headers")

local M = {}

local UINT32_MAX = 4294967295

local function fail(level, fmt, ...)
  error(string.format(fmt, ...), level + 1)
end

--- A header name in its canonical spelling; raises on one that is not a
-- token.
function M.header_name(name, level)
  local ok, result = pcall(headers.canonical, name)
  if not ok then
    error(result, level + 1)
  end
  return result
end

--- A header value: a string, or a number made one; no CR or LF.
function M.header_value(name, value, level)
  local kind = type(value)
  if kind == "number" then
    value = tostring(value)
  elseif kind ~= "string" then
    fail(level + 1, "value of header %s must be a string, got %s", name, kind)
  end
  if value:find("[\r\n]") then
    fail(level + 1, "value of header %s must not contain CR or LF", name)
  end
  return value
end

local function header_line(name, value, level)
  name = M.header_name(name, level + 1)
  return name .. ": " .. M.header_value(name, value, level + 1)
end

local function list_entry(entry, level)
  if type(entry) == "string" then
    local name, value = entry:match("^%s*([^:]-)%s*:%s*(.-)%s*$")
    if not name then
      fail(level + 1, "header line must be \"Name: value\", got %q", entry)
    end
    -- Not a tail call: that would drop this frame from the level count.
    local line = header_line(name, value, level + 1)
    return line
  end
  if type(entry) == "table" and entry[1] ~= nil and entry[2] ~= nil then
    local line = header_line(entry[1], entry[2], level + 1)
    return line
  end
  fail(level + 1, "header list entries must be \"Name: value\" or { name, value }, got %s",
    type(entry))
end

--- Headers for a reply or a dial, as "Name: value" lines with
-- canonical names. Takes nil, a map { ["X-Name"] = value } (a value may
-- be a list, one header each; in the order of the canonical names), a
-- list of "Name: value" strings or { name, value } pairs (in order), or
-- one table holding both, the list first.
function M.header_lines(h, level)
  if h == nil then
    return {}
  end
  if type(h) ~= "table" then
    fail(level + 1, "headers must be a table, got %s", type(h))
  end
  local lines, n = {}, #h
  for i = 1, n do
    lines[#lines + 1] = list_entry(h[i], level + 1)
  end
  local names = {}
  for k in pairs(h) do
    if not (type(k) == "number" and k >= 1 and k <= n and k % 1 == 0) then
      if type(k) ~= "string" then
        fail(level + 1, "header names must be strings, got %s", type(k))
      end
      names[#names + 1] = { canonical = M.header_name(k, level + 1), key = k }
    end
  end
  table.sort(names, function(a, b)
    if a.canonical ~= b.canonical then
      return a.canonical < b.canonical
    end
    return a.key < b.key
  end)
  for _, name in ipairs(names) do
    local value = h[name.key]
    if type(value) == "table" then
      for _, v in ipairs(value) do
        lines[#lines + 1] = header_line(name.key, v, level + 1)
      end
    else
      lines[#lines + 1] = header_line(name.key, value, level + 1)
    end
  end
  return lines
end

--- Seconds (a number >= 0) as whole milliseconds, for `what`.
function M.milliseconds(seconds, what, level)
  if type(seconds) ~= "number" or seconds ~= seconds or seconds < 0 then
    fail(level + 1, "%s needs a number of seconds >= 0, got %s", what, tostring(seconds))
  end
  return math.min(math.floor(seconds * 1000 + 0.5), UINT32_MAX)
end

--- A status code argument: an integer (its range is checked by C).
function M.status(code, what, level)
  if type(code) ~= "number" or code % 1 ~= 0 then
    fail(level + 1, "%s status must be an integer, got %s", what, tostring(code))
  end
  return code
end

--- An optional string argument.
function M.optional_string(value, what, level)
  if value ~= nil and type(value) ~= "string" then
    fail(level + 1, "%s must be a string, got %s", what, type(value))
  end
  return value
end

local DIAL_STRINGS = { "from", "to", "route", "transport" }
local DIAL_OPTIONS = { timeout = true, headers = true }
for _, k in ipairs(DIAL_STRINGS) do
  DIAL_OPTIONS[k] = true
end

local function dial_targets(target, level)
  if type(target) == "string" then
    return { target }
  end
  if type(target) ~= "table" then
    fail(level + 1, "dial target must be a URI string or a list of them, got %s", type(target))
  end
  if #target == 0 then
    fail(level + 1, "dial target list is empty")
  end
  for i, t in ipairs(target) do
    if type(t) ~= "string" then
      fail(level + 1, "dial target %d must be a URI string, got %s", i, type(t))
    end
  end
  return target
end

--- call:dial's arguments: { targets, timeout_ms (0: none), headers,
-- from, to, route, transport }.
function M.dial(target, opts, level)
  local d = { targets = dial_targets(target, level + 1), timeout_ms = 0 }
  if opts == nil then
    d.headers = {}
    return d
  end
  if type(opts) ~= "table" then
    fail(level + 1, "dial options must be a table, got %s", type(opts))
  end
  for k in pairs(opts) do
    if not DIAL_OPTIONS[k] then
      fail(level + 1, "unknown dial option %s", tostring(k))
    end
  end
  if opts.timeout ~= nil then
    local t = opts.timeout
    if type(t) ~= "number" or t ~= t or t <= 0 then
      fail(level + 1, "dial option timeout must be a positive number of seconds, got %s",
        tostring(t))
    end
    d.timeout_ms = math.max(1, M.milliseconds(t, "dial option timeout", level + 1))
  end
  for _, k in ipairs(DIAL_STRINGS) do
    d[k] = M.optional_string(opts[k], "dial option " .. k, level + 1)
  end
  d.headers = M.header_lines(opts.headers, level + 1)
  return d
end

local SRTP_MODES = { auto = 0, [false] = 1, sdes = 2 }

local function media_side(name, o, level)
  local s = { srtp = 0, keep_ice = 0 }
  if o == nil then
    return s
  end
  if type(o) ~= "table" then
    fail(level + 1, "anchor_media option %s must be a table, got %s", name, type(o))
  end
  for k in pairs(o) do
    if k ~= "srtp" and k ~= "ice" then
      fail(level + 1, "unknown anchor_media option %s.%s", name, tostring(k))
    end
  end
  if o.srtp ~= nil then
    s.srtp = SRTP_MODES[o.srtp]
    if not s.srtp then
      fail(level + 1, 'anchor_media option %s.srtp must be "sdes", "auto" or false, got %s',
        name, tostring(o.srtp))
    end
  end
  if o.ice ~= nil then
    if o.ice ~= "keep" and o.ice ~= "strip" then
      fail(level + 1, 'anchor_media option %s.ice must be "keep" or "strip", got %s',
        name, tostring(o.ice))
    end
    s.keep_ice = o.ice == "keep" and 1 or 0
  end
  return s
end

--- call:anchor_media's options: { a = side, b = side, timeout_ms } where
-- a side is { srtp (0 auto, 1 off, 2 sdes), keep_ice (0 or 1) } and
-- timeout_ms is 0 for the relay's, UINT32_MAX for none.
function M.media(opts, level)
  if opts == nil then
    opts = {}
  elseif type(opts) ~= "table" then
    fail(level + 1, "anchor_media options must be a table, got %s", type(opts))
  end
  for k in pairs(opts) do
    if k ~= "a" and k ~= "b" and k ~= "timeout" then
      fail(level + 1, "unknown anchor_media option %s", tostring(k))
    end
  end
  local m = {
    a = media_side("a", opts.a, level + 1),
    b = media_side("b", opts.b, level + 1),
    timeout_ms = 0,
  }
  if opts.timeout == false then
    m.timeout_ms = UINT32_MAX
  elseif opts.timeout ~= nil then
    local t = opts.timeout
    if type(t) ~= "number" or t ~= t or t <= 0 then
      fail(level + 1, "anchor_media option timeout must be a positive number of seconds"
        .. " or false, got %s", tostring(t))
    end
    m.timeout_ms = math.min(math.max(1, M.milliseconds(t, "anchor_media option timeout",
      level + 1)), UINT32_MAX - 1)
  end
  return m
end

return M
