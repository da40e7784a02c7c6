#!/usr/bin/env bash
# OPTIONS transactions per second over UDP: tandem beside Kamailio, in the
# same run, on loopback. A benchmark: it prints numbers and never fails on
# speed (it fails only when it cannot measure).
#
# Builds a Release tandem in build/bench-options, starts it and a Kamailio
# answering OPTIONS statelessly with one UDP worker
# (tests/bench/options/kamailio.cfg), both pinned to one CPU, and drives
# each in turn with SIPp (tests/bench/options/uac-options.xml) pinned to
# the other CPU, at each rate for a few seconds (all of Kamailio's steps,
# then all of tandem's, then Timer J's wait). Per step it reports the
# achieved rate, failures, the datagrams each side's socket dropped and
# the CPU time the server consumed (utime + stime from /proc, its worker
# processes included), so that transactions per CPU-second compare even
# when the machine is noisy; and how busy other processes kept the
# server's CPU meanwhile. Then the memory benchmark
# (scripts/bench-memory.sh) runs.
#
# Installs nothing: scripts/setup.sh provides kamailio and sip-tester.
# BENCH_RATES (calls/s, "1000 5000 10000 15000 20000 30000": one SIPp
# on one CPU of this class tops out near 30000) and
# BENCH_STEP_SECONDS (3) change the steps; BENCH_IST_N (100000) the
# memory benchmark's transactions; BENCH_KEEP=1 keeps the temporary
# folder (SIPp's files, server logs).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
here="$root/tests/bench/options"
build="$root/build/bench-options"
read -r -a rates <<<"${BENCH_RATES:-1000 5000 10000 15000 20000 30000}"
step_secs=${BENCH_STEP_SECONDS:-3}
hz=$(getconf CLK_TCK)
# tandem keeps an answered OPTIONS for Timer J, 64*T1 with the default
# T1 of 500 ms; Kamailio's sl keeps nothing.
timer_j_secs=32

for tool in kamailio sipp; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench-options: $tool missing; run scripts/setup.sh as root" >&2
    exit 1
  fi
done

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DTANDEM_TESTS=OFF >/dev/null
cmake --build "$build" --target tandem --parallel >/dev/null
tandem="$build/core/app/tandem"

work=$(mktemp -d)
tandem_pid=
kamailio_pid=

# Stops a server by its PID (never by name) and reaps it.
stop_pid() {
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  stop_pid "$tandem_pid"
  stop_pid "$kamailio_pid"
  if [ -n "${BENCH_KEEP:-}" ]; then
    echo "bench-options: kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# One CPU for the servers, the other for SIPp: each server gets one core
# like the other, and the client does not steal it.
server_pin=()
client_pin=()
server_cpu=
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  server_pin=(taskset -c 0)
  client_pin=(taskset -c 1)
  server_cpu=0
  pinning="servers on CPU 0, SIPp on CPU 1"
else
  pinning="not pinned (no taskset or a single CPU)"
fi

# True when nothing listens on UDP port $1, whatever the address.
udp_port_free() {
  ! awk -v p="$(printf '%04X' "$1")" \
    'NR > 1 { split($2, a, ":"); if (a[2] == p) f = 1 } END { exit !f }' \
    /proc/net/udp
}

# Three ports in a row below the ephemeral range: tandem, Kamailio, SIPp.
pick_ports() {
  local base
  for _ in $(seq 1 20); do
    base=$((20000 + (RANDOM % 4000) * 2))
    if udp_port_free "$base" && udp_port_free $((base + 2)) &&
      udp_port_free $((base + 4)); then
      tandem_port=$base kamailio_port=$((base + 2)) sipp_port=$((base + 4))
      return 0
    fi
  done
  echo "bench-options: no free UDP ports found" >&2
  exit 1
}

# utime + stime, in ticks, of process $1 and its direct children (the
# Kamailio main process forks its UDP worker and timer processes).
tree_ticks() {
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '
    { pid = $1; sub(/^.*\) /, "")
      if (pid == root || $2 == root) t += $12 + $13 }
    END { print t + 0 }'
}

# Largest peak resident set (VmHWM, kB) among process $1 and its children.
tree_peak_kb() {
  local pid peak=0 kb
  for pid in "$1" $(ps -o pid= --ppid "$1"); do
    kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    [ "${kb:-0}" -gt "$peak" ] && peak=$kb
  done
  echo "$peak"
}

# Busy ticks of the server CPU, all processes (0 when not pinned).
server_cpu_busy() {
  [ -n "$server_cpu" ] || {
    echo 0
    return
  }
  awk -v c="cpu$server_cpu" '$1 == c { print $2 + $3 + $4 + $7 + $8 + $9 }' \
    /proc/stat
}

# Datagrams the kernel dropped on 127.0.0.1:$1 because its receive
# buffer was full (/proc/net/udp's last column).
udp_drops() {
  awk -v p="0100007F:$(printf '%04X' "$1")" \
    '$2 == p { d = $13 } END { print d + 0 }' /proc/net/udp
}

# SIPp on the client CPU against 127.0.0.1:$1, more options after. A
# 4 MB socket buffer (SIPp's default is 64 kB) so that answers are not
# lost on the client's side when SIPp falls a little behind.
sipp_run() {
  local port=$1
  shift
  "${client_pin[@]}" sipp "127.0.0.1:$port" -sf "$here/uac-options.xml" \
    -t u1 -nr -i 127.0.0.1 -mi 127.0.0.1 -p "$sipp_port" \
    -buff_size 4194304 -nostdin "$@" </dev/null
}

# Waits until 127.0.0.1:$1 answers an OPTIONS, while process $2 lives.
wait_ready() {
  for _ in $(seq 1 40); do
    kill -0 "$2" 2>/dev/null || return 1
    if (cd "$work" && sipp_run "$1" -m 1 -timeout 2s -timeout_error \
      >/dev/null 2>&1); then
      return 0
    fi
  done
  return 1
}

start_servers() {
  mkdir -p "$work/kamailio-run"
  "${server_pin[@]}" "$tandem" --listen "udp:127.0.0.1:$tandem_port" \
    --log-level warn >"$work/tandem.log" 2>&1 &
  tandem_pid=$!
  # -DD: Kamailio's main process stays in the foreground, so $! is it.
  "${server_pin[@]}" kamailio -DD -E -f "$here/kamailio.cfg" \
    -A "BENCH_PORT=$kamailio_port" -P "$work/kamailio.pid" \
    -Y "$work/kamailio-run" -w "$work" >"$work/kamailio.log" 2>&1 &
  kamailio_pid=$!
  if ! wait_ready "$tandem_port" "$tandem_pid"; then
    echo "bench-options: tandem did not answer:" >&2
    cat "$work/tandem.log" >&2
    exit 1
  fi
  if ! wait_ready "$kamailio_port" "$kamailio_pid"; then
    echo "bench-options: kamailio did not answer:" >&2
    cat "$work/kamailio.log" >&2
    exit 1
  fi
}

# Column $2 of the last line of SIPp's statistics file $1.
stat_field() {
  awk -F';' -v want="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i; next }
    { v = $c } END { print v + 0 }' "$1"
}

# From SIPp's response-time trace in folder $1 (one line per answer):
# the span in ms from the first answer to the last, and the 99th
# percentile response time in ms. The span, not SIPp's run time, is the
# measuring window: SIPp waits one recv timeout for answers that never
# come, and that wait is no work.
rtt_summary() {
  local files=("$1"/*_rtt.csv) span p99
  if [ ! -f "${files[0]}" ]; then
    echo "0 0"
    return
  fi
  span=$(awk -F';' 'NR == 2 { first = $1 } NR > 1 { last = $1 }
                    END { print last - first }' "${files[0]}")
  p99=$(tail -n +2 "${files[0]}" | cut -d';' -f2 | sort -n |
    awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < 1) i = 1
                              print v[i] + 0 }')
  echo "$span $p99"
}

# One step: server $1 on port $2 (process $3) at $4 calls/s. Appends a
# line of raw figures to $work/results.
run_step() {
  local name=$1 port=$2 pid=$3 rate=$4
  local dir="$work/$name-$rate" calls=$(($4 * step_secs))
  local c0 c1 d0 d1 e0 e1 b0 b1 t0 t1 rc=0
  mkdir -p "$dir"
  c0=$(tree_ticks "$pid") d0=$(udp_drops "$port")
  e0=$(udp_drops "$sipp_port") b0=$(server_cpu_busy) t0=$(date +%s%N)
  # -l: at most one second of calls outstanding; -timeout bounds a step
  # whatever happens. SIPp exits 1 when any call failed: that is data.
  (cd "$dir" && TIMEFORMAT='%3U %3S' &&
    { time sipp_run "$port" -r "$rate" -rp 1000 -m "$calls" -l "$rate" \
      -timeout $((step_secs * 3 + 5))s -trace_stat -stf "$dir/stat.csv" \
      -trace_rtt -rtt_freq 1 >"$dir/sipp.out" 2>&1; } 2>"$dir/time") ||
    rc=$?
  t1=$(date +%s%N) c1=$(tree_ticks "$pid") d1=$(udp_drops "$port")
  e1=$(udp_drops "$sipp_port") b1=$(server_cpu_busy)
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "bench-options: sipp exited $rc against $name at $rate/s:" >&2
    tail -n 20 "$dir/sipp.out" >&2
    exit 1
  fi
  # One line, in the order report() reads: server rate ok failed late
  # drop-s drop-c ticks wall-ms span-ms p99-ms sipp-cpu-s busy-ticks.
  echo "$name $rate $(stat_field "$dir/stat.csv" 'SuccessfulCall(C)')" \
    "$(stat_field "$dir/stat.csv" 'FailedCall(C)')" \
    "$(stat_field "$dir/stat.csv" 'DeadCallMsgs(C)')" \
    "$((d1 - d0)) $((e1 - e0)) $((c1 - c0)) $(((t1 - t0) / 1000000))" \
    "$(rtt_summary "$dir") $(awk '{ print $1 + $2 }' "$dir/time")" \
    "$((b1 - b0))" >>"$work/results"
}

# All steps of server $1 on port $2 (process $3), after a second at a
# low rate that warms its code and buffers (unreported).
run_server() {
  (cd "$work" && sipp_run "$2" -r 1000 -m 1000 -timeout 10s \
    >/dev/null 2>&1) || true
  for rate in "${rates[@]}"; do
    run_step "$1" "$2" "$3" "$rate"
  done
}

# The table of $work/results, by rate, and the per-server summary; $1 is
# the CPU time (ticks) tandem spent afterwards ending its transactions on
# Timer J, $2 how many transactions it had created.
report() {
  sort -k2,2n -k1,1r "$work/results" |
    awk -v hz="$hz" -v linger="$1" -v created="$2" -v step="$step_secs" '
    BEGIN {
      printf "%-8s %7s %8s %7s %7s %6s %6s %6s %6s %5s %4s %8s %5s %4s %5s\n",
        "server", "offered", "achieved", "ok", "failed", "fail", "late",
        "drop-s", "drop-c", "cpu-s", "cpu", "ok/cpu-s", "p99ms", "sipp",
        "noise"
    }
    {
      s = $1; rate = $2; ok = $3; fail = $4; cpu = $8 / hz; wall = $9 / 1000
      # The window: the span of the answers, at least the nominal step
      # (when few answers came), at most how long SIPp ran.
      nominal = step < wall ? step : wall
      span = $10 / 1000 > nominal ? $10 / 1000 : nominal
      ach = ok / span
      if (ach > rate) ach = rate
      pct = ok + fail ? 100 * fail / (ok + fail) : 0
      percpu = cpu ? ok / cpu : 0
      other = ($14 - $8) / hz; if (other < 0) other = 0
      printf "%-8s %7d %8.0f %7d %7d %5.1f%% %6d %6d %6d %5.2f %3.0f%% %8.0f %5.0f %3.0f%% %4.0f%%\n",
        s, rate, ach, ok, fail, pct, $5, $6, $7, cpu, 100 * cpu / span,
        percpu, $11, 100 * $12 / span, 100 * other / wall
      if (other / wall > 0.2) noisy = 1
      if (pct < 1 && ach > best[s]) {
        best[s] = ach; bestcpu[s] = percpu; bestrate[s] = rate
        bound[s] = $12 / span > 0.9 ? ", SIPp-bound: a lower bound" : ""
      }
      if (pct < 1) { cok[s] += ok; ccpu[s] += cpu }
    }
    END {
      print ""
      print "max throughput: the highest achieved rate with < 1% failures"
      split("tandem kamailio", names, " ")
      for (i = 1; i <= 2; i++) {
        s = names[i]; clean[s] = ccpu[s] ? cok[s] / ccpu[s] : 0
        if (best[s])
          printf "  %-8s %6.0f/s (offered %d/s%s): %6.0f ok/cpu-s there, " \
                 "%6.0f over all steps under 1%% failures\n", s, best[s],
                 bestrate[s], bound[s], bestcpu[s], clean[s]
        else
          printf "  %-8s no step under 1%% failures\n", s
      }
      if (best["tandem"] && best["kamailio"])
        printf "  tandem/kamailio: %.2f x the max rate; ok/cpu-s %.2f x " \
               "there, %.2f x over the steps under 1%% failures\n",
               best["tandem"] / best["kamailio"],
               bestcpu["tandem"] / bestcpu["kamailio"],
               clean["tandem"] / clean["kamailio"]
      if (created > 0)
        printf "  tandem then spent %.2f cpu-s ending its ~%d transactions " \
               "on Timer J (%.1f us each; not in the figures above)\n",
               linger / hz, created, 1e6 * linger / hz / created
      if (noisy)
        print "  NOISY: other processes took over 20% of the server CPU " \
              "in some steps"
    }'
}

pick_ports
start_servers
echo "$("$tandem" --version 2>&1 | head -n 1) on 127.0.0.1:$tandem_port;" \
  "$(kamailio -v 2>&1 | head -n 1 | sed 's/^version: //; s/ *$//')" \
  "on 127.0.0.1:$kamailio_port; $(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*')"
echo "$(nproc) CPUs, $pinning; ${step_secs} s per step;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Kamailio first: its stateless answers leave no work behind, whereas
# tandem's transactions end on Timer J 32 s later, work that would land
# on the shared CPU in the middle of Kamailio's steps.
: >"$work/results"
run_server kamailio "$kamailio_port" "$kamailio_pid"
run_server tandem "$tandem_port" "$tandem_pid"
tandem_done=$(date +%s)

# Wait out Timer J so that tandem's CPU cost of ending its transactions
# is measured too (the one deliberate wait: it is what is measured).
linger0=$(tree_ticks "$tandem_pid")
while [ $(($(date +%s) - tandem_done)) -le $((timer_j_secs + 1)) ]; do
  sleep 1
done
linger=$(($(tree_ticks "$tandem_pid") - linger0))
# Requests that reached tandem: SIPp's calls less its socket's drops,
# plus the warm-up's thousand.
created=$(awk '$1 == "tandem" { n += $3 + $4 - $6 } END { print n + 1000 }' \
  "$work/results")

echo
report "$linger" "$created"
echo "  peak RSS: tandem $(($(tree_peak_kb "$tandem_pid") / 1024)) MB," \
  "kamailio $(($(tree_peak_kb "$kamailio_pid") / 1024)) MB" \
  "(largest process; shared memory counted once touched)"
echo "  load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
cat <<'EOF'

achieved: answers per second from the first answer to the last (at least
over the nominal step). late: answers that came after SIPp gave up (500
ms). drop-s, drop-c: datagrams the server's, SIPp's socket dropped, its
receive buffer full. cpu-s: server CPU time (utime + stime, all its
processes). cpu, sipp: server and client CPU over that window (sipp near
100%: the client is the limit). noise: other processes on the server's
CPU over the step.
EOF

stop_pid "$tandem_pid"
tandem_pid=
stop_pid "$kamailio_pid"
kamailio_pid=

echo
bash "$root/scripts/bench-memory.sh" -n "${BENCH_IST_N:-100000}"
