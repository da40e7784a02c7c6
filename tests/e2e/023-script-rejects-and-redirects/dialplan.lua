-- Answers without dialling: by the user part of the Request-URI.
function on_invite(call)
  local user = call.request.uri.user
  if user == "busy" then
    call:reply(486, "Busy Here")
  elseif user == "moved" then
    call:reply(302, "Moved Temporarily", { Contact = "<sip:elsewhere@127.0.0.1>" })
  else
    call:reply(404, "Not Found")
  end
end
