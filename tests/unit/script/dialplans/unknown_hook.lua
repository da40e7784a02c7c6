function on_invite(call) call:reply(404) end

function on_invit(call) call:reply(486) end

function on_hangups() end
