--- The test core (testcore.h) from busted: loads libtandem_testcore.so,
-- whose path is in TANDEM_TESTCORE, with global symbols (the dialplan's
-- own Lua state finds tnd_ffi_* through ffi.C), starts a core on a
-- dialplan given as source text, plays the caller and the callees, and
-- parses what tandem sent.
--
-- Peers: the caller is a UA at 127.0.0.1:5070 ("a" in wire summaries);
-- callees answer where the dialplan sent to: 5080 "bob", 5090 "carol",
-- 5100 "proxy". Wire summaries read "bob:INVITE@0 a:180@100": peer,
-- method or status, instant on the manual clock.
local ffi = require("ffi")

local M = {}

M.CALLER = "udp:127.0.0.1:5070"
M.SDP = "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
  .. "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"

local NAMES = { ["5070"] = "a", ["5080"] = "bob", ["5090"] = "carol", ["5100"] = "proxy" }

local CDEF = [[
struct tnd_testcore;
struct tnd_testcore_send {
  const char *data;
  size_t len;
  uint64_t at_ms;
  char to[64];
};
struct tnd_testcore *tnd_testcore_new(const char *dialplan, char *err, size_t errlen);
void tnd_testcore_free(struct tnd_testcore *tc);
int tnd_testcore_inject(struct tnd_testcore *tc, const char *text, size_t len,
                        const char *from, char *err, size_t errlen);
int tnd_testcore_advance(struct tnd_testcore *tc, uint64_t ms);
uint64_t tnd_testcore_now(const struct tnd_testcore *tc);
size_t tnd_testcore_sent_count(const struct tnd_testcore *tc);
int tnd_testcore_sent(const struct tnd_testcore *tc, size_t i,
                      struct tnd_testcore_send *out);
size_t tnd_testcore_log_count(const struct tnd_testcore *tc);
const char *tnd_testcore_log(const struct tnd_testcore *tc, size_t i);
size_t tnd_testcore_live_calls(const struct tnd_testcore *tc);
int tnd_testcore_reload(struct tnd_testcore *tc, char *err, size_t errlen);
size_t tnd_testcore_live_blocks(void);
]]

-- The library, loaded once per process. busted runs each spec file
-- insulated (modules loaded again), so the namespace is kept in the
-- registry: it must never be collected and unloaded, and the cdef is
-- made once.
local function load_lib()
  local reg = debug.getregistry()
  if not reg.tandem_testcore then
    local path = os.getenv("TANDEM_TESTCORE")
    if not path or path == "" then
      error("TANDEM_TESTCORE is not set: run these specs through ctest (lua.busted.core)")
    end
    ffi.cdef(CDEF)
    reg.tandem_testcore = ffi.load(path, true)
  end
  return reg.tandem_testcore
end
local lib = load_lib()

local errbuf = ffi.new("char[512]")
local send_out = ffi.new("struct tnd_testcore_send")

local REASONS = {
  [100] = "Trying", [180] = "Ringing", [183] = "Session Progress", [200] = "OK",
  [404] = "Not Found", [486] = "Busy Here", [487] = "Request Terminated",
}

-- ---- messages ------------------------------------------------------------

local Message = {}
Message.__index = Message

--- The text of a message tandem sent, parsed: start, method and uri, or
-- status and reason; fields (in order, { name, value }) and body.
function M.parse(text)
  local head, body = text:match("^(.-)\r\n\r\n(.*)$")
  local m = setmetatable({ text = text, body = body or "", fields = {} }, Message)
  local first = true
  for line in (head or text):gmatch("[^\r\n]+") do
    if first then
      m.start, first = line, false
      local status, reason = line:match("^SIP/2%.0 (%d+) (.*)$")
      if status then
        m.status, m.reason = tonumber(status), reason
      else
        m.method, m.uri = line:match("^(%S+) (%S+) SIP/2%.0$")
      end
    else
      local name, value = line:match("^([^:]+):%s*(.-)%s*$")
      m.fields[#m.fields + 1] = { name, value }
    end
  end
  return m
end

--- Every value of header `name` (exact spelling, any case), in order.
function Message:headers(name)
  local values = {}
  for _, f in ipairs(self.fields) do
    if f[1]:lower() == name:lower() then
      values[#values + 1] = f[2]
    end
  end
  return values
end

function Message:header(name)
  return self:headers(name)[1]
end

--- The tag parameter of header `name` (From, To).
function Message:tag(name)
  return (self:header(name) or ""):match(";%s*tag=([^;%s]+)")
end

-- ---- the core ------------------------------------------------------------

local Core = {}
Core.__index = Core

-- A message's text from its start line and header lines, with
-- Content-Type (for a body) and Content-Length added.
local function text_of(lines, body)
  if body then
    lines[#lines + 1] = "Content-Type: application/sdp"
  end
  lines[#lines + 1] = "Content-Length: " .. #(body or "")
  return table.concat(lines, "\r\n") .. "\r\n\r\n" .. (body or "")
end

local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

--- A core running dialplan `source` (written to a temporary file, its
-- name in core.path). Raises with the reason when it does not load.
function M.start(source)
  local path = os.tmpname()
  write(path, source)
  local tc = lib.tnd_testcore_new(path, errbuf, 512)
  if tc == nil then
    os.remove(path)
    error(ffi.string(errbuf), 2)
  end
  return setmetatable({ lib = lib, tc = ffi.gc(tc, lib.tnd_testcore_free), path = path,
    calls = 0 }, Core)
end

--- Frees the core and its file; returns util/mem's live blocks after.
function Core:close()
  if self.tc then
    self.lib.tnd_testcore_free(ffi.gc(self.tc, nil))
    self.tc = nil
    os.remove(self.path)
  end
  return tonumber(self.lib.tnd_testcore_live_blocks())
end

--- Loads `source` into the file again and reloads: true, or nil and
-- the reason.
function Core:reload(source)
  write(self.path, source)
  if self.lib.tnd_testcore_reload(self.tc, errbuf, 512) ~= 0 then
    return nil, ffi.string(errbuf)
  end
  return true
end

--- Hands tandem `text` from peer `from` (default: the caller).
function Core:inject(text, from)
  local rc = self.lib.tnd_testcore_inject(self.tc, text, #text, from or M.CALLER, errbuf, 512)
  if rc ~= 0 then
    error("inject failed (" .. rc .. "): " .. ffi.string(errbuf), 2)
  end
end

function Core:advance(ms)
  local rc = self.lib.tnd_testcore_advance(self.tc, ms)
  if rc ~= 0 then
    error("advance failed: " .. rc, 2)
  end
end

--- Moves the clock to absolute instant `at` (ms).
function Core:at(at)
  self:advance(math.max(0, at - self:now()))
end

function Core:now()
  return tonumber(self.lib.tnd_testcore_now(self.tc))
end

function Core:live_calls()
  return tonumber(self.lib.tnd_testcore_live_calls(self.tc))
end

function Core:count()
  return tonumber(self.lib.tnd_testcore_sent_count(self.tc))
end

--- Send i (from 1), parsed, with `to` ("udp:127.0.0.1:5080") and `at`.
function Core:sent(i)
  if self.lib.tnd_testcore_sent(self.tc, i - 1, send_out) ~= 0 then
    return nil
  end
  local m = M.parse(ffi.string(send_out.data, send_out.len))
  m.to, m.at = ffi.string(send_out.to), tonumber(send_out.at_ms)
  return m
end

--- The last send that `pick` (a method, a status, or a function of the
-- message) accepts, and its index; nil if none.
function Core:last(pick)
  for i = self:count(), 1, -1 do
    local m = self:sent(i)
    if (type(pick) == "function" and pick(m)) or m.method == pick or m.status == pick then
      return m, i
    end
  end
end

--- Every send as "bob:INVITE@0 a:180@100".
function Core:wire()
  local out = {}
  for i = 1, self:count() do
    local m = self:sent(i)
    local port = m.to:match(":(%d+)$")
    out[#out + 1] = string.format("%s:%s@%d", NAMES[port] or m.to, m.method or m.status, m.at)
  end
  return table.concat(out, " ")
end

--- Every log line, "E call 1: ..." (level letter first).
function Core:logs()
  local lines = {}
  for i = 0, tonumber(self.lib.tnd_testcore_log_count(self.tc)) - 1 do
    lines[#lines + 1] = ffi.string(self.lib.tnd_testcore_log(self.tc, i))
  end
  return lines
end

--- What the dialplan printed (info lines logged from its file), without
-- the level, call and file:line prefixes, and with its path written
-- "dialplan" ("dialplan:7: call has ended").
function Core:printed()
  local path = self.path:gsub("%p", "%%%0")
  local texts = {}
  for _, line in ipairs(self:logs()) do
    local from = select(2, line:find("^I [^/]*" .. path .. ":%d+: "))
    if from then
      texts[#texts + 1] = (line:sub(from + 1):gsub(path, "dialplan"))
    end
  end
  return texts
end

-- ---- the callees ---------------------------------------------------------

--- The callee answers request send i with `status`. Options: tag (its
-- To tag, default "b<i>"), body (SDP), headers (lines). A 101..299 to
-- an INVITE carries the Request-URI as Contact.
function Core:reply(i, status, opts)
  opts = opts or {}
  local req = assert(self:sent(i), "no send " .. i)
  local lines = { string.format("SIP/2.0 %d %s", status, REASONS[status] or "Reason") }
  for _, via in ipairs(req:headers("Via")) do
    lines[#lines + 1] = "Via: " .. via
  end
  local to = req:header("To")
  if status > 100 and not req:tag("To") then
    to = to .. ";tag=" .. (opts.tag or ("b" .. i))
  end
  lines[#lines + 1] = "From: " .. req:header("From")
  lines[#lines + 1] = "To: " .. to
  lines[#lines + 1] = "Call-ID: " .. req:header("Call-ID")
  lines[#lines + 1] = "CSeq: " .. req:header("CSeq")
  if status > 100 and status < 300 and req.method == "INVITE" then
    lines[#lines + 1] = "Contact: <" .. req.uri .. ">"
  end
  for _, h in ipairs(opts.headers or {}) do
    lines[#lines + 1] = h
  end
  self:inject(text_of(lines, opts.body), req.to)
end

-- ---- the caller ----------------------------------------------------------

--- A request of the caller outside any dialog (OPTIONS, MESSAGE...).
function Core:request(method)
  self.calls = self.calls + 1
  local n = self.calls
  self:inject(text_of({
    method .. " sip:192.0.2.1:5060 SIP/2.0",
    "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKr" .. n .. ";rport",
    "Max-Forwards: 70",
    "From: <sip:alice@example.com>;tag=rtag" .. n,
    "To: <sip:192.0.2.1:5060>",
    "Call-ID: r" .. n .. "@example.com",
    "CSeq: 1 " .. method,
  }))
end

local Caller = {}
Caller.__index = Caller

--- The caller's INVITE, each call with its own Call-ID, tag and branch.
-- Options: user (Request-URI user, "bob"), ruri (the whole URI), from
-- (the From without tag), headers (lines), body (SDP), peer (the
-- caller's address, M.CALLER). Returns the caller, for ack, cancel, send.
function Core:invite(opts)
  opts = opts or {}
  self.calls = self.calls + 1
  local n = self.calls
  local peer = opts.peer or M.CALLER
  local transport, host = peer:match("^(%a+):(.+)$")
  local c = setmetatable({ core = self, n = n, peer = peer, host = host,
    transport = transport:upper(), call_id = "a" .. n .. "@example.com",
    from = (opts.from or '"Alice" <sip:alice@example.com>') .. ";tag=atag" .. n,
    ruri = opts.ruri or ("sip:" .. (opts.user or "bob") .. "@192.0.2.1:5060"),
    cseq = 1 }, Caller)
  local lines = {
    "INVITE " .. c.ruri .. " SIP/2.0",
    "Via: SIP/2.0/" .. c.transport .. " " .. host .. ";branch=z9hG4bKa" .. n .. ";rport",
    "Max-Forwards: 70",
    "From: " .. c.from,
    "To: <sip:bob@example.com>",
    "Call-ID: " .. c.call_id,
    "CSeq: 1 INVITE",
    "Contact: <sip:alice@" .. host .. ">",
  }
  for _, h in ipairs(opts.headers or {}) do
    lines[#lines + 1] = h
  end
  self:inject(text_of(lines, opts.body), peer)
  return c
end

--- The last response tandem sent this caller, or nil.
function Caller:response()
  return (self.core:last(function(m)
    return m.status and m.to == self.peer and m:header("Call-ID") == self.call_id
  end))
end

-- A request of the caller in its call: `method`, CSeq number `cseq`,
-- To with tandem's tag, Via branch `branch`; sent to tandem's Contact
-- after a 2xx (the dialog's remote target), else to the INVITE's URI;
-- with an SDP `body` when given.
function Caller:request(method, cseq, branch, body)
  local res = assert(self:response(), "tandem has not answered")
  local target = res.status < 300 and (res:header("Contact") or ""):match("<(.-)>")
  local lines = {
    method .. " " .. (target or self.ruri) .. " SIP/2.0",
    "Via: SIP/2.0/" .. self.transport .. " " .. self.host .. ";branch=" .. branch .. ";rport",
    "Max-Forwards: 70",
    "From: " .. self.from,
    "To: " .. res:header("To"),
    "Call-ID: " .. self.call_id,
    "CSeq: " .. cseq .. " " .. method,
  }
  self.core:inject(text_of(lines, body), self.peer)
end

--- ACK of the final response: the INVITE's branch for a failure (its
-- transaction), a new one for a 2xx (the dialog's); `body` an SDP
-- answer (late offer).
function Caller:ack(body)
  local res = assert(self:response(), "tandem has not answered")
  local branch = res.status < 300 and ("z9hG4bKack" .. self.n) or ("z9hG4bKa" .. self.n)
  self:request("ACK", 1, branch, body)
end

function Caller:cancel()
  local lines = {
    "CANCEL " .. self.ruri .. " SIP/2.0",
    "Via: SIP/2.0/" .. self.transport .. " " .. self.host .. ";branch=z9hG4bKa" .. self.n
      .. ";rport",
    "Max-Forwards: 70",
    "From: " .. self.from,
    "To: <sip:bob@example.com>",
    "Call-ID: " .. self.call_id,
    "CSeq: 1 CANCEL",
  }
  self.core:inject(text_of(lines), self.peer)
end

--- A request in the confirmed dialog (BYE, INFO, OPTIONS...).
function Caller:send(method)
  self.cseq = self.cseq + 1
  self:request(method, self.cseq, "z9hG4bK" .. method:lower() .. self.n .. "x" .. self.cseq)
end

return M
