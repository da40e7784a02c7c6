-- Every call goes to phone B.
function on_invite(call)
  call:dial("sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@")
end
