-- Dials after a pause, in whatever state the test left the call.
function on_invite(call)
  tandem.sleep(1)
  local ok, err = pcall(function() call:dial("sip:b@10.0.0.5") end)
  print(ok, err)
end
