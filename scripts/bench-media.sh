#!/usr/bin/env bash
# Media relay capacity: tandem's RTP relay (call:anchor_media()) beside
# rtpengine (userspace forwarding, one worker thread), in the same run,
# under the same load, on loopback. A benchmark: it prints numbers and
# never fails on speed (only when it cannot measure).
#
# rtp_load (tests/bench/media/) plays both phones of N calls: through
# tandem by SIP (it is the caller and the callee; tandem's dialplan
# anchors the media and dials the callee), through rtpengine by its ng
# protocol (offer, answer, delete), through udp_forward (beside it: the
# least a relay in another process can be) on a fixed pair of its ports
# per call, with no signalling. Each call sends 50 packets/s each
# way (RTP, PCMU, 20 ms), each side from its own socket, the port its
# SDP names. Per step: calls set up at 200/s (each side sending as soon
# as it can), a 2 s warm-up, a 10 s window, calls torn down. Measured
# over the window: packets offered and relayed, loss, one-way latency
# (send time in the payload, CLOCK_MONOTONIC, read again on arrival in
# the same process: p50 and p99 in µs), the relay's CPU time (utime +
# stime from /proc, all its threads) and the generator's. Two mixes:
# rtp (plain both sides) and srtp (the caller speaks SRTP, SDES
# AES_CM_128_HMAC_SHA1_80, the callee plain RTP, so the relay decrypts
# or encrypts every packet). The number of calls steps up until a step
# loses more than 0.1%, a call fails, or the generator falls behind its
# schedule. The relay is pinned to CPU 0, the generator to CPU 1; each
# step waits for a quiet machine first. One table at the end.
#
# The generator's latency also holds its own scheduling, so each step
# is captured on lo too (tcpdump, pinned with the generator), and
# pcap_residence pairs each RTP packet's copy entering the relay with
# its copy leaving it (same SSRC, sequence number and RTP timestamp):
# the residence, the latency the relay itself adds. The kernel stamps
# both copies as each sendto() hands the packet to lo, in the sender's
# context, so when tcpdump gets to run does not move them; the tap's
# copy of every packet costs the same in every relay.
#
# Installs nothing: scripts/setup.sh provides rtpengine-daemon and
# tcpdump. Builds tandem, rtp_load, udp_forward and pcap_residence in
# build/bench-media (Release).
# Environment:
#   BENCH_QUICK=1          two small, short steps (a smoke test)
#   BENCH_CALLS            the steps, calls ("100 250 500 1000 1500 2000
#                          3000")
#   BENCH_STEP_SECONDS     the measured window per step (10)
#   BENCH_WARMUP_SECONDS   media before the window (2)
#   BENCH_RELAYS           which, in order ("rtpengine tandem"; add
#                          direct: the phones talk to each other, no
#                          relay: the generator's own floor, on one
#                          CPU; add forward: udp_forward, a relay that
#                          latches and sends on and nothing else, so
#                          the least a hop to another process and CPU
#                          costs: tandem's and rtpengine's latency
#                          minus its own is theirs, printed at the end)
#   BENCH_MIXES            "rtp srtp"
#   BENCH_PPS              packets/s per direction per call (50)
#   BENCH_SETUP_RATE       calls set up per second (200)
#   BENCH_CAPTURE=0        no loopback capture, no residence figures (on
#                          by default for every relay but direct; needs
#                          root and tcpdump)
#   BENCH_MAX_LOSS_PCT     the loss that ends the steps (0.1)
#   BENCH_QUIET_WAIT       seconds a step may wait for a quiet machine
#                          (300)
#   BENCH_NOISE_PCT        other processes' CPU time (in % of one CPU)
#                          that makes a step noisy (20)
#   BENCH_NOISE_RETRIES    times a noisy step is run again (2)
#   BENCH_TANDEM           a tandem binary instead of the build's
#   BENCH_KEEP=1           keep the temporary folder (logs, raw figures,
#                          captures)
set -euo pipefail

bench_name=bench-media
root=$(cd "$(dirname "$0")/.." && pwd)
here="$root/tests/bench/media"
build="$root/build/bench-media"

if [ -n "${BENCH_QUICK:-}" ]; then
  default_calls="20 50" default_step=2 default_warmup=1
else
  default_calls="100 250 500 1000 1500 2000 3000"
  default_step=10 default_warmup=2
fi
read -r -a steps <<<"${BENCH_CALLS:-$default_calls}"
step_secs=${BENCH_STEP_SECONDS:-$default_step}
warmup_secs=${BENCH_WARMUP_SECONDS:-$default_warmup}
read -r -a relays <<<"${BENCH_RELAYS:-rtpengine tandem}"
read -r -a mixes <<<"${BENCH_MIXES:-rtp srtp}"
pps=${BENCH_PPS:-50}
setup_rate=${BENCH_SETUP_RATE:-200}
max_loss=${BENCH_MAX_LOSS_PCT:-0.1}
noise_pct=${BENCH_NOISE_PCT:-20}
noise_retries=${BENCH_NOISE_RETRIES:-2}
capture=${BENCH_CAPTURE:-1}

for tool in rtpengine taskset cmake timeout; do
  if ! command -v "$tool" >/dev/null; then
    echo "$bench_name: $tool missing; run scripts/setup.sh as root" >&2
    exit 1
  fi
done

if [ "$capture" != 0 ] && ! command -v tcpdump >/dev/null; then
  echo "$bench_name: tcpdump missing: no residence figures (scripts/setup.sh" \
    "installs it)" >&2
  capture=0
fi

# Two sockets per call in the generator, four in each relay.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work=$(mktemp -d "${TMPDIR:-/tmp}/$bench_name.XXXXXX")
: >"$work/commands"
: >"$work/results"
gen_pid=
# shellcheck source-path=SCRIPTDIR source=../tests/bench/media/common.sh
. "$here/common.sh"

cleanup() {
  stop_pid "$gen_pid" 3
  capture_stop
  stop_relay
  if [ -n "${BENCH_KEEP:-}" ]; then
    echo "$bench_name: kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

relay_pin=()
gen_pin=()
if [ "$(nproc)" -ge 2 ]; then
  relay_pin=(taskset -c 0)
  gen_pin=(taskset -c 1)
  pinning="relay on CPU 0, generator on CPU 1"
else
  pinning="not pinned (a single CPU)"
fi

show cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DTANDEM_TESTS=ON -DTANDEM_BENCH=ON
show cmake --build "$build" --target tandem rtp_load udp_forward \
  pcap_residence --parallel
if ! cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DTANDEM_TESTS=ON -DTANDEM_BENCH=ON >"$work/cmake.log" 2>&1 ||
  ! cmake --build "$build" --target tandem rtp_load udp_forward \
    pcap_residence --parallel >>"$work/cmake.log" 2>&1; then
  tail -n 20 "$work/cmake.log" >&2
  echo "$bench_name: the build failed" >&2
  exit 1
fi
tandem=${BENCH_TANDEM:-$build/core/app/tandem}
rtp_load="$build/tests/bench/media/rtp_load"
udp_forward="$build/tests/bench/media/udp_forward"
pcap_residence="$build/tests/bench/media/pcap_residence"

# Relay ports: four per call (RTP and RTCP, each side), a quarter more
# for ports held by others, tandem's range then rtpengine's, disjoint,
# from 2000 up (below the ones the end-to-end tests use when the steps
# are small); the generator's sockets take the kernel's ephemeral range.
# udp_forward binds exactly two per call, every one, after rtpengine's
# range when that fits below the ephemeral range; else (the largest
# steps) at the start of tandem's, free again by then: the relays run
# one at a time, each stopped before the next starts. start_forward
# checks that all of them are free.
max_calls=0
for n in "${steps[@]}"; do
  [ "$n" -gt "$max_calls" ] && max_calls=$n
done
span=$(((max_calls * 5 + 64) / 2 * 2))
tandem_ports="2000-$((2000 + span - 1))"
rtpengine_ports="$((2000 + span))-$((2000 + 2 * span - 1))"
if [ $((2000 + 2 * span)) -gt 32768 ]; then
  echo "$bench_name: $max_calls calls need more relay ports than" \
    "2000-32767 hold" >&2
  exit 1
fi
forward_base=$((2000 + 2 * span))
if [ $((forward_base + 2 * max_calls)) -gt 32768 ]; then
  forward_base=2000
fi
forward_ports="$forward_base-$((forward_base + 2 * max_calls - 1))"
pick_ports

echo "media relay: $pps packets/s each way per call, calls set up at" \
  "$setup_rate/s, ${warmup_secs} s warm-up, ${step_secs} s window"
echo "$(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' \
  /proc/cpuinfo)), $pinning; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tandem: $tandem ($("$tandem" --version 2>&1 | head -n 1), tree at" \
  "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'));" \
  "rtpengine $(dpkg-query -W -f='${Version}' rtpengine-daemon 2>/dev/null ||
    echo '?') (userspace, --num-threads=1)"
echo "ports: tandem $tandem_ports, rtpengine $rtpengine_ports, forward" \
  "$forward_ports, SIP $sip_port (tandem) $uas_port (callee) $uac_port" \
  "(caller), ng $ng_port"
echo

# The ports of range $1 (LO-HI) that a UDP socket holds, on any
# address, one line; nothing when all are free.
udp_ports_busy() {
  local tables=(/proc/net/udp)
  [ -r /proc/net/udp6 ] && tables+=(/proc/net/udp6)
  awk -v lo="${1%-*}" -v hi="${1#*-}" '
    function hex(s,   i, n) {
      for (i = 1; i <= length(s); i++)
        n = n * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1
      return n
    }
    FNR > 1 { split($2, a, ":"); p = hex(a[2])
      if (p >= lo && p <= hi && !(p in seen)) {
        seen[p] = 1; printf "%s%d", (n++ ? " " : ""), p } }
    END { if (n) print "" }' "${tables[@]}"
}

# Starts udp_forward through start_relay once its whole range is free.
start_forward() {
  local busy
  busy=$(udp_ports_busy "$forward_ports")
  if [ -n "$busy" ]; then
    echo "$bench_name: forward's ports in use: $(cut -c1-200 <<<"$busy")" >&2
    return 1
  fi
  start_relay forward "$1"
}

# The running relay's media ports, LO-HI: what the capture keeps.
relay_ports() {
  case $relay_name in
  tandem) echo "$tandem_ports" ;;
  rtpengine) echo "$rtpengine_ports" ;;
  forward) echo "$forward_ports" ;;
  esac
}

# Reads the residence times from capture $1 of the step whose generator
# line is $2, over the generator's window: it opens after the set-up
# (setup_ms) and the warm-up, counted from the first RTP packet (the
# first call's, a few ms after the generator starts). Sets res_keys to
# pcap_residence's figures, each key with "res_" before it, and
# tcpdump's (packets written, dropped by the kernel, CPU ticks); empty
# when the generator gave no result. Deletes the capture unless
# BENCH_KEEP is set: it can be large.
residence_read() {
  local file=$1 setup captured dropped ticks out cmd=()
  res_keys=
  read -r captured dropped ticks <<<"$capture_stats"
  setup=$(sed -n 's/.* setup_ms=\([0-9]*\) .*/\1/p' <<<"$2")
  if [ -n "$setup" ]; then
    cmd=("$pcap_residence" --skip-ms $((setup + warmup_secs * 1000))
      --window-ms $((step_secs * 1000)) "$file")
    show "${cmd[@]}"
    if out=$("${cmd[@]}" 2>"$work/residence.err"); then
      res_keys=" $(sed 's/^residence //; s/\([a-z0-9_]*\)=/res_\1=/g' \
        <<<"$out") res_captured=$captured res_kdrop=$dropped res_ticks=$ticks"
    else
      sed 's/^/  /' "$work/residence.err"
    fi
  fi
  [ -n "${BENCH_KEEP:-}" ] || rm -f "$file"
}

# One step: $1 calls through the running relay (forward: started here)
# on mix $2, captured on lo unless BENCH_CAPTURE=0. Appends "relay mix
# calls quiet rc key=value..." to $work/results and prints its figures;
# returns 1 when the steps should end, 2 when other processes took more
# than BENCH_NOISE_PCT of a CPU meanwhile (3: both).
run_step() {
  local calls=$1 mix=$2 quiet rc=0 line args limit
  local pcap="$work/$relay_name-$mix-$calls.pcap" captured=
  quiet=$(wait_quiet)
  # udp_forward keeps what it latched, and the last run's phones'
  # ports, reused by this run's, would get its first packets: a fresh
  # one for each run.
  if [ "$relay_name" = forward ]; then
    stop_relay
    start_forward "$mix" || return 1
  fi
  args=(--relay "$relay_name" --mix "$mix" --calls "$calls" --pps "$pps"
    --setup-rate "$setup_rate" --warmup-ms $((warmup_secs * 1000))
    --window-ms $((step_secs * 1000)))
  case $relay_name in
  tandem) args+=(--sip "127.0.0.1:$sip_port" --uac-port "$uac_port"
    --uas-port "$uas_port") ;;
  rtpengine) args+=(--ng "127.0.0.1:$ng_port") ;;
  forward) args+=(--forward-port "${forward_ports%-*}") ;;
  esac
  [ -n "$relay_pid" ] && args+=(--relay-pid "$relay_pid")
  # Setup, window and teardown, and 64*T1 twice for stragglers.
  limit=$((calls / setup_rate + calls / 1000 + warmup_secs + step_secs + 80))
  if [ "$capture" != 0 ] && [ "$relay_name" != direct ]; then
    if capture_start "$pcap" "$(relay_ports)"; then
      captured=1
    else
      echo "$bench_name: the capture did not start: no residence figures" >&2
      capture=0
    fi
  fi
  show "${gen_pin[@]}" "$rtp_load" "${args[@]}"
  "${gen_pin[@]}" timeout -k 5 "$limit" "$rtp_load" "${args[@]}" \
    >"$work/step.out" 2>"$work/step.err" &
  gen_pid=$!
  wait "$gen_pid" || rc=$?
  gen_pid=
  sed 's/^/  /' "$work/step.err" | head -n 8
  line=$(grep '^result ' "$work/step.out" | head -n 1 || true)
  res_keys=
  if [ -n "$captured" ]; then
    capture_stop
    residence_read "$pcap" "$line"
  fi
  echo "$relay_name $mix $calls ${quiet:-quiet} $rc ${line#result }$res_keys" \
    >>"$work/results"
  tail -n 1 "$work/results" | awk -v hz="$hz" -v pps="$pps" \
    -v maxloss="$max_loss" -v noise="$noise_pct" "$figures_awk"'
    { figures()
      printf "  %d calls: %.0f pps offered, %.0f relayed, loss %.3f%%, " \
        "relay cpu %.0f%%, generator %.0f%%, p50 %s, p99 %s%s%s\n",
        $3, offered, relayed, loss, rcpu, gcpu, us_text(v["p50_us"]),
        us_text(v["p99_us"]), res_text(), note != "" ? " (" note ")" : ""
      exit stop + 2 * (other > noise) }'
}

# A step, run again (up to BENCH_NOISE_RETRIES times) when other
# processes took over BENCH_NOISE_PCT of a CPU during it: the relay and
# the generator each need theirs. The noisy attempts' lines go to
# $work/noisy. Returns 1 when the steps should end.
run_step_retried() {
  local try rc
  for ((try = 0; ; try++)); do
    rc=0
    run_step "$@" || rc=$?
    [ "$rc" -ge 2 ] || return "$rc"
    if [ "$try" -ge "$noise_retries" ]; then
      return $((rc - 2))
    fi
    echo "  (other processes took over ${noise_pct}% of a CPU: again)"
    tail -n 1 "$work/results" >>"$work/noisy"
    sed -i '$d' "$work/results"
  done
}

# Reads a results line into v[] and the derived figures; note says why
# the steps end after it (stop = 1), if they do. tcpdump's CPU time
# counts as neither the relay's nor other processes': its share over
# the window is its whole time in proportion to the packets captured
# then. Awk code: its $ are awk's.
# shellcheck disable=SC2016
figures_awk='
  function figures(   i, kv, secs, sent, ticks, capticks) {
    delete v
    for (i = 6; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    secs = (v["window_ms"] ? v["window_ms"] : 1) / 1000
    sent = v["sent_ab"] + v["sent_ba"]; relayed_n = v["recv_ab"] + v["recv_ba"]
    offered = sent / secs; relayed = relayed_n / secs
    loss = sent ? 100 * (sent - relayed_n) / sent : 0
    ticks = v["relay_ticks"]
    rcpu = 100 * ticks / hz / secs
    percpu = ticks ? relayed_n / (ticks / hz) : 0
    gcpu = 100 * v["self_ns"] / 1e9 / secs
    capticks = v["res_captured"] > 0 ? \
      v["res_ticks"] * v["res_packets"] / v["res_captured"] : 0
    other = 100 * (v["all_ticks"] - ticks - v["self_ticks"] - capticks) / \
      hz / secs
    if (other < 0) other = 0
    note = ""; stop = 0
    if ($5 != 0 || v["up"] == "") { note = "no result, exit " $5; stop = 1 }
    else if (v["failed"] > 0) { note = v["failed"] " calls failed"; stop = 1 }
    else if (loss > maxloss) { note = "loss > " maxloss "%"; stop = 1 }
    else if (offered < 0.97 * $3 * 2 * pps) {
      note = "generator behind"; stop = 1 }
    # Datagrams that came back but were not what was sent.
    split("foreign bad_srtp malformed rtcp", odd, " ")
    for (i = 1; i <= 4; i++)
      if (v[odd[i]] > 0) add(v[odd[i]] " " odd[i])
    if (v["res_kdrop"] > 0) add("capture dropped " v["res_kdrop"])
    if (v["res_unpaired"] > 0) add(v["res_unpaired"] " unpaired")
    if (v["res_mismatched"] > 0) add(v["res_mismatched"] " mismatched")
    if (other > noise) add("noisy")
    if (rcpu >= 95) add("relay saturated")
    if (gcpu >= 90) add("generator saturated")
    if ($4 == "busy") add("machine busy")
  }
  function add(what) { note = note (note != "" ? ", " : "") what }
  # Latency in µs, or beyond the histogram (100 ms).
  function us(x) { return x >= 100000 ? ">100ms" : x }
  function us_text(x) { return x >= 100000 ? "over 100 ms" : x " us" }
  # Residence in the relay, from the capture, when there is one.
  function has_res() { return v["res_pairs"] > 0 }
  function res(x) { return has_res() ? x : "-" }
  function res_text() {
    return has_res() ? ", residence p50 " v["res_p50_us"] " us, p99 " \
      v["res_p99_us"] " us" : ""
  }'

for mix in "${mixes[@]}"; do
  for relay in "${relays[@]}"; do
    # Neither direct nor forward speaks SRTP: they have no keys.
    case $relay/$mix in
    direct/srtp | forward/srtp) continue ;;
    esac
    echo "== $relay, $mix"
    if [ "$relay" = forward ]; then
      relay_name=forward relay_pid= # started for each run by run_step
    else
      start_relay "$relay" "$mix" || continue
    fi
    if [ -n "$relay_pid" ] && [ -n "$(ps -o pid= --ppid "$relay_pid")" ]; then
      echo "  (note: $relay has child processes; only its own are counted)"
    fi
    for calls in "${steps[@]}"; do
      run_step_retried "$calls" "$mix" || break
    done
    stop_relay
    echo
  done
done

if [ ! -s "$work/results" ]; then
  echo "$bench_name: no step ran" >&2
  exit 1
fi

awk -v hz="$hz" -v pps="$pps" -v maxloss="$max_loss" -v noise="$noise_pct" \
  -v steps="${steps[*]}" "$figures_awk"'
  BEGIN {
    printf "%-9s %-4s %5s %8s %8s %7s %5s %9s %6s %6s %7s %7s %4s %5s %s\n",
      "relay", "mix", "calls", "offered", "relayed", "loss", "relay",
      "pkts/cpu", "p50us", "p99us", "res50us", "res99us", "gen", "other",
      "note"
  }
  { figures()
    printf "%-9s %-4s %5d %8.0f %8.0f %6.3f%% %4.0f%% %9.0f %6s %6s %7s %7s %3.0f%% %4.0f%% %s\n",
      $1, $2, $3, offered, relayed, loss, rcpu, percpu, us(v["p50_us"]),
      us(v["p99_us"]), res(v["res_p50_us"]), res(v["res_p99_us"]), gcpu,
      other, note
    key = $1 " " $2
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    if (!stop && $3 > best[key]) {
      best[key] = $3; bestp99[key] = us_text(v["p99_us"]); bestrcpu[key] = rcpu
    }
    if (!stop) { crel[key] += relayed_n; cticks[key] += v["relay_ticks"] }
    if (stop) why[key] = note
    if ($5 == 0 && v["up"] != "") {
      p50[key, $3] = v["p50_us"]; p99[key, $3] = v["p99_us"]
    }
    if (!stop && has_res())
      resline[key, $3] = sprintf("p50 %s us, p99 %s us, p99.9 %s us, " \
        "max %s us (%d pairs)", v["res_p50_us"], v["res_p99_us"],
        v["res_p999_us"], v["res_max_us"], v["res_pairs"])
  }
  END {
    print ""
    print "most calls in a clean step (loss <= " maxloss "%, no failed " \
          "call, the generator on time),"
    print "and packets per relay CPU-second over the clean steps:"
    for (i = 1; i <= n; i++) {
      k = order[i]; all[k] = cticks[k] ? crel[k] / (cticks[k] / hz) : 0
      end = why[k] != "" ? "; the next step: " why[k] : \
        "; every step clean"
      if (best[k])
        printf "  %-14s %5d calls (relay %.0f%%, p99 %s); %6.0f " \
          "pkts/cpu-s%s\n", k, best[k], bestrcpu[k], bestp99[k], all[k], end
      else
        printf "  %-14s no clean step%s\n", k, end
    }
    split("rtp srtp", ms, " ")
    for (j = 1; j <= 2; j++) {
      t = "tandem " ms[j]; r = "rtpengine " ms[j]
      if (all[t] && all[r])
        printf "  tandem/rtpengine, %s: %.2f x the packets per CPU-second\n",
          ms[j], all[t] / all[r]
    }
    added("tandem"); added("rtpengine")
    residences()
  }
  # The latency each relay adds, at each clean step: the residence.
  function residences(   i, j, m, c, k, said) {
    m = split(steps, c, " ")
    for (i = 1; i <= n; i++)
      for (j = 1; j <= m; j++) {
        k = order[i]
        if (!((k, c[j]) in resline)) continue
        if (!said++) print "residence in the relay (loopback capture), " \
          "at each clean step:"
        printf "  %-14s %5d calls: %s\n", k, c[j], resline[k, c[j]]
      }
  }
  # Latency a relay adds over udp_forward at the steps both ran (plain
  # RTP: forward has no SRTP): its p50 and p99 minus those of forward.
  function added(relay,   f, k, i, n, c) {
    f = "forward rtp"; k = relay " rtp"; n = split(steps, c, " ")
    for (i = 1; i <= n; i++) {
      if (!((k, c[i]) in p50) || !((f, c[i]) in p50)) continue
      if (p99[k, c[i]] >= 100000 || p99[f, c[i]] >= 100000)
        printf "  added by %s over a minimal forwarder, rtp, %d calls: " \
          "beyond the histogram (100 ms)\n", relay, c[i]
      else
        printf "  added by %s over a minimal forwarder, rtp, %d calls: " \
          "p50 %+d us, p99 %+d us\n", relay, c[i],
          p50[k, c[i]] - p50[f, c[i]], p99[k, c[i]] - p99[f, c[i]]
    }
  }' "$work/results"

cat <<EOF

offered, relayed: packets per second over the window, both directions
(each call: 2 x $pps). loss: offered packets that did not come back by
the end of the drain. relay: the relay process's CPU time (utime + stime,
all threads) over the window, in % of one CPU (pinned to one: near 100%
it is the limit). pkts/cpu: packets relayed per CPU-second of the relay.
p50us, p99us: one-way latency from the sending phone to the receiving
one, through the relay, in microseconds (both directions together); it
holds the generator's own scheduling too. res50us, res99us: residence in
the relay, the latency it adds, in microseconds, from a capture on lo:
per relayed RTP packet, the time its copy left the relay minus the time
its copy entered it, paired by SSRC, sequence number and RTP timestamp.
The kernel stamps each copy as its sendto() hands it to lo, in the
sender's context, so tcpdump's own scheduling does not move the stamps;
the tap copies every packet alike, so it costs the same in every relay
(and counts in its CPU time). gen: the generator's CPU time in % of one
CPU (near 100%, it is the limit, not the relay). other: all other
processes' CPU time, in % of one CPU, tcpdump's excepted.
Notes: relay saturated: its CPU at 95% or more; generator saturated: at
90% or more (its latency figures then include its own queueing; compare
BENCH_RELAYS=direct, the phones without a relay); generator behind: it
sent under 97% of the packets due; machine busy: no quiet moment came;
capture dropped: packets tcpdump's buffer had no room for (their pairs
are lost to the residence figures); unpaired: packets seen entering the
relay in the window and never leaving (dropped by the relay or by the
capture); mismatched: pairs over 1 s apart (not one packet relayed);
noisy: other processes took over ${noise_pct}% of a CPU in the window (the
step is run again, ${noise_retries} times at most, and the last kept).
forward: udp_forward, a relay process that latches each side and sends
on, nothing else, pinned like the others: the least any relay in another
process on another CPU costs (direct never leaves the generator's CPU);
"added by" lines subtract its p50 and p99 from a relay's at the same step.
rtpengine runs with one worker thread (--num-threads=1), userspace only
(--table=-1); its timer and helper threads are counted with it. The
generator encrypts and decrypts side A's SRTP with the same libsrtp2 as
tandem (on OpenSSL after scripts/setup.sh; Debian's NSS build costs more
per packet as sessions grow), so it saturates before a relay does on the
SRTP mix; the relay's packets per CPU-second are its own CPU time's and
hold at the steps below. Each phone starts at a random point of its
first period, as independent phones do.
EOF
if [ -s "$work/noisy" ]; then
  echo
  echo "steps run again, other processes having taken over ${noise_pct}% of" \
    "a CPU:" "$(awk '{ printf "%s%s %s %s", (NR > 1 ? ", " : ""), $1, $2, $3 }' \
      "$work/noisy")"
fi
echo
echo "commands:"
cat "$work/commands"
for log in "$work"/tandem-*.log; do
  [ -s "$log" ] || continue
  echo
  echo "tandem's log ($(basename "$log"), $(wc -l <"$log") lines; the first 5):"
  head -n 5 "$log"
done
