#!/usr/bin/env bash
# host.sh MODEL KIND: one Portside host (the real launcher jar, OSGi, the whiteboard) for run-compare.sh.
#   MODEL: sync | threading | pool | virtual | forking | protocol (the echo as an event-driven protocol: the echo
#          sample's echo-protocol, the bench bundle's raw-echo-protocol; UDP has no protocols and runs on virtual)
#   KIND:  line (echo sample over TCP) | unix (echo sample over a Unix socket) | raw (raw-echo, for bulk)
#          | udp (udp-echo)
# Reads $PORT or $SOCK (set by the harness). Makes a fresh home under $PS_HOMES with deploy/ holding
# echo.jar (from launcher/target/classes/samples), bench-handlers.jar and .cfg files, then execs the JVM in the
# foreground (the harness stops it by process group). Prints nothing itself: the harness probes the port.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root=${PS_ROOT:-$(dirname "$here")} # PS_ROOT: another build of Portside (compare.sh's baseline)
model=$1 kind=$2
work=${PS_WORK:-$here/.work}
homes=${PS_HOMES:-$work/homes}
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
jar=$(ls "$root"/launcher/target/launcher-*-all.jar | head -1)
mkdir -p "$homes"
home=$(mktemp -d "$homes/$model-$kind.XXXXXX")
deploy=$home/deploy
mkdir -p "$deploy"

# The listener: endpoint from the harness, the model under test, pool and backlog sized for rr1000/idle10k.
case $kind in
line) endpoint="tcp://127.0.0.1:$PORT" handler=echo ;;
raw) endpoint="tcp://127.0.0.1:$PORT" handler=raw-echo ;;
udp) endpoint="udp://127.0.0.1:$PORT" handler=udp-echo ;;
unix) endpoint="unix:$SOCK" handler=echo ;;
*) echo "host.sh: unknown kind '$kind'" >&2; exit 2 ;;
esac
concurrency=$model
if [ "$model" = protocol ]; then # a protocol runs on the listener's loops whatever the concurrency says
    concurrency=virtual
    case $kind in line | unix) handler=echo-protocol ;; raw) handler=raw-echo-protocol ;; esac
fi
{
    echo "endpoint=$endpoint"
    echo "handler=$handler"
    echo "concurrency=$concurrency"
    echo "pool.size=${POOL_SIZE:-10240}"
    echo "pool.queue=${POOL_QUEUE:-1024}"
    echo "backlog=1024"
    # above idle10k's 10,000 (the default limit of 2000 would refuse the rest: docs/limits.md)
    echo "max.connections=${MAX_CONNECTIONS:-12000}"
    [ -n "${LISTENER_EXTRA:-}" ] && printf '%s\n' "$LISTENER_EXTRA"
} >"$deploy/io.portside.listener-bench.cfg"
# Move the echo sample's own endpoints off the shared 9999: onto this listener's endpoint where the kinds match
# (the listener configuration then takes the endpoint over), otherwise into this home.
case $kind in
line | raw | udp)
    echo "portside.endpoint=tcp://127.0.0.1:$PORT" >"$deploy/io.portside.sample.echo.stream.cfg"
    echo "portside.endpoint=udp://127.0.0.1:$PORT" >"$deploy/io.portside.sample.echo.datagram.cfg" ;;
unix)
    echo "portside.endpoint=unix:$SOCK" >"$deploy/io.portside.sample.echo.stream.cfg"
    echo "portside.endpoint=unixgram:sockets/echo-dgram.sock" >"$deploy/io.portside.sample.echo.datagram.cfg" ;;
esac
# The jars go in only once ConfigAdmin holds those configurations (Felix CM persists them under felix-cache), so the
# echo components start on the moved endpoints and never touch 9999, which other hosts on this machine may use.
# This helper runs in the server's process group and stops by itself (at most 60 s).
(
    for _ in $(seq 1 600); do
        [ "$(find "$home/felix-cache" -name '*.config' 2>/dev/null | wc -l)" -ge 3 ] && break
        sleep 0.1
    done
    cp "$root/launcher/target/classes/samples/echo.jar" "$deploy/.echo.jar.tmp"
    mv "$deploy/.echo.jar.tmp" "$deploy/echo.jar"
    cp "$work/bench-handlers.jar" "$deploy/.bench-handlers.jar.tmp"
    mv "$deploy/.bench-handlers.jar.tmp" "$deploy/bench-handlers.jar"
) </dev/null >/dev/null 2>&1 &

# The JVM options ./portside run uses (that build's launcher/jvm.options, for this JDK), then the harness's own.
# A build from before that file gets the one option it had always been started with here.
jvm_defaults=(--enable-native-access=ALL-UNNAMED)
if [ -f "$root/launcher/jvm.options" ] && [ -f "$root/launcher/jvm-options.sh" ]; then
    # shellcheck source=../launcher/jvm-options.sh
    . "$root/launcher/jvm-options.sh"
    mapfile -t jvm_defaults < <(portside_jvm_options "$root/launcher/jvm.options" "$(java_version "$java")")
fi
# shellcheck disable=SC2086
exec "$java" "${jvm_defaults[@]}" ${JAVA_OPTS:-} ${PS_JAVA_OPTS:-} -jar "$jar" run --home "$home"
