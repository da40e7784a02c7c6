on_invite = "sip:b@10.0.0.5"
