-- call:dial outside on_invite, and on another call than on_invite's.
first = false

local function try(f)
  local ok, err = pcall(f)
  print(ok and "ok" or err)
end

function on_invite(call)
  if not first then
    first = call
    tandem.sleep(10)
    return
  end
  try(function() first:dial("sip:b@10.0.0.5") end)
end

function on_request(req, call)
  try(function() call:dial("sip:b@10.0.0.5") end)
  req:reply(200)
end

function on_cancel(call)
  try(function() call:dial("sip:b@10.0.0.5") end)
end

function on_hangup(call)
  try(function() call:dial("sip:b@10.0.0.5") end)
end
