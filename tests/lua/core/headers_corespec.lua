-- Header access on messages against the real core (testcore.lua):
-- msg:header and msg:headers with any spelling of a name (case, compact
-- forms), set_header, add_header and remove_header read back and seen
-- on the B-leg INVITE and the relayed response, and the exact errors
-- for core-managed headers and bad names or values.
local testcore = require("testcore")

describe("message headers", function()
  local core

  after_each(function()
    if core then
      assert.are.equal(0, core:close())
    end
    core = nil
  end)

  it("are found by any case and by compact form", function()
    core = testcore.start([[
function on_invite(call)
  local req = call.request
  print(req:header("call-id"), req:header("CALL-ID"), req:header("i"))
  print(req:header("k"), req:header("supported"))
  print(table.concat(req:headers("X-Trace"), "|"), table.concat(req:headers("x-trace"), "|"))
  print(req:header("X-None"), #req:headers("X-None"))
  call:reply(486)
end
]])
    core:invite({ headers = { "X-Trace: one", "x-trace: two", "k: timer, 100rel" } })
    assert.are.same({
      "a1@example.com a1@example.com a1@example.com",
      "timer, 100rel timer, 100rel",
      "one|two one|two",
      "nil 0",
    }, core:printed())
  end)

  it("set on call.request read back and reach the B-leg INVITE", function()
    core = testcore.start([[
function on_invite(call)
  local req = call.request
  req:set_header("X-Tenant", "acme")
  req:add_header("x-hop", 1)
  req:add_header("X-Hop", "2")
  req:add_header("s", "added")
  req:set_header("X-Drop", "x")
  req:remove_header("x-drop")
  req:remove_header("X-Trace")
  print(req:header("X-Tenant"), table.concat(req:headers("x-hop"), "|"),
    table.concat(req:headers("Subject"), "|"), req:header("X-Drop"), req:header("X-Trace"))
  call:dial("sip:bob@127.0.0.1:5080")
end
]])
    core:invite({ headers = { "X-Trace: one", "Subject: caller's" } })
    assert.are.same({ "acme 1|2 caller's|added nil nil" }, core:printed())
    local invite = core:sent(1)
    assert.are.equal("INVITE sip:bob@127.0.0.1:5080 SIP/2.0", invite.start)
    assert.are.same({ "acme" }, invite:headers("X-Tenant"))
    -- Names keep the script's spelling, known ones and compact forms
    -- become canonical; the whole Subject header travels once edited.
    assert.are.same({ "1", "2" }, invite:headers("x-hop"))
    assert.are.equal(2, #invite:headers("X-Hop"))
    local subjects = {}
    for _, f in ipairs(invite.fields) do
      if f[1]:lower() == "subject" or f[1]:lower() == "x-hop" then
        subjects[#subjects + 1] = f[1] .. ": " .. f[2]
      end
    end
    assert.are.same({ "x-hop: 1", "x-hop: 2", "Subject: caller's", "Subject: added" }, subjects)
    assert.are.same({}, invite:headers("X-Drop"))
    assert.are.same({}, invite:headers("X-Trace"))
  end)

  it("set on a response reach the caller", function()
    core = testcore.start([[
function on_invite(call)
  call:dial("sip:bob@127.0.0.1:5080")
end
function on_response(res)
  res:set_header("x-ringing", res.status)
  print(res:header("X-RINGING"), res:header("To") ~= nil)
end
]])
    local a = core:invite()
    core:reply(1, 180)
    assert.are.equal("bob:INVITE@0 a:180@0", core:wire())
    assert.are.same({ "180" }, a:response():headers("x-ringing"))
    assert.are.same({ "180 true" }, core:printed())
    core:reply(1, 486)
    a:ack()
  end)

  it("managed by the core, or badly named, raise exact errors", function()
    core = testcore.start([[
local function try(f)
  local ok, err = pcall(f)
  print(ok and "ok" or err)
end
function on_invite(call)
  local req = call.request
  try(function() req:set_header("v", "SIP/2.0/UDP 10.0.0.1") end)
  try(function() req:add_header("i", "x@y") end)
  try(function() req:remove_header("max-forwards") end)
  try(function() req:set_header("Contact", "<sip:x@10.0.0.1>") end)
  try(function() req:add_header("RECORD-ROUTE", "<sip:10.0.0.1;lr>") end)
  try(function() req:remove_header("l") end)
  try(function() req:set_header("Bad Name", "x") end)
  try(function() req:header(42) end)
  try(function() req:add_header("X-A", "a\r\nb") end)
  try(function() req:set_header("X-A", {}) end)
  call:reply(486)
end
]])
    core:invite()
    assert.are.same({
      "dialplan:7: header Via is managed by the core",
      "dialplan:8: header Call-ID is managed by the core",
      "dialplan:9: header Max-Forwards is managed by the core",
      "dialplan:10: header Contact is managed by the core",
      "dialplan:11: header Record-Route is managed by the core",
      "dialplan:12: header Content-Length is managed by the core",
      'dialplan:13: invalid header name: "Bad Name"',
      "dialplan:14: header name must be a string, got number",
      "dialplan:15: value of header X-A must not contain CR or LF",
      "dialplan:16: value of header X-A must be a string, got table",
    }, core:printed())
    assert.are.equal("SIP/2.0 486 Busy Here", core:sent(1).start)
  end)
end)
