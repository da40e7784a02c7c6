-- Every call goes to phone B with its media through tandem.
function on_invite(call)
  call:anchor_media()
  call:dial("sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@")
end
