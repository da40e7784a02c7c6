# Both phones talk at once through the relay ports tandem gave them:
# each gets (nearly) all the other's packets, intact, from that port,
# and nothing else.
set -u
work=$1 rtp_peer=$2
. "$(dirname "$0")/../lib/media.sh"

port_a=$(received_audio_port "$work/uac-messages.log") || exit 1
port_b=$(received_audio_port "$work/uas-messages.log") || exit 1
in_relay_range "$port_a" && in_relay_range "$port_b" || {
  echo "relay ports $port_a, $port_b not in $RTP_MIN-$RTP_MAX"; exit 1; }

"$rtp_peer" --bind "127.0.0.1:$RTP_A" --to "127.0.0.1:$port_a" --ssrc 0xa1 \
  --expect-ssrc 0xb2 --count 50 --interval-ms 10 --expect 45 \
  --expect-max-foreign 0 >"$work/rtp-a.out" 2>&1 &
a=$!
"$rtp_peer" --bind "127.0.0.1:$RTP_B" --to "127.0.0.1:$port_b" --ssrc 0xb2 \
  --expect-ssrc 0xa1 --count 50 --interval-ms 10 --expect 45 \
  --expect-max-foreign 0 >"$work/rtp-b.out" 2>&1
rc_b=$?
wait "$a"
rc_a=$?
out_a=$(tail -n 1 "$work/rtp-a.out") out_b=$(tail -n 1 "$work/rtp-b.out")
echo "A: $out_a (exit $rc_a)"
echo "B: $out_b (exit $rc_b)"
rc=0
[ "$rc_a" -eq 0 ] && [ "$rc_b" -eq 0 ] || rc=1
expect_field A "$out_a" first_from = "127.0.0.1:$port_a" || rc=1
expect_field B "$out_b" first_from = "127.0.0.1:$port_b" || rc=1
exit "$rc"
