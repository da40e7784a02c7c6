# A SIP peer over TLS for the end-to-end cases, on openssl s_client
# (SIPp here has no TLS): sourced by a case's client-tls.sh.
#
#   tls_open PORT CA_FILE      connect, verifying tandem's certificate
#   ... >&"$tls_out"           send (a command's output, CRLF lines)
#   tls_read                   read one message's header section into
#                              $tls_status and $tls_headers (10 s at most)
#   tls_close
# s_client's stderr goes to s_client.err in the current folder.

tls_open() {
  coproc TLS {
    exec openssl s_client -connect "127.0.0.1:$1" -quiet -CAfile "$2" \
      -verify_return_error -verify_hostname localhost \
      -servername localhost 2>s_client.err
  }
  tls_pid=$TLS_PID tls_in=${TLS[0]} tls_out=${TLS[1]}
}

# Returns non-zero when nothing (or no whole header section) came.
tls_read() {
  local line
  tls_status= tls_headers=
  while IFS= read -r -t "${1:-10}" line <&"$tls_in"; do
    line=${line%$'\r'}
    if [ -z "$line" ]; then
      [ -n "$tls_status" ] && return 0
      continue
    fi
    echo "< $line"
    if [ -z "$tls_status" ]; then
      tls_status=$line
    else
      tls_headers+=$line$'\n'
    fi
  done
  return 1
}

tls_close() {
  kill "$tls_pid" 2>/dev/null
  wait "$tls_pid" 2>/dev/null
}

# expect WHAT VALUE REGEX: records a failure in $tls_fail when no match.
tls_fail=0
expect() {
  if ! [[ $2 =~ $3 ]]; then
    echo "expected $1 matching '$3', got '$2'"
    tls_fail=1
  fi
}
