-- Every call goes to phone B with its media through tandem, SRTP on
-- both sides with keys of its own.
function on_invite(call)
  call:anchor_media({ a = { srtp = "sdes" }, b = { srtp = "sdes" } })
  call:dial("sip:bob@127.0.0.1:@UAS_PORT@;transport=@TRANSPORT@")
end
