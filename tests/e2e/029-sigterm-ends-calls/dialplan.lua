-- Every call goes to phone B; the runner stops tandem while it is up.
function on_invite(call)
  call:dial("sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@")
end
