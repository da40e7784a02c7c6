#!/usr/bin/env bash
# Resident memory per established call: tandem (a B2BUA, relay.lua)
# beside Kamailio (a record-routing proxy in Lua, which keeps nothing of
# a call once its INVITE transaction ends) and Kamailio with the dialog
# module (which keeps every call until its BYE), on loopback over UDP. A
# benchmark: it prints numbers and never fails on size.
#
# For each server and each number of calls N, a fresh server: a warm-up
# of 100 short calls (it proves the server relays calls), then M0, the
# memory before; SIPp sets up N calls at BENCH_MEM_RATE
# (tests/bench/calls/uac-call.xml, -l N, each held long enough that none
# ends before M_set is read); M_est when all N are established, M_set
# BENCH_SETTLE_SECONDS later (the transactions have ended: 64*T1 = 32 s
# in tandem, 5 s after the 2xx in Kamailio's tm; only the calls are
# left), M_end once SIPp has ended them all. Per call: (M - M0) / N, in
# KiB.
#
# (M_est - M0) / N counts, besides the calls, the transactions set-up
# keeps alive at once (the rate times their lifetime), and freed memory
# is seldom given back, so M_set seldom falls. The memory is therefore
# also read every second during set-up: once the transactions alive at
# once have stopped growing (after a lifetime: BENCH_SLOPE_SKIP seconds,
# 35 for tandem, 10 for Kamailio), memory grows by the calls alone, and
# the slope of memory against established calls from then on is the
# steady cost of one call ("slope"; it needs a set-up longer than that:
# 50000 calls at 1000/s take 50 s).
#
# The memory is tandem's VmRSS (one process) and, for Kamailio, the
# proportional set size (Pss) of all its processes added up, so that the
# shared memory they all map is counted once.
#
# Installs nothing: scripts/setup.sh provides kamailio,
# kamailio-lua-modules and sip-tester. Environment:
#   BENCH_QUICK=1          2000 calls at 200/s, a short settle (a smoke
#                          test)
#   BENCH_CALLS            the numbers of calls ("10000 50000")
#   BENCH_MEM_RATE         calls per second while setting them up (1000)
#   BENCH_SETTLE_SECONDS   from M_est to M_set (35)
#   BENCH_SLOPE_SKIP       seconds of set-up before the slope (see above)
#   BENCH_SERVERS          which, in order ("kamailio kamailio-dialog
#                          tandem")
#   BENCH_TANDEM, BENCH_TANDEM_ARGS, BENCH_KAMAILIO_MEM, BENCH_KEEP: see
#                          tests/bench/calls/common.sh
set -euo pipefail

bench_name=bench-call-memory
# shellcheck source-path=SCRIPTDIR source=../tests/bench/calls/common.sh
. "$(dirname "$0")/../tests/bench/calls/common.sh"

if [ -n "${BENCH_QUICK:-}" ]; then
  default_calls="2000" default_rate=200 default_settle=3 default_skip=3
else
  default_calls="10000 50000" default_rate=1000 default_settle=35
  default_skip=
fi
read -r -a call_counts <<<"${BENCH_CALLS:-$default_calls}"
rate=${BENCH_MEM_RATE:-$default_rate}
settle=${BENCH_SETTLE_SECONDS:-$default_settle}
slope_skip=${BENCH_SLOPE_SKIP:-$default_skip}
read -r -a servers <<<"${BENCH_SERVERS:-kamailio kamailio-dialog tandem}"

if [[ " ${servers[*]} " == *" tandem "* ]]; then
  find_tandem
fi
pick_ports

echo "memory per established call: SIPp 127.0.0.1:$uac_port -> server" \
  "127.0.0.1:$server_port -> SIPp 127.0.0.1:$uas_port (UDP)"
machine_header
[ -n "${tandem:-}" ] && echo "tandem: $tandem ($("$tandem" --version 2>&1 |
  head -n 1))"
echo "calls set up at $rate/s; M_set read $settle s after all are" \
  "established; open files: $(ulimit -n)"
echo

: >"$work/results"

# The server's memory in KiB: VmRSS for tandem, the Pss of all its
# processes for Kamailio.
server_mem_kb() {
  case $server_name in
  tandem) rss_kb "$server_pid" ;;
  *) tree_pss_kb "$server_pid" ;;
  esac
}

# The slope (KiB per call) of memory against established calls in the
# samples file $1 ("second established KiB" lines), from second $2 on
# and while calls were still being set up ($3 of them); "-" when fewer
# than 5 samples qualify.
slope() {
  awk -v skip="$2" -v n="$3" '
    $1 >= skip && $2 < n { k++; sx += $2; sy += $3; sxx += $2 * $2
                           sxy += $2 * $3 }
    END {
      d = k * sxx - sx * sx
      if (k < 5 || d <= 0) print "-"
      else printf "%.2f\n", (k * sxy - sx * sy) / d
    }' "$1"
}

# One run: $1 calls held open at once. Appends "server N established
# failed M0 M_est M_set M_end slope" to $work/results (M_set 0 when a BYE
# went out before it was read).
run_calls() {
  local n=$1 dir="$work/$server_name-$1" m0 mest mset mend est failed
  local t0 now bye skip=$slope_skip
  # The hold: half as long again as the set-up should take, the settle,
  # and 5 s, so that no call ends before M_set is read.
  local hold_ms=$(((n * 3 / 2 / rate + settle + 5) * 1000))
  local limit=$((n * 2 / rate + 60))
  if [ -z "$skip" ]; then
    case $server_name in
    tandem) skip=35 ;;
    *) skip=10 ;;
    esac
  fi
  echo "$server_name: $n calls"
  uas_start "$dir/uas"
  m0=$(server_mem_kb)
  t0=$(date +%s)
  uac_start "$dir/uac" -r "$rate" -rp 1000 -m "$n" -l "$n" -d "$hold_ms" \
    -recv_timeout 30000 -fd 1 -timeout $((hold_ms / 1000 + limit + 60))s
  # Established: the ACK sent (SIPp's counts, written every second).
  : >"$dir/samples"
  while :; do
    sleep 1
    now=$(($(date +%s) - t0))
    est=$(counts_field "$dir/uac" '_ACK_Sent')
    failed=$(stat_field "$dir/uac/stat.csv" 'FailedCall(C)')
    echo "$now $est $(server_mem_kb)" >>"$dir/samples"
    [ $((est + failed)) -lt "$n" ] || break
    kill -0 "$uac_job" 2>/dev/null || break
    if [ "$now" -ge "$limit" ]; then
      echo "  only $est of $n established after $limit s"
      break
    fi
  done
  mest=$(server_mem_kb)
  echo "  $est established, $failed failed in $now s;" \
    "$((mest / 1024)) MiB (M0 $((m0 / 1024)) MiB)"
  sleep "$settle"
  mset=$(server_mem_kb)
  bye=$(counts_field "$dir/uac" '_BYE_Sent')
  if [ "$bye" -gt 0 ]; then
    echo "  $bye calls ended before M_set was read: M_set not reported"
    mset=0
  fi
  echo "  $settle s later: $((mset / 1024)) MiB; waiting for the BYEs"
  uac_wait || true
  mend=$(server_mem_kb)
  uas_stop
  echo "$server_name $n $est $failed $m0 $mest $mset $mend" \
    "$(slope "$dir/samples" "$skip" "$n")" >>"$work/results"
}

for name in "${servers[@]}"; do
  echo "== $name"
  if [ "$name" = sipp-only ]; then
    echo "(no server, no memory to measure)"
    continue
  fi
  for n in "${call_counts[@]}"; do
    if ! start_server "$name"; then
      if [ "$name" = tandem ] && grep -q -- "--script" "$work/tandem.log"
      then
        echo "$bench_name: this tandem does not take --script yet;" \
          "no tandem figures" >&2
      fi
      break
    fi
    if ! warm_up; then
      stop_server
      break
    fi
    run_calls "$n"
    stop_server
  done
  echo
done

if [ ! -s "$work/results" ]; then
  echo "$bench_name: nothing was measured" >&2
  exit 1
fi
awk '
  BEGIN {
    printf "%-16s %6s %6s %6s %7s %8s %8s %8s %8s %8s %8s\n", "server",
      "calls", "estab", "failed", "M0 MiB", "Mest MiB", "KiB/call",
      "Mset MiB", "KiB/call", "Mend MiB", "slope"
  }
  {
    printf "%-16s %6d %6d %6d %7.1f %8.1f %8.2f ", $1, $2, $3, $4,
      $5 / 1024, $6 / 1024, ($6 - $5) / $2
    if ($7 > 0)
      printf "%8.1f %8.2f ", $7 / 1024, ($7 - $5) / $2
    else
      printf "%8s %8s ", "-", "-"
    printf "%8.1f %8s\n", $8 / 1024, $9
  }' "$work/results"
cat <<EOF

M0: after a warm-up of 100 calls, before the calls. Mest: when all were
established. Mset: ${settle} s later (the transactions over, only the calls
left). Mend: once SIPp had ended them all (freed memory stays with the
process). KiB/call: (M - M0) / calls, the transactions that set-up kept
alive at once included. slope: KiB per call once those stopped growing
(see the top of this script); "-": the set-up was too short for it.
tandem: VmRSS; Kamailio: the Pss of all its processes, added up.
EOF
