local sandbox = require("tandem.sandbox")

describe("tandem.sandbox", function()
  local function fake_globals()
    return {
      io = {}, dofile = print, loadfile = print, module = print, package = {}, jit = {},
      os = { time = os.time, clock = os.clock, date = os.date, difftime = os.difftime,
             exit = os.exit, execute = os.execute, getenv = os.getenv },
      debug = { traceback = debug.traceback, getinfo = debug.getinfo },
    }
  end

  describe("apply", function()
    it("leaves out io, dofile, loadfile, package and os.exit", function()
      local G = fake_globals()
      local tandem = { log = { print = function() end } }
      sandbox.apply(G, function() end, tandem)
      assert.is_nil(G.io)
      assert.is_nil(G.dofile)
      assert.is_nil(G.loadfile)
      assert.is_nil(G.package)
      assert.is_nil(G.os.exit)
      assert.is_nil(G.os.execute)
      assert.is_nil(G.debug.getinfo)
      assert.are.equal(os.time, G.os.time)
      assert.are.equal(tandem, G.tandem)
      assert.are.equal(tandem.log.print, G.print)
    end)
  end)

  describe("restricted_require", function()
    local req = sandbox.restricted_require(function(name) return "loaded " .. name end)

    it("loads tandem and tandem.* modules", function()
      assert.are.equal("loaded tandem", req("tandem"))
      assert.are.equal("loaded tandem.headers", req("tandem.headers"))
    end)

    it("refuses anything else, blaming the caller", function()
      for _, name in ipairs({ "ffi", "socket", "tandemx", "tandem.a.b", "tandem/x" }) do
        assert.has_error(function() req(name) end,
          "require: only tandem modules can be loaded, not " .. string.format("%q", name))
      end
      local ok, err = pcall(function() req(42) end)
      assert.is_false(ok)
      assert.matches("sandbox_spec.lua:%d+: require: only tandem modules can be loaded, not 42",
        err)
    end)
  end)

  describe("unknown_hook", function()
    it("names nothing when every on_* is a hook", function()
      local G = { on_invite = function() end, on_hangup = function() end, on_x = 5 }
      assert.is_nil(sandbox.unknown_hook(G, debug.getinfo))
    end)

    it("names the first unknown hook by line", function()
      local G = {}
      G.on_invitee = function() end
      G.on_invit = function() end
      local err = sandbox.unknown_hook(G, debug.getinfo)
      assert.matches("^.*sandbox_spec.lua:%d+: unknown hook on_invite?e? %(hooks are on_invite, "
        .. "on_request, on_response, on_cancel, on_hangup, on_refer%)$", err)
      local line = debug.getinfo(G.on_invitee, "S").linedefined
      assert.matches(":" .. line .. ": unknown hook on_invitee", err)
    end)
  end)

  describe("lock", function()
    it("refuses new globals and allows existing ones", function()
      local G = { counter = 0 }
      sandbox.lock(G)
      G.counter = 1
      assert.are.equal(1, G.counter)
      assert.has_error(function() G.leaked = true end,
        "assignment to undeclared global leaked (globals are locked after load)")
    end)
  end)
end)
