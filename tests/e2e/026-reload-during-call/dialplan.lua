-- The plan tandem starts with: every call goes to phone B, marked old.
function on_invite(call)
  call:dial("sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@",
    { headers = { ["X-Plan"] = "old" } })
end
