-- Phones speak SRTP (SDES keys, RTP/SAVP); the carrier speaks plain RTP.
-- tandem terminates SRTP on the phones' side and relays plain RTP to the
-- carrier, and back: neither side sees the other's keys or addresses.
--
--   tandem --listen udp:127.0.0.1:5060 --script examples/srtp-to-rtp.lua
--
-- A phone that offers no usable a=crypto gets 488. Change CARRIER.

local CARRIER = "127.0.0.1:5070"

function on_invite(call)
  call:anchor_media({ a = { srtp = "sdes" }, b = { srtp = false } })
  local user = call.request.uri.user or "s"
  local r = call:dial("sip:" .. user .. "@" .. CARRIER, { timeout = 60 })
  if not r.answered then
    tandem.log.info("call ", call.id, " to ", user, " failed: ", r.code, " ", r.reason)
  end
end

function on_hangup(call, info)
  for _, m in ipairs(call.media) do
    if m.a and m.b then
      tandem.log.info(string.format("call %d stream %d: SRTP %s, %d packets in from the phone"
        .. " (%d failed authentication), %d from the carrier", call.id, m.index,
        tostring(m.a.srtp), m.a.packets_in, m.a.dropped_srtp, m.b.packets_in))
    end
  end
  tandem.log.info("call ", call.id, " ended by ", info.by, ": ", info.code, " ", info.reason)
end
