-- Fails on every call, before it dials anything.
function on_invite(call)
  error(("e2e: a deliberate error in the call to %s"):format(call.request.uri.user))
end
