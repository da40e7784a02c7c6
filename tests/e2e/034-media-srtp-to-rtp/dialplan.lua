-- Every call goes to phone B with its media through tandem, SRTP towards A and plain RTP towards B.
function on_invite(call)
  call:anchor_media({ a = { srtp = "sdes" }, b = { srtp = false } })
  call:dial("sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@")
end
