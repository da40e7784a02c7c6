function on_invite(call)
  local r = call:dial({ "sip:b1@10.0.0.5", "sip:b2@10.0.0.6" }, {
    timeout = 20, headers = { ["X-A"] = "1" }, from = "sip:from@example.com",
    to = "<sip:to@example.net>", route = "sip:proxy.example.com;lr", transport = "tcp",
  })
  print("answered", r.answered, r.code, r.reason, r.response.status,
    r.response.to.tag, call.state)
end

function on_hangup(call, info)
  print("hangup", call.id, info.by, info.code, info.reason, info.answer_time)
end
