function on_request(req, call)
  local log = print
  log("call", call)
  log(req.method, req.status, req.reason, tostring(req.uri), req.uri.host, req.uri.port,
    req.uri.user)
  log(req.from.uri.user, req.from.tag, req.to.tag, req.call_id, req.body == "")
  log(req:header("x-probe"), #req:headers("Via"), req:header("Content-Length"))
  req:reply(200, "OK", { ["X-A"] = "1" })
end
