#!/usr/bin/env bash
# benchmarks/fairness.sh: how evenly a server answers 50 eager blocking clients, Portside hosted against Netty.
#
#   benchmarks/fairness.sh            # ROUNDS=3 alternating rounds of DURATION=5 s per server, plaintext
#
# The client is benchmarks/tls/tls_rr.c in --plain mode: one pthread per connection, each sending its next 64-byte
# line the moment the reply lands (closed loop). It prints p50/p99 and conn_min/conn_max, the requests of the least
# and the most served connection in the window (as a multiple of the mean below). The harness's loadgen, one thread
# serving every ready connection in turn, cannot show this unevenness (docs/performance.md, issue 18 baseline).
# Needs benchmarks/run.sh to have built the launcher, the harness copy and its Netty peer (BUILD_ONLY=1 does).
# Knobs: MODEL=virtual ROUNDS=3 DURATION=5 CONNS=50 PS_JAVA_OPTS='' (e.g. a JFR recording for the Portside host)
#        PERF=1: also count the server's system calls in each measured window (perf stat, needs root), printed per
#        request: a handler that finds its next request already there reads once and never re-arms (epoll_ctl)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work=$here/.work
source "$here/lib/jdk.sh"
JAVA=${JAVA:-$JDK/bin/java}
MODEL=${MODEL:-virtual} ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-5} CONNS=${CONNS:-50}
tmp=$(mktemp -d /tmp/fairness.XXXXXX)
client=$tmp/tls_rr
gcc -O2 -Wall -Wextra -pthread -o "$client" "$here/tls/tls_rr.c" -lssl -lcrypto
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

ps_port=$(free_port) netty_port=$(free_port)
PORT=$ps_port PS_WORK=$work PS_HOMES=$tmp/homes JAVA=$JAVA \
    setsid "$here/host.sh" "$MODEL" line >"$tmp/ps.log" 2>&1 &
pids+=($!)
setsid "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$work/bench/peers/netty-echo/target/netty-echo.jar" \
    --mode line --port "$netty_port" >"$tmp/netty.log" 2>&1 &
pids+=($!)
"$client" -p "$ps_port" --probe --plain -t 60 >/dev/null
"$client" -p "$netty_port" --probe --plain -t 60 >/dev/null
EVENTS=context-switches,raw_syscalls:sys_enter,syscalls:sys_enter_read,syscalls:sys_enter_recvfrom
EVENTS=$EVENTS,syscalls:sys_enter_write,syscalls:sys_enter_sendto,syscalls:sys_enter_epoll_ctl,syscalls:sys_enter_futex
EVENTS=$EVENTS,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_pwait2
round() { # label port pid
    local perf=""
    if [ "${PERF:-0}" = 1 ]; then # the measured window only: after the client's 2 s warm-up
        (sleep 2.1 && perf stat -x, -o "$tmp/$1.perf" -e "$EVENTS" -p "$3" -- sleep "$(awk -v d="$DURATION" 'BEGIN{print d-0.2}')") &
        perf=$!
    fi
    "$client" -p "$2" --plain -c "$CONNS" -w 2 -d "$DURATION" --server-pid "$3" --label "$1" | tee "$tmp/$1.out"
    if [ -n "$perf" ]; then
        wait "$perf"
        awk -F, -v n="$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$tmp/$1.out")" -v d="$DURATION" -v l="$1" '
            $3 != "" && $1 ~ /^[0-9]/ { sub(/^syscalls:sys_enter_/, "", $3); sub(/^raw_syscalls:sys_enter/, "syscalls", $3)
                                        s = s sprintf(" %s=%.2f", $3, $1 / (n * (d - 0.2))) }
            END { print "PERF label=" l " per request:" s }' "$tmp/$1.perf"
    fi
}
for r in $(seq 1 "$ROUNDS"); do
    round "ps-$MODEL" "$ps_port" "${pids[0]}"
    round netty "$netty_port" "${pids[1]}"
done
