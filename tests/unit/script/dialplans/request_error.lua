function on_invite(call)
  call:dial("sip:bob@10.0.0.5")
end

function on_request(req)
  if req:header("X-Answer-First") then
    req:reply(200)
  end
  error("bad request handling")
end
