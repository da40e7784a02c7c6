--- Header names for scripts: canonical spelling of SIP header names.
-- Scripts may write "call-id", "i" or "CALL-ID"; the API normalises each
-- to "Call-ID" before it reaches the core, so a lookup or an edit finds
-- the header however the peer or the script spelled it (RFC 3261 §7.3.1:
-- names are case-insensitive; §7.3.3 and the IANA registry: compact forms).
local M = {}

local canonical_names = {
  "Accept", "Accept-Contact", "Accept-Encoding", "Alert-Info", "Allow",
  "Allow-Events", "Authorization", "Call-ID", "Call-Info", "Contact",
  "Content-Disposition", "Content-Encoding", "Content-Length",
  "Content-Type", "CSeq", "Date", "Event", "Expires", "From", "Identity",
  "Max-Forwards", "Min-Expires", "Min-SE", "P-Asserted-Identity",
  "P-Preferred-Identity", "Privacy", "Proxy-Authenticate",
  "Proxy-Authorization", "Proxy-Require", "RAck", "Reason",
  "Record-Route", "Refer-To", "Referred-By", "Reject-Contact", "Replaces",
  "Request-Disposition", "Require", "Retry-After", "Route", "RSeq",
  "Server", "Session-Expires", "Subject", "Subscription-State",
  "Supported", "Timestamp", "To", "Unsupported", "User-Agent", "Via",
  "Warning", "WWW-Authenticate",
}

local compact_forms = {
  a = "Accept-Contact", b = "Referred-By", c = "Content-Type",
  d = "Request-Disposition", e = "Content-Encoding", f = "From",
  i = "Call-ID", j = "Reject-Contact", k = "Supported",
  l = "Content-Length", m = "Contact", o = "Event", r = "Refer-To",
  s = "Subject", t = "To", u = "Allow-Events", v = "Via",
  x = "Session-Expires", y = "Identity",
}

local by_lower = {}
for _, name in ipairs(canonical_names) do
  by_lower[name:lower()] = name
end
for letter, name in pairs(compact_forms) do
  by_lower[letter] = name
end

local token_pattern = "^[%w%-%.!%%%*_%+`'~]+$"

--- The canonical spelling of a header name.
-- Known names and compact forms map to their long, canonical form; any
-- other valid name is returned as given. Raises on a name that is not a
-- token (RFC 3261 §25.1), blaming the caller's line.
function M.canonical(name)
  if type(name) ~= "string" then
    error("header name must be a string, got " .. type(name), 2)
  end
  if not name:find(token_pattern) then
    error("invalid header name: " .. string.format("%q", name), 2)
  end
  return by_lower[name:lower()] or name
end

--- True when two header names denote the same header.
function M.same(a, b)
  return M.canonical(a):lower() == M.canonical(b):lower()
end

--- The compact form of a header, or nil when it has none.
function M.compact(name)
  local long = M.canonical(name)
  for letter, full in pairs(compact_forms) do
    if full == long then
      return letter
    end
  end
  return nil
end

return M
