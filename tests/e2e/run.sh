#!/usr/bin/env bash
# Runs one end-to-end case: starts tandem on free loopback ports, waits
# for it by probing with OPTIONS over UDP, runs the case's SIPp client
# scenario (uac-<transport>.xml, else uac.xml) and judges by SIPp's exit
# code and by what SIPp received: expect-<transport>.txt (else
# expect.txt) lists "COUNT REGEX" lines, each the exact number of received
# messages whose start line matches. Then it stops tandem with SIGTERM and
# requires a clean exit (sanitizers report leaks and errors at exit).
#
#   run.sh TANDEM_BINARY CASE_DIR udp|tcp
set -uo pipefail

tandem=$1 case_dir=$(cd "$2" && pwd) transport=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

case $transport in
udp) sipp_t=u1 ;;
tcp) sipp_t=t1 ;;
*) echo "unknown transport $transport" >&2; exit 2 ;;
esac
scenario=$case_dir/uac-$transport.xml
[ -f "$scenario" ] || scenario=$case_dir/uac.xml
if [ ! -f "$scenario" ]; then
  echo "no scenario for $transport in $case_dir" >&2
  exit 2
fi

# Timers scaled down tenfold (T1 100 ms) so that Timer H cases take seconds.
start_tandem() {
  "$tandem" --listen "udp:127.0.0.1:$port" --listen "tcp:127.0.0.1:$port" \
    --t1 100 --t2 1600 --t4 2000 --log-level debug >"$work/tandem.log" 2>&1 &
  pid=$!
}

probe() {
  sipp 127.0.0.1:"$port" -sf "$here/probe.xml" -t u1 -m 1 \
    -timeout 2s -timeout_error -nostdin >/dev/null 2>&1 \
    </dev/null
}

# A port below the kernel's ephemeral range; another process may hold
# it, so a failed start tries the next few.
pid=
for attempt in 1 2 3 4 5; do
  port=$((20000 + (RANDOM % 5000) * 2))
  start_tandem
  for try in $(seq 1 50); do
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

(cd "$work" && sipp 127.0.0.1:"$port" -sf "$scenario" -t "$sipp_t" -m 1 \
  "${extra[@]}" \
  -timeout 30s -timeout_error -nostdin -trace_err -trace_msg \
  -message_file "$work/messages.log" -error_file "$work/errors.log" \
  >"$work/sipp.out" 2>&1 </dev/null)
sipp_rc=$?

kill -TERM "$pid"
wait "$pid"
tandem_rc=$?

# The start line of every message SIPp received, one per line.
received_start_lines() {
  awk '/ message received / { want = 1; next }
       want && NF { print; want = 0 }' "$work/messages.log"
}

expect=$case_dir/expect-$transport.txt
[ -f "$expect" ] || expect=$case_dir/expect.txt
seen_rc=0
if [ -f "$expect" ]; then
  received_start_lines >"$work/received.txt"
  while read -r count regex; do
    case $count in '' | '#'*) continue ;; esac
    got=$(grep -cE -- "$regex" "$work/received.txt")
    if [ "$got" -ne "$count" ]; then
      echo "expected $count received '$regex', saw $got" >>"$work/errors.log"
      seen_rc=1
    fi
  done <"$expect"
fi

if [ "$sipp_rc" -ne 0 ] || [ "$tandem_rc" -ne 0 ] || [ "$seen_rc" -ne 0 ]; then
  echo "FAIL $(basename "$case_dir") over $transport:" \
    "sipp exited $sipp_rc, tandem exited $tandem_rc" >&2
  for f in errors.log sipp.out messages.log tandem.log; do
    [ -f "$work/$f" ] && { echo "---- $f" >&2; tail -n 80 "$work/$f" >&2; }
  done
  exit 1
fi
echo "ok $(basename "$case_dir") over $transport"
