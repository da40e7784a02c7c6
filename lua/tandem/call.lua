--- Calls as dialplans see them. Fields: id (a number unique in the
-- process), state ("new", "dialing", "answered", "confirmed", "ended")
-- request (the caller's INVITE, a message) and media (the anchored
-- streams). Methods: dial, reply, hangup, anchor_media.
--
-- A call object holds a handle, not the call: used after on_hangup has
-- returned for it, it raises "call has ended".
local ffi = require("ffi")
local core = require("tandem.core")
local args = require("tandem.args")
local message = require("tandem.message")

local C, str = core.C, core.str
local OK, AGAIN = core.OK, core.AGAIN

local M = {}

local methods, fields = {}, {}
local info = ffi.new("struct tnd_ffi_call")
local result = ffi.new("struct tnd_ffi_dial_result")
local end_out = ffi.new("struct tnd_ffi_end_info")

local Call = {
  __index = function(c, key)
    local method = methods[key]
    if method then
      return method
    end
    local get = fields[key]
    if not get then
      return nil
    end
    local st = C.tnd_ffi_call_get(c._slot, c._gen, info)
    if st ~= OK then
      core.raise(st, core.CALL_GONE, 2)
    end
    return get(c, info)
  end,
  __newindex = function(_, key)
    error(string.format("call field %s is read-only", tostring(key)), 2)
  end,
  __tostring = function()
    return "tandem call"
  end,
}

--- The call object of handle (slot, gen).
function M.wrap(slot, gen)
  return setmetatable({ _slot = slot, _gen = gen }, Call)
end

function fields.id(_, i)
  return tonumber(i.id)
end

function fields.state(_, i)
  return ffi.string(i.state)
end

-- The same message object on every access.
function fields.request(c, i)
  local request = rawget(c, "_request")
  if not request then
    request = message.wrap(i.request_slot, i.request_gen)
    rawset(c, "_request", request)
  end
  return request
end

local function dial_result()
  return {
    answered = result.answered ~= 0,
    code = result.code,
    reason = str(result.reason),
    response = result.has_response ~= 0
      and message.wrap(result.response_slot, result.response_gen) or nil,
  }
end

--- on_invite: dials `target` (a URI, or a list of URIs dialled in
-- parallel) and waits for the outcome: { answered, code, reason,
-- response }. Options: timeout (seconds), headers, from, to, route,
-- transport ("udp", "tcp", "tls").
function methods.dial(c, target, opts)
  local d = args.dial(target, opts, 2)
  local targets, ntargets = core.cstrings(d.targets)
  local headers, nheaders = core.cstrings(d.headers)
  local o = ffi.new("struct tnd_ffi_dial_opts", {
    targets = targets, ntargets = ntargets, timeout_ms = d.timeout_ms,
    headers = headers, nheaders = nheaders, from = d.from, to = d.to,
    route = d.route, transport = d.transport,
    in_call_thread = core.in_call_thread(),
  })
  local st = C.tnd_ffi_call_dial(c._slot, c._gen, o, core.errbuf, core.ERRLEN)
  if st ~= AGAIN then
    core.raise(st, core.CALL_GONE, 2)
  end
  coroutine.yield()
  st = C.tnd_ffi_call_dial_result(c._slot, c._gen, result)
  if st ~= OK then
    core.raise(st, core.CALL_GONE, 2)
  end
  return dial_result()
end

--- Anchors the call's media through tandem's relay (before the
-- answer): options a and b (the caller's and the callee's side), each
-- { srtp = "sdes" | false | "auto", ice = "keep" | "strip" }, and
-- timeout (seconds without RTP that end an answered call; false: never).
function methods.anchor_media(c, opts)
  local m = args.media(opts, 2)
  local o = ffi.new("struct tnd_ffi_media_opts", {
    srtp = { m.a.srtp, m.b.srtp }, keep_ice = { m.a.keep_ice, m.b.keep_ice },
    timeout_ms = m.timeout_ms,
  })
  local st = C.tnd_ffi_call_anchor_media(c._slot, c._gen, o, core.errbuf, core.ERRLEN)
  if st ~= OK then
    core.raise(st, core.CALL_GONE, 2)
  end
end

local media_side = ffi.new("struct tnd_ffi_media_side")
local media_count = ffi.new("uint32_t[1]")

local function side_table(s)
  return {
    local_address = ffi.string(s.local_addr),
    local_port = s.local_rtp_port,
    local_rtcp_port = s.local_rtcp_port,
    remote_address = s.has_remote ~= 0 and ffi.string(s.remote_addr) or nil,
    remote_port = s.has_remote ~= 0 and s.remote_port or nil,
    latched = s.latched ~= 0,
    srtp = s.srtp ~= nil and ffi.string(s.srtp) or false,
    packets_in = tonumber(s.packets_in),
    bytes_in = tonumber(s.bytes_in),
    packets_out = tonumber(s.packets_out),
    bytes_out = tonumber(s.bytes_out),
    rtcp_packets_in = tonumber(s.rtcp_packets_in),
    rtcp_packets_out = tonumber(s.rtcp_packets_out),
    dropped_stranger = tonumber(s.dropped_stranger),
    dropped_malformed = tonumber(s.dropped_malformed),
    dropped_srtp = tonumber(s.dropped_srtp),
    lost = tonumber(s.lost),
    jitter_ms = s.jitter_ms,
    relatches = tonumber(s.relatches),
  }
end

-- call.media: a list with one entry per anchored m= line, { index, a, b }
-- (a rejected line has no a and b), each side { local_address,
-- local_port, remote_address, remote_port, latched, srtp, packets_in,
-- bytes_in, packets_out, bytes_out, lost, jitter_ms, dropped_... }: what
-- the relay received from that side and sent on.
function fields.media(c)
  if C.tnd_ffi_call_media_count(c._slot, c._gen, media_count) ~= OK then
    core.raise(core.GONE, core.CALL_GONE, 2)
  end
  local list = {}
  for i = 0, media_count[0] - 1 do
    local entry = { index = i + 1 }
    for side, name in ipairs({ "a", "b" }) do
      if C.tnd_ffi_call_media_side(c._slot, c._gen, i, side - 1, media_side) == OK then
        entry[name] = side_table(media_side)
      end
    end
    list[#list + 1] = entry
  end
  return list
end

--- Answers the caller with a final failure (300..699) before answer.
function methods.reply(c, code, reason, headers)
  code = args.status(code, "call:reply()", 2)
  reason = args.optional_string(reason, "call:reply() reason", 2)
  local lines = args.header_lines(headers, 2)
  local arr, n = core.cstrings(lines)
  local st = C.tnd_ffi_call_reply(c._slot, c._gen, code, reason, arr, n,
    core.errbuf, core.ERRLEN)
  if st ~= OK then
    core.raise(st, core.CALL_GONE, 2)
  end
end

--- Ends the call in any state.
function methods.hangup(c)
  local st = C.tnd_ffi_call_hangup(c._slot, c._gen)
  if st ~= OK then
    core.raise(st, core.CALL_GONE, 2)
  end
end

--- on_hangup's info: { by, code, reason, setup_time, answer_time (nil:
-- never answered), end_time }, times in seconds since the epoch.
function M.end_info(c)
  if C.tnd_ffi_call_end_info(c._slot, c._gen, end_out) ~= OK then
    return nil
  end
  local answer_ms = tonumber(end_out.answer_ms)
  return {
    by = ffi.string(end_out.by),
    code = end_out.code,
    reason = str(end_out.reason),
    setup_time = tonumber(end_out.setup_ms) / 1000,
    answer_time = answer_ms ~= 0 and answer_ms / 1000 or nil,
    end_time = tonumber(end_out.end_ms) / 1000,
  }
end

return M
