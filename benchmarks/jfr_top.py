#!/usr/bin/env python3
"""Top methods of a JFR recording by self and by inclusive samples (CPU-time samples if present, else execution
samples), and the allocation sites of the top allocated classes.

usage: jfr_top.py rec.jfr [--jfr PATH] [--top 30] [--filter io.portside]
"""
import argparse
import collections
import json
import subprocess


def events(jfr, rec, name, depth):
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", str(depth), "--events", name, rec],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(f):
    m = f["method"]
    return f'{m["type"]["name"]}.{m["name"]}'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rec")
    ap.add_argument("--jfr", default="/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--filter", default="")
    a = ap.parse_args()
    for ev in ("jdk.CPUTimeSample", "jdk.ExecutionSample"):
        evs = events(a.jfr, a.rec, ev, 64)
        if evs:
            break
    self_c, incl_c = collections.Counter(), collections.Counter()
    n = 0
    for e in evs:
        st = e["values"].get("stackTrace")
        if not st or not st.get("frames"):
            continue
        n += 1
        frames = [frame_name(f) for f in st["frames"]]
        self_c[frames[0]] += 1
        for f in set(frames):
            incl_c[f] += 1
    print(f"{ev}: {n} samples")
    print("\nself:")
    for f, c in self_c.most_common(a.top):
        print(f"  {100 * c / n:5.1f}%  {f}")
    print("\ninclusive" + (f" (only {a.filter}*)" if a.filter else "") + ":")
    shown = 0
    for f, c in incl_c.most_common():
        if a.filter and not f.startswith(a.filter):
            continue
        print(f"  {100 * c / n:5.1f}%  {f}")
        shown += 1
        if shown >= a.top:
            break
    allocs = events(a.jfr, a.rec, "jdk.ObjectAllocationSample", 12)
    by_site = collections.Counter()
    total = 0
    for e in allocs:
        w = e["values"].get("weight", 0)
        cls = e["values"]["objectClass"]["name"]
        st = e["values"].get("stackTrace") or {}
        frames = [frame_name(f) for f in st.get("frames", [])]
        site = next((f for f in frames if not f.startswith(("java.", "jdk.", "sun."))), frames[0] if frames else "?")
        first = frames[0] if frames else "?"
        by_site[(cls, first, site)] += w
        total += w
    print("\nallocation (sampled weight) by class, allocating frame, first non-JDK frame:")
    for (cls, first, site), w in by_site.most_common(a.top):
        print(f"  {100 * w / max(total, 1):5.1f}%  {cls}  at {first}  from {site}")


if __name__ == "__main__":
    main()
