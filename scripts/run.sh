#!/usr/bin/env bash
# Sets up, builds and starts tandem in the foreground on 127.0.0.1:5060
# (UDP and TCP), logging to stderr; Ctrl-C stops it. Until the B2BUA and
# its scripts exist, tandem answers OPTIONS and refuses calls with
# 480 No Script Loaded. Arguments are passed to tandem, e.g.
#   bash scripts/run.sh --listen udp:0.0.0.0:5060 --log-level debug
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/setup.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DTANDEM_TESTS=OFF \
  >/dev/null
cmake --build build/release -j"$(nproc 2>/dev/null || echo 2)" >/dev/null

build/release/core/app/tandem --version
if [ $# -eq 0 ]; then
  set -- --listen udp:127.0.0.1:5060 --listen tcp:127.0.0.1:5060
fi
exec build/release/core/app/tandem "$@"
