-- API misuse against the real core (testcore.lua): each raises its exact
-- error at the dialplan's own line (pcall'd here and printed), and the
-- call goes on: waits outside on_invite, answering or dropping the wrong
-- message, objects used after their lifetime, bad dial targets and
-- options, and dialling after the answer.
local testcore = require("testcore")

-- Dialplans print what each try raised, or "ok".
local TRY = [[
local function try(f)
  local ok, err = pcall(f)
  print(ok and "ok" or err)
end
]]

describe("misusing the API", function()
  local core

  after_each(function()
    if core then
      assert.are.equal(0, core:close())
    end
    core = nil
  end)

  it("raises for waits and answers outside their hooks", function()
    core = testcore.start(TRY .. [[
function on_invite(call)
  try(function() call.request:reply(200) end)
  print(select(2, coroutine.resume(coroutine.create(function()
    call:dial("sip:bob@127.0.0.1:5080") end))))
  call:dial("sip:bob@127.0.0.1:5080")
end
function on_response(res, call)
  try(function() call:dial("sip:carol@127.0.0.1:5090") end)
  try(function() res:reply(200) end)
end
function on_request(req, call)
  try(function() tandem.sleep(1) end)
  try(function() req:drop() end)
  req:reply(200)
end
function on_hangup(call)
  try(function() call:dial("sip:carol@127.0.0.1:5090") end)
end
]])
    local a = core:invite()
    core:reply(1, 180)
    core:request("OPTIONS")
    assert.are.equal("bob:INVITE@0 a:180@0 a:200@0", core:wire())
    assert.are.equal("SIP/2.0 200 OK", core:sent(3).start)
    assert.are.same({
      "dialplan:6: req:reply() is only allowed in on_request",
      "dialplan:8: call:dial() cannot wait inside a coroutine the script created",
      "dialplan:12: call:dial() is only allowed in on_invite",
      "dialplan:13: req:reply() is only allowed in on_request",
      "dialplan:16: tandem.sleep() is only allowed in on_invite",
      "dialplan:17: res:drop() is only allowed in on_response",
    }, core:printed())
    a:cancel()
    assert.are.equal("dialplan:21: call:dial() is only allowed in on_invite", core:printed()[7])
  end)

  it("drops a provisional response but raises for a final one", function()
    core = testcore.start(TRY .. [[
function on_invite(call)
  call:dial("sip:bob@127.0.0.1:5080")
end
function on_response(res)
  try(function() res:drop() end)
end
]])
    local a = core:invite()
    core:reply(1, 183)
    core:reply(1, 486)
    assert.are.equal("bob:INVITE@0 bob:ACK@0 a:486@0", core:wire())
    assert.are.same({ "ok", "dialplan:9: only a provisional response can be dropped" },
      core:printed())
    a:ack()
  end)

  it("raises for a call, request or message used after its lifetime", function()
    core = testcore.start(TRY .. [[
local old_call, old_request, old_req, old_res
function on_invite(call)
  if old_call then
    try(function() return old_call.state end)
    try(function() old_call:hangup() end)
    try(function() return old_request.method end)
    try(function() local _ = old_req:header("Via") end)
    try(function() old_res:set_header("X-A", "a") end)
    return call:reply(403)
  end
  old_call, old_request = call, call.request
  call:dial("sip:bob@127.0.0.1:5080")
end
function on_response(res)
  old_res = res
end
function on_request(req)
  old_req = req
end
]])
    local a = core:invite()
    core:reply(1, 200)
    a:ack()
    a:send("BYE")
    core:reply(core:count(), 200)
    assert.are.equal(0, core:live_calls())
    local b = core:invite()
    assert.are.equal("SIP/2.0 403 Forbidden", b:response().start)
    assert.are.same({
      "dialplan:8: call has ended",
      "dialplan:9: call has ended",
      "dialplan:10: message is gone",
      "dialplan:11: message is gone",
      "dialplan:12: message is gone",
    }, core:printed())
    b:ack()
  end)

  it("raises for a bad target or option, and nothing is sent", function()
    core = testcore.start(TRY .. [[
function on_invite(call)
  try(function() call:dial("not a uri") end)
  try(function() call:dial({ "sip:bob@127.0.0.1:5080", "bob" }) end)
  try(function() call:dial("sip:bob@127.0.0.1:5080", { timout = 1 }) end)
  try(function() call:dial("sip:bob@127.0.0.1:5080", { timeout = -1 }) end)
  try(function() call:dial("sip:bob@127.0.0.1:5080", { transport = "sctp" }) end)
  try(function() call:dial("sip:bob@127.0.0.1:5080", { from = "<nope" }) end)
  print(call.state)
end
]])
    local a = core:invite()
    assert.are.same({
      'dialplan:6: invalid dial target "not a uri"',
      'dialplan:7: invalid dial target "bob"',
      "dialplan:8: unknown dial option timout",
      "dialplan:9: dial option timeout must be a positive number of seconds, got -1",
      'dialplan:10: dial option transport must be "udp", "tcp" or "tls", not "sctp"',
      'dialplan:11: invalid dial option from "<nope"',
      "new",
    }, core:printed())
    -- on_invite returned without dialling: 480 to the caller, nothing else.
    assert.are.equal("a:480@0", core:wire())
    a:ack()
  end)

  it("raises for a dial or reply after the answer", function()
    core = testcore.start(TRY .. [[
function on_invite(call)
  call:dial("sip:bob@127.0.0.1:5080")
  try(function() call:dial("sip:carol@127.0.0.1:5090") end)
  try(function() call:reply(486) end)
  print(call.state)
end
]])
    local a = core:invite()
    core:reply(1, 200)
    assert.are.same({
      "dialplan:7: call has already been answered",
      "dialplan:8: call has already been answered",
      "answered",
    }, core:printed())
    -- A late offer: the B-leg's ACK waits for the caller's.
    assert.are.equal("bob:INVITE@0 a:200@0", core:wire())
    a:ack()
    assert.are.equal("bob:INVITE@0 a:200@0 bob:ACK@0", core:wire())
  end)
end)
