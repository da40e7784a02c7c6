-- The ffi.cdef of lua/tandem/core.lua must declare exactly what
-- include/tandem/ffi.h declares: the same functions with the same
-- parameters, the same structs with the same fields, the same ABI.
local function read(path)
  local f = assert(io.open(path, "r"))
  local text = f:read("*a")
  f:close()
  return text
end

-- Declarations without comments and with whitespace normalised, by name.
local function declarations(text)
  text = text:gsub("/%*.-%*/", " "):gsub("%s+", " ")
  text = text:gsub(" ?([%(%){};,%*=]) ?", "%1")
  local found = {}
  for name, body in text:gmatch("struct (tnd_ffi_[%w_]+)(%b{});") do
    found["struct " .. name] = body
  end
  for name, body in text:gmatch("enum (tnd_ffi_status)(%b{});") do
    found["enum " .. name] = body
  end
  for proto in text:gmatch("[%w_]+ %*?tnd_ffi_[%w_]+%b();") do
    found[proto:match("(tnd_ffi_[%w_]+)%(")] = proto
  end
  return found
end

describe("tandem.core's cdef", function()
  local header = read("include/tandem/ffi.h")
  local core = read("lua/tandem/core.lua")
  local cdef = core:match("local CDEF = %[%[(.-)%]%]")

  it("is found", function()
    assert.is_string(cdef)
  end)

  it("declares what ffi.h declares", function()
    local want, got = declarations(header), declarations(cdef)
    assert.is_not_nil(want["tnd_ffi_abi_version"])
    assert.are.same(want, got)
  end)

  it("speaks the ABI of ffi.h", function()
    local abi = header:match("#define TND_FFI_ABI_VERSION (%d+)")
    assert.are.equal("M.ABI = " .. abi, core:match("M%.ABI = %d+"))
  end)
end)
