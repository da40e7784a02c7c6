-- Keeps the call and its INVITE past the end of the call.
saved_call, saved_request = false, false

local function try(f)
  local ok, err = pcall(f)
  print(ok and "ok" or err)
end

function on_invite(call)
  saved_call, saved_request = call, call.request
end

function on_request(req)
  try(function() return saved_call.state end)
  try(function() saved_call:hangup() end)
  try(function() saved_call:reply(486) end)
  try(function() return saved_request.method end)
  try(function() saved_request:header("Via") end)
  req:reply(200)
end
