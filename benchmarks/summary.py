#!/usr/bin/env python3
"""Portside's view of a run-compare.sh results.tsv: one table with every server's figure and its ratio to the
best peer per workload, the hosting cost (hosted / plain Java, same model), and the issue-7 targets.

usage: summary.py results.tsv --peers a,b --order a,b,c [--workloads w1,w2] [--median]

Conventions follow the harness's report.py: a slice counts only if its status is ok; "best" is the best slice
(max throughput, min CPU per op), "median" the median slice; ratios are to the best *peer* of the row, never to a
candidate. Hosted candidates are named ps-MODEL, plain-Java ones plain-MODEL.
"""
import argparse
import csv
import statistics
from collections import defaultdict

PRIMARY = {"rr1": ("rps", "req/s"), "rr50": ("rps", "req/s"), "rr1000": ("rps", "req/s"),
           "rr50_4k": ("rps", "req/s"), "conn": ("cps", "conn/s"), "udp": ("rps", "replies/s"),
           "bulk": ("mib_s", "MiB/s"), "unix50": ("rps", "req/s")}


def short(v):
    if v is None:
        return "-"
    if abs(v) >= 1e6:
        return f"{v / 1e6:.2f}M"
    if abs(v) >= 1e4:
        return f"{v / 1e3:.0f}k"
    if abs(v) >= 1e3:
        return f"{v / 1e3:.1f}k"
    if abs(v) >= 100:
        return f"{v:.0f}"
    return f"{v:.1f}"


def render(title, header, rows, out):
    out.append(title)
    w = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    fmt = lambda r: "  ".join(str(c).ljust(w[i]) if i == 0 else str(c).rjust(w[i]) for i, c in enumerate(r))
    out.append(fmt(header))
    out.append("-" * len(fmt(header)))
    out.extend(fmt(r) for r in rows)
    out.append("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tsv")
    ap.add_argument("--peers", default="py-threading,py-forking,netty,java-vt")
    ap.add_argument("--order", default="")
    ap.add_argument("--workloads", default="")
    ap.add_argument("--pairs", default="", help="a:b,c:d - print a/b ratios (default: ps-M:plain-M)")
    ap.add_argument("--no-targets", action="store_true")
    a = ap.parse_args()

    raw = defaultdict(list)
    status = {}
    servers, workloads = [], []
    with open(a.tsv, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            s, w, k, r, v = row["server"], row["workload"], row["key"], row["round"], row["value"]
            if s not in servers:
                servers.append(s)
            if w not in workloads:
                workloads.append(w)
            raw[(s, w, k)].append((r, v))
            if k == "status":
                status[(s, w, r)] = v
    if a.order:
        order = a.order.split(",")
        servers = [s for s in order if s in servers] + [s for s in servers if s not in order]
    if a.workloads:
        workloads = [w for w in a.workloads.split(",") if w in workloads]
    peers = [p for p in a.peers.split(",") if p in servers]

    def vals(s, w, k):
        out = []
        for r, v in raw.get((s, w, k), []):
            if r != "0" and status.get((s, w, r)) != "ok":
                continue
            try:
                out.append(float(v))
            except ValueError:
                pass
        return out

    def agg(s, w, k, how):
        v = vals(s, w, k)
        if not v:
            return None
        return {"max": max, "min": min, "median": statistics.median}[how](v)

    def state(s, w):
        st = [v for _, v in raw.get((s, w, "status"), [])]
        return "ok" if "ok" in st else (st[0] if st else None)

    def best_peer(w, k, how, higher):
        pv = [(agg(p, w, k, how), p) for p in peers if state(p, w) == "ok"]
        pv = [(v, p) for v, p in pv if v is not None and v > 0]
        if not pv:
            return None, None
        return (max(pv) if higher else min(pv))

    out = []
    thr = [w for w in workloads if w in PRIMARY]
    header = ["server"] + [f"{w} ({PRIMARY[w][1]})" for w in thr]
    if "idle10k" in workloads:
        header.append("idle10k (KiB/conn)")

    def figure_rows(how, key_of=lambda w: PRIMARY[w][0], higher=True):
        rows = []
        for s in servers:
            row = [s + ("*" if s in peers else "")]
            for w in thr:
                v = agg(s, w, key_of(w), how) if state(s, w) == "ok" else None
                best, _ = best_peer(w, key_of(w), how, higher)
                if v is None:
                    row.append(state(s, w) or "-")
                else:
                    row.append(f"{short(v)} {v / best:.2f}x" if best else short(v))
            if "idle10k" in workloads:
                v = agg(s, "idle10k", "kib_per_conn", "median") if state(s, "idle10k") in ("ok", "server-died") else None
                best, _ = best_peer("idle10k", "kib_per_conn", "median", False)
                row.append("-" if v is None else (f"{v:.1f} {v / best:.2f}x" if best else f"{v:.1f}"))
            rows.append(row)
        return rows

    render("Throughput per workload, best slice: figure and ratio to the best peer of the row "
           "(idle10k: memory per connection, ratio to the smallest; * = peer)", header, figure_rows("max"), out)
    render("Same, median slice", header, figure_rows("median"), out)
    cpu_header = ["server"] + [f"{w} ({'us/MiB' if w == 'bulk' else 'us/op'})" for w in thr]
    rows = []
    for s in servers:
        row = [s + ("*" if s in peers else "")]
        for w in thr:
            v = agg(s, w, "srv_us_per_op", "min") if state(s, w) == "ok" else None
            best, _ = best_peer(w, "srv_us_per_op", "min", False)
            row.append("-" if v is None else (f"{short(v)} {v / best:.2f}x" if best else short(v)))
        rows.append(row)
    render("Server CPU per operation, best slice (lower is better), ratio to the best peer", cpu_header, rows, out)
    lat_wl = [w for w in thr if w != "bulk"]
    rows = []
    for s in servers:
        row = [s + ("*" if s in peers else "")]
        for w in lat_wl:
            p50 = agg(s, w, "p50_us", "median") if state(s, w) == "ok" else None
            p99 = agg(s, w, "p99_us", "median") if state(s, w) == "ok" else None
            row.append("-" if p50 is None else f"{short(p50)}/{short(p99)}")
        rows.append(row)
    render("Latency p50/p99 in microseconds, median slice", ["server"] + lat_wl, rows, out)
    rows = []
    for s in servers:
        row = [s + ("*" if s in peers else "")]
        for w in thr:
            v = agg(s, w, "peak_rss_mb", "median")
            row.append("-" if v is None or state(s, w) != "ok" else short(v))
        if "idle10k" in workloads:
            v = agg(s, "idle10k", "idle_rss_mb", "median")
            row.append("-" if v is None else short(v))
        rows.append(row)
    render("Peak server RSS, MB", ["server"] + thr + (["idle10k"] if "idle10k" in workloads else []), rows, out)

    # pair ratios: hosting cost (hosted / plain Java, same model) by default, or A/B pairs
    hosting = [(s, "plain-" + s[3:]) for s in servers if s.startswith("ps-") and "plain-" + s[3:] in servers]
    pairs = [tuple(p.split(":", 1)) for p in a.pairs.split(",") if ":" in p] if a.pairs else hosting
    pairs = [(x, y) for x, y in pairs if x in servers and y in servers]
    if pairs:
        rows = []
        for h, p in pairs:
            row = [f"{h} / {p}"]
            for w in thr:
                hv, pv = agg(h, w, PRIMARY[w][0], "max"), agg(p, w, PRIMARY[w][0], "max")
                hm, pm = agg(h, w, PRIMARY[w][0], "median"), agg(p, w, PRIMARY[w][0], "median")
                hc, pc = agg(h, w, "srv_us_per_op", "min"), agg(p, w, "srv_us_per_op", "min")
                if None in (hv, pv) or state(h, w) != "ok" or state(p, w) != "ok" or not pv:
                    row.append("-")
                else:
                    row.append(f"{hv / pv:.2f} {hm / pm:.2f} {hc / pc:.2f}" if pm and pc and hm and hc else f"{hv / pv:.2f}")
            rows.append(row)
        title = ("Hosting cost, hosted / plain Java of the same model" if not a.pairs else "Ratios a / b") + \
            ": throughput best slice, throughput median slice, CPU per op best slice (1.00 = equal)"
        render(title, ["pair"] + thr, rows, out)

    # targets
    def best_model(w, names):
        c = [(agg(s, w, PRIMARY[w][0], "max"), s) for s in names if state(s, w) == "ok"]
        c = [x for x in c if x[0] is not None]
        return max(c) if c else (None, None)

    hosted = [s for s in servers if s.startswith("ps-")] if not a.no_targets else []
    pairs = hosting
    lines = []

    def ratio_line(label, w, cands, ref, goal):
        v, s = best_model(w, cands)
        r = agg(ref, w, PRIMARY[w][0], "max") if ref else None
        if v is None or not r:
            lines.append(f"  {label}: n/a")
            return
        vm = agg(s, w, PRIMARY[w][0], "median")
        rm = agg(ref, w, PRIMARY[w][0], "median")
        med = f", median {vm / rm:.2f}x" if vm and rm else ""
        ok = "MET " if v / r >= goal else "MISS"
        lines.append(f"  [{ok}] {label}: {s} {short(v)} vs {ref} {short(r)} = {v / r:.2f}x best slice{med} (goal >= {goal:.2f}x)")

    if hosted:
        for w in ("rr50", "rr1000"):
            if w in thr and "netty" in servers:
                ratio_line(f"{w}: fastest hosted model >= Netty", w, hosted, "netty", 1.0)
        for w in ("conn", "udp"):
            if w in thr:
                _, bp = best_peer(w, PRIMARY[w][0], "max", True)
                if bp:
                    ratio_line(f"{w}: fastest hosted model >= best peer", w, hosted, bp, 1.0)
        if "bulk" in thr and "netty" in servers:
            ratio_line("bulk: fastest hosted model >= 0.9x Netty", "bulk", hosted, "netty", 0.9)
        if "idle10k" in workloads and "netty" in servers:
            n = agg("netty", "idle10k", "kib_per_conn", "median")
            c = [(agg(s, "idle10k", "kib_per_conn", "median"), s) for s in hosted]
            c = [x for x in c if x[0] is not None]
            if n and c:
                v, s = min(c)
                ok = "MET " if v <= 1.5 * n else "MISS"
                lines.append(f"  [{ok}] idle10k: {s} {v:.1f} KiB/conn vs Netty {n:.1f} = {v / n:.2f}x (goal <= 1.50x); "
                             + ", ".join(f"{x[1]} {x[0]:.1f}" for x in sorted(c, key=lambda x: x[1])))
        if "py-threading" in servers:
            for w in ("rr50", "rr1000"):
                if w not in thr:
                    continue
                for s in hosted:
                    if s == "ps-sync":
                        continue
                    ratio_line(f"{w}: {s} >= 3x CPython ThreadingTCPServer", w, [s], "py-threading", 3.0)
        for h, p in pairs:
            worst = None
            for w in thr:
                hv, pv = agg(h, w, PRIMARY[w][0], "max"), agg(p, w, PRIMARY[w][0], "max")
                if hv and pv and state(h, w) == "ok" and state(p, w) == "ok":
                    r = hv / pv
                    worst = (r, w) if worst is None or r < worst[0] else worst
            if worst:
                ok = "MET " if worst[0] >= 0.95 else "MISS"
                lines.append(f"  [{ok}] hosting cost {h} vs {p}: worst workload {worst[1]} at {worst[0]:.2f}x (goal >= 0.95x)")
    if lines:
        out.append("Targets (issue 7), best slice unless said otherwise:")
        out.extend(lines)
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
