-- The smallest useful dialplan: every call goes to one fixed target, the
-- callee's answer (or failure) goes back to the caller.
--
--   tandem --listen udp:127.0.0.1:5060 --script examples/relay.lua
--
-- Change TARGET to your PBX or carrier. The dialled user is kept.

local TARGET = "127.0.0.1:5070"

function on_invite(call)
  local user = call.request.uri.user or "s"
  local r = call:dial("sip:" .. user .. "@" .. TARGET, { timeout = 60 })
  if not r.answered then
    tandem.log.info("call ", call.id, " to ", user, " failed: ", r.code, " ", r.reason)
  end
  -- Returning without answering sends the caller the callee's failure.
end

function on_hangup(call, info)
  tandem.log.info("call ", call.id, " ended by ", info.by, ": ", info.code, " ", info.reason)
end
