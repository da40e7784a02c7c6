-- Every call goes to phone B with its media through tandem, hung up after 1 s without RTP.
function on_invite(call)
  call:anchor_media({ timeout = 1 })
  call:dial("sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@")
end

function on_hangup(_, info)
  tandem.log.info("ended by " .. info.by .. ": " .. info.code .. " " .. info.reason)
end
