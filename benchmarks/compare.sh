#!/usr/bin/env bash
# benchmarks/compare.sh: A/B of two builds of Portside in ONE interleaved harness run (the only comparison this
# noisy machine allows): the working tree ("new-MODEL") against a baseline revision ("base-MODEL").
#
#   benchmarks/compare.sh HEAD~1                         # hosted virtual, rr50 rr1000 conn
#   benchmarks/compare.sh HEAD~1 "virtual sync" "udp conn"
#   PLAIN=1 benchmarks/compare.sh HEAD~1 pool rr50       # also the plain-Java runner of both builds
#
# The baseline is exported with git archive into benchmarks/.work/base-<rev>/ and built there with Maven (once).
# Knobs: PEERS="netty" (built-in peers to run alongside; empty for none), DURATION=8 SLICES=8 WARMUP=2, AA=1 (a
# second copy of new-MODEL: this run's noise), OUT, and run-compare.sh's other knobs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
base_ref=${1:?baseline revision, e.g. HEAD~1}
models=${2:-virtual}
workloads=${3:-rr50 rr1000 conn}
export JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
work=$here/.work
rev=$(cd "$root" && git rev-parse --short "$base_ref")
base=$work/base-$rev
BUILD_ONLY=1 "$here/run.sh"
if ! ls "$base"/launcher/target/launcher-*-all.jar >/dev/null 2>&1; then
    echo "[compare] building baseline $rev in $base" >&2
    rm -rf "$base" && mkdir -p "$base"
    (cd "$root" && git archive "$rev") | tar -x -C "$base"
    (cd "$base" && mvn -B -q -DskipTests package) >&2
fi
OUT=${OUT:-$here/results/compare-$(date +%Y%m%d-%H%M%S)-$rev}
mkdir -p "$OUT"
export PS_WORK=$work PS_HOMES=$OUT/homes
trap 'rm -rf "$OUT/homes"' EXIT
args=() pairs=() order=""
plain_cp() { echo "$1/handler-api/target/handler-api-0.1.0-SNAPSHOT.jar:$1/server-core/target/server-core-0.1.0-SNAPSHOT.jar:$1/launcher/target/classes/samples/echo.jar:$work/classes"; }
for m in $models; do
    copies="new base"; [ "${AA:-0}" = 1 ] && copies="new new2 base"
    for c in $copies; do
        r=$root; [ $c = base ] && r=$base
        for k in line raw udp unix; do
            args+=(--server "$c-$m:$k=PS_ROOT='$r' exec '$here/host.sh' $m $k")
        done
        order="$order,$c-$m"
        if [ "${PLAIN:-0}" = 1 ]; then
            j="exec '$JAVA' --enable-native-access=ALL-UNNAMED \${JAVA_OPTS:-} -cp '$(plain_cp "$r")' io.portside.bench.PlainEcho --model $m"
            args+=(--server "$c-plain-$m:line=$j --kind line --port \$PORT" --server "$c-plain-$m:raw=$j --kind raw --port \$PORT"
                --server "$c-plain-$m:udp=$j --kind udp --port \$PORT" --server "$c-plain-$m:unix=$j --kind unix --unix \$SOCK")
            order="$order,$c-plain-$m"
        fi
    done
    pairs+=("new-$m:base-$m")
    [ "${AA:-0}" = 1 ] && pairs+=("new2-$m:new-$m")
    [ "${PLAIN:-0}" = 1 ] && pairs+=("new-plain-$m:base-plain-$m")
done
PEERS=${PEERS-netty}
export SERVERS=${PEERS:- } DURATION=${DURATION:-8} SLICES=${SLICES:-8} WARMUP=${WARMUP:-2}
echo "[compare] working tree $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- . ':!benchmarks' || echo '+changes') vs $rev; models: $models; workloads: $workloads" >&2
OUT=$OUT/h WORKLOADS=$workloads bash "$work/bench/run-compare.sh" "${args[@]}" >/dev/null
peer_csv=$(echo $PEERS | tr ' ' ,)
python3 "$here/summary.py" "$OUT/h/results.tsv" --peers "${peer_csv:-none}" --order "${peer_csv}${order}" \
    --workloads "$(echo $workloads | tr ' ' ,)" --pairs "$(IFS=,; echo "${pairs[*]}")" --no-targets | tee "$OUT/summary.txt"
