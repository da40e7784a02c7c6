# Each phone speaks SRTP with the key of its own SDP (uac.xml, uas.xml)
# and hears the key tandem gave it: both must decrypt (nearly) all the
# other's packets, none failing authentication.
set -u
work=$1 rtp_peer=$2
. "$(dirname "$0")/../lib/media.sh"
suite=AEAD_AES_128_GCM
key_a=inline:yMAKgq1Ce9A3X9evnXEqNhEnvbSzpnZDJmSiWw==
key_b=inline:dNAaDMA20pbczQMu1Kdj6BvSZbs2N9bFE/xHmA==

port_a=$(received_audio_port "$work/uac-messages.log") || exit 1
port_b=$(received_audio_port "$work/uas-messages.log") || exit 1
key_ta=$(received_crypto "$work/uac-messages.log") || exit 1
key_tb=$(received_crypto "$work/uas-messages.log") || exit 1

"$rtp_peer" --bind "127.0.0.1:$RTP_B" --to "127.0.0.1:$port_b" --ssrc 0xb2 \
  --expect-ssrc 0xa1 --count 50 --interval-ms 10 --start-delay-ms 100 \
  --srtp-send "$suite:$key_b" --srtp-recv "$suite:${key_tb#*:}" \
  --expect 45 --expect-max-foreign 0 >"$work/rtp-b.out" 2>&1 &
b=$!
"$rtp_peer" --bind "127.0.0.1:$RTP_A" --to "127.0.0.1:$port_a" --ssrc 0xa1 \
  --expect-ssrc 0xb2 --count 50 --interval-ms 10 --start-delay-ms 100 \
  --srtp-send "$suite:$key_a" --srtp-recv "$suite:${key_ta#*:}" \
  --expect 45 --expect-max-foreign 0 >"$work/rtp-a.out" 2>&1
rc_a=$?
wait "$b"
rc_b=$?
echo "A: $(tail -n 1 "$work/rtp-a.out") (exit $rc_a)"
echo "B: $(tail -n 1 "$work/rtp-b.out") (exit $rc_b)"
[ "$rc_a" -eq 0 ] && [ "$rc_b" -eq 0 ]
