function on_invite(call)
  print("before")
  tandem.sleep(1.5)
  print("after", call.state)
end

function on_hangup(call, info)
  print("hangup", call.id, info.by, info.code, info.reason, info.answer_time)
end
