#!/usr/bin/env bash
# Builds and runs the memory benchmark of the transaction layer
# (tests/bench/bench_ist_memory.c): bytes and time per live INVITE server
# transaction. It shares build/bench with scripts/bench-parse.sh, which
# configures the same way, so the two never rebuild each other's tree.
# Installs nothing (scripts/setup.sh does); arguments go to the
# benchmark (-n TRANSACTIONS, 100000 by default).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/bench"

# TANDEM_TESTS=ON because tests/CMakeLists.txt is where the benchmarks
# are added; only the one target is built.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DTANDEM_BENCH=ON -DTANDEM_TESTS=ON >/dev/null
cmake --build "$build" --target bench_ist_memory --parallel >/dev/null
exec "$build/tests/bench/bench_ist_memory" "$@"
