saved = false

local function try(f)
  local ok, err = pcall(f)
  print(ok and "ok" or err)
end

function on_request(req)
  if saved then
    try(function() return saved.method end)
    try(function() saved:header("X-Probe") end)
    try(function() saved:set_header("X-Probe", "again") end)
    try(function() saved:reply(200) end)
  end
  saved = req
end
