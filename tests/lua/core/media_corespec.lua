-- call:anchor_media() and call.media against the real core, its relay on
-- loopback ports 9000-9199 (testcore.c): SDP rewritten both ways, the
-- streams the script sees, 488 for an offer that does not parse, and the
-- errors of misuse. Without anchor_media the SDP passes untouched.
local testcore = require("testcore")

local OFFER = table.concat({
  "v=0", "o=alice 1 1 IN IP4 192.0.2.10", "s=-", "c=IN IP4 192.0.2.10",
  "t=0 0", "m=audio 4000 RTP/AVP 0 101", "a=rtpmap:0 PCMU/8000",
  "a=rtpmap:101 telephone-event/8000", "a=candidate:1 1 UDP 1 192.0.2.10 4000 typ host", "",
}, "\r\n")
local ANSWER = table.concat({
  "v=0", "o=bob 5 5 IN IP4 198.51.100.20", "s=-", "c=IN IP4 198.51.100.20",
  "t=0 0", "m=audio 5000 RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "",
}, "\r\n")

-- The port of an SDP's m=audio line, and its c= address.
local function media_of(body)
  return tonumber(body:match("m=audio (%d+) ")), body:match("c=IN IP4 (%S+)")
end

describe("media anchoring", function()
  local core

  after_each(function()
    if core then
      assert.are.equal(0, core:close())
    end
    core = nil
  end)

  it("rewrites the SDP both ways to the relay and shows the stream", function()
    core = testcore.start([[
function on_invite(call)
  call:anchor_media()
  call:dial("sip:bob@127.0.0.1:5080")
end
function on_hangup(call)
  for _, m in ipairs(call.media) do
    for _, side in ipairs({ "a", "b" }) do
      local s = m[side]
      print(string.format("%d %s %s:%d -> %s:%d latched=%s srtp=%s in=%d", m.index, side,
        s.local_address, s.local_port, s.remote_address, s.remote_port, tostring(s.latched),
        tostring(s.srtp), s.packets_in))
    end
  end
end
]])
    local a = core:invite({ body = OFFER })
    local offer = core:sent(1)
    local port_b, addr_b = media_of(offer.body)
    assert.are.equal("127.0.0.1", addr_b)
    assert.is_true(port_b >= 9000 and port_b <= 9199)
    assert.is_truthy(offer.body:match("^v=0\r\no=tandem %d+ 1 IN IP4 127%.0%.0%.1\r\n"))
    assert.is_nil(offer.body:match("candidate"))
    assert.is_truthy(offer.body:match("a=rtpmap:101 telephone%-event/8000"))

    core:reply(1, 200, { body = ANSWER })
    local ok = core:last(200)
    local port_a, addr_a = media_of(ok.body)
    assert.are.equal("127.0.0.1", addr_a)
    assert.is_true(port_a >= 9000 and port_a <= 9199 and port_a ~= port_b)
    assert.is_nil(ok.body:match("198%.51%.100%.20"))
    a:ack()
    a:send("BYE")
    assert.are.same({
      string.format("1 a 127.0.0.1:%d -> 192.0.2.10:4000 latched=false srtp=false in=0", port_a),
      string.format("1 b 127.0.0.1:%d -> 198.51.100.20:5000 latched=false srtp=false in=0",
        port_b),
    }, core:printed())
  end)

  it("offers SDES towards a side that asks for it, with a key of its own", function()
    core = testcore.start([[
function on_invite(call)
  call:anchor_media({ b = { srtp = "sdes" } })
  call:dial("sip:bob@127.0.0.1:5080")
end
]])
    local a = core:invite({ body = OFFER })
    local offer = core:sent(1).body
    assert.is_truthy(offer:match("m=audio %d+ RTP/SAVP 0 101\r\n"))
    assert.is_truthy(offer:match("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[%w+/=]+\r\n"))
    core:reply(1, 486)
    a:ack()
  end)

  it("answers 488 naming the line of an offer that does not parse", function()
    core = testcore.start([[
function on_invite(call)
  call:anchor_media()
  call:dial("sip:bob@127.0.0.1:5080")
end
]])
    local a = core:invite({
      body = "v=0\r\no=a 1 1 IN IP4 192.0.2.10\r\ns=-\r\nt=0 0\r\nm=audio x RTP/AVP 0\r\n",
    })
    assert.are.equal("a:488@0", core:wire())
    assert.are.equal("SIP/2.0 488 bad m= line 5", core:sent(1).start)
    a:ack()
  end)

  it("carries a late offer's answer in the ACK, and ends the call on an unusable one", function()
    core = testcore.start([[
function on_invite(call)
  call:anchor_media()
  call:dial("sip:bob@127.0.0.1:5080")
end
]])
    local a = core:invite()
    core:reply(1, 200, { body = ANSWER })
    local offer_to_a = core:last(200).body
    assert.are.equal("127.0.0.1", select(2, media_of(offer_to_a)))
    a:ack(OFFER:gsub("m=audio 4000 RTP/AVP 0 101", "m=audio 4000 RTP/AVP 0"))
    local ack = core:last("ACK")
    assert.is_truthy(ack.body:match("^v=0\r\no=tandem "))

    local b = core:invite()
    local n = core:count()
    core:reply(n, 200, { body = ANSWER })
    b:ack("v=0\r\n")
    -- The ACK (after its lookup) goes without the answer, then BYEs.
    assert.are.equal("a:BYE@0 bob:ACK@0 bob:BYE@0",
      core:wire():match("a:BYE@0 bob:ACK@0 bob:BYE@0$"))
    assert.are.equal("", core:last("ACK").body)
    a:send("BYE")
  end)

  it("rewrites a hold from the callee, with each leg's o= version moving on", function()
    core = testcore.start([[
function on_invite(call)
  call:anchor_media()
  call:dial("sip:bob@127.0.0.1:5080")
end
]])
    local a = core:invite({ body = OFFER })
    local invite = core:sent(1)
    core:reply(1, 200, { body = ANSWER })
    a:ack()
    local ok = core:last(200)
    -- Bob holds: a re-INVITE in its dialog with tandem's B-leg.
    local sdp = ANSWER:gsub("o=bob 5 5", "o=bob 5 6") .. "a=sendonly\r\n"
    core:inject(table.concat({
      "INVITE " .. invite:header("Contact"):match("<(.-)>") .. " SIP/2.0",
      "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKbhold;rport",
      "Max-Forwards: 70",
      "From: " .. invite:header("To") .. ";tag=b1",
      "To: " .. invite:header("From"),
      "Call-ID: " .. invite:header("Call-ID"),
      "CSeq: 20 INVITE",
      "Contact: <sip:bob@127.0.0.1:5080>",
      "Content-Type: application/sdp",
      "Content-Length: " .. #sdp, "", sdp,
    }, "\r\n"), "udp:127.0.0.1:5080")
    local hold = core:last("INVITE")
    assert.are.equal("udp:127.0.0.1:5070", hold.to)
    assert.is_truthy(hold.body:match("a=sendonly\r\n"))
    assert.are.equal(select(1, media_of(ok.body)), select(1, media_of(hold.body)))
    assert.are.equal(ok.body:match("o=tandem (%d+) 1 "), hold.body:match("o=tandem (%d+) 2 "))
    -- Alice answers recvonly: Bob gets it on his leg's o=, version 2.
    local answer = OFFER:gsub("o=alice 1 1", "o=alice 1 2") .. "a=recvonly\r\n"
    core:inject(table.concat({
      "SIP/2.0 200 OK",
      "Via: " .. hold:header("Via"),
      "From: " .. hold:header("From"),
      "To: " .. hold:header("To"),
      "Call-ID: " .. hold:header("Call-ID"),
      "CSeq: " .. hold:header("CSeq"),
      "Contact: <sip:alice@127.0.0.1:5070>",
      "Content-Type: application/sdp",
      "Content-Length: " .. #answer, "", answer,
    }, "\r\n"))
    local to_bob = core:last(function(m) return m.status == 200 and m.to:match(":5080$") end)
    assert.is_truthy(to_bob.body:match("a=recvonly\r\n"))
    assert.are.equal(invite.body:match("o=tandem (%d+) 1 "),
      to_bob.body:match("o=tandem (%d+) 2 "))
    assert.are.equal(select(1, media_of(invite.body)), select(1, media_of(to_bob.body)))
    a:send("BYE")
  end)

  it("passes SDP untouched without anchor_media", function()
    core = testcore.start([[
function on_invite(call)
  call:dial("sip:bob@127.0.0.1:5080")
end
]])
    local a = core:invite({ body = OFFER })
    assert.are.equal(OFFER, core:sent(1).body)
    core:reply(1, 486)
    a:ack()
  end)

  it("raises for bad options and after the answer", function()
    core = testcore.start([[
local function try(f)
  local ok, err = pcall(f)
  print(ok and "ok" or err)
end
function on_invite(call)
  try(function() call:anchor_media({ c = {} }) end)
  try(function() call:anchor_media({ a = { srtp = true } }) end)
  try(function() call:anchor_media({ b = { ice = "maybe" } }) end)
  try(function() call:anchor_media({ timeout = -1 }) end)
  try(function() call:anchor_media({ timeout = false, a = { srtp = false, ice = "keep" } }) end)
  call:dial("sip:bob@127.0.0.1:5080")
  try(function() call:anchor_media() end)
  try(function() return #call.media end)
end
]])
    local a = core:invite({ body = OFFER })
    core:reply(1, 200, { body = ANSWER })
    a:ack()
    a:send("BYE")
    assert.are.same({
      "dialplan:6: unknown anchor_media option c",
      'dialplan:7: anchor_media option a.srtp must be "sdes", "auto" or false, got true',
      'dialplan:8: anchor_media option b.ice must be "keep" or "strip", got maybe',
      "dialplan:9: anchor_media option timeout must be a positive number of seconds or false,"
        .. " got -1",
      "ok",
      "dialplan:12: call:anchor_media() must come before the call is answered",
      "ok",
    }, core:printed())
  end)
end)
