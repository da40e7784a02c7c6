-- The plan SIGHUP loads while the first call is up: the same, marked new.
function on_invite(call)
  call:dial("sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@",
    { headers = { ["X-Plan"] = "new" } })
end
