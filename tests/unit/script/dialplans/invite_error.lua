function on_invite(call)
  if call.request.uri.user == "boom" then
    error("boom")
  end
  tandem.sleep(1)
  print("still here")
end
