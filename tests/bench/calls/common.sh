# shellcheck shell=bash disable=SC2034,SC2154 # variables shared both ways
# Shared by the calls benchmarks (scripts/bench-calls.sh and
# scripts/bench-call-memory.sh), sourced after `set -euo pipefail` with
# $bench_name set: the system under test (tandem or Kamailio) on one CPU,
# a SIPp caller and a SIPp callee on the other, all on 127.0.0.1, every
# process started here stopped by its PID on exit.
#
# Environment: BENCH_TANDEM (a tandem binary; else a Release one is
# built in build/bench-options, the tree scripts/bench-options.sh
# builds), BENCH_TANDEM_ARGS (more tandem options, split on spaces),
# BENCH_KAMAILIO_MEM (Kamailio's memory manager, -x: tlsf; qm, fm),
# BENCH_KEEP=1 (keep the temporary folder: SIPp's files, server logs).

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
here="$root/tests/bench/calls"
# shellcheck source-path=SCRIPTDIR source=../processes.sh
. "$root/tests/bench/processes.sh"
hz=$(getconf CLK_TCK)
server_pid=
server_name=
# Where the caller sends: the server, or the callee itself (sipp-only).
target_port=
# SIPp runs in the background, each under a subshell that times it:
# these are the subshells' PIDs.
uas_job=
uac_job=

for tool in kamailio sipp taskset; do
  if ! command -v "$tool" >/dev/null; then
    echo "$bench_name: $tool missing; run scripts/setup.sh as root" >&2
    exit 1
  fi
done
if [ ! -f /usr/lib/x86_64-linux-gnu/kamailio/modules/app_lua.so ] &&
  ! find /usr/lib -name app_lua.so -path '*kamailio*' 2>/dev/null |
  grep -q .; then
  echo "$bench_name: Kamailio's app_lua missing (kamailio-lua-modules);" \
    "run scripts/setup.sh as root" >&2
  exit 1
fi

# Over UDP no descriptor is opened per call, but SIPp and the servers
# get all the descriptors they are allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work=$(mktemp -d "${TMPDIR:-/tmp}/$bench_name.XXXXXX")

# Prints a command, shell-quoted, as it is run ("$ " first).
show() {
  local out="$" arg
  for arg in "$@"; do
    out+=" $(printf '%q' "$arg")"
  done
  echo "$out"
}

# The direct children of process $1.
children_of() {
  ps -o pid= --ppid "$1" 2>/dev/null || true
}

# Stops a timing subshell $1 and the SIPp it runs.
stop_job() {
  local job=$1 pid
  [ -n "$job" ] || return 0
  for pid in $(children_of "$job"); do
    stop_pid "$pid" 3
  done
  stop_pid "$job" 3
}

cleanup() {
  stop_job "$uac_job"
  stop_job "$uas_job"
  stop_pid "$server_pid" 10
  if [ -n "${BENCH_KEEP:-}" ]; then
    echo "$bench_name: kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One CPU for the server, the others for the SIPps: each server gets
# one core like the other, and the clients do not steal it. With two
# CPUs both SIPps share the second, and they top out (near 5000 calls/s
# on an EPYC core) before a fast server does; from three CPUs on, each
# SIPp has its own. server_cpu and client_cpus: the CPUs whose busy time
# is watched (empty: not pinned).
server_pin=()
uac_pin=()
uas_pin=()
server_cpu=
client_cpus=
if [ "$(nproc)" -ge 3 ]; then
  server_pin=(taskset -c 0)
  uac_pin=(taskset -c 1)
  uas_pin=(taskset -c 2)
  server_cpu=0 client_cpus="1 2"
  pinning="server on CPU 0, SIPp caller on CPU 1, callee on CPU 2"
elif [ "$(nproc)" -eq 2 ]; then
  server_pin=(taskset -c 0)
  uac_pin=(taskset -c 1)
  uas_pin=(taskset -c 1)
  server_cpu=0 client_cpus=1
  pinning="server on CPU 0, both SIPps on CPU 1"
else
  pinning="not pinned (a single CPU)"
fi

# The tandem binary: BENCH_TANDEM, else a Release build of this tree.
find_tandem() {
  if [ -n "${BENCH_TANDEM:-}" ]; then
    tandem=$BENCH_TANDEM
  else
    local build="$root/build/bench-options"
    show cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
      -DTANDEM_TESTS=OFF
    show cmake --build "$build" --target tandem --parallel
    if ! cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
      -DTANDEM_TESTS=OFF >"$work/cmake.log" 2>&1 ||
      ! cmake --build "$build" --target tandem --parallel \
        >>"$work/cmake.log" 2>&1; then
      tail -n 20 "$work/cmake.log" >&2
      echo "$bench_name: tandem does not build; set BENCH_TANDEM to a" \
        "binary, or BENCH_SERVERS=kamailio" >&2
      exit 1
    fi
    tandem="$build/core/app/tandem"
  fi
  if [ ! -x "$tandem" ]; then
    echo "$bench_name: no tandem binary at $tandem" >&2
    exit 1
  fi
}

# Three ports in a row below the ephemeral range: the server, the
# callee (SIPp UAS), the caller (SIPp UAC).
pick_ports() {
  local base
  for _ in $(seq 1 20); do
    base=$((20000 + (RANDOM % 4000) * 2))
    if udp_port_free "$base" && udp_port_free $((base + 2)) &&
      udp_port_free $((base + 4)); then
      server_port=$base uas_port=$((base + 2)) uac_port=$((base + 4))
      return 0
    fi
  done
  echo "$bench_name: no free UDP ports found" >&2
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

# utime + stime, in ticks, of process $1 alone (0 once it is gone).
proc_ticks() {
  { cat "/proc/$1/stat" 2>/dev/null || true; } |
    awk '{ sub(/^.*\) /, ""); t = $12 + $13 } END { print t + 0 }'
}

# VmRSS of process $1, in KiB.
rss_kb() {
  awk '/^VmRSS:/ { print $2; f = 1 } END { if (!f) print 0 }' \
    "/proc/$1/status" 2>/dev/null || echo 0
}

# Proportional set size (KiB) of process $1 and its direct children: the
# memory they hold, pages they share (Kamailio's shared memory, the
# libraries) split among them, so that a page is counted once.
tree_pss_kb() {
  local pid sum=0 kb
  for pid in "$1" $(children_of "$1"); do
    kb=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null)
    sum=$((sum + ${kb:-0}))
  done
  echo "$sum"
}

# Datagrams the kernel dropped on 127.0.0.1:$1 because its receive
# buffer was full (/proc/net/udp's last column).
udp_drops() {
  awk -v p="0100007F:$(printf '%04X' "$1")" \
    '$2 == p { d = $13 } END { print d + 0 }' /proc/net/udp
}

# Starts server $1 (kamailio, kamailio-dialog or tandem) on
# $server_port, relaying to the callee on $uas_port. Returns 1, with the
# reason on stderr, when it does not start. sipp-only starts nothing: the
# caller calls the callee directly, which measures the SIPp pair's own
# ceiling.
start_server() {
  local name=$1 log="$work/$1.log" cmd
  server_name=$name
  target_port=$server_port
  case $name in
  sipp-only)
    target_port=$uas_port
    server_pid=
    echo "(no server: SIPp calls SIPp)"
    return 0
    ;;
  kamailio | kamailio-dialog)
    local run="$work/$name-run" extra=()
    [ "$name" = kamailio-dialog ] && extra=(-A WITH_DIALOG)
    mkdir -p "$run"
    # -DD: the main process stays in the foreground, so $! is it. 1 GB
    # of shared memory (-m): at thousands of calls per second its
    # transactions outgrow the default 64 MB; pages are counted only
    # once touched. -x tlsf: Kamailio's fastest memory manager; its
    # default, qm (with Debian's memory debugging), spends over half the
    # worker's time in qm_malloc at 1000 calls/s, which would halve its
    # figures.
    cmd=(env "BENCH_UAS_PORT=$uas_port" "${server_pin[@]}" kamailio -DD -E
      -f "$here/kamailio.cfg" -A "BENCH_PORT=$server_port"
      -A "BENCH_LUA=\"$here/kamailio.lua\"" "${extra[@]}"
      -x "${BENCH_KAMAILIO_MEM:-tlsf}" -m 1024 -M 16
      -P "$run/kamailio.pid" -Y "$run" -w "$run")
    ;;
  tandem)
    local extra=()
    sed "s/@UAS_PORT@/$uas_port/g" "$here/relay.lua" >"$work/relay.lua"
    read -r -a extra <<<"${BENCH_TANDEM_ARGS:-}"
    cmd=("${server_pin[@]}" "$tandem" --listen "udp:127.0.0.1:$server_port"
      --script "$work/relay.lua" --log-level warn "${extra[@]}")
    ;;
  *)
    echo "$bench_name: unknown server $name" >&2
    return 1
    ;;
  esac
  show "${cmd[@]}"
  "${cmd[@]}" >"$log" 2>&1 &
  server_pid=$!
  if ! wait_bound "$server_pid" "$server_port"; then
    echo "$bench_name: $name did not start:" >&2
    head -n 5 "$log" >&2
    stop_pid "$server_pid"
    server_pid=
    return 1
  fi
}

stop_server() {
  stop_pid "$server_pid" 10
  server_pid=
}

# SIPp as $1 (uac or uas, pinned to its CPU) in folder $2 (created), its
# output in $2/sipp.out and its user + system CPU seconds in $2/time;
# more options after. Runs in the background; sets $sipp_job to the
# timing subshell. A 4 MB socket buffer (SIPp's default is 64 kB) so
# that messages are not lost on the client's side when SIPp falls a
# little behind.
sipp_start() {
  local pin=("${uac_pin[@]}")
  [ "$1" = uas ] && pin=("${uas_pin[@]}")
  local dir=$2
  shift 2
  mkdir -p "$dir"
  local cmd=("${pin[@]}" sipp -t u1 -i 127.0.0.1 -mi 127.0.0.1
    -buff_size 4194304 -nostdin -trace_stat -stf "$dir/stat.csv"
    -trace_counts "$@")
  show "${cmd[@]}"
  (cd "$dir" && TIMEFORMAT='%3U %3S' &&
    time "${cmd[@]}" </dev/null >"$dir/sipp.out" 2>&1) 2>"$dir/time" &
  sipp_job=$!
}

# The callee in folder $1 (more options after): answers every call
# until stopped with uas_stop.
uas_start() {
  local dir=$1
  shift
  sipp_start uas "$dir" -sf "$here/uas-call.xml" -p "$uas_port" \
    -recv_timeout 600000 "$@"
  uas_job=$sipp_job
  if ! wait_bound "$uas_job" "$uas_port"; then
    echo "$bench_name: the SIPp callee did not start:" >&2
    tail -n 20 "$dir/sipp.out" >&2
    exit 1
  fi
}

# Stops the callee gracefully (SIGUSR1: SIPp writes its statistics and
# exits) and waits for it.
uas_stop() {
  local pid
  [ -n "$uas_job" ] || return 0
  for pid in $(children_of "$uas_job"); do
    kill -USR1 "$pid" 2>/dev/null || true
  done
  # Its calls end within their 4 s timewait.
  for _ in $(seq 1 100); do
    kill -0 "$uas_job" 2>/dev/null || break
    sleep 0.1
  done
  stop_job "$uas_job"
  uas_job=
}

# The caller in folder $1 against the server (more options after); in
# the background, $uac_job its timing subshell.
uac_start() {
  local dir=$1
  shift
  sipp_start uac "$dir" "127.0.0.1:$target_port" -sf "$here/uac-call.xml" \
    -s bench -p "$uac_port" "$@"
  uac_job=$sipp_job
}

# Waits for the caller; its exit code (SIPp exits 1 when a call failed:
# that is data, not an error).
uac_wait() {
  local rc=0
  wait "$uac_job" || rc=$?
  uac_job=
  return "$rc"
}

# Column $2 of the last line of SIPp's statistics file $1 (0 if none).
stat_field() {
  [ -f "$1" ] || {
    echo 0
    return
  }
  awk -F';' -v want="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i; next }
    { v = $c } END { print v + 0 }' "$1"
}

# From the last line of the counts file (-trace_counts) in folder $1:
# "SENT RETRANS": messages sent and received once, and the
# retransmissions sent and received.
counts_summary() {
  local files=("$1"/*_counts.csv) f
  f=${files[0]}
  if [ ! -f "$f" ]; then
    echo "0 0"
    return
  fi
  awk -F';' '
    NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i; next }
    { for (i = 1; i <= NF; i++) v[i] = $i }
    END {
      for (i in h) {
        if (h[i] ~ /_(Sent|Recv)$/) m += v[i]
        else if (h[i] ~ /_Retrans$/) r += v[i]
      }
      print m + 0, r + 0
    }' "$f"
}

# Column $2 (a name ending like _ACK_Sent) of the last line of the
# counts file in folder $1 (0 if none yet).
counts_field() {
  local files=("$1"/*_counts.csv) f
  f=${files[0]}
  [ -f "$f" ] || {
    echo 0
    return
  }
  awk -F';' -v want="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ want "$") c = i; next }
    c { v = $c } END { print v + 0 }' "$f"
}

# A few calls at a low rate, unreported: they warm the server's code and
# buffers, and prove it relays calls. Returns 1 when no call went
# through.
warm_up() {
  local dir="$work/$server_name-warmup" ok
  echo "warm-up, $server_name:"
  uas_start "$dir/uas"
  uac_start "$dir/uac" -r 50 -m 100 -d 0 -timeout 30s -recv_timeout 5000
  uac_wait || true
  uas_stop
  ok=$(stat_field "$dir/uac/stat.csv" 'SuccessfulCall(C)')
  if [ "$ok" -eq 0 ]; then
    echo "$bench_name: $server_name relayed no call of the warm-up:" >&2
    tail -n 20 "$work/$server_name.log" >&2
    return 1
  fi
}

machine_header() {
  echo "$(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' \
    /proc/cpuinfo)), $pinning; load average $(cut -d' ' -f1-3 \
      /proc/loadavg)"
  echo "$(kamailio -v 2>&1 | head -n 1 | sed 's/^version: //; s/ *$//');" \
    "$(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*')"
}

# Busy ticks of CPUs $1 ("1 2"), all processes added up (0 when not
# pinned: $1 empty).
cpu_busy() {
  awk -v cpus=" $1 " '
    /^cpu[0-9]/ && index(cpus, " " substr($1, 4) " ") {
      t += $2 + $3 + $4 + $7 + $8 + $9 }
    END { print t + 0 }' /proc/stat
}
