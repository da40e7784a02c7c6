function on_invite(call)
  call:dial("sip:bob@10.0.0.5")
end

function on_response(res, call)
  print(call.id, res.method, res.status, res.reason, res.uri, res.to.display,
    res.to.tag, res.to.uri.host, res:header("server"), res.source.address)
end
