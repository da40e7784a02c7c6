-- call:dial's options against the real core (testcore.lua), judged by
-- what goes on the wire: timeout on the manual clock (480 when the
-- callee only rings, 408 when it never answers), headers in map and
-- list forms, from and to, route (the INVITE goes to the proxy with a
-- Route header) and transport.
local testcore = require("testcore")

-- "Name: value" of every field of `msg` whose name is in `names`.
local function lines(msg, names)
  local wanted, out = {}, {}
  for _, n in ipairs(names) do
    wanted[n:lower()] = true
  end
  for _, f in ipairs(msg.fields) do
    if wanted[f[1]:lower()] then
      out[#out + 1] = f[1] .. ": " .. f[2]
    end
  end
  return out
end

describe("call:dial", function()
  local core

  after_each(function()
    if core then
      assert.are.equal(0, core:close())
    end
    core = nil
  end)

  local function dialplan(opts)
    return [[
function on_invite(call)
  local r = call:dial("sip:bob@127.0.0.1:5080", ]] .. opts .. [[)
  print(r.answered, r.code, r.reason, r.response and r.response.status, call.state)
end
]]
  end

  it("gives up on a ringing callee after timeout: CANCEL and 480", function()
    core = testcore.start(dialplan("{ timeout = 5 }"))
    local a = core:invite({ body = testcore.SDP })
    core:at(100)
    core:reply(1, 180)
    core:at(4999)
    assert.are.equal("bob:INVITE@0 a:180@100", core:wire())
    assert.are.same({}, core:printed())
    core:at(5000)
    assert.are.equal("bob:INVITE@0 a:180@100 bob:CANCEL@5000 a:480@5000", core:wire())
    assert.are.same({ "false 480 No Answer nil new" }, core:printed())
    assert.are.equal("SIP/2.0 480 No Answer", a:response().start)
    core:reply(3, 200)
    core:reply(1, 487)
    a:ack()
    assert.are.equal("bob:INVITE@0 a:180@100 bob:CANCEL@5000 a:480@5000 bob:ACK@5000",
      core:wire())
    assert.are.equal(0, core:live_calls())
  end)

  it("gives 408 after timeout when the callee never answered", function()
    core = testcore.start(dialplan("{ timeout = 0.3 }"))
    local a = core:invite({ body = testcore.SDP })
    core:at(300)
    assert.are.equal("bob:INVITE@0 a:100@200 a:408@300", core:wire())
    assert.are.same({ "false 408 Request Timeout nil new" }, core:printed())
    a:ack()
  end)

  it("adds headers in map and list forms to the B-leg INVITE", function()
    core = testcore.start(dialplan([[{ headers = {
    "X-Z: z", { "x-y", "y" },
    ["X-B"] = "b", ["x-a"] = { "1", 2 }, subject = "hello",
  } }]]))
    core:invite()
    -- The list first, in order; then the map by canonical name.
    assert.are.same({ "X-Z: z", "x-y: y", "Subject: hello", "X-B: b", "x-a: 1", "x-a: 2" },
      lines(core:sent(1), { "X-Z", "x-y", "X-B", "x-a", "Subject" }))
  end)

  it("takes from and to for the B-leg", function()
    core = testcore.start(dialplan([[{
    from = '"Operator" <sip:op@example.net>', to = "sip:desk@example.org" }]]))
    core:invite()
    local invite = core:sent(1)
    assert.are.equal("INVITE sip:bob@127.0.0.1:5080 SIP/2.0", invite.start)
    assert.matches('^"Operator" <sip:op@example%.net>;tag=[%w%.%-]+$', invite:header("From"))
    assert.are.equal("<sip:desk@example.org>", invite:header("To"))
  end)

  it("sends to the route with a Route header", function()
    core = testcore.start(dialplan('{ route = "sip:127.0.0.1:5100" }'))
    local a = core:invite()
    local invite = core:sent(1)
    assert.are.equal("udp:127.0.0.1:5100", invite.to)
    assert.are.equal("INVITE sip:bob@127.0.0.1:5080 SIP/2.0", invite.start)
    assert.are.same({ "<sip:127.0.0.1:5100;lr>" }, invite:headers("Route"))
    core:reply(1, 486)
    assert.are.equal("proxy:INVITE@0 proxy:ACK@0 a:486@0", core:wire())
    assert.are.same({ "false 486 Busy Here 486 new" }, core:printed())
    a:ack()
  end)

  it("sends over the transport asked for", function()
    core = testcore.start(dialplan('{ transport = "tcp" }'))
    core:invite()
    local invite = core:sent(1)
    assert.are.equal("tcp:127.0.0.1:5080", invite.to)
    assert.matches("^SIP/2%.0/TCP 192%.0%.2%.1:5060;", invite:header("Via"))
    assert.are.equal("<sip:192.0.2.1:5060;transport=tcp>", invite:header("Contact"))
  end)
end)
