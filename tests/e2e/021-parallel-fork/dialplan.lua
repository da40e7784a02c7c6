-- Phones B and B2 at once; the first to answer takes the call.
function on_invite(call)
  call:dial({
    "sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@",
    "sip:carol@127.0.0.1:@UAS2_PORT@;transport=@TRANSPORT@",
  })
end
