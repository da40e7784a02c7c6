--- URIs as scripts see them: a table with scheme, user, host, port
-- and params (";lr;transport=tcp" as { lr = true, transport = "tcp" }),
-- and the URI as written in text; tostring(uri) gives the text back.
-- Values keep their %-escapes as written. Pure Lua, no FFI.
local M = {}

local URI = {
  __tostring = function(u)
    return u.text
  end,
}

--- The parameters of ";a=b;lr" as a table; names in lower case (they
-- are case-insensitive, RFC 3261 §19.1.4), flags as true.
function M.params(s)
  local params = {}
  for item in (s or ""):gmatch("[^;]+") do
    local name, value = item:match("^%s*([^=]-)%s*=%s*(.-)%s*$")
    if name then
      params[name:lower()] = value
    else
      params[item:match("^%s*(.-)%s*$"):lower()] = true
    end
  end
  return params
end

local function nonempty(s)
  if s == nil or s == "" then
    return nil
  end
  return s
end

--- A URI table from its parts (strings, "" for absent; port 0 for none).
function M.new(text, scheme, user, host, port, params)
  return setmetatable({
    text = text,
    scheme = nonempty(scheme),
    user = nonempty(user),
    host = nonempty(host),
    port = port ~= 0 and port or nil,
    params = M.params(params),
  }, URI)
end

return M
