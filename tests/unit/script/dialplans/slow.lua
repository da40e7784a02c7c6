function on_invite(call)
  call:reply(486)
end

function on_request(req)
  req:reply(200)
end
