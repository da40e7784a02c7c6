function on_invite()
  tandem.log.debug("d", 1)
  tandem.log.info("call ", 7, " was ", true, " and ", nil)
  tandem.log.warn("w")
  tandem.log.error("e")
  print("p", 1.5)
end
