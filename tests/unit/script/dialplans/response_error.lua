function on_invite(call)
  call:dial("sip:bob@10.0.0.5")
end

function on_response(res)
  error({ status = res.status })
end
