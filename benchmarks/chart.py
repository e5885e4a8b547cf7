#!/usr/bin/env python3
"""Draws a run-compare.sh results.tsv as one chart: per workload, every server's figure as a ratio to the best peer
of that workload, with the run's A/A spread as a band around 1.0x. Writes chart.png and chart.svg into --out.

usage: chart.py results.tsv --out DIR --peers a,b --order a,b,c [--workloads w1,w2] [--aa x:x-AA,...] [--title T]

Same conventions as summary.py (and the harness's report.py): a slice counts only if its status is ok; the bar is
the best slice (idle10k: the median, memory per connection, ratio to the smallest peer, lower is better); the dot is
the median slice on the same scale (divided by the same reference, to show how much a bar owes to one good slice;
summary.py's median table divides by the peer's median instead). Ratios are to the best *peer*, never to a candidate;
without peers (compare.sh PEERS=""), to the first server of --order. The A/A band: an A/A pair is two identical
servers (run.sh's AA=java-vt adds java-vt-AA); how far one lands from the other, |AA/A - 1|, is what this run's noise
alone can do, so a bar that ends inside the band around 1.0x cannot be told from the best peer. With several pairs
the band is the widest of them.
"""
import argparse
import csv
import math
import os
import statistics
import textwrap
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")  # no display on the benchmark host
import matplotlib.pyplot as plt  # noqa: E402

from summary import PRIMARY, short  # noqa: E402  (same directory: one list of workloads and units)

IDLE = "idle10k"
COLORS = {"peer": "#9e9e9e", "best": "#424242", "aa": "#d9d9d9",
          "ps": "#1f77b4", "plain": "#ff7f0e", "other": "#2ca02c"}


class Results:
    """results.tsv read once: figures per (server, workload, key) over the slices whose status is ok."""

    def __init__(self, path):
        self.raw = defaultdict(list)
        self.status = {}
        self.servers, self.workloads = [], []
        with open(path, newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                s, w, k, r, v = row["server"], row["workload"], row["key"], row["round"], row["value"]
                if s not in self.servers:
                    self.servers.append(s)
                if w not in self.workloads:
                    self.workloads.append(w)
                self.raw[(s, w, k)].append((r, v))
                if k == "status":
                    self.status[(s, w, r)] = v

    def state(self, s, w):
        st = [v for _, v in self.raw.get((s, w, "status"), [])]
        return "ok" if "ok" in st else (st[0] if st else None)

    def agg(self, s, w, k, how):
        # idle10k keeps a server that died after its measurement, as summary.py does
        if self.state(s, w) not in (("ok", "server-died") if w == IDLE else ("ok",)):
            return None
        vals = []
        for r, v in self.raw.get((s, w, k), []):
            if r != "0" and self.status.get((s, w, r)) != "ok":
                continue
            try:
                vals.append(float(v))
            except ValueError:
                pass
        if not vals:
            return None
        return {"max": max, "min": min, "median": statistics.median}[how](vals)


def metric(w):
    """(key, how the bar aggregates, higher is better, unit)"""
    if w == IDLE:
        return "kib_per_conn", "median", False, "KiB/conn"
    return PRIMARY[w][0], "max", True, PRIMARY[w][1]


def reference(res, w, peers, fallback):
    key, how, higher, _ = metric(w)
    pv = [(res.agg(p, w, key, how), p) for p in peers]
    pv = [(v, p) for v, p in pv if v]
    if pv:
        return max(pv) if higher else min(pv)
    v = res.agg(fallback, w, key, how) if fallback else None
    return (v, fallback) if v else (None, None)


def aa_spread(res, w, pairs):
    """the widest |B/A - 1| of the A/A pairs on this workload (best slice, as the bars), or None"""
    key, how, _, _ = metric(w)
    d = []
    for a, b in pairs:
        va, vb = res.agg(a, w, key, how), res.agg(b, w, key, how)
        if va and vb:
            d.append(abs(vb / va - 1))
    return max(d) if d else None


def category(s, peers, aa_names, best):
    """which colour (and legend entry) a bar gets"""
    if s == best:
        return "best"
    if s in peers:
        return "peer"
    if s in aa_names:
        return "aa"
    if s.startswith("ps-"):
        return "ps"
    if s.startswith("plain-"):
        return "plain"
    return "other"


def panel(ax, res, w, servers, peers, pairs, fallback, used):
    """one workload: a bar per server; adds the categories it drew to used (for the legend)"""
    key, how, higher, unit = metric(w)
    ref, ref_name = reference(res, w, peers, fallback)
    d = aa_spread(res, w, pairs)
    aa_names = {b for _, b in pairs}
    ys = range(len(servers))
    top = 1.2
    if d is not None:
        ax.axvspan(max(0.0, 1 - d), 1 + d, color="#fde0a0", alpha=0.6, lw=0, zorder=0)
        top = max(top, 1 + d + 0.1)
    ax.axvline(1.0, color="black", lw=0.8, zorder=2.5)
    for y, s in zip(ys, servers):
        v = res.agg(s, w, key, how)
        if v is None or not ref:
            ax.text(0.02, y, res.state(s, w) or "not run", va="center", fontsize=7, color="#888888",
                    transform=ax.get_yaxis_transform())
            continue
        r = v / ref
        cat = category(s, peers, aa_names, ref_name)
        used.add(cat)
        ax.barh(y, r, color=COLORS[cat], height=0.7, zorder=2,
                hatch="//" if s in aa_names else None, edgecolor="#999999" if s in aa_names else None)
        if higher:  # the median slice as a dot: how far the bar rests on one lucky slice
            m = res.agg(s, w, key, "median")
            if m:
                ax.plot(m / ref, y, "o", ms=3.5, color="white", mec="black", mew=0.7, zorder=3)
        ax.annotate(f"{r:.2f}x  {short(v)}", (r, y), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=7, zorder=4)
        top = max(top, r * 1.12 + 0.4)  # room for the label right of the bar
    better = "higher is better" if higher else "lower is better"
    band = f", A/A ±{100 * d:.0f}%" if d is not None else ", no A/A pair"
    ax.set_title(f"{w} ({unit}, {better})\n1.00x = {ref_name or '-'} {short(ref)}{band}", fontsize=8.5)
    ax.set_xlim(0, top)
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#e0e0e0", lw=0.5, zorder=0)


LABELS = {"best": "best peer (1.00x)", "peer": "other peer", "ps": "Portside hosted (ps-MODEL)",
          "plain": "plain Java (plain-MODEL)", "other": "build (REV-MODEL)", "aa": "A/A twin"}


def legend(fig, used, has_band, reference_label, ncols):
    """below the panels, only what the chart shows; two rows when the figure is too narrow for one"""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    items = []
    for cat in ("best", "peer", "ps", "plain", "other", "aa"):
        if cat in used:
            label = reference_label if cat == "best" else LABELS[cat]
            items.append(Patch(facecolor=COLORS[cat], edgecolor="#999999", hatch="//", label=label) if cat == "aa"
                         else Patch(color=COLORS[cat], label=label))
    if has_band:
        items.append(Patch(color="#fde0a0", label="A/A spread: this run's noise"))
    items.append(Line2D([], [], marker="o", ls="", ms=4, color="white", mec="black", label="median slice"))
    per_row = len(items) if ncols >= 3 else math.ceil(len(items) / 2)
    fig.legend(handles=items, loc="lower center", ncol=per_row, fontsize=7.5, frameon=False)
    return 1 if per_row == len(items) else 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tsv")
    ap.add_argument("--out", required=True)
    ap.add_argument("--peers", default="py-threading,py-forking,netty,java-vt")
    ap.add_argument("--order", default="")
    ap.add_argument("--workloads", default="")
    ap.add_argument("--aa", default="", help="A:B,... identical pairs whose distance is the run's noise")
    ap.add_argument("--title", default="")
    ap.add_argument("--formats", default="png,svg")
    a = ap.parse_args()

    res = Results(a.tsv)
    order = [s for s in a.order.split(",") if s]
    servers = [s for s in order if s in res.servers] + [s for s in res.servers if s not in order]
    workloads = [w for w in (a.workloads.split(",") if a.workloads else res.workloads)
                 if w in res.workloads and (w in PRIMARY or w == IDLE)]
    peers = [p for p in a.peers.split(",") if p in res.servers]
    pairs = [tuple(p.split(":", 1)) for p in a.aa.split(",") if ":" in p]
    pairs = [(x, y) for x, y in pairs if x in res.servers and y in res.servers]
    if not workloads or not servers:
        print(f"chart: nothing to draw in {a.tsv}")
        return
    fallback = None if peers else servers[0]

    ncols = min(3, len(workloads))
    nrows = math.ceil(len(workloads) / ncols)
    fig, axes = plt.subplots(nrows, ncols, sharey=True, squeeze=False,
                             figsize=(max(4.3 * ncols + 1.2, 8.0), (0.24 * len(servers) + 0.9) * nrows + 1.1))
    used = set()
    for i, ax in enumerate(axes.flat):
        if i >= len(workloads):
            ax.axis("off")
            continue
        panel(ax, res, workloads[i], servers, peers, pairs, fallback, used)
    axes[0][0].set_yticks(range(len(servers)))
    axes[0][0].set_yticklabels(servers)
    for row in axes:
        row[0].tick_params(axis="y", labelsize=8)
    axes[0][0].invert_yaxis()  # the table's order, top down
    ref = "the best peer of each workload" if peers else f"{fallback} (no peers in this run)"
    title = (a.title + "\n" if a.title else "") + f"Figure per server as a ratio to {ref}; " \
        "bar = best slice, dot = median slice (same scale)"
    wrap = int(fig.get_figwidth() * 15)  # characters of 9.5 pt text per line that fit the figure
    fig.suptitle("\n".join(textwrap.fill(line, wrap) for line in title.split("\n")), fontsize=9.5)
    rows = legend(fig, used, bool(pairs), "best peer (1.00x)" if peers else "reference (1.00x)", ncols)
    fig.tight_layout(rect=(0, 0.3 * rows / fig.get_figheight(), 1, 1))
    os.makedirs(a.out, exist_ok=True)
    for fmt in a.formats.split(","):
        path = os.path.join(a.out, f"chart.{fmt}")
        fig.savefig(path, dpi=110)
        print(f"chart: {path}")


if __name__ == "__main__":
    main()
