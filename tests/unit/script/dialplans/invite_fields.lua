-- Reports every field of the caller's INVITE as the API shows it.
function on_invite(call)
  local req, log = call.request, print
  log("id", call.id, "state", call.state, "same request", req == call.request)
  log("method", req.method, "status", req.status, "reason", req.reason)
  local u = req.uri
  log("uri", tostring(u), u.scheme, u.user, u.host, u.port, u.params.transport)
  log("from", req.from.display, req.from.tag, req.from.uri.user, req.from.uri.host)
  log("to", req.to.display, req.to.tag, tostring(req.to.uri))
  log("call_id", req.call_id, "body", req.body)
  local s = req.source
  log("source", s.address, s.port, s.transport)
  log("x-trace", req:header("x-trace"), table.concat(req:headers("X-Trace"), "|"))
  log("supported", #req:headers("k"), req:header("Supported"), req:header("X-Missing"))
  log("unknown field", req.nonsense, call.nonsense)
end
