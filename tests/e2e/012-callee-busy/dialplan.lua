-- Every call goes to phone B; B's 486 is the dial's result, and, the
-- script returning without an answer, what A gets.
function on_invite(call)
  local result = call:dial("sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@")
  if result.answered or result.code ~= 486 then
    error(("dial result: want 486, got %s %s"):format(result.code, result.reason))
  end
end
