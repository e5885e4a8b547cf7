#!/usr/bin/env bash
# benchmarks/profile.sh: one candidate under one workload with Java Flight Recorder, then the hot spots.
#
#   benchmarks/profile.sh ps-virtual rr50        # hosted, virtual threads, 50 connections of 64 B lines
#   benchmarks/profile.sh plain-pool conn 15     # plain Java, pool model, connection churn, 15 s
#
# CANDIDATE: ps-MODEL (the host, as run.sh starts it) or plain-MODEL. WORKLOAD: a run-compare.sh workload name
# (rr1 rr50 rr1000 rr50_4k conn udp bulk unix50). Needs a previous run.sh (for the builds). Writes
# benchmarks/results/profile-<stamp>/{rec.jfr,top.txt,loadgen.out}; prints the views.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cand=${1:?candidate, e.g. ps-virtual}
wl=${2:?workload, e.g. rr50}
secs=${3:-10}
if [ -z "${JAVA:-}" ]; then # the same JDK for Portside and the Java peers: JAVA_HOME, else the first 21+ in /usr/lib/jvm
    source "$here/lib/jdk.sh"
    JAVA=$JDK/bin/java
fi
export JAVA
JFR=$(dirname "$JAVA")/jfr
work=$here/.work
LG=$work/bench/loadgen
[ -x "$LG" ] || { echo "profile.sh: run benchmarks/run.sh once first (it builds loadgen)" >&2; exit 2; }
out=${OUT:-$here/results/profile-$(date +%Y%m%d-%H%M%S)-$cand-$wl}
mkdir -p "$out"
case $wl in
rr1) kind=line args="rr -c 1 -s 64" ;;
rr50) kind=line args="rr -c 50 -s 64" ;;
rr1000) kind=line args="rr -c 1000 -s 64" ;;
rr50_4k) kind=line args="rr -c 50 -s 4096" ;;
conn) kind=line args="conn -c 16 -s 64" ;;
udp) kind=udp args="udp -c 16 -s 64 -t 200" ;;
bulk) kind=raw args="bulk -c 1 --chunk 65536" ;;
unix50) kind=unix args="rr -c 50 -s 64" ;;
*) echo "profile.sh: unknown workload $wl" >&2; exit 2 ;;
esac
export PORT SOCK
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SOCK=$out/s.sock
export PS_WORK=$work PS_HOMES=$out/homes JAVA
# the JDK's profile settings, with 1 ms execution sampling, CPU-time sampling (JDK 25, Linux) and more allocation samples
jfc=$work/profile.jfc
[ -f "$jfc" ] || "$JFR" configure --input profile method-profiling=max allocation-profiling=high \
    +jdk.CPUTimeSample#enabled=true +jdk.CPUTimeSample#throttle=2ms --output "$jfc" >/dev/null
export PS_JAVA_OPTS="${PS_JAVA_OPTS:-}"
model=${cand#*-}
if [ "${cand%%-*}" = ps ]; then
    setsid "$here/host.sh" "$model" "$kind" >"$out/server.log" 2>&1 &
else
    cp="$root/handler-api/target/handler-api-0.1.0-SNAPSHOT.jar:$root/server-core/target/server-core-0.1.0-SNAPSHOT.jar"
    cp="$cp:$root/launcher/target/classes/samples/echo.jar:$work/classes"
    where="--port $PORT"; [ "$kind" = unix ] && where="--unix $SOCK"
    # shellcheck disable=SC2086
    setsid "$JAVA" --enable-native-access=ALL-UNNAMED $PS_JAVA_OPTS -cp "$cp" io.portside.bench.PlainEcho \
        --model "$model" --kind "$kind" $where >"$out/server.log" 2>&1 &
fi
pid=$!
trap 'kill -TERM -- -$pid 2>/dev/null || true' EXIT
tgt="-p $PORT"; [ "$kind" = unix ] && tgt="-u $SOCK"
probe=probe; [ "$kind" = udp ] && probe=uprobe
"$LG" $probe $tgt -t 60000 >/dev/null
# record only the measured window: start JFR after loadgen's 3 s warm-up, dump it when loadgen is done
# shellcheck disable=SC2086
"$LG" $args $tgt -d "$secs" -w 3 -k --server-pgid "$pid" -q >"$out/loadgen.out" &
lg=$!
sleep 3
"$(dirname "$JAVA")/jcmd" "$pid" JFR.start name=bench settings="$jfc" >/dev/null
wait "$lg"
"$(dirname "$JAVA")/jcmd" "$pid" JFR.dump name=bench filename="$out/rec.jfr" >/dev/null
cat "$out/loadgen.out"
kill -TERM -- -"$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
trap - EXIT
rm -rf "$out/homes"
python3 "$here/jfr_top.py" --jfr "$JFR" "$out/rec.jfr" --top "${TOP:-30}" | tee "$out/top.txt"
echo "profile.sh: $out (jfr print --events jdk.ExecutionSample --stack-depth 20 $out/rec.jfr for stacks)"
