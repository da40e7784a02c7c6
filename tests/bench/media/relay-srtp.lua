-- The media benchmark's dialplan, SRTP mix (scripts/bench-media.sh):
-- as relay-anchored.lua, with SRTP (SDES) towards the caller and plain
-- RTP towards the callee, so the relay decrypts or encrypts every packet.
function on_invite(call)
  call:anchor_media({ a = { srtp = "sdes" }, b = { srtp = false } })
  call:dial("sip:" .. call.request.uri.user .. "@127.0.0.1:@UAS_PORT@")
end
