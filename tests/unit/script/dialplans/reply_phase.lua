-- req:reply only in on_request, res:drop only in on_response.
local function try(f)
  local ok, err = pcall(f)
  print(ok and "ok" or err)
end

function on_invite(call)
  try(function() call.request:reply(200) end)
  try(function() call.request:drop() end)
  call:dial("sip:bob@10.0.0.5")
end

function on_response(res)
  try(function() res:reply(200) end)
  try(function() res:drop() end)
end

function on_request(req)
  if req.method == "ACK" then
    try(function() req:reply(200) end)
    return
  end
  try(function() req:drop() end)
  try(function() req:reply(99) end)
  try(function() req:reply(200, 7) end)
  try(function() req:reply(180) end)
  try(function() req:reply(200) end)
  try(function() req:reply(486) end)
end
