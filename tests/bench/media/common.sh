# shellcheck shell=bash disable=SC2034,SC2154 # variables shared both ways
# Helpers of the media relay benchmark (scripts/bench-media.sh), sourced
# after `set -euo pipefail` with $bench_name and $work set: starting and
# stopping the relays (tandem, rtpengine) by PID, free ports, waiting
# for a quiet machine, and the loopback capture a step's residence
# times are read from (tcpdump, then pcap_residence). Every process
# started here is stopped by its PID, never by name.

# shellcheck source-path=SCRIPTDIR source=../processes.sh
. "$(dirname "${BASH_SOURCE[0]}")/../processes.sh"

relay_pid=
relay_name=
capture_pid=
capture_ticks0= # tcpdump's CPU ticks once it listened
capture_stats=
hz=$(getconf CLK_TCK)

# Prints a command, shell-quoted, as it is run ("$ " first), and keeps
# it for the list at the end.
show() {
  local out="$" arg
  for arg in "$@"; do
    out+=" $(printf '%q' "$arg")"
  done
  echo "$out"
  echo "$out" >>"$work/commands"
}

# Four free UDP ports in a row, below the ephemeral range and above the
# ones the end-to-end tests and the calls benchmarks use: tandem's SIP
# port, the callee's, the caller's, rtpengine's ng port.
pick_ports() {
  local base i ok
  for _ in $(seq 1 50); do
    base=$((30000 + (RANDOM % 600) * 4)) ok=1
    for i in 0 1 2 3; do
      udp_port_free $((base + i)) || ok=
    done
    if [ -n "$ok" ]; then
      sip_port=$base uas_port=$((base + 1)) uac_port=$((base + 2))
      ng_port=$((base + 3))
      return 0
    fi
  done
  echo "$bench_name: no free UDP ports found" >&2
  exit 1
}

# Starts relay $1 (tandem, rtpengine or forward) for mix $2 (rtp or srtp),
# pinned with $relay_pin; sets relay_pid. "direct" starts nothing.
# Returns 1, with the reason on stderr, when it does not start.
start_relay() {
  local name=$1 mix=$2 log="$work/$1-$2.log" port cmd
  relay_name=$name relay_pid=
  case $name in
  direct) return 0 ;;
  tandem)
    local plan=relay-anchored.lua
    [ "$mix" = srtp ] && plan=relay-srtp.lua
    sed "s/@UAS_PORT@/$uas_port/g" "$here/$plan" >"$work/$plan"
    port=$sip_port
    cmd=("${relay_pin[@]}" "$tandem" --listen "udp:127.0.0.1:$sip_port"
      --script "$work/$plan" --rtp-ports "$tandem_ports"
      --media-bind 127.0.0.1 --media-timeout 0 --log-level warn)
    ;;
  rtpengine)
    # Userspace forwarding (--table=-1: no kernel module), one worker
    # thread like tandem's one event loop; its timer and poller
    # threads are counted with it. --delete-delay=0: a deleted call
    # frees its ports at once, for the next step.
    port=$ng_port
    cmd=("${relay_pin[@]}" rtpengine --foreground --log-stderr
      --interface=127.0.0.1 --listen-ng="127.0.0.1:$ng_port"
      --port-min="${rtpengine_ports%-*}" --port-max="${rtpengine_ports#*-}"
      --table=-1 --num-threads=1 --delete-delay=0 --log-level=4)
    ;;
  forward)
    # tests/bench/media/udp_forward binds its ports in order: the last
    # one bound, all are.
    port=${forward_ports#*-}
    cmd=("${relay_pin[@]}" "$udp_forward" --bind 127.0.0.1
      --ports "$forward_ports")
    ;;
  *)
    echo "$bench_name: unknown relay $name" >&2
    return 1
    ;;
  esac
  show "${cmd[@]}"
  "${cmd[@]}" >"$log" 2>&1 &
  relay_pid=$!
  if ! wait_bound "$relay_pid" "$port"; then
    echo "$bench_name: $name did not start:" >&2
    head -n 5 "$log" >&2
    stop_pid "$relay_pid"
    relay_pid=
    return 1
  fi
}

stop_relay() {
  stop_pid "$relay_pid" 10
  relay_pid=
}

# Idle and total ticks of all CPUs, "IDLE TOTAL".
cpu_idle_total() {
  awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i
                 print $5 + $6, t; exit }' /proc/stat
}

# Waits (up to BENCH_QUIET_WAIT seconds, 300) until the machine is
# quiet: the 1-minute load average below 0.7, or the CPUs at least 80%
# idle over 2 s. Prints "busy" when it gave up, else nothing.
wait_quiet() {
  local max=${BENCH_QUIET_WAIT:-300} start=$SECONDS i0 t0 i1 t1 said=
  while :; do
    awk '{ exit !($1 < 0.7) }' /proc/loadavg && return 0
    read -r i0 t0 < <(cpu_idle_total)
    sleep 2
    read -r i1 t1 < <(cpu_idle_total)
    [ $((t1 - t0)) -gt 0 ] && [ $((100 * (i1 - i0))) -ge $((80 * (t1 - t0))) ] &&
      return 0
    if [ $((SECONDS - start)) -ge "$max" ]; then
      echo "  (still busy after ${max} s; measuring anyway)" >&2
      echo busy
      return 0
    fi
    if [ -z "$said" ]; then
      echo "  (waiting for a quiet machine: load $(cut -d' ' -f1 \
        /proc/loadavg))" >&2
      said=1
    fi
  done
}

# Starts tcpdump on lo, pinned like the generator, writing $1 (classic
# pcap, ns stamps): UDP to or from the relay's media ports ($2, LO-HI),
# without the signalling. 64 bytes of each packet hold the RTP header
# behind Ethernet and IPv4 headers; the 64 MiB buffer absorbs the
# moments tcpdump waits for its CPU. Returns once it listens, or 1
# with its words on stderr.
capture_start() {
  local file=$1 ports=$2 filter cmd=()
  filter="udp and portrange $ports and not port $sip_port"
  filter+=" and not port $uas_port and not port $uac_port"
  filter+=" and not port $ng_port"
  cmd=("${gen_pin[@]}" tcpdump -i lo -n -s 64 -B 65536
    --time-stamp-precision=nano -w "$file" "$filter")
  show "${cmd[@]}"
  "${cmd[@]}" 2>"$work/tcpdump.err" &
  capture_pid=$!
  for _ in $(seq 1 100); do
    if grep -q '^tcpdump: listening' "$work/tcpdump.err"; then
      capture_ticks0=$(pid_ticks "$capture_pid")
      return 0
    fi
    kill -0 "$capture_pid" 2>/dev/null || break
    sleep 0.05
  done
  head -n 3 "$work/tcpdump.err" >&2
  stop_pid "$capture_pid" 1
  capture_pid=
  return 1
}

# Process $1's CPU time (utime + stime) in ticks; 0 when it is gone.
pid_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Stops the capture: SIGINT, on which tcpdump writes out what it holds
# and its counts, then waits for it (10 s, then SIGKILL). The kernel
# hands tcpdump its ring's blocks when full or 1 s old (its buffer
# timeout), and a block still filling at the signal is lost: the last
# packets are given that second first. Sets capture_stats to "captured
# dropped ticks": the packets it wrote, those the kernel dropped (its
# buffer full), and its CPU time in ticks since it listened (its
# start-up left out).
capture_stop() {
  local pid=$capture_pid ticks
  capture_stats="0 0 0"
  [ -n "$pid" ] || return 0
  capture_pid=
  sleep 1.1
  ticks=$(($(pid_ticks "$pid") - capture_ticks0))
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  stop_pid "$pid" 1
  capture_stats=$(awk -v ticks="$ticks" '
    /packets captured$/ { c = $1 }
    /packets dropped by kernel$/ { d = $1 }
    END { print c + 0, d + 0, ticks }' "$work/tcpdump.err")
}
