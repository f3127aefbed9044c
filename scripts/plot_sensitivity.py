#!/usr/bin/python3
"""Plot of a per-matrix sensitivity (`sparrow sensitivity`, docs/accuracy.md): the task metric
against each matrix's sparsity (the other dense) and against each matrix's weight width (dense,
the other at the arch's width), with the float and dense fixed-point references and the combined
points of the suggestion. `sparrow sensitivity --out DIR` runs it and commits the PNG with the
other outputs.

Usage: /usr/bin/python3 scripts/plot_sensitivity.py SENSITIVITY.csv OUT.png METRIC_LABEL
(needs Debian's python3-matplotlib)
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    with open(sys.argv[1]) as f:
        rows = list(csv.DictReader(f))
    ref = {r["knob"]: float(r["metric"]) for r in rows if r["matrix"] == "reference"}
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, knob, label in ((axes[0], "sparsity", "sparsity of the matrix"),
                            (axes[1], "bits", "weight width of the matrix (bits)")):
        for matrix, color in (("W_x", "#4c72b0"), ("W_h", "#dd8452")):
            pts = [r for r in rows if r["matrix"] == matrix and r["knob"] == knob]
            ax.plot([float(r["value"]) for r in pts], [float(r["metric"]) for r in pts], "o-",
                    c=color, label=matrix + " alone")
        ax.axhline(ref["float"], c="#55a868", ls="--", lw=1, label="float, unpruned")
        ax.axhline(ref["fixed"], c="#888888", ls=":", lw=1, label="dense fixed point")
        ax.set_xlabel(label)
        ax.grid(alpha=0.3)
    both = [r for r in rows if r["matrix"] == "W_x+W_h"]
    if both:
        xs = [max(float(v) for v in r["value"].split("/")) for r in both]
        axes[0].scatter(xs, [float(r["metric"]) for r in both], marker="x", c="k", zorder=3,
                        label="combined s_x/s_h (at the larger)")
    axes[0].set_ylabel(sys.argv[3])
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
