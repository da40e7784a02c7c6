-- Routing of the calls benchmarks' Kamailio (tests/bench/calls/kamailio.cfg):
-- a record-routing, transaction-stateful proxy that sends every new call
-- to the callee at 127.0.0.1:$BENCH_UAS_PORT, the request URI's user kept,
-- as tandem's relay.lua dials it.

local uas = "127.0.0.1:" .. (os.getenv("BENCH_UAS_PORT") or "5080")

local function relay()
	if KSR.tm.t_relay() < 0 then
		KSR.sl.sl_reply_error()
	end
	KSR.x.exit()
end

-- equivalent of request_route {}
function ksr_request_route()
	if KSR.maxfwd.process_maxfwd(10) < 0 then
		KSR.sl.sl_send_reply(483, "Too Many Hops")
		KSR.x.exit()
	end
	-- sanity's default checks (request URI version and scheme, required
	-- headers, CSeq, Content-Length, Expires; the URIs of the request,
	-- From and To); it answers what fails.
	if KSR.sanity.sanity_check(1511, 7) < 0 then
		KSR.x.exit()
	end

	-- CANCEL: relayed along the INVITE's transaction, if there is one.
	if KSR.is_CANCEL() then
		if KSR.tm.t_check_trans() > 0 then
			relay()
		end
		KSR.x.exit()
	end

	-- A retransmission of a request whose transaction exists: tm resends
	-- the last answer and the script stops.
	if not KSR.is_ACK() then
		if KSR.tm.t_check_trans() == 0 then
			KSR.x.exit()
		end
	end

	-- In-dialog requests follow the Record-Route.
	if KSR.siputils.has_totag() > 0 then
		if KSR.rr.loose_route() > 0 then
			relay()
		end
		if KSR.is_ACK() then
			-- the ACK of a non-2xx final answer, hop by hop
			if KSR.tm.t_check_trans() > 0 then
				relay()
			end
			KSR.x.exit()
		end
		KSR.sl.sl_send_reply(404, "Not here")
		KSR.x.exit()
	end

	-- A new call: stay on its path and send it to the callee.
	if KSR.is_INVITE() then
		if KSR.dialog then
			KSR.dialog.dlg_manage()
		end
		KSR.rr.record_route()
		KSR.seturi("sip:" .. (KSR.pv.get("$rU") or "bench") .. "@" .. uas)
		relay()
	end

	if KSR.is_OPTIONS() then
		KSR.sl.sl_send_reply(200, "OK")
		KSR.x.exit()
	end
	KSR.sl.sl_send_reply(405, "Method Not Allowed")
end
