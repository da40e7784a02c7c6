-- Lua shipped with tandem runs on LuaJIT; specs run under busted.
std = "luajit"
max_line_length = 100
files["tests/lua"] = { std = "+busted" }
-- Dialplans define hook functions as globals and use the tandem API.
files["examples"] = {
  globals = { "on_invite", "on_request", "on_response", "on_cancel", "on_hangup", "on_refer" },
  read_globals = { "tandem" },
}
files["tests/e2e"] = files["examples"]
files["tests/bench"] = files["examples"]
-- Kamailio's KEMI routing script for the calls benchmark.
files["tests/bench/calls/kamailio.lua"] = {
  std = "lua51",
  globals = { "ksr_request_route", "ksr_reply_route", "ksr_failure_route",
              "ksr_branch_route", "ksr_onreply_route" },
  read_globals = { "KSR" },
}
