--- The sandbox dialplans run in (as Redis does for its scripts): no io,
-- no dofile or loadfile, os reduced to its clocks, require limited to
-- tandem modules, print logging instead of writing to stdout, and after
-- load, globals locked and on_* functions checked against the known
-- hooks. Pure Lua: every function takes the globals table it works on.
local M = {}

--- The hook names a dialplan may define.
M.HOOKS = { "on_invite", "on_request", "on_response", "on_cancel", "on_hangup", "on_refer" }

local function is_tandem_module(name)
  return name == "tandem" or name:find("^tandem%.[%w_]+$") ~= nil
end

--- `real_require` limited to tandem and tandem.* modules.
function M.restricted_require(real_require)
  return function(name)
    if type(name) ~= "string" or not is_tandem_module(name) then
      local shown = type(name) == "string" and string.format("%q", name) or tostring(name)
      error("require: only tandem modules can be loaded, not " .. shown, 2)
    end
    return real_require(name)
  end
end

--- Strips `G` to what dialplans may use; `tandem` becomes a global and
-- print logs (tandem.log.print).
function M.apply(G, real_require, tandem)
  local os, debug = G.os, G.debug
  G.io, G.dofile, G.loadfile, G.module, G.package, G.jit = nil, nil, nil, nil, nil, nil
  G.os = { time = os.time, clock = os.clock, date = os.date, difftime = os.difftime }
  G.debug = { traceback = debug.traceback }
  G.require = M.restricted_require(real_require)
  G.tandem = tandem
  G.print = tandem.log.print
end

--- The first (by line) global function named on_* that is not a hook,
-- as "file:line: unknown hook on_x (hooks are ...)", or nil.
function M.unknown_hook(G, getinfo)
  local known = {}
  for _, name in ipairs(M.HOOKS) do
    known[name] = true
  end
  local best, best_where
  for name, value in pairs(G) do
    if type(name) == "string" and name:find("^on_") and type(value) == "function"
        and not known[name] then
      local where = getinfo(value, "S")
      if not best or where.linedefined < best_where.linedefined
          or (where.linedefined == best_where.linedefined and name < best) then
        best, best_where = name, where
      end
    end
  end
  if best then
    return string.format("%s:%d: unknown hook %s (hooks are %s)", best_where.short_src,
      best_where.linedefined, best, table.concat(M.HOOKS, ", "))
  end
  return nil
end

--- From now on, assigning a global that does not exist raises.
function M.lock(G)
  setmetatable(G, {
    __newindex = function(_, name)
      error(string.format("assignment to undeclared global %s (globals are locked after load)",
        tostring(name)), 2)
    end,
  })
end

return M
