local function try(f)
  local ok, err = pcall(f)
  print(ok and "ok" or err)
end

function on_invite(call)
  try(function() tandem.sleep(-1) end)
  try(function() tandem.sleep("1") end)
  try(function() coroutine.wrap(function() tandem.sleep(1) end)() end)
  try(function() coroutine.wrap(function() call:dial("sip:b@10.0.0.5") end)() end)
end

function on_request(req)
  try(function() tandem.sleep(1) end)
  req:reply(200)
end
