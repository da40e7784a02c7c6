function on_invite(call)
  call:dial("sip:b@10.0.0.5" end
end
