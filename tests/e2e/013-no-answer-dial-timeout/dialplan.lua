-- Phone B rings for at most 2 s; the dial's result is then 480, and, the
-- script returning without an answer, what A gets.
function on_invite(call)
  local result = call:dial("sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@",
    { timeout = 2 })
  if result.answered or result.code ~= 480 then
    error(("dial result: want 480, got %s %s"):format(result.code, result.reason))
  end
end
