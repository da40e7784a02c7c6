local function try(f)
  local ok, err = pcall(f)
  print(ok and "ok" or err)
end

function on_invite(call)
  try(function() call:reply(200) end)
  try(function() call:reply("busy") end)
  try(function() call:reply(486, 5) end)
  try(function() call:reply(486, nil, "X-A: 1") end)
  try(function() call:reply(486, nil, { ["Bad Name"] = "x" }) end)
  try(function() call:reply(486, nil, { ["X-A"] = "a\r\nb" }) end)
  try(function() call:reply(486, nil, { "no colon" }) end)
  try(function() call:reply(302, nil, { Contact = "<sip:elsewhere@10.0.0.7>" }) end)
  try(function() call:reply(486) end)
  try(function() call.state = "answered" end)
end
