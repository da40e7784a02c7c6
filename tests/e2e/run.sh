#!/usr/bin/env bash
# Runs one end-to-end case: starts tandem on free loopback ports, waits
# for it by probing with OPTIONS over UDP, runs the case's SIPp client
# scenario (uac-<transport>.xml, else uac.xml) and judges by SIPp's exit
# code and by what SIPp received: expect-<transport>.txt (else
# expect.txt) lists "COUNT REGEX" lines, each the exact number of received
# messages whose start line matches. Then it stops tandem with SIGTERM and
# requires a clean exit (sanitizers report leaks and errors at exit).
#
# Over tls (SIPp here has no TLS), tandem also listens on tls at the next
# port with a throwaway self-signed certificate made by the openssl
# command, and the case's client-tls.sh runs instead of SIPp, given that
# port and the certificate as its CA; its exit code is the verdict.
#
# A case with uas.xml and no dialplan.lua is one where tandem sends:
# SIPp answers as the peer on its own port, the case's dnsmasq-args (if
# any) start a DNS server on loopback for it, and tandem-args are added
# to tandem's command line; in both files @UAS_PORT@, @DNS_PORT@ and
# @DEAD_PORT@ (a port nobody answers on) are replaced. The peer's exit
# code is then the verdict.
#
# A case with dialplan.lua is a call: tandem runs that dialplan (a copy
# with the placeholders above, @UAS2_PORT@ and @TRANSPORT@, udp or tcp,
# replaced) and stands between SIPp peers that all speak the run's
# transport. The callees, uas.xml (phone B, on @UAS_PORT@) and uas2.xml
# (B2, on @UAS2_PORT@), start first, and the run waits until they listen;
# then the caller uac.xml (phone A) calls tandem, and uac2.xml after it if
# the case has one. A peer places or takes as many calls as its
# <peer>.calls file says, else one; sipp-args go to every peer. Callers'
# Call-IDs begin with "a-leg-", so that a callee can tell that its leg
# has a Call-ID of its own. The verdict: every peer's exit code, and
# expect-<peer>-<transport>.txt (else expect-<peer>.txt) for each peer,
# counted as above except that a retransmission (the same bytes received
# again) counts once: with the timers scaled down, whether one comes is
# up to the scheduler.
#
# A call case with a reload file reloads its dialplan while a call is up:
# that file names another dialplan of the case. The caller uac.xml starts
# in the background; once the callee uas.xml has received an ACK (its
# message log says so), the run's dialplan file gets the named one's
# content (placeholders filled in), tandem gets SIGHUP, and two OPTIONS
# probes answered one after the other show the reload has run; then
# uac2.xml places its calls, and the run waits for uac.xml to end.
#
# A call case with a stop file stops tandem while a call is up: that
# file names the signal, TERM or INT. As with reload, uac.xml starts in
# the background and the run waits for uas.xml's ACK; then tandem gets
# the signal and must exit by itself, with status 0, within 2 s (well
# before its 5 s drain limit), the peers ending on the BYEs it sends. The
# run's own SIGTERM at the end is then skipped.
#
# A call case with media.sh plays the phones' media while a call is up.
# Every run has a block of sixteen media ports: RTP_A (phone A's RTP,
# RTCP above it), RTP_B (phone B's), RTP_A_NAT (where phone A really
# sends from, as behind a NAT), RTP_STRANGER (a third party), and eight
# for tandem's relay, RTP_MIN-RTP_MAX. They replace @RTP_A@ and the like
# in the case's files, and go to every call case's SIPp peers as
# keywords ([rtp_a], [rtp_b]).
# As with reload, uac.xml starts in the background and, once uas.xml has
# its ACK, media.sh (which may source lib/media.sh) runs with the run's folder (where each peer's
# message log holds the SDP tandem sent it) and the rtp_peer tool as
# arguments and the ports in its environment; its exit code and output
# (media.log) join the verdict, then the run waits for uac.xml to end.
#
#   run.sh TANDEM_BINARY CASE_DIR udp|tcp|tls [RTP_PEER]
set -uo pipefail

tandem=$1 case_dir=$(cd "$2" && pwd) transport=$3 rtp_peer=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

case $transport in
udp) sipp_t=u1 ;;
tcp) sipp_t=t1 ;;
tls) ;;
*) echo "unknown transport $transport" >&2; exit 2 ;;
esac
call_case=
[ -f "$case_dir/dialplan.lua" ] && call_case=1
reload='' caller_pid=''
if [ -n "$call_case" ] && [ -f "$case_dir/reload" ]; then
  read -r reload <"$case_dir/reload"
  if [ ! -f "$case_dir/$reload" ] || [ ! -f "$case_dir/uas.xml" ]; then
    echo "reload: no dialplan $reload or no uas.xml in $case_dir" >&2
    exit 2
  fi
fi
media=''
if [ -n "$call_case" ] && [ -f "$case_dir/media.sh" ]; then
  media=1
  if [ -n "$reload" ] || [ -f "$case_dir/stop" ] || [ -z "$rtp_peer" ]; then
    echo "media: comes with reload or stop, or no rtp_peer given" >&2
    exit 2
  fi
fi
stop=''
if [ -n "$call_case" ] && [ -f "$case_dir/stop" ]; then
  read -r stop <"$case_dir/stop"
  case $stop in TERM | INT) ;; *) stop=bad ;; esac
  if [ "$stop" = bad ] || [ -n "$reload" ] || [ ! -f "$case_dir/uas.xml" ] ||
    [ -f "$case_dir/uac2.xml" ]; then
    echo "stop: names no TERM or INT, or comes with reload, uac2.xml" \
      "or no uas.xml in $case_dir" >&2
    exit 2
  fi
fi
if [ -n "$call_case" ] && [ "$transport" = tls ]; then
  echo "call cases run over udp and tcp only" >&2
  exit 2
fi
if [ "$transport" = tls ]; then
  scenario=$case_dir/client-tls.sh
elif [ -n "$call_case" ]; then
  scenario=$case_dir/uac.xml
elif [ -f "$case_dir/uas.xml" ]; then
  scenario=$case_dir/uas.xml
else
  scenario=$case_dir/uac-$transport.xml
  [ -f "$scenario" ] || scenario=$case_dir/uac.xml
fi
if [ ! -f "$scenario" ]; then
  echo "no scenario for $transport in $case_dir" >&2
  exit 2
fi

# TLS: a certificate for localhost and 127.0.0.1, valid for a day.
tls_args=()
if [ "$transport" = tls ]; then
  if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 \
    -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    >"$work/openssl.log" 2>&1; then
    echo "cannot make a certificate:" >&2
    cat "$work/openssl.log" >&2
    exit 1
  fi
fi

# The ports of a run, from a base that is a multiple of eight: +0 tandem
# (UDP and TCP), +1 tandem over TLS, +2 the peer uas, +3 DNS, +4 the dead
# port, +5 the peer uas2, +6 the caller uac, +7 the caller uac2.
declare -A peer_offset=([uas]=2 [uas2]=5 [uac]=6 [uac2]=7)

# The media block of a base port: below the SIP ports (10000-19999), its
# sixteen ports the same for base ports 10000 apart.
media_ports() {
  local m=$((10000 + ((port - 20000) / 8 % 625) * 16))
  RTP_A=$m RTP_B=$((m + 2)) RTP_A_NAT=$((m + 4)) RTP_STRANGER=$((m + 6))
  RTP_MIN=$((m + 8)) RTP_MAX=$((m + 15))
}

# A case file with its placeholders filled in.
substitute() {
  sed -e "s/@UAS_PORT@/$((port + 2))/g" -e "s/@DNS_PORT@/$((port + 3))/g" \
    -e "s/@DEAD_PORT@/$((port + 4))/g" -e "s/@UAS2_PORT@/$((port + 5))/g" \
    -e "s/@TRANSPORT@/$transport/g" -e "s/@RTP_A@/$RTP_A/g" \
    -e "s/@RTP_B@/$RTP_B/g" -e "s/@RTP_A_NAT@/$RTP_A_NAT/g" \
    -e "s/@RTP_STRANGER@/$RTP_STRANGER/g" -e "s/@RTP_MIN@/$RTP_MIN/g" \
    -e "s/@RTP_MAX@/$RTP_MAX/g" "$1"
}

# Timers scaled down tenfold (T1 100 ms) so that Timer H cases take seconds.
start_tandem() {
  case_args=()
  if [ -f "$case_dir/tandem-args" ]; then
    read -r -a case_args < <(substitute "$case_dir/tandem-args")
  fi
  if [ -n "$call_case" ]; then
    substitute "$case_dir/dialplan.lua" >"$work/dialplan.lua"
    case_args+=(--script "$work/dialplan.lua")
  fi
  if [ "$transport" = tls ]; then
    tls_args=(--listen "tls:127.0.0.1:$((port + 1))"
      --tls-cert "$work/cert.pem" --tls-key "$work/key.pem")
  fi
  "$tandem" --listen "udp:127.0.0.1:$port" --listen "tcp:127.0.0.1:$port" \
    "${tls_args[@]}" "${case_args[@]}" \
    --t1 100 --t2 1600 --t4 2000 --log-level debug >"$work/tandem.log" 2>&1 &
  pid=$!
}

# Probes come one at a time, never while uac2 runs: the block's last port.
probe() {
  sipp 127.0.0.1:"$port" -sf "$here/probe.xml" -t u1 -m 1 \
    -i 127.0.0.1 -p "$((port + 7))" -timeout 2s -timeout_error -nostdin \
    >/dev/null 2>&1 \
    </dev/null
}

# Whether any socket is bound to a port of the run's eight, or of its
# media block in a call case.
block_in_use() {
  ss -Htuln | awk -v lo="$port" -v hi="$((port + 7))" \
    -v mlo="${call_case:+$RTP_A}" -v mhi="${call_case:+$RTP_MAX}" '
    { n = split($5, a, ":"); p = a[n] + 0
      if (p >= lo && p <= hi) used = 1
      if (mlo != "" && p >= mlo + 0 && p <= mhi + 0) used = 1 }
    END { exit !used }'
}

# A base below the kernel's ephemeral range whose eight ports are free;
# another process may take one meanwhile, so a failed start tries the
# next few.
pid=
for _ in $(seq 1 10); do
  port=$((20000 + (RANDOM % 1250) * 8))
  media_ports
  block_in_use && continue
  start_tandem
  for _ in $(seq 1 50); do
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    if probe; then
      break 2
    fi
  done
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  pid=
done
if [ -z "$pid" ]; then
  echo "tandem did not come up:" >&2
  cat "$work/tandem.log" >&2
  exit 1
fi

# A case may add SIPp options (sipp-args, one line).
extra=()
[ -f "$case_dir/sipp-args" ] && read -r -a extra <"$case_dir/sipp-args"
[ -n "$call_case" ] && extra+=(-key rtp_a "$RTP_A" -key rtp_b "$RTP_B")

# The peers of a case where tandem sends: DNS first, then the SIPp UAS.
start_peers() {
  if [ -f "$case_dir/dnsmasq-args" ]; then
    read -r -a dns_args < <(substitute "$case_dir/dnsmasq-args")
    /usr/sbin/dnsmasq --no-daemon --port="$((port + 3))" \
      --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
      --conf-file=/dev/null "${dns_args[@]}" >"$work/dnsmasq.log" 2>&1 &
    dns_pid=$!
  fi
}

# Call cases: one SIPp per peer, its files named after it in $work. The
# longest case takes a few seconds: a peer waiting longer is stuck.
sipp_peer() { # PEER [SIPP ARGS...]
  local peer=$1 calls=1
  shift
  [ -f "$case_dir/$peer.calls" ] && read -r calls <"$case_dir/$peer.calls"
  cd "$work" && exec sipp "$@" -sf "$case_dir/$peer.xml" -t "$sipp_t" \
    -m "$calls" -i 127.0.0.1 -p "$((port + peer_offset[$peer]))" \
    "${extra[@]}" -timeout 15s -timeout_error -nostdin -trace_err -trace_msg \
    -message_file "$work/$peer-messages.log" \
    -error_file "$work/$peer-errors.log" >"$work/$peer.out" 2>&1 </dev/null
}

# Whether something listens on PORT over the run's transport.
listening() {
  local flag=u
  [ "$transport" = tcp ] && flag=t
  [ -n "$(ss -Hln$flag "sport = :$1")" ]
}

# The start line of every message SIPp received, one per line, from its
# message log; with "once", a message received again byte for byte (a
# retransmission) is left out.
received_start_lines() { # MESSAGE_LOG [once]
  awk -v once="${2:-}" '
    function flush() {
      if (start != "" && !(once && seen[text]++)) print start
      start = ""; text = ""; inside = 0
    }
    /^-----+( |$)/ { flush(); next }
    / message received / { inside = 1; next }
    inside && start == "" && NF { start = $0 }
    inside { text = text $0 "\n" }
    END { flush() }' "$1"
}

declare -A peer_rc=() callee_pid=()
peers=()
run_call() {
  local peer port_of_peer
  # The callees listen before the first INVITE can come: each is polled
  # until its port is bound (or it has died).
  for peer in uas uas2; do
    [ -f "$case_dir/$peer.xml" ] || continue
    peers+=("$peer")
    sipp_peer "$peer" &
    callee_pid[$peer]=$!
    port_of_peer=$((port + peer_offset[$peer]))
    for _ in $(seq 1 2000); do
      listening "$port_of_peer" && break
      kill -0 "${callee_pid[$peer]}" 2>/dev/null || break
    done
    if ! listening "$port_of_peer"; then
      echo "$peer did not listen on $port_of_peer" >>"$work/$peer-errors.log"
      return
    fi
  done
  # The callers, one after the other; -l 1 makes a caller's calls follow
  # one another too. With a reload or a stop, the first one stays up
  # meanwhile.
  for peer in uac uac2; do
    [ -f "$case_dir/$peer.xml" ] || continue
    peers+=("$peer")
    if [ -n "$reload$stop$media" ] && [ "$peer" = uac ]; then
      sipp_peer "$peer" 127.0.0.1:"$port" -l 1 -cid_str 'a-leg-%u-%p@%s' &
      caller_pid=$!
      if [ -n "$reload" ]; then
        reload_during_call || return
      elif [ -n "$media" ]; then
        media_during_call || return
      else
        stop_during_call || return
      fi
      continue
    fi
    (sipp_peer "$peer" 127.0.0.1:"$port" -l 1 -cid_str 'a-leg-%u-%p@%s')
    peer_rc[$peer]=$?
    [ "${peer_rc[$peer]}" -eq 0 ] || break
  done
  if [ -n "$caller_pid" ]; then
    wait "$caller_pid"
    peer_rc[uac]=$?
    caller_pid=
  fi
}

# Whether the callee uas has received an ACK, by its message log.
callee_acked() {
  [ -f "$work/uas-messages.log" ] &&
    received_start_lines "$work/uas-messages.log" | grep -q '^ACK '
}

# Polls for the callee's ACK until the caller ends or 10 s pass; on
# failure says why in FAILURE_VAR.
wait_callee_acked() { # FAILURE_VAR WHAT
  local deadline=$((SECONDS + 10))
  until callee_acked; do
    if ! kill -0 "$caller_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]
    then
      printf -v "$1" 'uas received no ACK before the %s' "$2"
      return 1
    fi
  done
}

# Microseconds since the epoch.
now_us() {
  local t=${EPOCHREALTIME/[.,]/}
  echo "$((10#$t))"
}

# Two probes answered one after the other (of at most ten tried).
probe_twice() {
  local answered=0
  for _ in $(seq 1 10); do
    probe && answered=$((answered + 1))
    [ "$answered" -lt 2 ] || return 0
  done
  return 1
}

# The reload while uac's call is up (see above): polls for the callee's
# ACK until the caller ends or 10 s pass, then replaces the dialplan and
# sends SIGHUP. tandem reloads from its event loop, at the latest in the
# turn after the one that answers the first probe after the signal; the
# second probe, sent once the first is answered, comes in a later turn,
# and so does any call after it. A failure stops the caller.
reload_during_call() {
  local failure=
  if wait_callee_acked failure reload; then
    substitute "$case_dir/$reload" >"$work/dialplan.lua.new" &&
      mv "$work/dialplan.lua.new" "$work/dialplan.lua" &&
      kill -HUP "$pid" && probe_twice && return 0
    failure="tandem did not answer two probes after SIGHUP"
  fi
  echo "reload with $reload: $failure" >"$work/reload.log"
  kill -TERM "$caller_pid" 2>/dev/null
  wait "$caller_pid"
  peer_rc[uac]=1 caller_pid=''
  return 1
}

# The media while uac's call is up (see above). A failure stops the
# caller and sets media_rc.
media_rc=0
media_during_call() {
  local failure=
  if wait_callee_acked failure media; then
    if RTP_A=$RTP_A RTP_B=$RTP_B RTP_A_NAT=$RTP_A_NAT \
      RTP_STRANGER=$RTP_STRANGER RTP_MIN=$RTP_MIN RTP_MAX=$RTP_MAX \
      bash "$case_dir/media.sh" "$work" \
      "$rtp_peer" >"$work/media.log" 2>&1 </dev/null; then
      return 0
    fi
    failure="media.sh failed"
  fi
  echo "media: $failure" >>"$work/media.log"
  media_rc=1
  kill -TERM "$caller_pid" 2>/dev/null
  wait "$caller_pid"
  peer_rc[uac]=1 caller_pid=''
  return 1
}

# The stop while uac's call is up (see above): once the callee has its
# ACK, tandem gets the case's signal, and the run polls (bash reaps its
# children as they end) until tandem is gone or the limit passes.
# tandem_rc is then its exit status; a failure goes to stop.log, sets
# stop_rc and stops the caller.
stop_limit_ms=2000 tandem_exited='' stop_rc=0
stop_during_call() {
  local failure='' start elapsed_ms
  if wait_callee_acked failure "SIG$stop"; then
    start=$(now_us)
    kill "-$stop" "$pid"
    while kill -0 "$pid" 2>/dev/null; do
      elapsed_ms=$((($(now_us) - start) / 1000))
      [ "$elapsed_ms" -lt "$stop_limit_ms" ] || break
      sleep 0.01
    done
    elapsed_ms=$((($(now_us) - start) / 1000))
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"
      tandem_rc=$? tandem_exited=1
      echo "tandem exited $tandem_rc ${elapsed_ms} ms after SIG$stop" \
        >"$work/stop.log"
      [ "$tandem_rc" -eq 0 ] && return 0
      failure="tandem exited $tandem_rc, not 0"
    else
      failure="tandem still running ${elapsed_ms} ms after SIG$stop"
    fi
  fi
  echo "stop with SIG$stop: $failure" >>"$work/stop.log"
  stop_rc=1
  kill -TERM "$caller_pid" 2>/dev/null
  wait "$caller_pid"
  peer_rc[uac]=1 caller_pid=''
  return 1
}

dns_pid=
if [ "$transport" = tls ]; then
  (cd "$work" && bash "$scenario" "$((port + 1))" "$work/cert.pem" \
    >"$work/client.out" 2>&1 </dev/null)
  sipp_rc=$?
elif [ -n "$call_case" ]; then
  run_call
  # A caller that failed leaves its callees waiting for what will not
  # come: they are stopped (the verdict is in); otherwise they end on
  # their own, or at their -timeout.
  sipp_rc=0
  for peer in "${!peer_rc[@]}"; do
    [ "${peer_rc[$peer]}" -eq 0 ] || sipp_rc=1
  done
  [ "${#peer_rc[@]}" -gt 0 ] || sipp_rc=1
  for peer in "${!callee_pid[@]}"; do
    [ "$sipp_rc" -eq 0 ] || kill -TERM "${callee_pid[$peer]}" 2>/dev/null
    wait "${callee_pid[$peer]}"
    peer_rc[$peer]=$?
    [ "${peer_rc[$peer]}" -eq 0 ] || sipp_rc=1
  done
elif [ -f "$case_dir/uas.xml" ]; then
  start_peers
  (cd "$work" && sipp -sf "$scenario" -t "$sipp_t" -m 1 \
    -i 127.0.0.1 -p "$((port + 2))" "${extra[@]}" \
    -timeout 30s -timeout_error -nostdin -trace_err -trace_msg \
    -message_file "$work/messages.log" -error_file "$work/errors.log" \
    >"$work/sipp.out" 2>&1 </dev/null)
  sipp_rc=$?
else
  (cd "$work" && sipp 127.0.0.1:"$port" -sf "$scenario" -t "$sipp_t" -m 1 \
    -i 127.0.0.1 -p "$((port + 6))" "${extra[@]}" \
    -timeout 30s -timeout_error -nostdin -trace_err -trace_msg \
    -message_file "$work/messages.log" -error_file "$work/errors.log" \
    >"$work/sipp.out" 2>&1 </dev/null)
  sipp_rc=$?
fi

# Unless a stop already saw tandem exit: a tandem still there after a stop
# gets this second signal, which makes it exit at once.
if [ -z "${tandem_exited:-}" ]; then
  kill -TERM "$pid"
  wait "$pid"
  tandem_rc=$?
fi
if [ -n "$dns_pid" ]; then
  kill -TERM "$dns_pid"
  wait "$dns_pid" 2>/dev/null
fi

# Checks the COUNT REGEX lines of EXPECT against RECEIVED; failures go to
# ERRORS. Returns non-zero on a mismatch.
check_expect() { # EXPECT RECEIVED ERRORS
  local rc=0 count regex got
  # SIPp ends its error file without a newline.
  if [ -s "$3" ] && [ -n "$(tail -c 1 "$3")" ]; then
    echo >>"$3"
  fi
  while read -r count regex; do
    case $count in '' | '#'*) continue ;; esac
    got=$(grep -cE -- "$regex" "$2")
    if [ "$got" -ne "$count" ]; then
      echo "expected $count received '$regex', saw $got" >>"$3"
      rc=1
    fi
  done <"$1"
  return "$rc"
}

seen_rc=0
logs=(errors.log sipp.out client.out messages.log dnsmasq.log)
if [ -n "$call_case" ]; then
  logs=()
  for peer in "${peers[@]}"; do
    logs+=("$peer-errors.log" "$peer.out" "$peer-messages.log")
    expect=$case_dir/expect-$peer-$transport.txt
    [ -f "$expect" ] || expect=$case_dir/expect-$peer.txt
    [ -f "$expect" ] || continue
    touch "$work/$peer-messages.log"
    received_start_lines "$work/$peer-messages.log" once \
      >"$work/$peer-received.txt"
    check_expect "$expect" "$work/$peer-received.txt" \
      "$work/$peer-errors.log" || seen_rc=1
  done
  logs+=(reload.log stop.log media.log)
else
  expect=$case_dir/expect-$transport.txt
  [ -f "$expect" ] || expect=$case_dir/expect.txt
  if [ -f "$expect" ] && [ "$transport" != tls ]; then
    received_start_lines "$work/messages.log" >"$work/received.txt"
    check_expect "$expect" "$work/received.txt" "$work/errors.log" ||
      seen_rc=1
  fi
fi

if [ "$sipp_rc" -ne 0 ] || [ "$tandem_rc" -ne 0 ] || [ "$seen_rc" -ne 0 ] ||
  [ "${stop_rc:-0}" -ne 0 ] || [ "$media_rc" -ne 0 ]; then
  verdict="client exited $sipp_rc"
  if [ -n "$call_case" ]; then
    verdict=
    for peer in "${peers[@]}"; do
      verdict+="$peer exited ${peer_rc[$peer]:-(not run)}, "
    done
    verdict=${verdict%, }
  fi
  echo "FAIL $(basename "$case_dir") over $transport:" \
    "$verdict, tandem exited $tandem_rc" >&2
  for f in "${logs[@]}" tandem.log; do
    [ -f "$work/$f" ] && { echo "---- $f" >&2; tail -n 80 "$work/$f" >&2; }
  done
  exit 1
fi
echo "ok $(basename "$case_dir") over $transport"
