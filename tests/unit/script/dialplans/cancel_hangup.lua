function on_invite(call)
  call:dial("sip:bob@10.0.0.5")
end

function on_cancel(call)
  print("cancelled", call.id, call.state)
  error("cancel handling failed")
end

function on_hangup(call, info)
  print("hangup", info.by, info.code, info.reason)
  error("hangup handling failed")
end
