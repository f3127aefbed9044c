#!/usr/bin/python3
"""Plots of a sweep folder: every result in the latency / effective GOPS/W plane, one panel per
workload, the Pareto front highlighted; with a task (a task_accuracy, task_bits_per_char or
task_perplexity column), a second panel per workload: the task metric against effective GOPS/W,
coloured by pruning pattern. Writes DIR/sweep.png. `sparrow sweep` runs it at the end.

Usage: /usr/bin/python3 scripts/plot_sweep.py DIR   (needs Debian's python3-matplotlib)
"""
import csv
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# A task's metric column and its axis label.
TASK_LABELS = {"task_accuracy": "accuracy (%)", "task_bits_per_char": "bits per character",
               "task_perplexity": "perplexity (word LM)"}


def load(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def pattern(row):
    """The point's pruning pattern, when the sweep varies it (arch.compression.pattern, or
    arch.compression as a whole mapping); otherwise the spec's arch's, not in the rows."""
    if row.get("arch.compression.pattern"):
        return row["arch.compression.pattern"]
    m = re.search(r"pattern:\s*([A-Za-z_]+)", row.get("arch.compression", ""))
    return m.group(1) if m else "the spec's pattern"


def title(workload):
    """A workload's name: the file's stem, or an app's folder (configs/apps/NAME/app.yaml)."""
    stem = os.path.splitext(os.path.basename(workload))[0]
    return os.path.basename(os.path.dirname(workload)) if stem == "app" else stem


def main():
    out = sys.argv[1]
    rows = [r for r in load(os.path.join(out, "results.csv")) if r["status"] in ("ok", "infeasible")]
    front = {r["key"] for r in load(os.path.join(out, "pareto.csv"))}
    workloads = sorted({r["workload"] for r in rows})
    if not workloads:
        print("no results to plot")
        return 1
    task = next((m for m in TASK_LABELS if rows and m in rows[0]), None)
    panels = 2 if task else 1
    fig, axes = plt.subplots(panels, len(workloads), figsize=(5.5 * len(workloads), 4.2 * panels),
                             squeeze=False)
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
        ax.set_title(title(w))
        ax.legend(fontsize=8)
    for ax, w in zip(axes[1] if task else [], workloads):
        pts = [r for r in rows if r["workload"] == w]
        colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
        for n, p in enumerate(sorted({pattern(r) for r in pts})):
            sel = [r for r in pts if pattern(r) == p]
            ax.scatter([float(r["effective_gops_per_watt"]) for r in sel],
                       [float(r[task]) for r in sel], s=8, c=colors[n % len(colors)], label=p)
        sel = [r for r in pts if r["key"] in front]
        ax.scatter([float(r["effective_gops_per_watt"]) for r in sel],
                   [float(r[task]) for r in sel], s=40, facecolors="none", edgecolors="#dd5500",
                   label="Pareto front")
        ax.set_xlabel("effective GOPS/W")
        ax.set_ylabel(TASK_LABELS[task])
        ax.set_title(title(w) + ": task metric by pattern")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "sweep.png"), dpi=100)
    return 0


if __name__ == "__main__":
    sys.exit(main())
