-- Lua errors in hooks against the real core (testcore.lua): the call
-- they ran for fails on the wire (500 before the answer, BYE on both
-- legs after it; a request outside a dialog gets 500), and the error
-- is logged naming the dialplan file and line, with a traceback.
local testcore = require("testcore")

describe("a Lua error", function()
  local core

  after_each(function()
    if core then
      assert.are.equal(0, core:close())
    end
    core = nil
  end)

  -- The error log lines, first line each.
  local function errors()
    local out = {}
    for _, line in ipairs(core:logs()) do
      if line:sub(1, 2) == "E " then
        out[#out + 1] = line:match("^[^\n]*")
      end
    end
    return out
  end

  it("in on_invite answers 500 and logs file and line", function()
    core = testcore.start([[
function on_invite(call)
  error("no route for " .. call.request.uri.user)
end
function on_hangup(call, info)
  print("on_hangup", info.by, info.code, info.reason)
end
]])
    local a = core:invite()
    assert.are.equal("a:500@0", core:wire())
    assert.are.equal("SIP/2.0 500 Script Error", a:response().start)
    assert.are.same({ "E call 1: on_invite failed: " .. core.path .. ":2: no route for bob" },
      errors())
    local logged = core:logs()[1]
    assert.matches("\nstack traceback:\n", logged, 1, true)
    assert.matches(core.path .. ":2: in function", logged, 1, true)
    assert.are.same({ "on_hangup script 500 Script Error" }, core:printed())
    a:ack()
    assert.are.equal(0, core:live_calls())
  end)

  it("after the answer sends BYE to both legs", function()
    core = testcore.start([[
function on_invite(call)
  call:dial("sip:bob@127.0.0.1:5080")
  tandem.sleep(1)
  local r = nil
  print(r.code)
end
function on_hangup(call, info)
  print("on_hangup", info.by, info.code, info.reason, info.answer_time ~= nil)
end
]])
    local a = core:invite({ body = testcore.SDP })
    core:at(100)
    core:reply(1, 200, { body = testcore.SDP })
    core:at(200)
    a:ack()
    core:at(1100)
    assert.are.same({ "E call 1: on_invite failed: " .. core.path
      .. ":5: attempt to index local 'r' (a nil value)" }, errors())
    assert.are.equal("bob:INVITE@0 a:200@100 bob:ACK@100 a:BYE@1100 bob:BYE@1100", core:wire())
    assert.are.same({ "on_hangup script 500 Script Error true" }, core:printed())
    core:reply(4, 200)
    core:reply(5, 200)
    assert.are.equal(0, core:live_calls())
  end)

  it("in on_request outside a dialog answers that request 500", function()
    core = testcore.start([[
function on_request(req)
  req:no_such_method()
end
]])
    core:request("OPTIONS")
    assert.are.equal("SIP/2.0 500 Server Internal Error", core:sent(1).start)
    assert.are.same({ "E on_request failed: " .. core.path
      .. ":2: attempt to call method 'no_such_method' (a nil value)" }, errors())
  end)
end)
