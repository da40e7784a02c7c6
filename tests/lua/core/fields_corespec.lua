-- The call and message fields a dialplan reads, against the real core
-- (testcore.lua): the caller's INVITE as call.request (URI parts, From
-- and To, Call-ID, source, body), their Lua types, and call.state at
-- each step of a call's life, seen from every hook.
local testcore = require("testcore")

describe("call fields", function()
  local core

  after_each(function()
    if core then
      assert.are.equal(0, core:close())
    end
    core = nil
  end)

  it("describe the caller's INVITE with Lua types", function()
    core = testcore.start([[
function on_invite(call)
  local req = call.request
  print("id", type(call.id), call.id, call.state, call.request == req)
  print("method", req.method, req.status, req.reason)
  local u = req.uri
  print("uri", tostring(u), u.scheme, u.user, u.host, type(u.port), u.port,
    u.params.transport, u.params.lr)
  local from, to = req.from, req.to
  print("from", from.display, from.tag, tostring(from.uri), from.uri.user, from.uri.port)
  print("to", to.display, to.tag, tostring(to.uri), to.uri.user, to.uri.port)
  print("call_id", req.call_id)
  local s = req.source
  print("source", s.address, type(s.port), s.port, s.transport)
  print("body", #req.body, req.body:match("m=audio %d+"))
  call:reply(486)
end
]])
    local a = core:invite({
      ruri = "sip:600@192.0.2.1:5060;transport=tcp;lr",
      from = '"Alice Smith" <sip:alice@example.com:5071>',
      peer = "tcp:127.0.0.1:5072",
      body = testcore.SDP,
    })
    assert.are.same({
      "id number 1 new true",
      "method INVITE nil nil",
      "uri sip:600@192.0.2.1:5060;transport=tcp;lr sip 600 192.0.2.1 number 5060 tcp true",
      "from Alice Smith atag1 sip:alice@example.com:5071 alice 5071",
      "to nil nil sip:bob@example.com bob nil",
      "call_id a1@example.com",
      "source 127.0.0.1 number 5072 tcp",
      "body 91 m=audio 4000",
    }, core:printed())
    local res = a:response()
    assert.are.equal("SIP/2.0 486 Busy Here", res.start)
    assert.are.equal("tcp:127.0.0.1:5072", res.to)
  end)

  it("give call.state from new to ended, in every hook", function()
    core = testcore.start([[
function on_invite(call)
  print("on_invite", call.state)
  local r = call:dial("sip:bob@127.0.0.1:5080")
  print("dialled", r.answered, r.code, r.reason, call.state)
end
function on_response(res, call)
  print("on_response", res.status, res.reason, res.method, call.state)
end
function on_request(req, call)
  print("on_request", req.method, call.state)
end
function on_hangup(call, info)
  print("on_hangup", call.state, info.by, info.code, info.reason,
    type(info.setup_time), type(info.answer_time), type(info.end_time))
end
]])
    local a = core:invite({ body = testcore.SDP })
    core:at(100)
    core:reply(1, 180)
    core:at(1000)
    core:reply(1, 200, { body = testcore.SDP })
    a:ack()
    core:at(2000)
    a:send("BYE")
    core:reply(core:count(), 200)
    assert.are.equal("bob:INVITE@0 a:180@100 a:200@1000 bob:ACK@1000 a:200@2000 bob:BYE@2000",
      core:wire())
    assert.are.same({
      "on_invite new",
      "on_response 180 Ringing INVITE dialing",
      "on_response 200 OK INVITE dialing",
      "dialled true 200 OK answered",
      "on_request BYE confirmed",
      "on_hangup ended caller 200 BYE number number number",
    }, core:printed())
    assert.are.equal(0, core:live_calls())
  end)

  it("give call.state ended in on_cancel", function()
    core = testcore.start([[
function on_invite(call)
  call:dial("sip:bob@127.0.0.1:5080")
  print("never resumed")
end
function on_cancel(call)
  print("on_cancel", call.state)
end
function on_hangup(call, info)
  print("on_hangup", call.state, info.by, info.code, info.reason, info.answer_time)
end
]])
    local a = core:invite({ body = testcore.SDP })
    core:at(100)
    core:reply(1, 180)
    core:at(500)
    a:cancel()
    assert.are.equal("bob:INVITE@0 a:180@100 a:200@500 bob:CANCEL@500 a:487@500", core:wire())
    assert.are.same({
      "on_cancel ended",
      "on_hangup ended caller 487 Request Terminated nil",
    }, core:printed())
    a:ack()
    core:reply(1, 487)
    core:advance(40000)
    assert.are.equal(0, core:live_calls())
  end)
end)
