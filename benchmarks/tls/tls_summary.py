#!/usr/bin/env python3
"""One table from benchmarks/tls/tls.sh's results.tsv: each server's median slice per workload, the range of its
slices, and the ratio of the medians to a baseline server (netty-jdk).

usage: tls_summary.py results.tsv --baseline netty-jdk --order a,b,c

Round 0 is the warm-up and is never counted. A slice with errors still counts (its figure is what the server did),
but the errors column says so.
"""
import argparse
import csv
import statistics
from collections import defaultdict


def fmt(v, unit=""):
    if v is None:
        return "-"
    if v >= 1e4:
        return f"{v / 1e3:.1f}k{unit}"
    return f"{v:.0f}{unit}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tsv")
    ap.add_argument("--baseline", default="netty-jdk")
    ap.add_argument("--order", default="")
    a = ap.parse_args()
    rows = defaultdict(list)  # (server, workload kind) -> rows
    with open(a.tsv) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["round"] == "0":
                continue
            kind = "hs" if r["workload"] == "handshakes" else "rr"
            rows[(r["server"], kind)].append(r)
    order = [s for s in a.order.split(",") if s] or sorted({s for s, _ in rows})

    def med(server, kind, field):
        vals = [float(r[field]) for r in rows.get((server, kind), []) if r[field] not in ("", None)]
        return statistics.median(vals) if vals else None

    def span(server, kind):
        vals = [float(r["value"]) for r in rows.get((server, kind), [])]
        return f"{fmt(min(vals))}-{fmt(max(vals))}" if vals else "-"

    def per_core(server, kind):  # work per second of server CPU, median over slices: steadier than the rate
        vals = [float(r["value"]) / (float(r["server_cpu_pct"]) / 100) for r in rows.get((server, kind), [])
                if r["server_cpu_pct"] not in ("", None) and float(r["server_cpu_pct"]) > 0]
        return statistics.median(vals) if vals else None

    def fairness(server):  # the least and the most served connection's requests against the mean, median slice
        lo, hi = med(server, "rr", "conn_min_x"), med(server, "rr", "conn_max_x")
        return f"{lo:.2f}/{hi:.2f}" if lo is not None and hi is not None else "-"

    def errors(server):
        return sum(int(r["errors"] or 0) for k in ("hs", "rr") for r in rows.get((server, k), []))

    base_hs, base_rr = med(a.baseline, "hs", "value"), med(a.baseline, "rr", "value")
    rr_name = next((r["workload"] for k, v in rows.items() if k[1] == "rr" for r in v), "rr")
    header = ["server", "handshakes/s", f"x {a.baseline}", "slices", "cpu%", "per cpu-s",
              f"{rr_name} req/s", f"x {a.baseline}", "slices", "p50 ms", "p99 ms", "cpu%", "per cpu-s", "client cpu%",
              "conn min/max", "errors"]
    out = []
    for s in order:
        hs, rr = med(s, "hs", "value"), med(s, "rr", "value")
        p50, p99 = med(s, "rr", "p50_us"), med(s, "rr", "p99_us")
        out.append([s, fmt(hs), f"{hs / base_hs:.2f}x" if hs and base_hs else "-", span(s, "hs"),
                    fmt(med(s, "hs", "server_cpu_pct")), fmt(per_core(s, "hs")),
                    fmt(rr), f"{rr / base_rr:.2f}x" if rr and base_rr else "-", span(s, "rr"),
                    f"{p50 / 1000:.2f}" if p50 is not None else "-", f"{p99 / 1000:.1f}" if p99 is not None else "-",
                    fmt(med(s, "rr", "server_cpu_pct")), fmt(per_core(s, "rr")), fmt(med(s, "rr", "client_cpu_pct")),
                    fairness(s),
                    str(errors(s))])
    w = [max(len(r[i]) for r in [header] + out) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w[i]) if i == 0 else c.rjust(w[i]) for i, c in enumerate(r))
    n = max((len(v) for v in rows.values()), default=0)
    print(f"TLS, median of {n} slices per server (slices: min-max; cpu%: the server process's CPU over the "
          f"measured window, 100 = one core of 2;\nper cpu-s: handshakes or requests per second of server CPU; "
          f"conn min/max: requests of the least and the most served connection, as a multiple of the mean)")
    print(line(header))
    print("-" * len(line(header)))
    for r in out:
        print(line(r))


if __name__ == "__main__":
    main()
