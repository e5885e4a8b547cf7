#!/usr/bin/env bash
# Hot-swap latency benchmark (prints figures, asserts nothing): time from renaming a new handler jar into
# deploy/ to the first request it serves, and request latency around the swap against steady state.
#   benchmarks/swap-latency.sh [CLIENTS=50] [SWAPS=10] [POLL_MS=500]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/lib/jdk.sh
mvn -B -q -DskipTests -Dit.test=none verify -pl launcher -am >/dev/null
cp_file=$(mktemp)
mvn -B -q -pl launcher dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
exec "$JDK/bin/java" -Dportside.test.bundles=launcher/target/test-bundles \
  -cp "launcher/target/test-classes:launcher/target/classes:$(cat "$cp_file")" \
  io.portside.launcher.SwapBenchmark "${1:-50}" "${2:-10}" "${3:-500}"
