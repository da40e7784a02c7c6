-- tandem.core refuses to load against a core speaking another ABI or
-- missing a function. The spec runs without tandem's C side, so ffi is
-- replaced by a stand-in whose C namespace has every function but those
-- named in `missing`.
describe("tandem.core", function()
  local real_ffi

  local function load_core_with_abi(abi, missing)
    package.loaded["tandem.core"] = nil
    local C = setmetatable({ tnd_ffi_abi_version = function() return abi end }, {
      __index = function(_, name)
        if name == missing then
          error("undefined symbol: " .. name)
        end
        return function() end
      end,
    })
    package.loaded.ffi = {
      cdef = function() end,
      new = function() return {} end,
      string = function() return "" end,
      C = C,
    }
    return pcall(require, "tandem.core")
  end

  before_each(function()
    real_ffi = package.loaded.ffi
  end)

  after_each(function()
    package.loaded.ffi = real_ffi
    package.loaded["tandem.core"] = nil
  end)

  it("loads when the core speaks its ABI", function()
    local ok, core = load_core_with_abi(2)
    assert.is_true(ok)
    assert.are.equal(2, core.ABI)
  end)

  it("refuses another ABI", function()
    local ok, err = load_core_with_abi(1)
    assert.is_false(ok)
    assert.are.equal("tandem: the Lua API speaks ABI 2 but the core speaks ABI 1:"
      .. " lua_dir does not belong to this tandem", err)
  end)

  it("refuses an executable that does not export a function", function()
    local ok, err = load_core_with_abi(2, "tnd_ffi_msg_drop")
    assert.is_false(ok)
    assert.are.equal("tandem: the executable does not export tnd_ffi_msg_drop"
      .. " (link it with core/script's ffi_exports.list)", err)
  end)
end)
