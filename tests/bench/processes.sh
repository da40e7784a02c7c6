# shellcheck shell=bash
# What the benchmarks' shell libraries (tests/bench/calls/common.sh,
# tests/bench/media/common.sh) share: stopping a process by its PID,
# telling whether a UDP port is free, and waiting until a process binds
# one. Sourced, not run.

# Stops process $1 (by its PID, never by name): SIGTERM, then SIGKILL
# after $2 seconds (5), and reaps it when it is our child.
stop_pid() {
  local pid=$1 grace=${2:-5} i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# True when nothing listens on UDP port $1, whatever the address.
udp_port_free() {
  ! awk -v p="$(printf '%04X' "$1")" \
    'NR > 1 { split($2, a, ":"); if (a[2] == p) f = 1 } END { exit !f }' \
    /proc/net/udp
}

# Waits until process $1 listens on UDP port $2 (10 s at most).
wait_bound() {
  for _ in $(seq 1 100); do
    kill -0 "$1" 2>/dev/null || return 1
    udp_port_free "$2" || return 0
    sleep 0.1
  done
  return 1
}
