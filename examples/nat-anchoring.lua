-- Phones behind NAT: their SDP names private addresses nobody can reach,
-- so the media goes through tandem's relay, which learns each phone's
-- real address from the packets it sends (symmetric latching).
--
--   tandem --listen udp:0.0.0.0:5060 --media-bind 10.0.0.2 \
--          --media-advertise 203.0.113.7 --script examples/nat-anchoring.lua
--
-- --media-advertise is the public address of a server behind 1:1 NAT;
-- leave it out when --media-bind is public itself. Change PBX to yours.

local PBX = "127.0.0.1:5070"

function on_invite(call)
  -- Calls with no RTP for 30 s (a phone gone, a NAT mapping lost) are
  -- hung up with BYE on both legs; held calls are left alone.
  call:anchor_media({ timeout = 30 })
  local r = call:dial("sip:" .. (call.request.uri.user or "s") .. "@" .. PBX, { timeout = 60 })
  if not r.answered then
    tandem.log.info("call ", call.id, " failed: ", r.code, " ", r.reason)
  end
end

-- A call record line with what the relay saw of each stream.
function on_hangup(call, info)
  local parts = { "call " .. call.id .. " ended by " .. info.by .. ": " .. info.code }
  for _, m in ipairs(call.media) do
    for _, side in ipairs({ "a", "b" }) do
      local s = m[side]
      if s then
        parts[#parts + 1] = string.format("%s%d %s:%s%s in %d lost %d jitter %.1f ms",
          side, m.index, tostring(s.remote_address), tostring(s.remote_port),
          s.latched and " (latched)" or "", s.packets_in, s.lost, s.jitter_ms)
      end
    end
  end
  tandem.log.info(table.concat(parts, "; "))
end
