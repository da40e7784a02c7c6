function on_invite(call)
  call:dial("sip:b@10.0.0.5", {
    headers = { "X-B: 2", { "x-c", 3 }, ["X-A"] = { "1", "1b" }, ["x-z"] = "z" },
  })
end
