#!/usr/bin/env bash
# Sets up, builds and starts tandem in the foreground on 127.0.0.1:5060
# (UDP and TCP) with the dialplan examples/relay.lua (every call relayed
# to 127.0.0.1:5070), logging to stderr; Ctrl-C ends the calls and stops
# it, SIGHUP reloads the dialplan. Arguments replace the defaults, e.g.
#   bash scripts/run.sh --listen udp:0.0.0.0:5060 \
#     --script examples/routing.lua --log-level debug
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/setup.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DTANDEM_TESTS=OFF \
  >/dev/null
cmake --build build/release -j"$(nproc 2>/dev/null || echo 2)" >/dev/null

build/release/core/app/tandem --version
if [ $# -eq 0 ]; then
  set -- --listen udp:127.0.0.1:5060 --listen tcp:127.0.0.1:5060 \
    --script examples/relay.lua
fi
exec build/release/core/app/tandem "$@"
