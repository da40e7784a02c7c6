#!/usr/bin/env bash
# Sends one OPTIONS to tandem over TLS, verifying tandem's certificate
# (chain to CA_FILE, name localhost), and checks the answer: a 200 with
# an Allow naming OPTIONS, for our Call-ID and CSeq.
#
#   client-tls.sh PORT CA_FILE
set -uo pipefail
. "$(dirname "$0")/../tls_client.sh"

port=$1 ca=$2
tls_open "$port" "$ca"
printf '%s\r\n' \
  "OPTIONS sip:tandem@127.0.0.1:$port;transport=tls SIP/2.0" \
  "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-e2e-tls-1" \
  "Max-Forwards: 70" \
  "From: <sip:e2e@127.0.0.1>;tag=e2e1" \
  "To: <sip:tandem@127.0.0.1>" \
  "Call-ID: e2e-tls-1@127.0.0.1" \
  "CSeq: 1 OPTIONS" \
  "Accept: application/sdp" \
  "Content-Length: 0" \
  "" >&"$tls_out"
tls_read
tls_close

expect "status line" "$tls_status" '^SIP/2\.0 200 '
expect "Allow" "$tls_headers" $'(^|\n)Allow: [^\n]*OPTIONS'
expect "Call-ID" "$tls_headers" $'(^|\n)Call-ID: e2e-tls-1@127\\.0\\.0\\.1\n'
expect "CSeq" "$tls_headers" $'(^|\n)CSeq: 1 OPTIONS\n'
[ "$tls_fail" -eq 0 ] || { echo "---- s_client stderr"; cat s_client.err; }
exit "$tls_fail"
