-- What the sandbox leaves a dialplan, reported at load.
print(type(io), type(dofile), type(loadfile), type(os.exit), type(package))
print(type(os.time), type(os.clock), type(os.date), type(string.format),
  type(table.concat), type(math.floor), type(debug.traceback), type(debug.getinfo))
print(require("tandem.headers").canonical("call-id"))
print(select(2, pcall(function() require("ffi") end)))
print(select(2, pcall(function() require("socket") end)))
print(select(2, pcall(function() tandem.sleep(1) end)))
print("printed", 42)
