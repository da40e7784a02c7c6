local headers = require("tandem.headers")

describe("tandem.headers", function()
  describe("canonical", function()
    it("spells known names canonically whatever their case", function()
      assert.are.equal("Call-ID", headers.canonical("call-id"))
      assert.are.equal("Call-ID", headers.canonical("CALL-ID"))
      assert.are.equal("CSeq", headers.canonical("cseq"))
      assert.are.equal("WWW-Authenticate", headers.canonical("www-authenticate"))
      assert.are.equal("Max-Forwards", headers.canonical("MaX-fOrWaRdS"))
    end)

    it("expands every compact form to its long name", function()
      local expected = {
        a = "Accept-Contact", b = "Referred-By", c = "Content-Type",
        d = "Request-Disposition", e = "Content-Encoding", f = "From",
        i = "Call-ID", j = "Reject-Contact", k = "Supported",
        l = "Content-Length", m = "Contact", o = "Event", r = "Refer-To",
        s = "Subject", t = "To", u = "Allow-Events", v = "Via",
        x = "Session-Expires", y = "Identity",
      }
      for letter, long in pairs(expected) do
        assert.are.equal(long, headers.canonical(letter))
        assert.are.equal(long, headers.canonical(letter:upper()))
      end
    end)

    it("keeps unknown names as written", function()
      assert.are.equal("X-Custom-Thing", headers.canonical("X-Custom-Thing"))
      assert.are.equal("C%6Fntact", headers.canonical("C%6Fntact"))
      assert.are.equal("q", headers.canonical("q"))
    end)

    it("refuses names that are not tokens, blaming the caller", function()
      assert.has_error(function() headers.canonical("Bad Name") end,
        'invalid header name: "Bad Name"')
      assert.has_error(function() headers.canonical("") end,
        'invalid header name: ""')
      assert.has_error(function() headers.canonical("Via:") end,
        'invalid header name: "Via:"')
      assert.has_error(function() headers.canonical("X\r\nInjected") end,
        "invalid header name: " .. string.format("%q", "X\r\nInjected"))
    end)

    it("refuses a non-string name", function()
      assert.has_error(function() headers.canonical(42) end,
        "header name must be a string, got number")
      assert.has_error(function() headers.canonical(nil) end,
        "header name must be a string, got nil")
    end)

    it("reports errors at the caller's line", function()
      local ok, err = pcall(function() headers.canonical("a b") end)
      assert.is_false(ok)
      assert.matches("headers_spec.lua:%d+: invalid header name", err)
    end)
  end)

  describe("same", function()
    it("matches long names, compact forms and case", function()
      assert.is_true(headers.same("v", "VIA"))
      assert.is_true(headers.same("Call-ID", "i"))
      assert.is_true(headers.same("x-foo", "X-Foo"))
      assert.is_false(headers.same("To", "From"))
      assert.is_false(headers.same("t", "f"))
    end)
  end)

  describe("compact", function()
    it("gives the compact form of a header that has one", function()
      assert.are.equal("v", headers.compact("Via"))
      assert.are.equal("i", headers.compact("call-id"))
      assert.are.equal("m", headers.compact("m"))
    end)

    it("gives nil for a header without one", function()
      assert.is_nil(headers.compact("CSeq"))
      assert.is_nil(headers.compact("X-Custom"))
    end)
  end)
end)
