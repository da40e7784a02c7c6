function on_refer(call, refer) end
