-- Serial failover: a second dial after the first failed.
function on_invite(call)
  local r = call:dial("sip:bob@10.0.0.5", { timeout = 0.5 })
  print("first", r.answered, r.code, r.reason, r.response and r.response.status)
  local first = r.response
  if not r.answered then
    r = call:dial("sip:voicemail@10.0.0.9")
    print("second", r.answered, r.code, r.reason, r.response)
    local ok, err = pcall(function() return first.status end)
    print("first response", ok, err)
  end
end
