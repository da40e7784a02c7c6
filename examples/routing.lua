-- Routing by number with failover: the dialled number picks a route;
-- each route lists gateways tried in turn until one answers. A busy
-- callee (486) or a decline (603) is final: no point in trying elsewhere.
--
--   tandem --listen udp:0.0.0.0:5060 --script examples/routing.lua

local routes = {
  -- Internal extensions 1xx: the PBX, then its standby.
  { prefix = "1", gateways = { "10.0.0.10:5060", "10.0.0.11:5060" } },
  -- National numbers: two carriers, the second over TCP.
  { prefix = "0", gateways = { "carrier-a.example.net", "carrier-b.example.net;transport=tcp" } },
}

local final = { [486] = true, [600] = true, [603] = true, [404] = true }

local function route_for(number)
  for _, route in ipairs(routes) do
    if number:sub(1, #route.prefix) == route.prefix then
      return route
    end
  end
end

function on_invite(call)
  local number = call.request.uri.user
  if not number or not number:match("^%+?%d+$") then
    return call:reply(484, "Address Incomplete")
  end
  local route = route_for(number)
  if not route then
    return call:reply(404, "No Route")
  end
  for _, gateway in ipairs(route.gateways) do
    local r = call:dial("sip:" .. number .. "@" .. gateway, {
      timeout = 30,
      headers = { ["X-Route"] = route.prefix },
    })
    if r.answered or final[r.code] then
      return
    end
    tandem.log.warn("gateway ", gateway, " failed with ", r.code, ": trying the next")
  end
  -- Every gateway failed: the caller gets the last failure.
end
