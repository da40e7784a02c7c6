#!/usr/bin/env bash
# Self-test of rtp_peer: two peers on 127.0.0.1, A and B, send to each
# other and their verdict lines are checked field by field: plain RTP,
# SRTP in two suites, tampered SRTP, a wrong key and a wrong SSRC. Each
# failed check says what it expected and what it saw; the exit status is
# 0 when all pass, else 1.
#
# Neither peer may send before the other is bound, or its first packets
# are lost: each sends after --start-delay-ms, the run waits for each
# port to be bound before starting the next peer, and a pair whose
# second peer was bound too late for that delay (200 ms to spare) is
# run again, as is one that lost a port to another process (rtp_peer
# exits 3).
#
#   test_rtp_peer.sh RTP_PEER_BINARY
set -uo pipefail
export PATH=$PATH:/usr/sbin:/sbin

peer=$1
command -v ss >/dev/null || {
  echo "FAIL: ss (iproute2) is needed to see when a peer is bound" >&2
  exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
delay_ms=1000

# Whether a UDP socket is bound to PORT.
bound() {
  [ -n "$(ss -Huln "sport = :$1")" ]
}

# Polls until PORT is bound or PID has died.
wait_bound() { # PORT PID
  for _ in $(seq 1 2000); do
    bound "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
  done
  return 1
}

now_ms() {
  local t=${EPOCHREALTIME/[.,]/}
  echo $((t / 1000))
}

# Runs A (with a_args) and B (with b_args) against each other on a free
# pair of ports, pa and pb. Sets a_out, b_out (the verdict lines), a_rc,
# b_rc, and a_err, b_err (their stderr).
run_pair() {
  local a_pid b_pid t0
  for _ in 1 2 3 4 5; do
    pa=$((18000 + (RANDOM % 1000) * 2)) pb=$((pa + 1))
    if bound "$pa" || bound "$pb"; then
      continue
    fi
    t0=$(now_ms)
    "$peer" --bind "127.0.0.1:$pa" --to "127.0.0.1:$pb" \
      --start-delay-ms "$delay_ms" "${a_args[@]}" >"$work/a.out" \
      2>"$work/a.err" &
    a_pid=$!
    wait_bound "$pa" "$a_pid"
    "$peer" --bind "127.0.0.1:$pb" --to "127.0.0.1:$pa" \
      --start-delay-ms "$delay_ms" "${b_args[@]}" >"$work/b.out" \
      2>"$work/b.err" &
    b_pid=$!
    wait_bound "$pb" "$b_pid"
    late=$(($(now_ms) - t0 > delay_ms - 200))
    wait "$a_pid"
    a_rc=$?
    wait "$b_pid"
    b_rc=$?
    a_out=$(cat "$work/a.out") b_out=$(cat "$work/b.out")
    a_err=$(cat "$work/a.err") b_err=$(cat "$work/b.err")
    if [ "$a_rc" = 3 ] || [ "$b_rc" = 3 ] || [ "$late" = 1 ]; then
      echo "retrying ($pa, $pb): rc $a_rc $b_rc, late $late: $a_err $b_err"
      continue
    fi
    return 0
  done
  echo "FAIL: no run on a free pair of ports in 5 tries" >&2
  exit 1
}

fail() {
  echo "FAIL $*" >&2
  failures=$((failures + 1))
}

line_re='^sent=[0-9]+ received=[0-9]+ valid=[0-9]+ foreign=[0-9]+ '
line_re+='auth_failed=[0-9]+ malformed=[0-9]+ first_from=[^ ]+$'

# check CASE WHO RC OUT ERR WANT_RC KEY=VALUE...: the exit status, the
# line's shape, and each KEY=VALUE as one of its fields.
check() {
  local name="$1 ($2)" rc=$3 out=$4 err=$5 want_rc=$6 want
  shift 6
  [[ $out =~ $line_re ]] ||
    fail "$name: expected one verdict line, saw: '$out' (stderr: $err)"
  [ "$rc" = "$want_rc" ] ||
    fail "$name: expected exit $want_rc, saw $rc: $out (stderr: $err)"
  for want in "$@"; do
    case " $out " in
    *" $want "*) ;;
    *) fail "$name: expected $want, saw: $out" ;;
    esac
  done
}

check_a() { check "$1" A "$a_rc" "$a_out" "$a_err" "${@:2}"; }
check_b() { check "$1" B "$b_rc" "$b_out" "$b_err" "${@:2}"; }

common=(--count 50 --interval-ms 5 --expect 50)
a_sends=(--ssrc 0x1111aaaa --expect-ssrc 0x2222bbbb)
b_sends=(--ssrc 0x2222bbbb --expect-ssrc 0x1111aaaa)

# 1: plain RTP both ways.
a_args=("${common[@]}" "${a_sends[@]}" --expect-max-foreign 0)
b_args=("${common[@]}" "${b_sends[@]}" --expect-max-foreign 0)
run_pair
check_a plain 0 sent=50 received=50 valid=50 foreign=0 \
  "first_from=127.0.0.1:$pb"
check_b plain 0 sent=50 received=50 valid=50 foreign=0 \
  "first_from=127.0.0.1:$pa"

# 2: SRTP both ways, each side's send key the other's receive key.
for suite in AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM; do
  ka=$("$peer" --print-key "$suite") kb=$("$peer" --print-key "$suite")
  a_args=("${common[@]}" "${a_sends[@]}" --srtp-send "$suite:$ka"
    --srtp-recv "$suite:$kb")
  b_args=("${common[@]}" "${b_sends[@]}" --srtp-send "$suite:$kb"
    --srtp-recv "$suite:$ka")
  run_pair
  check_a "$suite" 0 valid=50 foreign=0 auth_failed=0
  check_b "$suite" 0 valid=50 foreign=0 auth_failed=0
done

# 3: every 5th packet from A tampered with after protection.
suite=AES_CM_128_HMAC_SHA1_80
ka=$("$peer" --print-key $suite) kb=$("$peer" --print-key $suite)
a_args=("${common[@]}" "${a_sends[@]}" --srtp-send "$suite:$ka"
  --srtp-recv "$suite:$kb" --tamper 5)
b_args=("${common[@]}" "${b_sends[@]}" --srtp-send "$suite:$kb"
  --srtp-recv "$suite:$ka")
run_pair
check_a tamper 0 sent=50 valid=50 auth_failed=0
check_b tamper 1 received=50 valid=40 foreign=10 auth_failed=10

# 4: B receives with a key A does not send with.
# The wrong key comes with a lifetime, which is to be ignored.
suite=AEAD_AES_128_GCM
right=$("$peer" --print-key $suite) wrong=$("$peer" --print-key $suite)
a_args=("${common[@]}" "${a_sends[@]}" --srtp-send "$suite:$right")
b_args=("${common[@]}" "${b_sends[@]}" --srtp-recv "$suite:$wrong|2^31")
run_pair
check_b wrong-key 1 received=50 valid=0 auth_failed=50 first_from=-

# 5: B expects another SSRC and no foreign packets.
a_args=("${common[@]}" "${a_sends[@]}")
b_args=("${common[@]}" --ssrc 0x2222bbbb --expect-ssrc 0x3333
  --expect 0 --expect-max-foreign 0)
run_pair
check_b wrong-ssrc 1 received=50 valid=0 foreign=50 malformed=0

if [ "$failures" -gt 0 ]; then
  echo "$failures checks failed" >&2
  exit 1
fi
echo "rtp_peer: all checks passed"
