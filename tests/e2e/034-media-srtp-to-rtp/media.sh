# A speaks SRTP with the key of its offer (uac.xml) and hears tandem's
# (from the answer it received); every tenth packet it sends is tampered
# with after encryption. B, plain RTP, must get the others, intact, and
# not one of the tampered; A must decrypt all of B's.
set -u
work=$1 rtp_peer=$2
. "$(dirname "$0")/../lib/media.sh"
suite=AES_CM_128_HMAC_SHA1_80 key_a=inline:oBhAUKTIuZjSj7bn0hQw6sNhOj3XvLYWZjCKZI4Q

port_a=$(received_audio_port "$work/uac-messages.log") || exit 1
port_b=$(received_audio_port "$work/uas-messages.log") || exit 1
key_t=$(received_crypto "$work/uac-messages.log") || exit 1
key_t=${key_t#*:}

"$rtp_peer" --bind "127.0.0.1:$RTP_B" --to "127.0.0.1:$port_b" --ssrc 0xb2 \
  --expect-ssrc 0xa1 --count 50 --interval-ms 10 --start-delay-ms 100 \
  --expect 40 --expect-max-foreign 0 >"$work/rtp-b.out" 2>&1 &
b=$!
"$rtp_peer" --bind "127.0.0.1:$RTP_A" --to "127.0.0.1:$port_a" --ssrc 0xa1 \
  --expect-ssrc 0xb2 --count 50 --interval-ms 10 --start-delay-ms 100 \
  --srtp-send "$suite:$key_a" --srtp-recv "$suite:$key_t" --tamper 10 \
  --expect 45 --expect-max-foreign 0 >"$work/rtp-a.out" 2>&1
rc_a=$?
wait "$b"
rc_b=$?
out_a=$(tail -n 1 "$work/rtp-a.out") out_b=$(tail -n 1 "$work/rtp-b.out")
echo "A: $out_a (exit $rc_a)"
echo "B: $out_b (exit $rc_b)"
rc=0
[ "$rc_a" -eq 0 ] && [ "$rc_b" -eq 0 ] || rc=1
expect_field B "$out_b" valid -le 45 || rc=1
expect_field A "$out_a" auth_failed -eq 0 || rc=1
exit "$rc"
