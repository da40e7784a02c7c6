-- Reloading the dialplan against the real core (testcore.lua): new calls
-- run on the new file while a call in progress finishes, every hook
-- included, on the state it started on; a file that does not load is
-- refused with its reason and the running one stays.
local testcore = require("testcore")

local V1 = [[
function on_invite(call)
  print("v1 on_invite", call.id)
  local r = call:dial("sip:bob@127.0.0.1:5080")
  print("v1 dialled", call.id, r.code)
end
function on_request(req, call)
  print("v1 on_request", req.method, call.id)
end
function on_hangup(call)
  print("v1 on_hangup", call.id)
end
]]

local V2 = [[
function on_invite(call)
  print("v2 on_invite", call.id)
  call:reply(486)
end
function on_hangup(call)
  print("v2 on_hangup", call.id)
end
]]

describe("reload", function()
  local core

  after_each(function()
    if core then
      assert.are.equal(0, core:close())
    end
    core = nil
  end)

  it("runs new calls on the new file and old calls on the old one", function()
    core = testcore.start(V1)
    local a = core:invite({ body = testcore.SDP })
    core:reply(1, 180)
    assert.is_true(core:reload(V2))
    local b = core:invite()
    b:ack()
    core:reply(1, 200, { body = testcore.SDP })
    a:ack()
    a:send("BYE")
    assert.are.equal("bob:INVITE@0 a:180@0 a:486@0 a:200@0 bob:ACK@0 a:200@0 bob:BYE@0",
      core:wire())
    assert.are.same({
      "v1 on_invite 1",
      "v2 on_invite 2",
      "v2 on_hangup 2",
      "v1 dialled 1 200",
      "v1 on_request BYE 1",
      "v1 on_hangup 1",
    }, core:printed())
    core:reply(7, 200)
    assert.are.equal(0, core:live_calls())
  end)

  it("keeps the running file when the new one does not load", function()
    core = testcore.start(V2)
    local ok, err = core:reload("function on_invite(call)\n  call:reply(\nend\n")
    assert.is_nil(ok)
    assert.are.equal(core.path .. ":3: unexpected symbol near 'end'", err)
    ok, err = core:reload("function on_invit(call) end\n")
    assert.is_nil(ok)
    assert.are.equal(core.path .. ":1: unknown hook on_invit (hooks are on_invite, on_request,"
      .. " on_response, on_cancel, on_hangup, on_refer)", err)
    core:invite():ack()
    assert.are.equal("a:486@0", core:wire())
    assert.are.same({ "v2 on_invite 1", "v2 on_hangup 1" }, core:printed())
  end)
end)
