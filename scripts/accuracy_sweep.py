#!/usr/bin/python3
"""Accuracy in the loop: task accuracy beside the hardware figures over (s_x, s_h, W_x bits,
W_h bits), on the real data of the host applications.

For each task and sparsity point it trains the model with scripts/train_app.py (gradual pruning
and fine-tuning from one shared dense model, reused when already there), then runs
`sparrow app --engine analytic` (the timing contract, which the SystemC model equals cycle for
cycle in the test suite) for each weight bit width, with the weight formats fitted to the model's
largest weights. The accuracy is the golden bit-exact fixed-point model's, on every held-out
example. Writes WORK/results.csv, DOCS/accuracy.md and DOCS/accuracy.png.

The sparsity points compare the patterns at equal total nonzeros: with L lanes, a W_x row of I
columns keeps k_x per segment of I/L and a W_h row k_h per segment of H/L, so a row keeps
L (k_x + k_h) weights in all; single-ratio, the dual ratios with the same k_x + k_h, and
unstructured at the same count.

Needs Debian's python3-torch and matplotlib: run with /usr/bin/python3.
Usage: /usr/bin/python3 scripts/accuracy_sweep.py [--tasks sentiment,charlm] [--work out/accuracy]
       [--sparrow build/model/sparrow] [--docs docs] [--data ../shared/data]
"""
import argparse
import csv
import datetime
import json
import os
import subprocess
import re
import sys

import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from train_app import fitted_format  # noqa: E402

# (name, pattern, sx, sh); with I = 64, H = 128 and 8 lanes: segments of 8 (W_x) and 16 (W_h).
POINTS = {
    "sentiment": [
        ("dense", "dense", 0.0, 0.0),
        ("single-0.5", "single_ratio", 0.5, 0.5),
        ("dual-0.75-0.375", "dual_ratio", 0.75, 0.375),
        ("dual-0.25-0.625", "dual_ratio", 0.25, 0.625),
        ("unstructured-0.5", "unstructured", 0.5, 0.5),
        ("single-0.75", "single_ratio", 0.75, 0.75),
        ("dual-0.875-0.6875", "dual_ratio", 0.875, 0.6875),
        ("dual-0.625-0.8125", "dual_ratio", 0.625, 0.8125),
        ("dual-0.5-0.875", "dual_ratio", 0.5, 0.875),
        ("unstructured-0.75", "unstructured", 0.75, 0.75),
        ("single-0.875", "single_ratio", 0.875, 0.875),
        ("dual-0.75-0.9375", "dual_ratio", 0.75, 0.9375),
        ("unstructured-0.875", "unstructured", 0.875, 0.875),
        ("dual-0.875-0.9375", "dual_ratio", 0.875, 0.9375),
        ("unstructured-0.9167", "unstructured", 11 / 12, 11 / 12),
    ],
    "charlm": [
        ("single-0.75", "single_ratio", 0.75, 0.75),
        ("dual-0.875-0.6875", "dual_ratio", 0.875, 0.6875),
        ("dual-0.5-0.875", "dual_ratio", 0.5, 0.875),
        ("unstructured-0.75", "unstructured", 0.75, 0.75),
    ],
}
# W_x and W_h bits: every pair on the dense model and at the 25% total, fewer elsewhere.
ALL_BITS = [(8, 8), (6, 6), (4, 4), (8, 4), (4, 8), (3, 3), (2, 2)]
FEW_BITS = [(8, 8), (4, 4), (2, 2)]


def bits_of(task, name):
    if task == "charlm":
        return [(8, 8), (6, 6), (4, 4)]
    full = {"dense", "single-0.75", "dual-0.875-0.6875", "dual-0.625-0.8125", "dual-0.5-0.875",
            "unstructured-0.75"}
    return ALL_BITS if name in full else FEW_BITS


def train(task, point, work, data):
    name, pattern, sx, sh = point
    out = os.path.join(work, task, name)
    if os.path.exists(os.path.join(out, "app.yaml")):
        return out
    cmd = ["/usr/bin/python3", os.path.join(ROOT, "scripts", "train_app.py"), task, "--out", out,
           "--pattern", pattern, "--sx", str(sx), "--sh", str(sh), "--data", data,
           "--dense", os.path.join(work, task, "dense.pt")]
    if pattern in ("single_ratio", "unstructured"):
        cmd[cmd.index("--sx"):cmd.index("--sh") + 2] = ["--sparsity", str(sx)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return out


def training_seconds(model_dir):
    """What train_app.py recorded in app.yaml's header."""
    with open(os.path.join(model_dir, "app.yaml")) as f:
        m = re.search(r"(\d+) s of training", f.read())
    return int(m.group(1)) if m else None


def run_app(sparrow, model_dir, bits, out):
    report = os.path.join(out, "report.json")
    model = np.load(os.path.join(model_dir, "model.npz"))
    wx = fitted_format(model["weight_ih_l0"], bits[0])
    wh = fitted_format(model["weight_hh_l0"], bits[1])
    cmd = [sparrow, "app", os.path.join(model_dir, "app.yaml"), "--engine", "analytic", "--quiet",
           "--set", f"arch.arith.wx={{bits: {wx['bits']}, frac: {wx['frac']}}}",
           "--set", f"arch.arith.wh={{bits: {wh['bits']}, frac: {wh['frac']}}}", "--out", out]
    if not os.path.exists(report):
        subprocess.run(cmd, check=True)
    with open(report) as f:
        return json.load(f)


def row_of(task, point, bits, r):
    name, pattern, sx, sh = point
    t, p, e, c = r["task"], r["performance"], r["energy"], r["compression"]
    row = dict(task=task, point=name, pattern=pattern, sx=sx, sh=sh, wx_bits=bits[0],
               wh_bits=bits[1], kept=c["kept_weights"], dense=c["dense_weights"],
               sparsity=round(c["sparsity"], 4), cycles=p["cycles"],
               latency_us=round(p["latency_us"], 3), energy_uj=round(e["energy_per_inference_uj"], 3),
               effective_gops_per_watt=round(e["effective_gops_per_watt"], 1),
               wx_format=r["arch"]["wx_format"], wh_format=r["arch"]["wh_format"],
               reprune_identity=r["accuracy"]["float_pruned_vs_float"]["max_abs_error"] == 0)
    if task == "sentiment":
        row["float"] = t["torch_float64"]["accuracy"]
        row["fixed"] = t["fixed"]["accuracy"]
    else:
        row["float"] = round(t["torch_float64"]["bits_per_char"], 4)
        row["fixed"] = round(t["fixed"]["bits_per_char"], 4)
    return row


def pareto(rows, better_high):
    """Rows not dominated in (fixed accuracy, effective GOPS/W)."""
    def good(r):
        return r["fixed"] if better_high else -r["fixed"]
    front = []
    for r in rows:
        if not any(good(o) >= good(r) and o["effective_gops_per_watt"] >= r["effective_gops_per_watt"]
                   and (good(o) > good(r) or o["effective_gops_per_watt"] > r["effective_gops_per_watt"])
                   for o in rows):
            front.append(r)
    return sorted(front, key=lambda r: r["effective_gops_per_watt"])


def plot(rows, path):
    tasks = [t for t in POINTS if any(r["task"] == t for r in rows)]
    fig, axes = plt.subplots(len(tasks), 2, figsize=(12, 4.5 * len(tasks)), squeeze=False)
    colors = {"dense": "black", "single_ratio": "tab:blue", "dual_ratio": "tab:red",
              "unstructured": "tab:green"}
    for ax_row, task in zip(axes, tasks):
        rs = [r for r in rows if r["task"] == task]
        label = "accuracy" if task == "sentiment" else "bits per character (lower: better)"
        a = ax_row[0]
        for pat, col in colors.items():
            pts = [r for r in rs if r["pattern"] == pat and r["wx_bits"] == 8 and r["wh_bits"] == 8]
            if pts:
                a.scatter([r["sparsity"] for r in pts], [r["fixed"] for r in pts], c=col,
                          label=pat.replace("_", "-"))
                for r in pts:
                    a.annotate(f"{r['sx']:g}/{r['sh']:g}", (r["sparsity"], r["fixed"]), fontsize=7)
        a.set_xlabel("overall weight sparsity")
        a.set_ylabel(label)
        a.set_title(f"{task}: fixed point, 8-bit weights, vs sparsity", fontsize=10)
        a.legend(fontsize=8)
        a = ax_row[1]
        for pat, col in colors.items():
            pts = [r for r in rs if r["pattern"] == pat]
            if pts:
                a.scatter([r["effective_gops_per_watt"] for r in pts], [r["fixed"] for r in pts],
                          c=col, s=14, alpha=0.7, label=pat.replace("_", "-"))
        front = pareto(rs, task == "sentiment")
        a.plot([r["effective_gops_per_watt"] for r in front], [r["fixed"] for r in front], "k--",
               lw=1, label="front")
        a.set_xscale("log")
        a.set_xlabel("effective GOPS/W (asic-45nm-horowitz)")
        a.set_ylabel(label)
        a.set_title(f"{task}: front over sparsity and W_x/W_h bits", fontsize=10)
        a.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def fmt_metric(task, v):
    return f"{v:.4f}" if task == "charlm" else f"{100 * v:.1f}%"


def write_md(rows, times, path, command):
    lines = [
        "# Accuracy in the loop",
        "",
        "Task accuracy beside the hardware figures on the real data of the host applications",
        "(`docs/apps.md`): the sentiment classifier (600 held-out sentences of the UCI Sentiment",
        "Labelled Sentences; accuracy) and the character-level language model (32 KB of held-out",
        "tinyshakespeare; bits per character, lower is better). Every model point was trained by",
        "`scripts/train_app.py` from one shared dense model: gradual pruning to the pattern sparrow",
        "keeps, then fine-tuning with the mask (one seed). Accuracy is the golden bit-exact",
        "fixed-point model's (`fixed`) on every held-out example, with weight formats fitted to each",
        "model's largest weights (`Q<b>.<frac>`), activations Q8.6, LUT sigmoid/tanh; `float` is",
        "PyTorch's float64 figure of the same exported model. The hardware figures per inference",
        "(16 PEs x 8 lanes per array, 200 MHz, `asic-45nm-horowitz` energy) come from",
        "`sparrow app --engine analytic`, the timing contract the SystemC model equals cycle for",
        "cycle (`test_systemc`).",
        "",
        f"Generated {datetime.date.today()} by `{command}`",
        "(raw rows: `out/accuracy/results.csv`).",
        "",
        "sparrow's compressor, given each exported model and its pattern, kept exactly the exported",
        "weights at " + ("every point" if all(r["reprune_identity"] for r in rows)
                         else "NOT every point (see results.csv)") + " (re-pruning is the identity).",
        "",
        "With 600 test sentences one sentence is 0.17 points and the binomial standard error of an",
        "accuracy near 80% is about 1.6 points: sentiment differences below about 3 points are",
        "within the noise of one seed. Bits per character average 32,640 predictions and move less.",
        "",
    ]
    for task in POINTS:
        rs = [r for r in rows if r["task"] == task]
        if not rs:
            continue
        what = "accuracy" if task == "sentiment" else "bits/char"
        lines += [f"## {task}: patterns at equal total nonzeros (8-bit weights)", "",
                  "A row of W_x (64 columns) and W_h (128 columns) keeps the same number of weights",
                  "within each group; `kept` counts the LSTM's weights.", "",
                  f"| point | pattern | s_x | s_h | kept | float {what} | fixed {what} | cycles | "
                  "latency us | uJ/inference | effective GOPS/W |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in sorted((r for r in rs if (r["wx_bits"], r["wh_bits"]) == (8, 8)),
                        key=lambda r: (-r["kept"], r["pattern"], r["sx"])):
            lines.append(f"| {r['point']} | {r['pattern']} | {r['sx']:g} | {r['sh']:g} | "
                         f"{r['kept']} | {fmt_metric(task, r['float'])} | "
                         f"{fmt_metric(task, r['fixed'])} | {r['cycles']} | {r['latency_us']} | "
                         f"{r['energy_uj']} | {r['effective_gops_per_watt']} |")
        lines += ["", f"### {task}: dual-ratio against single-ratio at equal total nonzeros", ""]
        eight = [r for r in rs if (r["wx_bits"], r["wh_bits"]) == (8, 8)]
        for kept in sorted({r["kept"] for r in eight}, reverse=True):
            group = [r for r in eight if r["kept"] == kept]
            single = [r for r in group if r["pattern"] == "single_ratio"]
            duals = [r for r in group if r["pattern"] == "dual_ratio"]
            if not single or not duals:
                continue
            s1 = single[0]
            for d in sorted(duals, key=lambda r: r["cycles"]):
                lines.append(
                    f"- {kept} weights kept: dual s_x {d['sx']:g} / s_h {d['sh']:g} takes "
                    f"{d['cycles']} cycles against single-ratio {s1['sx']:g}'s {s1['cycles']} "
                    f"({100 * (d['cycles'] / s1['cycles'] - 1):+.1f}%), "
                    f"{d['effective_gops_per_watt']} against {s1['effective_gops_per_watt']} "
                    f"effective GOPS/W, fixed {what} {fmt_metric(task, d['fixed'])} against "
                    f"{fmt_metric(task, s1['fixed'])}.")
        lines += ["", f"## {task}: weight bit widths", "",
                  f"Fixed-point {what} per (W_x bits, W_h bits) and point; the float column is the",
                  "model before quantization.", ""]
        widths = sorted({(r["wx_bits"], r["wh_bits"]) for r in rs}, key=lambda b: (-b[0] - b[1], -b[0]))
        lines.append("| point | float | " + " | ".join(f"W{b[0]}/{b[1]}" for b in widths) + " |")
        lines.append("|---|---|" + "---|" * len(widths))
        for name in [p[0] for p in POINTS[task]]:
            pr = {(r["wx_bits"], r["wh_bits"]): r for r in rs if r["point"] == name}
            if not pr:
                continue
            first = next(iter(pr.values()))
            lines.append(f"| {name} | {fmt_metric(task, first['float'])} | " + " | ".join(
                fmt_metric(task, pr[b]["fixed"]) if b in pr else "" for b in widths) + " |")
        front = pareto(rs, task == "sentiment")
        lines += ["", f"## {task}: the accuracy-efficiency front", "",
                  "Points no other point beats in both fixed-point accuracy and effective GOPS/W:", "",
                  f"| point | W_x/W_h bits | fixed {what} | effective GOPS/W | uJ/inference |",
                  "|---|---|---|---|---|"]
        for r in front:
            lines.append(f"| {r['point']} | {r['wx_bits']}/{r['wh_bits']} | "
                         f"{fmt_metric(task, r['fixed'])} | {r['effective_gops_per_watt']} | "
                         f"{r['energy_uj']} |")
        lines.append("")
    lines += ["![accuracy vs sparsity and the accuracy-efficiency front](accuracy.png)", "",
              "Training time per model point (prune and fine-tune from the shared dense model; "
              "seconds on this shared 2-core machine, as train_app.py recorded them): " +
              ", ".join(f"{k} {v}" for k, v in times.items()) + ".", ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sparrow", default=os.path.join(ROOT, "build/model/sparrow"))
    ap.add_argument("--tasks", default="sentiment,charlm")
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "accuracy"))
    ap.add_argument("--docs", default=os.path.join(ROOT, "docs"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    args = ap.parse_args()
    rows, times = [], {}
    for task in args.tasks.split(","):
        for point in POINTS[task]:
            model_dir = train(task, point, args.work, args.data)
            times[f"{task}/{point[0]}"] = training_seconds(model_dir)
            for bits in bits_of(task, point[0]):
                out = os.path.join(model_dir, f"w{bits[0]}-{bits[1]}")
                rows.append(row_of(task, point, bits, run_app(args.sparrow, model_dir, bits, out)))
            print(f"{task} {point[0]}: done", flush=True)
    os.makedirs(args.work, exist_ok=True)
    with open(os.path.join(args.work, "results.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    os.makedirs(args.docs, exist_ok=True)
    plot(rows, os.path.join(args.docs, "accuracy.png"))
    command = "/usr/bin/python3 scripts/accuracy_sweep.py --tasks " + args.tasks
    write_md(rows, times, os.path.join(args.docs, "accuracy.md"), command)
    print(f"wrote {args.docs}/accuracy.md, {args.docs}/accuracy.png, {args.work}/results.csv")


if __name__ == "__main__":
    main()
