#!/usr/bin/python3
"""Plots of a sweep folder: every result in the latency / effective GOPS/W plane, one panel per
workload, the Pareto front highlighted. Writes DIR/sweep.png. `sparrow sweep` runs it at the end.

Usage: /usr/bin/python3 scripts/plot_sweep.py DIR   (needs Debian's python3-matplotlib)
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def main():
    out = sys.argv[1]
    rows = [r for r in load(os.path.join(out, "results.csv")) if r["status"] in ("ok", "infeasible")]
    front = {r["key"] for r in load(os.path.join(out, "pareto.csv"))}
    workloads = sorted({r["workload"] for r in rows})
    if not workloads:
        print("no results to plot")
        return 1
    fig, axes = plt.subplots(1, len(workloads), figsize=(5.5 * len(workloads), 4.2), squeeze=False)
    for ax, w in zip(axes[0], workloads):
        pts = [r for r in rows if r["workload"] == w]
        for status, color in (("infeasible", "#cccccc"), ("ok", "#4c72b0")):
            sel = [r for r in pts if r["status"] == status and r["key"] not in front]
            ax.scatter([float(r["latency_us"]) for r in sel],
                       [float(r["effective_gops_per_watt"]) for r in sel], s=8, c=color,
                       label=status)
        sel = sorted((r for r in pts if r["key"] in front), key=lambda r: float(r["latency_us"]))
        ax.scatter([float(r["latency_us"]) for r in sel],
                   [float(r["effective_gops_per_watt"]) for r in sel], s=28, c="#dd5500",
                   label="Pareto front")
        ax.set_xscale("log")
        ax.set_xlabel("latency per inference (us)")
        ax.set_ylabel("effective GOPS/W")
        ax.set_title(os.path.splitext(os.path.basename(w))[0])
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "sweep.png"), dpi=100)
    return 0


if __name__ == "__main__":
    sys.exit(main())
