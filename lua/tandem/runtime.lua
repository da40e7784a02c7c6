--- Where the core enters Lua: core/script loads this module into each
-- new state, calls setup before the dialplan runs and check and lock
-- after, and calls the other functions to run the dialplan's hooks with
-- call and message objects made from handles. Internal to tandem.
local core = require("tandem.core")
local call = require("tandem.call")
local message = require("tandem.message")
local sandbox = require("tandem.sandbox")
local tandem = require("tandem")

local M = {}

local G = _G
local real_require = require
local getinfo = debug.getinfo

function M.setup()
  sandbox.apply(G, real_require, tandem)
end

--- nil, or the error naming an unknown hook.
function M.check()
  return sandbox.unknown_hook(G, getinfo)
end

function M.lock()
  sandbox.lock(G)
end

function M.new_call(slot, gen)
  return call.wrap(slot, gen)
end

--- The body of on_invite's coroutine.
function M.invite(hook, c)
  core.call_threads[coroutine.running()] = true
  hook(c)
end

function M.request(hook, slot, gen, c)
  hook(message.wrap(slot, gen), c)
end

function M.response(hook, slot, gen, c)
  hook(message.wrap(slot, gen), c)
end

function M.cancel(hook, c)
  hook(c)
end

function M.hangup(hook, c)
  hook(c, call.end_info(c))
end

return M
