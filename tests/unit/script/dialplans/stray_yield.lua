function on_invite()
  coroutine.yield("nothing to wait for")
end
