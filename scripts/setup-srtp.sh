#!/usr/bin/env bash
# Builds libsrtp2 on OpenSSL's crypto into $TANDEM_SRTP_PREFIX
# (/opt/tandem/libsrtp2), from Debian's own source package of the
# libsrtp2 Debian ships, with Debian's patches. Why: Debian builds
# libsrtp2 on NSS, whose per-packet cost grows with the number of live
# SRTP sessions and which makes every malloc in the process take a lock
# once it has started; on OpenSSL (libsrtp's other supported back end,
# and the library tandem already uses for TLS) a relay's SRTP costs
# about half as much per packet. A static library with -fPIC, so that
# nothing changes at run time. CMake uses it when it is there, else
# Debian's libsrtp2.
#
# Idempotent: does nothing when the prefix already holds this version.
# Called by scripts/setup.sh (as root, after the packages are in). The
# source comes through apt-get source from the deb-src twin of the
# system's own Debian sources, in a private apt state that leaves the
# system's configuration untouched.
set -euo pipefail

prefix=${TANDEM_SRTP_PREFIX:-/opt/tandem/libsrtp2}
version=$(dpkg-query -W -f='${Version}' libsrtp2-dev)
stamp="$prefix/debian-version"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
  exit 0
fi

work=$(mktemp -d /tmp/tandem-srtp.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sources" "$work/lists/partial" "$work/src"

# The deb-src twin of every Debian source the system has: deb822 files
# gain a deb-src type, one-line entries a deb-src line.
for f in /etc/apt/sources.list.d/*.sources; do
  [ -e "$f" ] || continue
  grep -q '^Types:.*\bdeb\b' "$f" || continue
  sed 's/^Types:.*/Types: deb-src/' "$f" >"$work/sources/$(basename "$f")"
done
if [ -f /etc/apt/sources.list ]; then
  sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list >"$work/sources.list"
else
  : >"$work/sources.list"
fi

apt_private=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=$work/sources"
  -o "Dir::State::Lists=$work/lists"
  -o "APT::Sandbox::User=root"
)
echo "setup: building libsrtp2 $version on OpenSSL into $prefix"
apt-get "${apt_private[@]}" update -qq
(cd "$work/src" && apt-get "${apt_private[@]}" source -qq --download-only \
  "libsrtp2=$version" >/dev/null)

cd "$work/src"
tar xzf libsrtp2_*.orig.tar.gz
tar xJf libsrtp2_*.debian.tar.xz
cd libsrtp-*
while read -r patch; do
  case "$patch" in '' | '#'*) continue ;; esac
  patch -p1 -s <"../debian/patches/$patch"
done <../debian/patches/series

./configure -q --prefix="$prefix" --enable-openssl --disable-pcap \
  CFLAGS="-O2 -fPIC -D_REENTRANT" >/dev/null
make -s -j"$(nproc)" libsrtp2.a test >/dev/null
# libsrtp's own known-answer and round-trip tests, on this crypto.
make -s runtest >"$work/runtest.log" 2>&1 || {
  cat "$work/runtest.log" >&2
  exit 1
}
rm -rf "$prefix"
make -s install >/dev/null
echo "$version" >"$stamp"
