#!/usr/bin/env bash
# Sends one OPTIONS to tandem over TLS with openssl s_client, which must
# verify tandem's certificate (chain to CA_FILE, name localhost), and
# checks what comes back: a 200 with an Allow naming OPTIONS, for our
# Call-ID and CSeq. Waits at most 10 s for each line, never longer.
#
#   client-tls.sh PORT CA_FILE
set -uo pipefail

port=$1 ca=$2

request() {
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
    ""
}

# -quiet keeps the connection open after our input ends; it is closed
# below, once the answer is in.
coproc TLS {
  exec openssl s_client -connect "127.0.0.1:$port" -quiet -CAfile "$ca" \
    -verify_return_error -verify_hostname localhost -servername localhost \
    2>s_client.err
}
pid=$TLS_PID in=${TLS[0]} out=${TLS[1]}
request >&"$out"

status= allow= call_id= cseq=
while IFS= read -r -t 10 line <&"$in"; do
  line=${line%$'\r'}
  [ -z "$line" ] && break
  echo "< $line"
  case $line in
  SIP/2.0\ *) status=$line ;;
  Allow:*) allow=$line ;;
  Call-ID:*) call_id=$line ;;
  CSeq:*) cseq=$line ;;
  esac
done

kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null

fail=0
check() {
  if ! [[ $2 =~ $3 ]]; then
    echo "expected $1 matching '$3', got '$2'"
    fail=1
  fi
}
check "status line" "$status" '^SIP/2\.0 200 '
check "Allow" "$allow" '^Allow: .*OPTIONS'
check "Call-ID" "$call_id" '^Call-ID: e2e-tls-1@127\.0\.0\.1$'
check "CSeq" "$cseq" '^CSeq: 1 OPTIONS$'
if [ "$fail" -ne 0 ]; then
  echo "---- s_client stderr"
  cat s_client.err
fi
exit "$fail"
