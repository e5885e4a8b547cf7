#!/usr/bin/env bash
# benchmarks/run.sh: Portside (hosted, each concurrency model; and plain Java) against the harness's peers.
#
#   benchmarks/run.sh                # full run: every workload, 5 x 1 s slices per server (about 25 min)
#   QUICK=1 benchmarks/run.sh        # smoke run: 2 x 1 s slices, fewer servers (about 8 min)
#
# Builds what is missing (the launcher jar via Maven, the benchmark classes and handler bundle with javac, the
# harness's loadgen and peers in a scratch copy), then drives /work/shared/bench/run-compare.sh and prints one
# summary (benchmarks/summary.py) plus the harness's own tables, and draws the summary as chart.png/chart.svg
# (benchmarks/chart.py, matplotlib; installed with apt-get where missing).
# Results: benchmarks/results/<stamp>/ (git-ignored).
#
# Knobs (environment):
#   QUICK=1                 short run (DURATION=2 SLICES=2 WARMUP=1 HOLD=3, peers netty py-threading java-vt,
#                           plain Java for the virtual model only)
#   MODELS="sync threading pool virtual"   hosted models; "forking" joins by itself when the build has the forking
#                           model, on the workloads a pool of worker JVMs can take (FORKING_SKIP); "protocol" (not a
#                           default) is the echo as a hosted event-driven protocol (host.sh; UDP on the virtual model)
#   FORKING_SKIP="rr50 rr1000 rr50_4k unix50 idle10k"   workloads hosted forking sits out: each connection holds one
#                           worker JVM, and 50+ JVMs started inside a 2 s warm-up would measure JVM start-up
#                           (docs/forking.md has forking against threads, warm and cold)
#   PLAIN_MODELS="sync threading pool virtual"   plain-Java models (same handler, no OSGi); "protocol" (not a default)
#                           is the event-driven path: EchoProtocol on the server's readiness loops, UDP on virtual threads
#   SERVERS="py-threading py-forking netty java-vt"   the harness's peers
#   WORKLOADS="rr1 rr50 rr1000 rr50_4k conn udp bulk unix50 idle10k"
#   DURATION SLICES WARMUP SLICE_WARMUP HOLD IDLE_CONNS AA JAVA_OPTS MODE ...: passed to run-compare.sh
#                           (AA=java-vt adds an identical second java-vt: its distance from java-vt is the run's noise)
#   BENCH=/work/shared/bench  the harness (read-only; copied to benchmarks/.work/bench and used from there)
#   OUT=benchmarks/results/<stamp>   BUILD=0 (skip all builds)
#   JAVA=<java of a JDK 21+>   default: JAVA_HOME, else the first JDK 21+ under /usr/lib/jvm (peers use it too)
#   PS_JAVA_OPTS=''         extra JVM options for the Portside candidates only (e.g. for profiling)
#   LISTENER_EXTRA=''       extra lines for the hosted listener .cfg
#   BUILD_ONLY=1            build what is missing, then stop (compare.sh uses it)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
BENCH=${BENCH:-/work/shared/bench}
if [ -z "${JAVA:-}" ]; then # the same JDK for Portside and the Java peers: JAVA_HOME, else the first 21+ in /usr/lib/jvm
    source "$here/lib/jdk.sh"
    JAVA=$JDK/bin/java
fi
export JAVA
JDK_BIN=$(dirname "$JAVA")
BUILD=${BUILD:-1}
work=$here/.work
stamp=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-$here/results/$stamp}
log() { echo "[$(date +%H:%M:%S)] run.sh: $*" >&2; }
die() { echo "run.sh: $*" >&2; exit 2; }

MODELS_SET=${MODELS:-}
if [ "${QUICK:-0}" = 1 ]; then
    : "${DURATION:=2}" "${SLICES:=2}" "${WARMUP:=1}" "${HOLD:=3}"
    : "${SERVERS:=py-threading netty java-vt}"
    : "${PLAIN_MODELS:=virtual}"
fi
# forking joins the default models when the build has the forking model
has_forking() {
    local jar
    jar=$(ls "$root"/server-core/target/server-core-*.jar 2>/dev/null | head -1)
    # grep without -q reads to the end: an early exit would fail unzip with SIGPIPE, and pipefail with it
    [ -n "$jar" ] && unzip -l "$jar" 2>/dev/null | grep 'io/portside/server/forking/ForkingModel\.class' >/dev/null
}
FORKING_SKIP=${FORKING_SKIP:-rr50 rr1000 rr50_4k unix50 idle10k}
MODELS=${MODELS:-sync threading pool virtual}
PLAIN_MODELS=${PLAIN_MODELS-sync threading pool virtual}
SERVERS=${SERVERS:-py-threading py-forking netty java-vt}
WORKLOADS=${WORKLOADS:-rr1 rr50 rr1000 rr50_4k conn udp bulk unix50 idle10k}
export SERVERS DURATION SLICES WARMUP HOLD
[ -x "$JAVA" ] || die "no JDK at $JAVA (set JAVA=/path/to/jdk-21+/bin/java)"
[ -f "$BENCH/run-compare.sh" ] || die "no harness at $BENCH (set BENCH=...)"
mkdir -p "$work"

# ------------------------------------------------------------------ build
# never fails: without a jar yet, `jar=$(launcher_jar)` would end the script silently (set -e with pipefail)
launcher_jar() { ls "$root"/launcher/target/launcher-*-all.jar 2>/dev/null | head -1 || true; }
if [ "$BUILD" = 1 ]; then
    jar=$(launcher_jar)
    if [ -z "$jar" ] || [ -n "$(find "$root"/handler-api "$root"/server-core "$root"/sample-handlers "$root"/launcher \
        -path '*/src/main/*' -type f -newer "$jar" 2>/dev/null | head -1)" ]; then
        log "building Portside (mvn -B -q -DskipTests package)"
        (cd "$root" && mvn -B -q -DskipTests package) >&2 || die "maven build failed"
    fi
    # benchmark classes: the plain-Java runner and the two benchmark handlers (compiled against the built jars)
    cp_core="$root/handler-api/target/classes:$root/server-core/target/classes:$root/launcher/target/classes/samples/echo.jar"
    if [ ! -f "$work/bench-handlers.jar" ] || [ -n "$(find "$here/src" "$here/bundle" -type f -newer "$work/bench-handlers.jar" | head -1)" ] \
        || [ "$(launcher_jar)" -nt "$work/bench-handlers.jar" ]; then
        log "compiling the benchmark classes"
        rm -rf "$work/classes" "$work/bundle-root"
        "$JDK_BIN/javac" --release 21 -nowarn -d "$work/classes" -cp "$cp_core" $(find "$here/src" -name '*.java') || die "javac failed"
        mkdir -p "$work/bundle-root/io/portside/bench"
        cp "$work"/classes/io/portside/bench/{Ascii,RawEchoService,UdpEchoService,RawEchoProtocolService,EchoProtocol}*.class \
            "$work/bundle-root/io/portside/bench/"
        cp -r "$here/bundle/OSGI-INF" "$work/bundle-root/"
        "$JDK_BIN/jar" --create --file "$work/bench-handlers.jar" --manifest "$here/bundle/META-INF/MANIFEST.MF" \
            -C "$work/bundle-root" . || die "jar failed"
    fi
    # the harness is read-only: use an unmodified copy, where its own BUILD=1 may build loadgen and the peers
    mkdir -p "$work/bench"
    (cd "$BENCH" && find . -path ./results -prune -o -path ./peers/netty-echo/target -prune -o -path ./peers/java_blocking_echo/build -prune \
        -o -name loadgen -prune -o -type f -print) | while read -r f; do
        if ! cmp -s "$BENCH/$f" "$work/bench/$f"; then
            mkdir -p "$(dirname "$work/bench/$f")"
            cp "$BENCH/$f" "$work/bench/$f"
            chmod u+w "$work/bench/$f"
        fi
    done
fi
[ -n "$(launcher_jar)" ] || die "no launcher jar (run with BUILD=1)"
if [ -z "${MODELS_SET:-}" ] && has_forking && [[ " $MODELS " != *" forking "* ]]; then
    MODELS="$MODELS forking"
    log "hosted forking added (skips: $FORKING_SKIP)"
fi
[ -f "$work/bench-handlers.jar" ] || die "no benchmark classes (run with BUILD=1)"
HARNESS=$work/bench/run-compare.sh
[ -f "$HARNESS" ] || die "no harness copy in $work/bench (run with BUILD=1)"
[ "${BUILD_ONLY:-0}" = 1 ] && exit 0
mkdir -p "$OUT" # only now: a build-only call (compare.sh) would leave an empty results folder

# ------------------------------------------------------------------ servers
export PS_WORK=$work PS_HOMES=$OUT/homes
plain_cp="$root/handler-api/target/handler-api-0.1.0-SNAPSHOT.jar:$root/server-core/target/server-core-0.1.0-SNAPSHOT.jar"
plain_cp="$plain_cp:$root/launcher/target/classes/samples/echo.jar:$work/classes"
ps_servers() { # models prefix -> --server arguments (one per kind)
    local m
    for m in $1; do
        [ "$2" = ps ] && [ "$m" = forking ] && continue # a candidate of its own (forking_candidate): it skips workloads
        if [ "$2" = ps ]; then
            for k in line raw udp unix; do
                printf '%s\n' --server "ps-$m:$k=exec '$here/host.sh' $m $k"
            done
        else
            local j="exec '$JAVA' --enable-native-access=ALL-UNNAMED \${JAVA_OPTS:-} \${PS_JAVA_OPTS:-} -cp '$plain_cp' io.portside.bench.PlainEcho --model $m"
            printf '%s\n' --server "plain-$m:line=$j --kind line --port \$PORT" \
                --server "plain-$m:raw=$j --kind raw --port \$PORT" \
                --server "plain-$m:udp=$j --kind udp --port \$PORT" \
                --server "plain-$m:unix=$j --kind unix --unix \$SOCK"
        fi
    done
}
mapfile -t ALL < <(ps_servers "$MODELS" ps; ps_servers "$PLAIN_MODELS" plain)
# The harness skips workloads only for its one environment-given candidate, so hosted forking is that candidate.
forking_candidate() {
    [[ " $MODELS " == *" forking "* ]] || return 0
    export CANDIDATE_NAME=ps-forking CANDIDATE_SKIP="$FORKING_SKIP"
    export CANDIDATE_CMD="exec '$here/host.sh' forking line" CANDIDATE_RAW_CMD="exec '$here/host.sh' forking raw"
    export CANDIDATE_UDP_CMD="exec '$here/host.sh' forking udp" CANDIDATE_UNIX_CMD="exec '$here/host.sh' forking unix"
}
# A synchronous server serves one connection until the client closes it: 10,000 held connections would wait for
# ever (the harness gives up after 60 s), so idle10k runs without the sync candidates, in a second pass.
NOSYNC=()
for ((i = 0; i < ${#ALL[@]}; i += 2)); do
    case ${ALL[i + 1]} in ps-sync:* | plain-sync:*) ;; *) NOSYNC+=("${ALL[i]}" "${ALL[i + 1]}") ;; esac
done
order=$(echo $SERVERS ${AA:+$AA-AA}; for m in $MODELS; do echo "ps-$m"; done; for m in $PLAIN_MODELS; do echo "plain-$m"; done)
order=$(echo $order | tr ' ' ,)
peers=$(echo $SERVERS | tr ' ' ,)

main_wl="" idle_wl=""
for w in $WORKLOADS; do
    if [ "$w" = idle10k ]; then idle_wl=idle10k; else main_wl="$main_wl $w"; fi
done
main_wl=${main_wl# }
cleanup() { rm -rf "$OUT/homes"; }
trap cleanup EXIT
{
    echo "commit: $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- . ':!benchmarks' || echo ' (plus uncommitted changes)')"
    echo "date: $(date -Is)"
    echo "run.sh: QUICK=${QUICK:-0} MODELS='$MODELS' PLAIN_MODELS='$PLAIN_MODELS' SERVERS='$SERVERS' WORKLOADS='$WORKLOADS'"
    echo "harness knobs: DURATION=${DURATION:-5} SLICES=${SLICES:-5} WARMUP=${WARMUP:-2} HOLD=${HOLD:-8} JAVA_OPTS='${JAVA_OPTS:-}' PS_JAVA_OPTS='${PS_JAVA_OPTS:-}'"
} >"$OUT/run-info.txt"
started=$(date +%s)
if [ -n "$main_wl" ]; then
    log "pass 1: $main_wl; servers $order"
    OUT=$OUT/pass1 WORKLOADS=$main_wl bash "$HARNESS" "${ALL[@]}" >/dev/null
fi
if [ -n "$idle_wl" ]; then
    log "pass 2: idle10k (without the sync candidates)"
    OUT=$OUT/pass2 WORKLOADS=idle10k bash "$HARNESS" "${NOSYNC[@]}" >/dev/null
fi
# Hosted forking runs alone, after the others: its worker JVMs compile in the background for a while after their
# slice and would take CPU from the other servers' slices. Its ratios are therefore to peers measured in pass 1.
fork_wl=""
for w in $main_wl; do [[ " $FORKING_SKIP " == *" $w "* ]] || fork_wl="$fork_wl $w"; done
if [[ " $MODELS " == *" forking "* ]] && [ -n "$fork_wl" ]; then
    log "pass 3: hosted forking alone on$fork_wl"
    (forking_candidate && AA= OUT=$OUT/pass3 SERVERS=" " WORKLOADS=${fork_wl# } bash "$HARNESS" >/dev/null)
fi
# one results.tsv, then the harness's report and the summary over it
first=1
for p in "$OUT"/pass1/results.tsv "$OUT"/pass2/results.tsv "$OUT"/pass3/results.tsv; do
    [ -f "$p" ] || continue
    if [ $first = 1 ]; then cat "$p"; first=0; else tail -n +2 "$p"; fi
done >"$OUT/results.tsv"
wl_csv=$(echo $WORKLOADS | tr ' ' ,)
python3 "$work/bench/report.py" "$OUT/results.tsv" --peers "$peers" --order "$order" --workloads "$wl_csv" >"$OUT/table.txt"
{
    cat "$OUT/run-info.txt"
    echo "took: $(( ($(date +%s) - started) / 60 )) min; full harness tables: $OUT/table.txt"
    echo
    python3 "$here/summary.py" "$OUT/results.tsv" --peers "$peers" --order "$order" --workloads "$wl_csv"
    sed -n '/^Notes \/ problems:/,$p' "$OUT/table.txt"
} | tee "$OUT/summary.txt"
# the summary as a chart (ratio to the best peer, the A/A band): chart.png and chart.svg beside summary.txt
bash "$here/lib/chart.sh" "$OUT/results.tsv" --out "$OUT" --peers "$peers" --order "$order" --workloads "$wl_csv" \
    ${AA:+--aa "$AA:$AA-AA"} --title "$(head -1 "$OUT/run-info.txt"), $(date +%F)" || true
log "done: $OUT/summary.txt"
