-- Lua shipped with tandem runs on LuaJIT; specs run under busted.
std = "luajit"
max_line_length = 100
files["tests/lua"] = { std = "+busted" }
