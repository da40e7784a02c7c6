-- Every call goes to phone B with its media through tandem, hung up
-- after 1 s without RTP unless held.
function on_invite(call)
  call:anchor_media({ timeout = 1 })
  call:dial("sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@")
end
