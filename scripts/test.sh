#!/usr/bin/env bash
# Sets up, builds and runs every test of tandem:
#  1. a gcc build with -Werror (the compiler most users build with);
#  2. a clang build with AddressSanitizer and UndefinedBehaviorSanitizer
#     and the libFuzzer targets, in which ctest runs everything: C unit
#     tests, the RFC 4475/5118 torture messages, the Lua specs and lint,
#     the format check, and each fuzz target for a bounded time.
# One ctest summary counts them all. Set TANDEM_FUZZ_SECONDS to change
# how long each fuzz target runs (default 30).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=$(nproc 2>/dev/null || echo 2)

bash scripts/setup.sh

echo "== gcc build (-Werror)"
cmake -S . -B build/gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_TESTS=ON \
  >/dev/null
cmake --build build/gcc -j"$jobs" >/dev/null

echo "== clang build with ASan, UBSan and fuzz targets"
CC=clang cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug \
  -DTANDEM_SANITIZE=ON -DTANDEM_FUZZ=ON \
  -DTANDEM_FUZZ_SECONDS="${TANDEM_FUZZ_SECONDS:-30}" >/dev/null
cmake --build build/asan -j"$jobs" >/dev/null

echo "== tests"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd build/asan
ctest -j"$jobs" --output-on-failure
