#!/usr/bin/env bash
# benchmarks/compare.sh: builds of Portside side by side in ONE interleaved harness run (the only comparison this
# noisy machine allows), with the ratio of each build to the one before it and of the last to the first.
#
#   benchmarks/compare.sh HEAD~1 .                          # baseline vs the working tree ("."), hosted virtual
#   MODELS="virtual sync" WORKLOADS="udp conn" benchmarks/compare.sh a7070f6 83f0c14 2b49c08 .
#   PLAIN=1 benchmarks/compare.sh HEAD~1 .                  # also the plain-Java runner of each build
#
# A revision other than "." is exported with git archive into benchmarks/.work/base-<rev>/ and built there with
# Maven (once). Servers are named <rev>-MODEL (and <rev>-plain-MODEL), "wt" for the working tree.
# Knobs: MODELS="virtual", WORKLOADS="rr50 rr1000 conn", PEERS="netty" (built-in peers to run alongside; "" for
# none), AA=1 (a second copy of the last build: this run's noise), DURATION=8 SLICES=8 WARMUP=2, OUT, and
# run-compare.sh's other knobs. Draws the summary as chart.png/chart.svg too (benchmarks/chart.py).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
[ $# -ge 1 ] || { sed -n '2,14p' "$0"; exit 2; }
models=${MODELS:-virtual}
workloads=${WORKLOADS:-rr50 rr1000 conn}
export JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
work=$here/.work
BUILD_ONLY=1 "$here/run.sh"
names=() roots=()
for ref in "$@"; do
    if [ "$ref" = . ]; then
        names+=(wt) roots+=("$root")
        continue
    fi
    rev=$(cd "$root" && git rev-parse --short "$ref")
    base=$work/base-$rev
    if ! ls "$base"/launcher/target/launcher-*-all.jar >/dev/null 2>&1; then
        echo "[compare] building $rev in $base" >&2
        rm -rf "$base" && mkdir -p "$base"
        (cd "$root" && git archive "$rev") | tar -x -C "$base"
        (cd "$base" && mvn -B -q -DskipTests package) >&2
    fi
    names+=("$rev") roots+=("$base")
done
if [ "${AA:-0}" = 1 ]; then
    names+=("${names[-1]}-AA") roots+=("${roots[-1]}")
fi
OUT=${OUT:-$here/results/compare-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
export PS_WORK=$work PS_HOMES=$OUT/homes
trap 'rm -rf "$OUT/homes"' EXIT
plain_cp() { echo "$1/handler-api/target/handler-api-0.1.0-SNAPSHOT.jar:$1/server-core/target/server-core-0.1.0-SNAPSHOT.jar:$1/launcher/target/classes/samples/echo.jar:$work/classes"; }
args=() pairs=() order=""
for m in $models; do
    for i in "${!names[@]}"; do
        c=${names[i]} r=${roots[i]}
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
        if [ "$i" -gt 0 ]; then
            pairs+=("$c-$m:${names[i - 1]}-$m")
            [ "${PLAIN:-0}" = 1 ] && pairs+=("$c-plain-$m:${names[i - 1]}-plain-$m")
        fi
    done
    n=${#names[@]}
    [ "$n" -gt 2 ] && pairs+=("${names[n - 1]}-$m:${names[0]}-$m")
done
PEERS=${PEERS-netty}
export SERVERS=${PEERS:- } DURATION=${DURATION:-8} SLICES=${SLICES:-8} WARMUP=${WARMUP:-2}
echo "[compare] ${names[*]} (wt = working tree $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- . ':!benchmarks' || echo '+changes')); models: $models; workloads: $workloads; load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/info.txt" >&2
OUT=$OUT/h WORKLOADS=$workloads AA= bash "$work/bench/run-compare.sh" "${args[@]}" >/dev/null
peer_csv=$(echo $PEERS | tr ' ' ,)
python3 "$here/summary.py" "$OUT/h/results.tsv" --peers "${peer_csv:-none}" --order "${peer_csv}${order}" \
    --workloads "$(echo $workloads | tr ' ' ,)" --pairs "$(IFS=,; echo "${pairs[*]}")" --no-targets | tee "$OUT/summary.txt"
# the summary as a chart (chart.png, chart.svg): ratios to the best peer, or to the first build when PEERS=""
aa_pairs=""
if [ "${AA:-0}" = 1 ]; then
    for m in $models; do aa_pairs="$aa_pairs,${names[-2]}-$m:${names[-1]}-$m"; done
fi
bash "$here/lib/chart.sh" "$OUT/h/results.tsv" --out "$OUT" --peers "${peer_csv}" --order "${peer_csv}${order}" \
    --workloads "$(echo $workloads | tr ' ' ,)" --aa "${aa_pairs#,}" --title "$(cat "$OUT/info.txt")" || true
