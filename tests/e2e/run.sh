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
# A case with uas.xml is one where tandem sends: SIPp answers as the peer
# on its own port, the case's dnsmasq-args (if any) start a DNS server on
# loopback for it, and tandem-args are added to tandem's command line;
# in both files @UAS_PORT@, @DNS_PORT@ and @DEAD_PORT@ (a port nobody
# answers on) are replaced. The peer's exit code is then the verdict.
#
#   run.sh TANDEM_BINARY CASE_DIR udp|tcp|tls
set -uo pipefail

tandem=$1 case_dir=$(cd "$2" && pwd) transport=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

case $transport in
udp) sipp_t=u1 ;;
tcp) sipp_t=t1 ;;
tls) ;;
*) echo "unknown transport $transport" >&2; exit 2 ;;
esac
if [ "$transport" = tls ]; then
  scenario=$case_dir/client-tls.sh
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

# A case file with its port placeholders filled in.
substitute() {
  sed -e "s/@UAS_PORT@/$((port + 2))/g" -e "s/@DNS_PORT@/$((port + 3))/g" \
    -e "s/@DEAD_PORT@/$((port + 4))/g" "$1"
}

# Timers scaled down tenfold (T1 100 ms) so that Timer H cases take seconds.
start_tandem() {
  case_args=()
  if [ -f "$case_dir/tandem-args" ]; then
    read -r -a case_args < <(substitute "$case_dir/tandem-args")
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

probe() {
  sipp 127.0.0.1:"$port" -sf "$here/probe.xml" -t u1 -m 1 \
    -timeout 2s -timeout_error -nostdin >/dev/null 2>&1 \
    </dev/null
}

# A port below the kernel's ephemeral range, a multiple of eight, so that
# the next ones (TLS, the peer, DNS) are free of other runs' choices;
# another process may hold it, so a failed start tries the next few.
pid=
for attempt in 1 2 3 4 5; do
  port=$((20000 + (RANDOM % 1250) * 8))
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

dns_pid=
if [ "$transport" = tls ]; then
  (cd "$work" && bash "$scenario" "$((port + 1))" "$work/cert.pem" \
    >"$work/client.out" 2>&1 </dev/null)
  sipp_rc=$?
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
    "${extra[@]}" \
    -timeout 30s -timeout_error -nostdin -trace_err -trace_msg \
    -message_file "$work/messages.log" -error_file "$work/errors.log" \
    >"$work/sipp.out" 2>&1 </dev/null)
  sipp_rc=$?
fi

kill -TERM "$pid"
wait "$pid"
tandem_rc=$?
if [ -n "$dns_pid" ]; then
  kill -TERM "$dns_pid"
  wait "$dns_pid" 2>/dev/null
fi

# The start line of every message SIPp received, one per line.
received_start_lines() {
  awk '/ message received / { want = 1; next }
       want && NF { print; want = 0 }' "$work/messages.log"
}

expect=$case_dir/expect-$transport.txt
[ -f "$expect" ] || expect=$case_dir/expect.txt
seen_rc=0
if [ -f "$expect" ] && [ "$transport" != tls ]; then
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
    "client exited $sipp_rc, tandem exited $tandem_rc" >&2
  for f in errors.log sipp.out client.out messages.log dnsmasq.log \
    tandem.log; do
    [ -f "$work/$f" ] && { echo "---- $f" >&2; tail -n 80 "$work/$f" >&2; }
  done
  exit 1
fi
echo "ok $(basename "$case_dir") over $transport"
