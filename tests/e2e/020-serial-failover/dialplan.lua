-- Phone B first; when it fails (503 here), phone B2.
function on_invite(call)
  local result = call:dial("sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@")
  if result.answered or result.code ~= 503 then
    error(("first dial's result: want 503, got %s %s"):format(result.code, result.reason))
  end
  call:dial("sip:carol@127.0.0.1:@UAS2_PORT@;transport=@TRANSPORT@")
end
