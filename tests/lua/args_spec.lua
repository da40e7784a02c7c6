local args = require("tandem.args")

-- Each check raises at the level it is given: 1 blames the caller.
local function message_of(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok)
  return err
end

describe("tandem.args", function()
  describe("header_lines", function()
    it("takes nil as no headers", function()
      assert.are.same({}, args.header_lines(nil, 1))
    end)

    it("takes a map, names canonical and sorted, lists as repeated headers", function()
      assert.are.same({ "Retry-After: 60", "X-A: 1", "X-A: 2", "x-b: 3" },
        args.header_lines({ ["retry-after"] = 60, ["X-A"] = { "1", "2" }, ["x-b"] = "3" }, 1))
    end)

    it("takes a list of lines and pairs, in order, before the map part", function()
      assert.are.same({ "X-B: 2", "Subject: hi there", "X-A: 1" },
        args.header_lines({ "X-B:2", { "s", "hi there" }, ["X-A"] = "1" }, 1))
    end)

    it("refuses what is not a header", function()
      assert.are.equal("headers must be a table, got string",
        message_of(args.header_lines, "X-A: 1", 1))
      assert.are.equal('header line must be "Name: value", got "X-A"',
        message_of(args.header_lines, { "X-A" }, 1))
      assert.are.equal('header list entries must be "Name: value" or { name, value }, got number',
        message_of(args.header_lines, { 5 }, 1))
      assert.are.equal('invalid header name: "Bad Name"',
        message_of(args.header_lines, { ["Bad Name"] = "x" }, 1))
      assert.are.equal("value of header X-A must be a string, got boolean",
        message_of(args.header_lines, { ["X-A"] = true }, 1))
      assert.are.equal("value of header X-A must not contain CR or LF",
        message_of(args.header_lines, { "X-A: a\rb" }, 1))
      assert.are.equal("header names must be strings, got boolean",
        message_of(args.header_lines, { [true] = "x" }, 1))
    end)

    it("blames the line its level names", function()
      local ok, err = pcall(function() args.header_lines(7, 1) end)
      assert.is_false(ok)
      assert.matches("args_spec.lua:%d+: headers must be a table, got number", err)
    end)
  end)

  describe("milliseconds", function()
    it("rounds seconds to whole milliseconds", function()
      assert.are.equal(1500, args.milliseconds(1.5, "tandem.sleep()", 1))
      assert.are.equal(0, args.milliseconds(0, "tandem.sleep()", 1))
      assert.are.equal(1, args.milliseconds(0.0006, "tandem.sleep()", 1))
      assert.are.equal(4294967295, args.milliseconds(1e12, "tandem.sleep()", 1))
    end)

    it("refuses negative, NaN and non-numbers", function()
      for _, bad in ipairs({ -1, 0 / 0, "1", true }) do
        assert.are.equal("tandem.sleep() needs a number of seconds >= 0, got " .. tostring(bad),
          message_of(args.milliseconds, bad, "tandem.sleep()", 1))
      end
    end)
  end)

  describe("dial", function()
    it("takes one target or a list", function()
      assert.are.same({ "sip:a@example.com" }, args.dial("sip:a@example.com", nil, 1).targets)
      assert.are.same({ "sip:a@x", "sip:b@y" }, args.dial({ "sip:a@x", "sip:b@y" }, nil, 1).targets)
    end)

    it("turns options into what C takes", function()
      local d = args.dial("sip:a@x", { timeout = 2.5, headers = { ["X-A"] = 1 },
        from = "sip:f@x", to = "sip:t@y", route = "sip:p@z;lr", transport = "tls" }, 1)
      assert.are.equal(2500, d.timeout_ms)
      assert.are.same({ "X-A: 1" }, d.headers)
      assert.are.equal("sip:f@x", d.from)
      assert.are.equal("sip:t@y", d.to)
      assert.are.equal("sip:p@z;lr", d.route)
      assert.are.equal("tls", d.transport)
      assert.are.equal(0, args.dial("sip:a@x", nil, 1).timeout_ms)
    end)

    it("refuses bad targets and options with the exact text", function()
      assert.are.equal("dial target must be a URI string or a list of them, got nil",
        message_of(args.dial, nil, nil, 1))
      assert.are.equal("dial target list is empty", message_of(args.dial, {}, nil, 1))
      assert.are.equal("dial target 1 must be a URI string, got table",
        message_of(args.dial, { {} }, nil, 1))
      assert.are.equal("dial options must be a table, got number",
        message_of(args.dial, "sip:a@x", 3, 1))
      assert.are.equal("unknown dial option timout",
        message_of(args.dial, "sip:a@x", { timout = 1 }, 1))
      assert.are.equal("dial option timeout must be a positive number of seconds, got 0",
        message_of(args.dial, "sip:a@x", { timeout = 0 }, 1))
      assert.are.equal("dial option route must be a string, got boolean",
        message_of(args.dial, "sip:a@x", { route = true }, 1))
    end)
  end)

  describe("status and optional_string", function()
    it("takes integers and strings or nil", function()
      assert.are.equal(486, args.status(486, "call:reply()", 1))
      assert.is_nil(args.optional_string(nil, "reason", 1))
      assert.are.equal("Busy", args.optional_string("Busy", "reason", 1))
    end)

    it("refuses the rest", function()
      assert.are.equal("call:reply() status must be an integer, got 4.5",
        message_of(args.status, 4.5, "call:reply()", 1))
      assert.are.equal("call:reply() reason must be a string, got number",
        message_of(args.optional_string, 5, "call:reply() reason", 1))
    end)
  end)
end)
