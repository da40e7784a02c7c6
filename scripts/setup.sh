#!/usr/bin/env bash
# Installs every Debian package that building, testing and benchmarking
# tandem need, then builds libsrtp2 on OpenSSL (setup-srtp.sh).
# Idempotent: when all are present it does nothing (not even an apt-get
# update). Run as root on Debian 12.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  libluajit-5.1-dev luajit libevent-dev libssl-dev libsrtp2-dev
  libc-ares-dev
  libjemalloc-dev # the tandem binary's allocator (see CMakeLists.txt)
  # sanitizers and fuzzing (clang's runtimes ship separately)
  clang libclang-rt-14-dev
  # Lua tests and lint
  lua-busted lua-check
  # style check
  clang-format
  # DNS tests: a real DNS server on loopback (no system service)
  dnsmasq-base
  # end-to-end calls: SIPp as caller and callee
  sip-tester
  # parser benchmark: the libraries tandem is measured against
  libosip2-dev libsofia-sip-ua-dev
  kamailio # OPTIONS benchmark: the peer tandem is measured against
  kamailio-lua-modules # calls benchmarks: Kamailio routing in Lua (app_lua)
  rtpengine-daemon # media benchmark: the relay tandem is measured against
  tcpdump # media benchmark: each relay's residence time, from a capture
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

here=$(cd "$(dirname "$0")" && pwd)

# libsrtp2 on OpenSSL (see setup-srtp.sh), once the packages are in.
build_srtp() {
  if [ "$(id -u)" -eq 0 ]; then
    bash "$here/setup-srtp.sh"
  elif [ ! -f "${TANDEM_SRTP_PREFIX:-/opt/tandem/libsrtp2}/debian-version" ]; then
    echo "setup: libsrtp2 on OpenSSL not built (needs root): Debian's is used" >&2
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  build_srtp
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${missing[*]}; run this script as root" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# Kamailio is here only as the benchmark's peer, started by the benchmark
# on a loopback port of its own: its packaged service, which systemd
# would start on 5060 on every address, must not run.
if [[ " ${missing[*]} " == *" kamailio "* ]] && [ -d /run/systemd/system ]; then
  systemctl disable --now kamailio >/dev/null 2>&1 ||
    echo "setup: could not disable the kamailio service" >&2
fi

# rtpengine likewise: the media benchmark starts its own, in the
# foreground on loopback ports; the packaged service must not run.
if [[ " ${missing[*]} " == *" rtpengine-daemon "* ]] && [ -d /run/systemd/system ]; then
  systemctl disable --now rtpengine-daemon >/dev/null 2>&1 ||
    echo "setup: could not disable the rtpengine-daemon service" >&2
fi

build_srtp
