-- Answering without a callee: reject some calls, redirect others, relay
-- the rest. A redirect (3xx) tells the caller where to call instead.
--
--   tandem --listen udp:127.0.0.1:5060 --script examples/reject-redirect.lua

local blocked = { ["anonymous"] = true }
local moved = {
  ["200"] = "<sip:200@10.0.0.20>",
  ["sales"] = "<sip:sales@shop.example.com>",
}

function on_invite(call)
  local req = call.request
  if blocked[req.from.uri.user or ""] then
    return call:reply(603, "Decline")
  end
  local user = req.uri.user or ""
  if user == "busy" then
    return call:reply(486, "Busy Here")
  end
  if moved[user] then
    return call:reply(302, "Moved Temporarily", { Contact = moved[user] })
  end
  call:dial("sip:" .. user .. "@127.0.0.1:5070")
end

function on_request(req, call)
  -- Out-of-dialog MESSAGE gets a polite refusal; the rest go to the core.
  if not call and req.method == "MESSAGE" then
    req:reply(405, "Method Not Allowed", { Allow = "INVITE, ACK, BYE, CANCEL, OPTIONS" })
  end
end
