--- The `tandem` global of dialplans: tandem.sleep(seconds) and
-- tandem.log.debug/info/warn/error(...), which log through the core
-- with the script's file and line (and the call, inside one); print
-- logs too.
local core = require("tandem.core")
local args = require("tandem.args")

local C = core.C
local getinfo = debug.getinfo

local M = { log = {} }

--- on_invite: waits `seconds` (a number >= 0) without blocking others.
function M.sleep(seconds)
  local ms = args.milliseconds(seconds, "tandem.sleep()", 2)
  local st = C.tnd_ffi_sleep(ms, core.in_call_thread(), core.errbuf, core.ERRLEN)
  if st ~= core.AGAIN then
    core.raise(st, core.CALL_GONE, 2)
  end
  coroutine.yield()
end

-- tostring of each argument, joined by `sep`.
local function join(sep, ...)
  local parts = { ... }
  for i = 1, select("#", ...) do
    parts[i] = tostring(parts[i])
  end
  return table.concat(parts, sep)
end

-- Levels of tnd_log_level.
local LEVELS = { error = 0, warn = 1, info = 2, debug = 3 }

local function emit(level, text)
  local where = getinfo(3, "Sl")
  if where and where.currentline > 0 then
    text = where.short_src .. ":" .. where.currentline .. ": " .. text
  end
  C.tnd_ffi_log(level, text)
end

-- tandem.log.info("call ", id, " failed"): the arguments concatenated,
-- as ngx.log does, prefixed with the caller's file and line.
for name, level in pairs(LEVELS) do
  M.log[name] = function(...)
    emit(level, join("", ...))
  end
end

--- What dialplans get as print: info level, arguments joined by spaces.
function M.log.print(...)
  emit(LEVELS.info, join(" ", ...))
end

return M
