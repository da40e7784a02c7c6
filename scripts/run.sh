#!/usr/bin/env bash
# Sets up, builds and starts tandem. Until the B2BUA layers exist, tandem
# reports its version and shows how it parses a SIP message (the example
# INVITE, or the file given as the first argument).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/setup.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DTANDEM_TESTS=OFF \
  >/dev/null
cmake --build build/release -j"$(nproc 2>/dev/null || echo 2)" >/dev/null

build/release/core/app/tandem --version
exec build/release/core/app/tandem --parse "${1:-examples/messages/invite.sip}"
