#!/usr/bin/env python3
"""What one idle connection costs: Portside hosted (one model), and the plain-Java runner of some models, against the
harness's Netty peer.

usage: idle_mem.py [--model virtual] [--plain "protocol virtual"] [--conns 10000] [--hold 25] [--top 15] [--nmt]

--plain adds plain-MODEL for each model given: PlainEcho (no OSGi), started as run.sh starts its plain candidates;
"protocol" is the event-driven path (EchoProtocol on the server's readiness loops). --model "" leaves hosted out.

For each server: start it, take a class histogram (`jcmd PID GC.class_histogram`, which runs a full GC first, so it
counts live objects) and the RSS with no connection, then open N idle connections with the harness's loadgen
(`idle` mode, one round trip each, then held), take both again while they are held, and print the difference per
connection: heap bytes (histogram total), RSS, and the classes whose instances grew most. The RSS figure is rough:
the histogram's full GC may shrink or grow the committed heap in between; run.sh's idle10k samples RSS during the hold. Heap bytes leave out what
lives outside the heap (Netty's pooled direct buffers, thread stacks of platform threads); RSS includes it.
--nmt: both JVMs run with -XX:NativeMemoryTracking=summary and the JVM's own view of what the connections added
(committed memory by category, `jcmd PID VM.native_memory summary.diff`) is printed too (NMT itself costs some memory).
Needs benchmarks/run.sh to have built the launcher, the harness copy and its Netty peer (BUILD_ONLY=1 does).
"""
import argparse
import os
import re
import shlex
import signal
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, ".work")
LG = os.path.join(WORK, "bench", "loadgen")
JAVA = os.environ.get("JAVA", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
JCMD = os.path.join(os.path.dirname(JAVA), "jcmd")
NETTY_JAR = os.path.join(WORK, "bench", "peers", "netty-echo", "target", "netty-echo.jar")
ROW = re.compile(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)")


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def histogram(pid):
    """class -> (instances, bytes) of live objects, and the total bytes."""
    out = subprocess.run([JCMD, str(pid), "GC.class_histogram"], capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        m = ROW.match(line)
        if m:
            rows[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return rows, sum(b for _, b in rows.values())


def rss_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def nmt(pid, what):
    return subprocess.run([JCMD, str(pid), "VM.native_memory", what], capture_output=True, text=True).stdout


def start(name, model, port, tmp, jvm_opts):
    log = open(os.path.join(tmp, name + ".log"), "w")
    if name == "netty":
        cmd = [JAVA] + jvm_opts + ["--enable-native-access=ALL-UNNAMED", "-jar", NETTY_JAR, "--mode", "line", "--port", str(port)]
    elif name.startswith("plain-"):  # as run.sh: JAVA_OPTS, then PS_JAVA_OPTS
        cp = ":".join([f"{ROOT}/handler-api/target/handler-api-0.1.0-SNAPSHOT.jar",
                       f"{ROOT}/server-core/target/server-core-0.1.0-SNAPSHOT.jar",
                       f"{ROOT}/launcher/target/classes/samples/echo.jar", f"{WORK}/classes"])
        opts = shlex.split(os.environ.get("JAVA_OPTS", "")) + shlex.split(os.environ.get("PS_JAVA_OPTS", "")) + jvm_opts
        cmd = [JAVA, "--enable-native-access=ALL-UNNAMED"] + opts + ["-cp", cp, "io.portside.bench.PlainEcho", "--model",
                                                                      model, "--kind", "line", "--port", str(port)]
    else:  # host.sh adds PS_JAVA_OPTS
        cmd = [os.path.join(HERE, "host.sh"), model, "line"]
    env = dict(os.environ, PS_WORK=WORK, PS_HOMES=os.path.join(tmp, "homes"), JAVA=JAVA, PORT=str(port),
               PS_JAVA_OPTS=" ".join([os.environ.get("PS_JAVA_OPTS", "")] + jvm_opts).strip())
    p = subprocess.Popen(cmd, env=env, stdout=log, stderr=log, start_new_session=True)
    subprocess.run([LG, "probe", "-p", str(port), "-t", "60000"], check=True, stdout=subprocess.DEVNULL)
    return p


def measure(name, model, conns, hold, tmp, use_nmt):
    port = free_port()
    p = start(name, model, port, tmp, ["-XX:NativeMemoryTracking=summary"] if use_nmt else [])
    try:
        subprocess.run([LG, "rr", "-p", str(port), "-c", "50", "-d", "2", "-w", "0", "-q"], capture_output=True)
        time.sleep(1)
        h0, t0 = histogram(p.pid)
        r0 = rss_kb(p.pid)
        if use_nmt:
            nmt(p.pid, "baseline")
        out = os.path.join(tmp, name + ".idle.out")
        lg = subprocess.Popen([LG, "idle", "-p", str(port), "-c", str(conns), "--hold", str(hold), "-q"],
                              stdout=open(out, "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 90
        while time.time() < deadline and "IDLE_READY" not in open(out).read():
            time.sleep(0.2)
        time.sleep(2)  # let every connection's handler reach its blocking read
        h1, t1 = histogram(p.pid)
        r1 = rss_kb(p.pid)
        if use_nmt:
            for line in nmt(p.pid, "summary.diff").splitlines():
                if re.match(r"^(Total|-\s+\S.*\(reserved=)", line.strip()) and "committed=" in line:
                    print(f"  nmt {name}: {line.strip()}")
        lg.wait()
        held = int(re.search(r"held=(\d+)", open(out).read()).group(1))
        return h0, t0, r0, h1, t1, r1, held
    finally:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(timeout=20)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="virtual", help='the hosted model ("": no hosted candidate)')
    ap.add_argument("--plain", default="", help='plain-Java models to measure too, e.g. "protocol virtual"')
    ap.add_argument("--conns", type=int, default=10000)
    ap.add_argument("--hold", type=int, default=25)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--nmt", action="store_true", help="also the JVM's native memory tracking, as a diff")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="idle_mem.") as tmp:
        candidates = ([(f"ps-{a.model}", a.model)] if a.model else []) + [(f"plain-{m}", m) for m in a.plain.split()]
        for name, model in candidates + [("netty", "")]:
            h0, t0, r0, h1, t1, r1, held = measure(name, model, a.conns, a.hold, tmp, a.nmt)
            n = max(held, 1)
            print(f"{name}: held={held} heap {t0 / 1e6:.1f} -> {t1 / 1e6:.1f} MB = {(t1 - t0) / n:.0f} B/conn; "
                  f"RSS {r0 / 1024:.0f} -> {r1 / 1024:.0f} MiB = {(r1 - r0) * 1024 / n:.0f} B/conn")
            grew = sorted(((h1.get(c, (0, 0))[1] - h0.get(c, (0, 0))[1],
                            h1.get(c, (0, 0))[0] - h0.get(c, (0, 0))[0], c) for c in h1), reverse=True)
            print(f"  {'B/conn':>8} {'inst/conn':>9}  class")
            for db, di, c in grew[:a.top]:
                print(f"  {db / n:8.0f} {di / n:9.2f}  {c}")
            print(flush=True)


if __name__ == "__main__":
    main()
