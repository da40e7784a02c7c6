-- The dialplan of the calls benchmarks (scripts/bench-calls.sh,
-- scripts/bench-call-memory.sh): every call to the callee on 127.0.0.1,
-- the request URI's user kept. The scripts run a copy with the port's
-- placeholder replaced by the callee's port.
function on_invite(call) call:dial("sip:" .. call.request.uri.user .. "@127.0.0.1:@UAS_PORT@") end
