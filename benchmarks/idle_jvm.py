#!/usr/bin/env python3
"""JVM options against memory per idle connection: the hosted echo (benchmarks/host.sh) started once per candidate
set of options, 10,000 idle connections held, and what each set bought.

usage: idle_jvm.py [--model virtual] [--conns 10000] [--hold 20] [--cold] [--top N] [--netty [--netty-opts O]] 'NAME=OPTIONS' ...
  e.g. idle_jvm.py 'launcher defaults=' 'JDK defaults=-XX:InitialHeapSize=380m -XX:-UseCompactObjectHeaders ...' 'zgc=-XX:+UseZGC'

A warm host first serves 2 s of rr50, as idle_mem.py does (the read path compiled: a parked stack is smaller);
--cold skips that, as the harness's idle10k does. Each candidate runs with PS_JAVA_OPTS=OPTIONS (after the
launcher's defaults, which host.sh applies; see launcher/jvm.options) and -XX:NativeMemoryTracking=summary. As the harness's idle10k does, it takes the server's RSS
once it answers, then samples it three times over the hold (no GC forced meanwhile) and keeps the peak; NMT's
committed Java heap is sampled with it. Then, still holding, a class histogram (its full GC counts live objects
only), and another once the connections are closed: their difference is the live heap per connection.
Per connection: live heap, committed heap (peak during the hold minus at start), RSS (the same). --netty adds the
harness's Netty peer with the JVM's own defaults (plus any OPTIONS given as --netty-opts).
Needs benchmarks/run.sh to have built the launcher, the harness copy and its Netty peer (BUILD_ONLY=1 does).
"""
import argparse
import os
import re
import signal
import subprocess
import tempfile
import time

from idle_mem import JAVA, JCMD, LG, NETTY_JAR, HERE, WORK, free_port, histogram

HEAP = re.compile(r"Java Heap \(reserved=\d+KB, committed=(\d+)KB")


def group_rss_kb(pgid):
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.getpgid(int(pid)) != pgid:
                continue
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ProcessLookupError):
            pass
    return total



def heap_committed_kb(pid):
    out = subprocess.run([JCMD, str(pid), "VM.native_memory", "summary"], capture_output=True, text=True).stdout
    m = HEAP.search(out)
    return int(m.group(1)) if m else 0


def start(name, opts, model, port, tmp):
    log = open(os.path.join(tmp, re.sub(r"\W", "_", name) + ".log"), "w")
    nmt = ["-XX:NativeMemoryTracking=summary"]
    if name == "netty":
        cmd = [JAVA] + nmt + opts.split() + ["--enable-native-access=ALL-UNNAMED", "-jar", NETTY_JAR, "--mode", "line",
                                              "--port", str(port)]
    else:
        cmd = [os.path.join(HERE, "host.sh"), model, "line"]
    env = dict(os.environ, PS_WORK=WORK, PS_HOMES=os.path.join(tmp, "homes"), JAVA=JAVA, PORT=str(port),
               PS_JAVA_OPTS=" ".join(nmt + opts.split()))
    p = subprocess.Popen(cmd, env=env, stdout=log, stderr=log, start_new_session=True)
    subprocess.run([LG, "probe", "-p", str(port), "-t", "60000"], check=True, stdout=subprocess.DEVNULL)
    return p


def measure(name, opts, model, conns, hold, tmp, warm):
    port = free_port()
    p = start(name, opts, model, port, tmp)
    try:
        if warm:  # as idle_mem.py: a warm host (the read path compiled: a compiled frame is smaller on the parked stack)
            subprocess.run([LG, "rr", "-p", str(port), "-c", "50", "-d", "2", "-w", "0", "-q"], capture_output=True)
        time.sleep(1)
        r0, c0 = group_rss_kb(p.pid), heap_committed_kb(p.pid)
        out = os.path.join(tmp, "idle.out")
        lg = subprocess.Popen([LG, "idle", "-p", str(port), "-c", str(conns), "--hold", str(hold), "-q"],
                              stdout=open(out, "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 90
        while time.time() < deadline and "IDLE_READY" not in open(out).read():
            time.sleep(0.2)
        rss, heap = [], []
        for _ in range(3):  # as run-compare.sh's idle10k: three samples over the hold, the peak counts
            time.sleep((hold - 4) / 3)
            rss.append(group_rss_kb(p.pid))
            heap.append(heap_committed_kb(p.pid))
        rows_held, live_held = histogram(p.pid)
        lg.wait()
        held = int(re.search(r"held=(\d+)", open(out).read()).group(1))
        time.sleep(2)
        rows_closed, live_closed = histogram(p.pid)
        n = max(held, 1)
        grew = sorted(((b - rows_closed.get(c, (0, 0))[1]) / n, (i - rows_closed.get(c, (0, 0))[0]) / n, c)
                      for c, (i, b) in rows_held.items())[::-1]
        return dict(held=held, live=(live_held - live_closed) / n, committed=(max(heap) - c0) * 1024 / n,
                    committed_last=(heap[-1] - c0) * 1024 / n, rss=(max(rss) - r0) * 1024 / n,
                    rss_last=(rss[-1] - r0) * 1024 / n, rss0=r0 / 1024, rss_peak=max(rss) / 1024,
                    heap0=c0 / 1024, heap_peak=max(heap) / 1024, grew=grew)
    finally:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(timeout=20)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="virtual")
    ap.add_argument("--conns", type=int, default=10000)
    ap.add_argument("--hold", type=int, default=20)
    ap.add_argument("--netty", action="store_true", help="also the harness's Netty peer")
    ap.add_argument("--netty-opts", default="", help="JVM options for the Netty peer")
    ap.add_argument("--cold", action="store_true", help="no 2 s of rr50 before the connections (as the harness's idle10k)")
    ap.add_argument("--top", type=int, default=0, help="also the classes that grew most, per connection")
    ap.add_argument("candidates", nargs="*", default=["launcher defaults="])
    a = ap.parse_args()
    runs = [(c.split("=", 1)[0], c.split("=", 1)[1] if "=" in c else "") for c in a.candidates]
    if a.netty:
        runs.append(("netty", a.netty_opts))
    print(f"{'candidate':<28} {'live B/conn':>11} {'committed B/conn':>16} {'RSS B/conn':>10} {'(last sample)':>13}"
          f"  RSS MiB start->peak  heap MiB start->peak")
    with tempfile.TemporaryDirectory(prefix="idle_jvm.") as tmp:
        for name, opts in runs:
            r = measure(name, opts, a.model, a.conns, a.hold, tmp, not a.cold)
            print(f"{name:<28} {r['live']:11.0f} {r['committed']:16.0f} {r['rss']:10.0f} {r['rss_last']:13.0f}"
                  f"  {r['rss0']:6.0f} -> {r['rss_peak']:4.0f}      {r['heap0']:6.0f} -> {r['heap_peak']:4.0f}"
                  f"   held={r['held']} opts: {opts}", flush=True)
            for db, di, c in r["grew"][:a.top]:
                print(f"    {db:8.0f} B {di:6.2f}  {c}")


if __name__ == "__main__":
    main()
