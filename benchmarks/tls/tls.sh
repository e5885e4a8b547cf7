#!/usr/bin/env bash
# benchmarks/tls/tls.sh: Portside's TLS listener beside Netty's SslHandler (loopback only; about 3 min, 5 with SLICES=7).
#
#   benchmarks/tls/tls.sh
#   SLICES=5 HS_TIME=10 benchmarks/tls/tls.sh          # longer, steadier
#
# Servers (all on the same JDK, default JVM options, one self-signed ECDSA P-256 certificate made for the run):
#   ps-virtual     the real host (benchmarks/host.sh: launcher jar, fresh home, echo sample) with a listener .cfg
#                  holding concurrency=virtual, tls.certificate and tls.key: the JDK's SSLSocket on virtual threads
#   netty-jdk      benchmarks/tls/netty-tls: Netty 4.2 epoll, SslHandler with the JDK's SSLEngine
#   netty-openssl  the same with SslProvider.OPENSSL (BoringSSL, netty-tcnative-boringssl-static); left out when
#                  the jar was built without tcnative or tcnative does not load
# Workloads, per server and slice:
#   handshakes     openssl s_time -connect 127.0.0.1:PORT -new -time HS_TIME: one client, a full handshake per
#                  connection (TLS 1.3 with OpenSSL's defaults); figure = connections / wall time of s_time
#   rr50           tls_rr.c: CONNS connections, one pthread each, blocking 64-byte line request/response, replies
#                  checked; RR_WARMUP s to connect and warm up, then RR_DURATION s measured
# All servers are up at once; after one unmeasured warm-up round they take turns, SLICES times in rotating order,
# so this shared machine's swings hit them alike. The table gives each server's median slice and its ratio to
# netty-jdk. Results: benchmarks/results/tls-<stamp>/ (git-ignored): summary.txt, results.tsv, logs.
#
# Knobs (environment): SLICES=3 HS_TIME=5 RR_DURATION=5 RR_WARMUP=2 CONNS=50 SIZE=64
#   SERVERS="ps-virtual netty-jdk netty-openssl"   BUILD=1 (0: use what is built)   OUT=...
#   JAVA=<java of a JDK 21+> (default: benchmarks/lib/jdk.sh)   MAX_SECONDS=900 (the whole run is ended after it)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench="$(dirname "$here")"
root="$(dirname "$bench")"
if [ -z "${JAVA:-}" ]; then
    source "$bench/lib/jdk.sh"
    JAVA=$JDK/bin/java
fi
export JAVA
SLICES=${SLICES:-3} HS_TIME=${HS_TIME:-5} RR_DURATION=${RR_DURATION:-5} RR_WARMUP=${RR_WARMUP:-2}
CONNS=${CONNS:-50} SIZE=${SIZE:-64} BUILD=${BUILD:-1} MAX_SECONDS=${MAX_SECONDS:-900}
SERVERS=${SERVERS:-ps-virtual netty-jdk netty-openssl}
work=$bench/.work/tls
OUT=${OUT:-$bench/results/tls-$(date +%Y%m%d-%H%M%S)}
netty_jar=$here/netty-tls/target/netty-tls.jar
client=$work/tls_rr
log() { echo "[$(date +%H:%M:%S)] tls.sh: $*" >&2; }
die() { echo "tls.sh: $*" >&2; exit 2; }
mkdir -p "$work" "$OUT/logs"

# ------------------------------------------------------------------ build
if [ "$BUILD" = 1 ]; then
    # the launcher jar and the benchmark handler bundle host.sh deploys: run.sh builds them when missing or stale
    BUILD_ONLY=1 "$bench/run.sh" || die "building Portside failed"
    if [ ! -f "$netty_jar" ] || [ -n "$(find "$here/netty-tls/pom.xml" "$here/netty-tls/src" -type f -newer "$netty_jar" | head -1)" ]; then
        log "building the Netty TLS peer (with netty-tcnative-boringssl-static)"
        if ! (cd "$here/netty-tls" && mvn -B -q package) >"$work/netty-build.log" 2>&1; then
            log "tcnative did not resolve (see $work/netty-build.log): building the peer with the JDK provider only"
            (cd "$here/netty-tls" && mvn -B -q package -DnoTcnative) >>"$work/netty-build.log" 2>&1 \
                || die "building the Netty TLS peer failed: $work/netty-build.log"
        fi
    fi
    if [ ! -x "$client" ] || [ "$here/tls_rr.c" -nt "$client" ]; then
        log "building tls_rr"
        gcc -O2 -Wall -Wextra -pthread -o "$client" "$here/tls_rr.c" -lssl -lcrypto || die "gcc failed (libssl-dev?)"
    fi
fi
[ -f "$netty_jar" ] && [ -x "$client" ] || die "nothing built (run with BUILD=1)"
command -v openssl >/dev/null || die "no openssl CLI"

# ------------------------------------------------------------------ certificate (made per run, never committed)
certs=$OUT/certs
mkdir -p "$certs"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$certs/server.key" 2>/dev/null # PKCS#8
openssl req -x509 -new -key "$certs/server.key" -out "$certs/server.pem" -days 2 -subj /CN=localhost \
    -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' 2>/dev/null

# ------------------------------------------------------------------ servers
declare -A PID_OF PORT_OF
cleanup() {
    set +e
    local s
    for s in "${!PID_OF[@]}"; do stop_server "${PID_OF[$s]}"; done
    [ -n "${WATCHDOG:-}" ] && kill -- "-$WATCHDOG" 2>/dev/null
    rm -rf "$OUT/homes" "$certs"
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# the whole run is bounded: the watchdog ends it (and the trap stops the servers) after MAX_SECONDS
# (its own process group, so that the cleanup stops its sleep too)
setsid bash -c 'sleep "$1" && echo "tls.sh: over MAX_SECONDS=$1: stopping" >&2 && kill -TERM "$2"' _ "$MAX_SECONDS" $$ \
    </dev/null >/dev/null &
WATCHDOG=$!

stop_server() { # pid == process group id (setsid); never fails (set -e would end the EXIT trap half-way)
    kill -TERM -- "-$1" 2>/dev/null || return 0
    local i
    for i in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_ticks() { # utime + stime of a process, all threads (fields 14 and 15 of /proc/PID/stat, after the name)
    local stat rest
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    rest=${stat##*) }
    set -- $rest
    echo $(( ${12} + ${13} ))
}

start_server() { # name -> starts it in its own process group, sets PID_OF and PORT_OF
    local name=$1 port pid
    port=$(free_port)
    case $name in
    ps-virtual)
        PORT=$port PS_WORK=$bench/.work PS_HOMES=$OUT/homes \
            LISTENER_EXTRA=$(printf 'tls.certificate=%s\ntls.key=%s' "$certs/server.pem" "$certs/server.key") \
            setsid "$bench/host.sh" virtual line >"$OUT/logs/$name.log" 2>&1 </dev/null &
        pid=$! ;;
    netty-jdk | netty-openssl)
        setsid "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$netty_jar" "$port" "$certs/server.pem" \
            "$certs/server.key" "${name#netty-}" >"$OUT/logs/$name.log" 2>&1 </dev/null &
        pid=$! ;;
    *) die "unknown server $name" ;;
    esac
    PID_OF[$name]=$pid PORT_OF[$name]=$port
}

wait_ready() { # name -> 0 once a TLS ping is answered, 1 if the server died or 90 s passed
    local name=$1 i
    for i in $(seq 1 90); do
        kill -0 "${PID_OF[$name]}" 2>/dev/null || return 1
        "$client" -p "${PORT_OF[$name]}" --probe -t 1 2>/dev/null && return 0
    done
    return 1
}

# ------------------------------------------------------------------ workloads
TSV=$OUT/results.tsv
printf 'server\tround\tworkload\tvalue\tp50_us\tp99_us\terrors\tserver_cpu_pct\tclient_cpu_pct\tconn_min_x\tconn_max_x\n' >"$TSV"

handshakes() { # name round -> one row; s_time runs one client, a full handshake per connection
    local name=$1 r=$2 port=${PORT_OF[$1]} pid=${PID_OF[$1]} out t0 t1 c0 c1 n
    c0=$(cpu_ticks "$pid")
    t0=$(date +%s.%N)
    out=$(timeout $((HS_TIME + 30)) openssl s_time -connect "127.0.0.1:$port" -new -time "$HS_TIME" 2>&1) || true
    t1=$(date +%s.%N)
    c1=$(cpu_ticks "$pid")
    echo "$out" >"$OUT/logs/$name.handshakes.r$r.out"
    n=$(echo "$out" | sed -n 's/^\([0-9]*\) connections in [0-9.]* real seconds.*/\1/p' | head -1)
    [ -n "$n" ] || n=0
    awk -v n="$n" -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" -v hz="$(getconf CLK_TCK)" -v s="$name" -v r="$r" \
        'BEGIN { w = t1 - t0; printf "%s\t%s\thandshakes\t%.1f\t\t\t%d\t%.0f\t\t\t\n", s, r, n / w, (n == 0), 100 * (c1 - c0) / hz / w }'
}

rr() { # name round -> one row from tls_rr's RESULT line
    local name=$1 r=$2 out
    out=$(timeout $((RR_WARMUP + RR_DURATION + 30)) "$client" -p "${PORT_OF[$name]}" -c "$CONNS" -s "$SIZE" \
        -w "$RR_WARMUP" -d "$RR_DURATION" --server-pid "${PID_OF[$name]}" --label "$name" \
        2>"$OUT/logs/$name.rr.r$r.err") || true
    echo "$out" >"$OUT/logs/$name.rr.r$r.out"
    echo "$out" | awk -v s="$name" -v r="$r" '/^RESULT/ {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        mean = v["requests"] / v["conns"] # fairness: the least and the most served connection against the mean
        if (mean > 0) { v["conn_min"] = sprintf("%.2f", v["conn_min"] / mean); v["conn_max"] = sprintf("%.2f", v["conn_max"] / mean) }
        printf "%s\t%s\trr%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s, r, v["conns"], v["rps"], v["p50_us"], v["p99_us"],
            v["errors"], v["server_cpu_pct"], v["client_cpu_pct"], v["conn_min"], v["conn_max"]
        found = 1 } END { if (!found) printf "%s\t%s\trr\t0\t\t\t1\t\t\t\t\n", s, r }'
}

started=$(date +%s)
up=()
for s in $SERVERS; do
    start_server "$s"
done
for s in $SERVERS; do
    if wait_ready "$s"; then
        up+=("$s")
        log "$s ready on 127.0.0.1:${PORT_OF[$s]} ($(head -c 300 "$OUT/logs/$s.log" | grep -m1 READY || echo hosted))"
    else
        log "$s did not come up: left out (log: $OUT/logs/$s.log)"
        stop_server "${PID_OF[$s]}"
        unset "PID_OF[$s]"
    fi
done
[ ${#up[@]} -gt 0 ] || die "no server came up"
{
    echo "commit: $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- . ':!benchmarks' || echo ' (plus uncommitted changes)')"
    echo "date: $(date -Is); $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "java: $("$JAVA" -version 2>&1 | head -1); $(openssl version)"
    echo "tls.sh: SLICES=$SLICES HS_TIME=$HS_TIME RR_DURATION=$RR_DURATION RR_WARMUP=$RR_WARMUP CONNS=$CONNS SIZE=$SIZE; up: ${up[*]}"
    for s in "${up[@]}"; do grep -m1 READY "$OUT/logs/$s.log" || true; done
} >"$OUT/run-info.txt"

log "warm-up round (not counted)"
for s in "${up[@]}"; do
    HS_TIME=2 handshakes "$s" 0 >/dev/null
    RR_WARMUP=1 RR_DURATION=2 rr "$s" 0 >/dev/null
done
n=${#up[@]}
for r in $(seq 1 "$SLICES"); do
    for k in $(seq 0 $((n - 1))); do
        s=${up[$(((k + r - 1) % n))]}
        row=$(handshakes "$s" "$r")
        echo "$row" >>"$TSV"
        log "slice $r/$SLICES $s handshakes: $(echo "$row" | cut -f4)/s"
        row=$(rr "$s" "$r")
        echo "$row" >>"$TSV"
        log "slice $r/$SLICES $s rr$CONNS: $(echo "$row" | cut -f4) req/s, p99 $(echo "$row" | cut -f6) us, errors $(echo "$row" | cut -f7)"
    done
done
for s in "${up[@]}"; do # a server that died mid-run is reported, not hidden
    kill -0 "${PID_OF[$s]}" 2>/dev/null || echo "note: $s was no longer running at the end" >>"$OUT/run-info.txt"
done
{
    cat "$OUT/run-info.txt"
    echo "took: $(($(date +%s) - started)) s"
    echo
    python3 "$here/tls_summary.py" "$TSV" --baseline netty-jdk --order "$(echo "${up[*]}" | tr ' ' ,)"
} | tee "$OUT/summary.txt"
log "done: $OUT/summary.txt"
