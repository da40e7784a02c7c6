#!/usr/bin/env bash
# Over TLS the INVITE's 480 comes once: a reliable transport is never
# retransmitted on (Timer G would fire at 100 ms with T1 = 100 ms), and
# 1.5 s pass in silence without our ACK.
#
#   client-tls.sh PORT CA_FILE
set -uo pipefail
. "$(dirname "$0")/../tls_client.sh"

port=$1 ca=$2
tls_open "$port" "$ca"
printf '%s\r\n' \
  "INVITE sip:nobody@127.0.0.1:$port;transport=tls SIP/2.0" \
  "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-e2e-tls-noack" \
  "Max-Forwards: 70" \
  "From: <sip:e2e@127.0.0.1>;tag=e2e2" \
  "To: <sip:nobody@127.0.0.1>" \
  "Call-ID: e2e-tls-noack@127.0.0.1" \
  "CSeq: 1 INVITE" \
  "Content-Length: 0" \
  "" >&"$tls_out"
tls_read
expect "the answer" "$tls_status" '^SIP/2\.0 480 No Script Loaded$'
if tls_read 1.5; then
  expect "silence after the answer" "$tls_status" '^$'
fi
tls_close
[ "$tls_fail" -eq 0 ] || { echo "---- s_client stderr"; cat s_client.err; }
exit "$tls_fail"
