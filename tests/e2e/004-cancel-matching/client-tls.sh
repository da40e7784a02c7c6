#!/usr/bin/env bash
# CANCEL matching over TLS: the INVITE gets its 480; a CANCEL with the
# INVITE's branch gets 200 (its INVITE server transaction still waits for
# the ACK); a CANCEL matching nothing gets 481; then the ACK.
#
#   client-tls.sh PORT CA_FILE
set -uo pipefail
. "$(dirname "$0")/../tls_client.sh"

port=$1 ca=$2

request() { # METHOD BRANCH [TO-TAG]
  printf '%s\r\n' \
    "$1 sip:nobody@127.0.0.1:$port;transport=tls SIP/2.0" \
    "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=$2" \
    "Max-Forwards: 70" \
    "From: <sip:e2e@127.0.0.1>;tag=e2e4" \
    "To: <sip:nobody@127.0.0.1>${3:+;tag=$3}" \
    "Call-ID: e2e-tls-cancel@127.0.0.1" \
    "CSeq: 1 $1" \
    "Content-Length: 0" \
    ""
}

tls_open "$port" "$ca"
request INVITE z9hG4bK-e2e-tls-inv >&"$tls_out"
tls_read
expect "INVITE's answer" "$tls_status" '^SIP/2\.0 480 '
[[ $tls_headers =~ To:[^$'\n']*\;tag=([A-Za-z0-9.-]+) ]]
to_tag=${BASH_REMATCH[1]:-}

request CANCEL z9hG4bK-e2e-tls-inv >&"$tls_out"
tls_read
expect "CANCEL's answer" "$tls_status" '^SIP/2\.0 200 '
expect "its CSeq" "$tls_headers" $'(^|\n)CSeq: 1 CANCEL\n'

request CANCEL z9hG4bK-e2e-tls-none >&"$tls_out"
tls_read
expect "unmatched CANCEL's answer" "$tls_status" '^SIP/2\.0 481 '

request ACK z9hG4bK-e2e-tls-inv "$to_tag" >&"$tls_out"
# Nothing answers an ACK: a second passes in silence.
if tls_read 1; then
  expect "silence after the ACK" "$tls_status" '^$'
fi
tls_close
[ "$tls_fail" -eq 0 ] || { echo "---- s_client stderr"; cat s_client.err; }
exit "$tls_fail"
