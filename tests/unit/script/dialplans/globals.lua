-- Globals may be defined while loading; afterwards only existing ones
-- may be assigned.
counter = 0

function on_invite(call)
  counter = counter + 1
  print("counter", counter)
  leaked = call
end
