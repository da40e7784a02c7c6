function on_invite(call)
  call:hangup()
  print("after hangup", call.state)
end

function on_hangup(call, info)
  print("hangup", call.id, info.by, info.code, info.reason, info.setup_time,
    info.answer_time, info.end_time)
end
