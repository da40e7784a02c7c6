# Phone A talks from RTP_A_NAT, not the RTP_A its SDP names; B starts a
# little later, so A is latched by then: all of B's packets must reach A
# at its real port. A stranger then sends to A's relay port: B must not
# hear a packet of it.
set -u
work=$1 rtp_peer=$2
. "$(dirname "$0")/../lib/media.sh"

port_a=$(received_audio_port "$work/uac-messages.log") || exit 1
port_b=$(received_audio_port "$work/uas-messages.log") || exit 1

"$rtp_peer" --bind "127.0.0.1:$RTP_A_NAT" --to "127.0.0.1:$port_a" \
  --ssrc 0xa1 --expect-ssrc 0xb2 --count 60 --interval-ms 10 --expect 45 \
  --expect-max-foreign 0 --duration-ms 1600 >"$work/rtp-a.out" 2>&1 &
a=$!
"$rtp_peer" --bind "127.0.0.1:$RTP_STRANGER" --to "127.0.0.1:$port_a" \
  --ssrc 0xc3 --count 30 --interval-ms 10 --start-delay-ms 300 \
  --duration-ms 1600 >"$work/rtp-stranger.out" 2>&1 &
s=$!
"$rtp_peer" --bind "127.0.0.1:$RTP_B" --to "127.0.0.1:$port_b" --ssrc 0xb2 \
  --expect-ssrc 0xa1 --count 50 --interval-ms 10 --start-delay-ms 200 \
  --expect 50 --expect-max-foreign 0 --duration-ms 1600 \
  >"$work/rtp-b.out" 2>&1
rc_b=$?
wait "$a"
rc_a=$?
wait "$s"
out_a=$(tail -n 1 "$work/rtp-a.out") out_b=$(tail -n 1 "$work/rtp-b.out")
echo "A: $out_a (exit $rc_a)"
echo "B: $out_b (exit $rc_b)"
echo "stranger: $(tail -n 1 "$work/rtp-stranger.out")"
rc=0
[ "$rc_a" -eq 0 ] && [ "$rc_b" -eq 0 ] || rc=1
expect_field A "$out_a" first_from = "127.0.0.1:$port_a" || rc=1
exit "$rc"
