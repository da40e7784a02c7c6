-- The media benchmark's dialplan, RTP mix (scripts/bench-media.sh):
-- every call anchored through tandem's relay and sent on to the callee
-- on 127.0.0.1, the request URI's user kept (rtp_load names the call
-- in it). The script runs a copy with the port's placeholder replaced.
function on_invite(call)
  call:anchor_media()
  call:dial("sip:" .. call.request.uri.user .. "@127.0.0.1:@UAS_PORT@")
end
