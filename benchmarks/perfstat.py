#!/usr/bin/env python3
"""Per-request costs that this noisy machine cannot blur: system calls and context switches per operation
(exact counts from Linux tracepoints via `perf stat -p`), plus CPU time per operation, for two builds of
Portside side by side.

usage: perfstat.py [--revs "REV ... ."] [--models "virtual sync"] [--workloads "rr50 conn udp"] [--rounds 5] [--secs 3]
                   [--plain ["protocol virtual"]] [--peers netty]

Servers: <rev>-MODEL for each revision (built in benchmarks/.work/base-<rev> by compare.sh; run that once), "wt-MODEL"
for "." (the working tree, the default); --peers netty adds the harness's Netty peer (benchmarks/.work/bench, built by
run.sh) to the same rounds, so both are counted under the same load. --plain adds the plain-Java runner (PlainEcho,
no OSGi, started as run.sh starts its plain candidates) of each build as <rev>-plain-MODEL: alone, for each of --models;
with a list, for those models (e.g. --plain protocol, the event-driven path, which the host does not offer as a model;
--models "" then leaves the hosted candidates out). Each round runs loadgen against every server in turn
(rotating order) with perf stat attached to the server process for the measured window. Needs root (or
perf_event_paranoid <= 1) for the syscall tracepoints. Prints medians over the rounds.
"""
import argparse
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, ".work")
LG = os.path.join(WORK, "bench", "loadgen")
JAVA = os.environ.get("JAVA", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
WL = {"rr1": ("line", "rr -c 1 -s 64"), "rr50": ("line", "rr -c 50 -s 64"), "rr1000": ("line", "rr -c 1000 -s 64"),
      "rr50_4k": ("line", "rr -c 50 -s 4096"), "conn": ("line", "conn -c 16 -s 64"),
      "udp": ("udp", "udp -c 16 -s 64 -t 200"), "bulk": ("raw", "bulk -c 1 --chunk 65536"),
      "unix50": ("unix", "rr -c 50 -s 64")}
EVENTS = ["task-clock", "context-switches", "raw_syscalls:sys_enter", "syscalls:sys_enter_epoll_wait",
          "syscalls:sys_enter_epoll_ctl", "syscalls:sys_enter_futex", "syscalls:sys_enter_read",
          "syscalls:sys_enter_write", "syscalls:sys_enter_recvfrom", "syscalls:sys_enter_sendto",
          "syscalls:sys_enter_accept", "syscalls:sys_enter_setsockopt", "syscalls:sys_enter_epoll_pwait",
          "syscalls:sys_enter_epoll_pwait2", "syscalls:sys_enter_accept4", "syscalls:sys_enter_close",
          "syscalls:sys_enter_recvmsg", "syscalls:sys_enter_sendmsg", "syscalls:sys_enter_readv",
          "syscalls:sys_enter_writev"]
SHORT = {"task-clock": "cpu_us", "context-switches": "cswitch", "raw_syscalls:sys_enter": "syscalls",
         "syscalls:sys_enter_epoll_wait": "epoll_wait", "syscalls:sys_enter_epoll_ctl": "epoll_ctl",
         "syscalls:sys_enter_futex": "futex", "syscalls:sys_enter_read": "read", "syscalls:sys_enter_write": "write",
         "syscalls:sys_enter_recvfrom": "recvfrom", "syscalls:sys_enter_sendto": "sendto",
         "syscalls:sys_enter_accept": "accept", "syscalls:sys_enter_setsockopt": "setsockopt",
         "syscalls:sys_enter_epoll_pwait": "epoll_pwait", "syscalls:sys_enter_epoll_pwait2": "epoll_pwait2",
         "syscalls:sys_enter_accept4": "accept4", "syscalls:sys_enter_close": "close",
         "syscalls:sys_enter_recvmsg": "recvmsg", "syscalls:sys_enter_sendmsg": "sendmsg",
         "syscalls:sys_enter_readv": "readv", "syscalls:sys_enter_writev": "writev"}
# the three epoll waits count as one column (the JDK uses epoll_wait, Netty epoll_pwait2); "other" is what is left
WAITS = ("epoll_wait", "epoll_pwait", "epoll_pwait2")
NAMED = ("read", "recvfrom", "recvmsg", "readv", "write", "sendto", "sendmsg", "writev", "epoll_ctl", "futex",
         "accept", "accept4", "setsockopt", "close") + WAITS
NETTY_JAR = os.path.join(WORK, "bench", "peers", "netty-echo", "target", "netty-echo.jar")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start(name, root, model, kind, tmp, plain=False):
    env = dict(os.environ, PS_WORK=WORK, PS_HOMES=os.path.join(tmp, "homes"), PS_ROOT=root, JAVA=JAVA)
    port, sock = free_port(), os.path.join(tmp, name + ".sock")
    env["PORT"], env["SOCK"] = str(port), sock
    log = open(os.path.join(tmp, name + ".log"), "w")
    if name.startswith("netty"):
        mode = "line" if kind == "unix" else kind
        where = ["--unix", sock] if kind == "unix" else ["--port", str(port)]
        cmd = [JAVA, "--enable-native-access=ALL-UNNAMED", "-jar", NETTY_JAR, "--mode", mode] + where
    elif plain:
        cp = ":".join([f"{root}/handler-api/target/handler-api-0.1.0-SNAPSHOT.jar",
                       f"{root}/server-core/target/server-core-0.1.0-SNAPSHOT.jar",
                       f"{root}/launcher/target/classes/samples/echo.jar", f"{WORK}/classes"])
        where = ["--unix", sock] if kind == "unix" else ["--port", str(port)]
        opts = shlex.split(os.environ.get("JAVA_OPTS", "")) + shlex.split(os.environ.get("PS_JAVA_OPTS", ""))  # as run.sh
        cmd = [JAVA, "--enable-native-access=ALL-UNNAMED"] + opts + ["-cp", cp, "io.portside.bench.PlainEcho", "--model",
                                                                      model, "--kind", kind] + where
    else:
        cmd = [os.path.join(HERE, "host.sh"), model, kind]
    p = subprocess.Popen(cmd, env=env, stdout=log, stderr=log, start_new_session=True)
    target = ["-u", sock] if kind == "unix" else ["-p", str(port)]
    probe = "uprobe" if kind == "udp" else "probe"
    subprocess.run([LG, probe] + target + ["-t", "60000"], check=True, stdout=subprocess.DEVNULL)
    return p, target


def measure(pid, target, args, secs):
    with tempfile.NamedTemporaryFile("r", suffix=".perf") as out:
        perf = subprocess.Popen(["perf", "stat", "-x", ",", "-o", out.name, "-p", str(pid), "-e", ",".join(EVENTS)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.2)
        lg = subprocess.run([LG] + args.split() + target + ["-d", str(secs), "-w", "0", "-k", "-q"],
                            capture_output=True, text=True)
        perf.send_signal(signal.SIGINT)
        perf.wait()
        counts = {}
        for line in open(out.name):
            f = line.strip().split(",")
            if len(f) > 3 and f[2] in SHORT:
                try:
                    counts[SHORT[f[2]]] = float(f[0])
                except ValueError:
                    pass
    res = next((l for l in lg.stdout.splitlines() if l.startswith("RESULT")), "")
    kv = dict(x.split("=", 1) for x in res.split()[1:] if "=" in x)
    ops = float(kv.get("requests", kv.get("connections", kv.get("replies", 0))) or 0)
    if "mib_s" in kv:
        ops = float(kv["mib_s"]) * float(kv["secs"])  # per MiB
    return ops, float(kv.get("secs", secs)), counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--revs", default=".")
    ap.add_argument("--models", default="virtual")
    ap.add_argument("--workloads", default="rr50 conn udp")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--secs", type=float, default=3)
    ap.add_argument("--plain", nargs="?", const=True, default=None, metavar="MODELS",
                    help="also the plain-Java runner of each build: of each --models model, or of the models given")
    ap.add_argument("--peers", default="", help='"netty": the harness\'s Netty peer in the same rounds')
    a = ap.parse_args()
    subprocess.run([os.path.join(HERE, "run.sh")], env=dict(os.environ, BUILD_ONLY="1"), check=True)
    builds = []
    for ref in a.revs.split():
        if ref == ".":
            builds.append(("wt", ROOT))
            continue
        rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", ref], capture_output=True, text=True,
                             check=True).stdout.strip()
        base = os.path.join(WORK, "base-" + rev)
        target = os.path.join(base, "launcher", "target")
        if not (os.path.isdir(target) and any(f.endswith("-all.jar") for f in os.listdir(target))):
            sys.exit(f"perfstat: no build of {rev} in {base}: run benchmarks/compare.sh {rev} . once")
        builds.append((rev, base))
    cols = ["ops/s", "cpu_us", "syscalls", "cswitch", "read", "recvfrom", "recvmsg", "write", "sendto", "epoll_wait*",
            "epoll_ctl", "futex", "accept*", "setsockopt", "close", "other"]
    print("per operation (per MiB for bulk), medians of", a.rounds, "rounds of", a.secs, "s; load", open("/proc/loadavg").read().split()[0])
    print(f"{'workload':9} {'server':20} " + " ".join(f"{c:>10}" for c in cols))
    for wl in a.workloads.split():
        kind, args = WL[wl]
        with tempfile.TemporaryDirectory(prefix="perfstat.") as tmp:
            servers = []
            try:
                for m in a.models.split():
                    for name, root in builds:
                        p, target = start(f"{name}-{m}", root, m, kind, tmp)
                        servers.append((f"{name}-{m}", p, target))
                        if a.plain is True:
                            p, target = start(f"{name}-plain-{m}", root, m, kind, tmp, plain=True)
                            servers.append((f"{name}-plain-{m}", p, target))
                for m in (a.plain.split() if isinstance(a.plain, str) else []):
                    for name, root in builds:
                        p, target = start(f"{name}-plain-{m}", root, m, kind, tmp, plain=True)
                        servers.append((f"{name}-plain-{m}", p, target))
                for peer in a.peers.split():
                    p, target = start(peer, ROOT, "", kind, tmp)
                    servers.append((peer, p, target))
                for _, p, target in servers:  # warm-up
                    subprocess.run([LG] + args.split() + target + ["-d", "2", "-w", "0", "-q"], capture_output=True)
                rows = {s[0]: [] for s in servers}
                for r in range(a.rounds):
                    rot = servers[r % len(servers):] + servers[:r % len(servers)]
                    for name, p, target in rot:
                        ops, secs, c = measure(p.pid, target, args, a.secs)
                        if ops > 0:
                            per = {k: v / ops for k, v in c.items()}
                            per["cpu_us"] = c.get("cpu_us", 0) * 1000 / ops  # task-clock is in ms
                            per["ops/s"] = ops / secs
                            per["epoll_wait*"] = sum(per.get(w, 0) for w in WAITS)
                            per["accept*"] = per.get("accept", 0) + per.get("accept4", 0)
                            per["other"] = per.get("syscalls", 0) - sum(per.get(n, 0) for n in NAMED)
                            rows[name].append(per)
                for name, _, _ in servers:
                    rs = rows[name]
                    if not rs:
                        print(f"{wl:9} {name:20} no result")
                        continue
                    med = {c: statistics.median(x.get(c, 0) for x in rs) for c in cols}
                    cells = [f"{med[c]:>10.0f}" if c == "ops/s" else f"{med[c]:>10.2f}" for c in cols]
                    print(f"{wl:9} {name:20} " + " ".join(cells), flush=True)
            finally:
                for _, p, _ in servers:
                    try:
                        os.killpg(p.pid, signal.SIGTERM)
                    except ProcessLookupError:
                        pass
                for _, p, _ in servers:
                    try:
                        p.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        os.killpg(p.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
