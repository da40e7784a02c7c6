#!/bin/sh
# Builds and runs the SIP parser benchmark (tests/bench): tandem against
# libosip2 and sofia-sip. Installs nothing: scripts/setup.sh provides
# libosip2-dev and libsofia-sip-ua-dev. Uses its own Release build in
# build/bench; arguments go to the benchmark (-n N, -t SECONDS, -d DIR).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/bench"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
	-DTANDEM_BENCH=ON -DTANDEM_TESTS=ON >/dev/null
cmake --build "$build" --target bench_parse --parallel
exec "$build/tests/bench/bench_parse" "$@"
