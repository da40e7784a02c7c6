function on_invite(call)
  call:reply(486, "Busy Here", { "Retry-After: 60", ["X-Reason"] = "busy" })
  print("state after reply", call.state)
end
