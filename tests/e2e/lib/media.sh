# Helpers for a case's media.sh (see run.sh): what SDP a peer received,
# and the verdict on an rtp_peer's summary line. Sourced, not run.

# The last line matching REGEX in an SDP the peer received, from its
# SIPp message log.
received_sdp_line() { # MESSAGE_LOG REGEX
  awk -v re="$2" '
    { sub(/\r$/, "") }
    /^-----+( |$)/ { inside = 0; next }
    / message received / { inside = 1; next }
    inside && $0 ~ re { last = $0 }
    END { if (last == "") exit 1; print last }' "$1"
}

# The port of the last m=audio line the peer received: the relay port
# tandem gave it.
received_audio_port() { # MESSAGE_LOG
  local line
  line=$(received_sdp_line "$1" '^m=audio ') || return 1
  set -- $line
  echo "${2%%/*}"
}

# The key-params of the last a=crypto the peer received ("inline:...").
received_crypto() { # MESSAGE_LOG
  local line
  line=$(received_sdp_line "$1" '^a=crypto:') || return 1
  set -- $line
  echo "$2:$3"
}

# Whether PORT lies in tandem's relay range of the run.
in_relay_range() { # PORT
  [ "$1" -ge "$RTP_MIN" ] && [ "$1" -le "$RTP_MAX" ]
}

# A field of an rtp_peer summary line ("sent=50 received=50 ...").
summary_field() { # SUMMARY FIELD
  local kv
  for kv in $1; do
    if [ "${kv%%=*}" = "$2" ]; then
      echo "${kv#*=}"
      return 0
    fi
  done
  return 1
}

# Fails, saying so, unless FIELD of SUMMARY compares to VALUE with OP
# (a test(1) operator: -eq, -ge, -le, =).
expect_field() { # WHO SUMMARY FIELD OP VALUE
  local got
  got=$(summary_field "$2" "$3")
  if ! [ "$got" "$4" "$5" ]; then
    echo "$1: expected $3 $4 $5, saw '$got' in: $2"
    return 1
  fi
}
