#!/usr/bin/python3
"""Regenerates docs/accuracy.md and docs/accuracy.png: for each task, the sweep with accuracy
(configs/sweeps/TASK-accuracy.yaml, one-shot), its second stage (scripts/finetune_front.py on every
measured point, so that fine-tuned figures exist for both patterns), the front one-shot and
fine-tuned side by side, and dual- against single-ratio at equal accuracy and at equal kept
weights.

Runs, per task, with the wall time of each recorded in the doc:
  build/sparrow sweep configs/sweeps/TASK-accuracy.yaml --out OUT/TASK
  /usr/bin/python3 scripts/finetune_front.py OUT/TASK --points all --cache OUT/finetune-cache
(the sweep's folder is removed first, so that it runs every point; the fine-tuned models stay
cached in OUT/finetune-cache). The doc's hand-written part, from the line HAND_WRITTEN on, is kept
as it is.

Needs Debian's python3-torch and python3-matplotlib: run with /usr/bin/python3 from the
repository's root. Usage: scripts/accuracy_doc.py [--tasks sentiment,charlm,wordlm]
[--out out/accuracy]
"""
import argparse
import csv
import datetime
import os
import re
import shutil
import subprocess
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
HAND_WRITTEN = "## Per-matrix sensitivity (`sparrow sensitivity`)"
# Accuracy floors against the app's float model: sentiment points lost (one sentence is 0.17),
# the char LM's bits per character gained, the word LM's perplexity gained (its sweep's
# constraint is +2).
FLOORS = {"sentiment": [-0.5, -1.0, -2.0, -3.0], "charlm": [0.25, 0.5, 0.75, 1.0],
          "wordlm": [0.25, 0.5, 1.0, 2.0]}
# Per task: finetune_front.py's metric column suffix, the decimals, how the float model's figure
# reads, the plot's axis.
METRIC = {"sentiment": "accuracy", "charlm": "bits_per_char", "wordlm": "perplexity"}
DIGITS = {"sentiment": 2, "charlm": 4, "wordlm": 3}
REFERENCE = {"sentiment": "{}%", "charlm": "{} bits per character", "wordlm": "perplexity {}"}
AXIS = {"sentiment": "accuracy (%)", "charlm": "bits per character (lower is better)",
        "wordlm": "perplexity (lower is better)"}
# A task's own note at the head of its section.
NOTES = {"wordlm": (
    "The sweep's model is the shipped word LM (`configs/apps/wordlm`), trained and pruned to "
    "dual-ratio 0.875 / 0.75 on both layers, not a dense one: no dense word LM app ships (its "
    "`model.npz` would be about 1.7 MB, too big for the repository). Its points are that model "
    "pruned further one shot, and fine-tuning starts from it too, so a point's masks keep only "
    "weights its training kept and the trained pruning itself (0.875 / 0.75) is fine-tuned "
    "further. Perplexity is over the 8,576 held-out words (268 windows of 32 tokens).")}


def run(cmd, log):
    t0 = time.time()
    with open(log, "w") as f:
        r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        sys.exit(f"accuracy_doc.py: error: {' '.join(cmd)}: exit status {r.returncode} (see {log})")
    return time.time() - t0


def load(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


class Task:
    def __init__(self, name, out, rows, reference, times):
        self.name, self.out, self.rows, self.times = name, out, rows, times
        self.higher = name == "sentiment"  # accuracy; the language models' figures are lower-better
        self.m = METRIC[name]
        self.digits = DIGITS[name]
        self.reference = reference

    def better(self, a, b):
        """a at least as good as b in the task metric."""
        return a >= b if self.higher else a <= b

    def fmt(self, v):
        return f"{v:.{self.digits}f}"

    def val(self, r, stage):
        return float(r[f"{stage}_{self.m}"])


def comp(r):
    if r["pattern"] == "dual_ratio":
        return f"dual {float(r['sx']):g} / {float(r['sh']):g}"
    return f"single {float(r['sx']):g}"


def fmt_bits(r):
    return f"{r['wx'].split('.')[0][1:]} / {r['wh'].split('.')[0][1:]}"


def front(t, stage):
    """Points no other beats in the stage's metric and effective GOPS/W."""
    out = []
    for r in t.rows:
        v, g = t.val(r, stage), float(r["effective_gops_per_watt"])
        if not any(t.better(t.val(o, stage), v) and float(o["effective_gops_per_watt"]) >= g and
                   (t.val(o, stage) != v or float(o["effective_gops_per_watt"]) > g)
                   for o in t.rows):
            out.append(r)
    return sorted(out, key=lambda r: float(r["effective_gops_per_watt"]))


def point_line(t, r):
    return (f"| {comp(r)} | {fmt_bits(r)} | {r['kept_weights']} | "
            f"{float(r['effective_gops_per_watt']):.1f} | {t.fmt(t.val(r, 'one_shot'))} | "
            f"{t.fmt(t.val(r, 'fine_tuned'))} | {t.val(r, 'fine_tuned') - t.val(r, 'one_shot'):+.{t.digits}f} |")


HEAD = ("| compression | W_x / W_h bits | kept | effective GOPS/W | one-shot | fine-tuned | change |\n"
        "|---|---|---|---|---|---|---|")


def best(t, stage, pattern, ok):
    sel = [r for r in t.rows if r["pattern"] == pattern and ok(t.val(r, stage))]
    if not sel:
        return None, None
    g = max(sel, key=lambda r: float(r["effective_gops_per_watt"]))
    k = min(sel, key=lambda r: (int(r["kept_weights"]), -float(r["effective_gops_per_watt"])))
    return g, k


def equal_accuracy(t):
    lines = []
    for stage, label in (("one_shot", "one-shot"), ("fine_tuned", "fine-tuned")):
        lines += [f"{label.capitalize()}:", "",
                  "| floor | single-ratio: best effective GOPS/W | dual-ratio: best effective "
                  "GOPS/W | dual / single | fewest kept, single | fewest kept, dual |",
                  "|---|---|---|---|---|---|"]
        for d in FLOORS[t.name]:
            floor = t.reference + d

            def ok(v):
                return v >= floor - 1e-9 if t.higher else v <= floor + 1e-9
            sg, sk = best(t, stage, "single_ratio", ok)
            dg, dk = best(t, stage, "dual_ratio", ok)

            def cell(r, what):
                if r is None:
                    return "none"
                lead = (f"{float(r['effective_gops_per_watt']):.1f}" if what == "g"
                        else f"{r['kept_weights']}")
                return f"{lead} ({comp(r)}, {fmt_bits(r)} bits, {t.fmt(t.val(r, stage))})"
            ratio = (f"{float(dg['effective_gops_per_watt']) / float(sg['effective_gops_per_watt']):.2f}"
                     if sg and dg else "")
            bound = (f"{'>=' if t.higher else '<='} {t.fmt(floor)} ({d:+g})")
            lines.append(f"| {bound} | {cell(sg, 'g')} | {cell(dg, 'g')} | {ratio} | "
                         f"{cell(sk, 'k')} | {cell(dk, 'k')} |")
        lines.append("")
    return lines


def equal_kept(t):
    lines = ["| kept | formats W_x / W_h | single-ratio | dual-ratio | effective GOPS/W single, "
             "dual | one-shot single, dual | fine-tuned single, dual |", "|---|---|---|---|---|---|---|"]
    groups = {}
    for r in t.rows:
        groups.setdefault((int(r["kept_weights"]), r["wx"], r["wh"]), []).append(r)
    for (kept, wx, wh), rs in sorted(groups.items(), key=lambda kv: (-kv[0][0], kv[0][1], kv[0][2])):
        singles = [r for r in rs if r["pattern"] == "single_ratio"]
        for s in singles:
            for d in (r for r in rs if r["pattern"] == "dual_ratio"):
                lines.append(
                    f"| {kept} | {fmt_bits(s)} | {comp(s)} | {comp(d)} | "
                    f"{float(s['effective_gops_per_watt']):.1f}, {float(d['effective_gops_per_watt']):.1f} | "
                    f"{t.fmt(t.val(s, 'one_shot'))}, {t.fmt(t.val(d, 'one_shot'))} | "
                    f"{t.fmt(t.val(s, 'fine_tuned'))}, {t.fmt(t.val(d, 'fine_tuned'))} |")
    if len(lines) > 2:
        return lines
    kept = {}
    for r in t.rows:
        kept.setdefault(comp(r), r["kept_weights"])
    return ["No single- and dual-ratio points keep equally many weights: the sweep's prunings "
            "keep " + ", ".join(f"{k} ({c})" for c, k in sorted(
                kept.items(), key=lambda ck: -int(ck[1]))) + " LSTM weights."]


def plot(tasks, path):
    fig, axes = plt.subplots(1, len(tasks), figsize=(6 * len(tasks), 4.4), squeeze=False)
    colors = {"single_ratio": "#4c72b0", "dual_ratio": "#dd5500"}
    for ax, t in zip(axes[0], tasks):
        for p, c in colors.items():
            sel = [r for r in t.rows if r["pattern"] == p]
            x = [float(r["effective_gops_per_watt"]) for r in sel]
            ax.scatter(x, [t.val(r, "one_shot") for r in sel], s=14, facecolors="none",
                       edgecolors=c, label=f"{p}, one-shot")
            ax.scatter(x, [t.val(r, "fine_tuned") for r in sel], s=14, c=c,
                       label=f"{p}, fine-tuned")
        ax.axhline(t.reference, c="#888888", lw=0.8, ls="--", label="float model")
        ax.set_xlabel("effective GOPS/W")
        ax.set_ylabel(AXIS[t.name])
        ax.set_title(f"{t.name}: one-shot and fine-tuned, every point")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def section(t, spec, steps):
    ok = sum(1 for r in load(os.path.join(t.out, "results.csv")) if r["status"] == "ok")
    n = len(t.rows)
    with open(os.path.join(t.out, "sweep.md")) as f:
        objectives = re.search(r"over ([^:]+):", f.read()).group(1)
    on_front = [r for r in t.rows if r["on_front"] == "yes"]
    models = {r["model"]: r for r in t.rows}
    secs = sorted(float(r["finetune_seconds"]) for r in models.values())
    trained = len({r["model"] for r in t.rows if r["cached"] == "no"})
    ref = REFERENCE[t.name].format(t.fmt(t.reference))
    lines = [f"## {t.name}", ""] + ([NOTES[t.name], ""] if t.name in NOTES else []) + [
        f"`{spec}`: {n} points, {ok} ok and {n - ok} infeasible; objectives {objectives}. "
        f"The app's model in float: {ref}. Sweep {t.times['sweep']:.1f} s wall; fine-tuning and "
        f"scoring every point {t.times['finetune']:.1f} s wall, {trained} of its {len(secs)} models "
        f"trained in this run, the others and their scores read from the cache of an earlier run "
        f"(each model {steps} steps, {min(secs):.1f} to {max(secs):.1f} s of training as recorded in "
        f"the cache when it was trained).", "",
        "### The one-shot front, fine-tuned", "",
        "The sweep's front (`pareto.csv`) with each point's fine-tuned figure (same masks, formats "
        "and hardware figures):", "", HEAD] + [point_line(t, r) for r in on_front] + [
        "", "### The front after fine-tuning", "",
        "Points no other point beats in fine-tuned metric and effective GOPS/W (over every point, "
        "the constraint not applied):", "", HEAD] + [point_line(t, r) for r in front(t, "fine_tuned")] + [
        "", "### Dual- against single-ratio at equal accuracy", "",
        "For each accuracy floor (against the float model), the best effective GOPS/W and the "
        "fewest kept LSTM weights any single-ratio and any dual-ratio point of the sweep reaches "
        "while meeting it (in parentheses: the point and its metric):", ""] + equal_accuracy(t) + [
        "### Dual- against single-ratio at equal kept weights", ""] + equal_kept(t) + [""]
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tasks", default="sentiment,charlm,wordlm")
    ap.add_argument("--out", default="out/accuracy")
    ap.add_argument("--sparrow", default="build/sparrow")
    ap.add_argument("--docs", default="docs")
    args = ap.parse_args()
    doc = os.path.join(args.docs, "accuracy.md")
    with open(doc) as f:
        old = f.read()
    if HAND_WRITTEN not in old:
        sys.exit(f"accuracy_doc.py: error: {doc}: no line '{HAND_WRITTEN}' (the hand-written part)")
    tail = old[old.index(HAND_WRITTEN):]
    os.makedirs(args.out, exist_ok=True)
    cache = os.path.join(args.out, "finetune-cache")
    tasks, commands = [], []
    for name in args.tasks.split(","):
        spec = f"configs/sweeps/{name}-accuracy.yaml"
        out = os.path.join(args.out, name)
        shutil.rmtree(out, ignore_errors=True)
        sweep_cmd = [args.sparrow, "sweep", spec, "--out", out]
        ft_cmd = ["/usr/bin/python3", "scripts/finetune_front.py", out, "--points", "all",
                  "--cache", cache, "--sparrow", args.sparrow]
        times = {"sweep": run(sweep_cmd, out + ".sweep.log"),
                 "finetune": run(ft_cmd, out + ".finetune.log")}
        commands += [" ".join(sweep_cmd), " ".join(ft_cmd)]
        # The float model's metric, exactly: a point's metric minus its task_delta_vs_float.
        r0 = next(r for r in load(os.path.join(out, "results.csv")) if r["task_delta_vs_float"])
        metric = "task_" + METRIC[name]
        reference = float(r0[metric]) - float(r0["task_delta_vs_float"])
        rows = load(os.path.join(out, "finetune.csv"))
        with open(os.path.join(out, "finetune.md")) as f:
            steps = re.search(r"fine-tuned (\d+) steps", f.read()).group(1)
        tasks.append((Task(name, out, rows, reference, times), spec, steps))
    plot([t for t, _, _ in tasks], os.path.join(args.docs, "accuracy.png"))
    today = datetime.date.today().isoformat()
    lines = [
        "# Accuracy in the loop", "",
        "Task accuracy beside the hardware figures on the real data of the host applications "
        "(`docs/apps.md`): the sentiment classifier (600 held-out sentences of the UCI Sentiment "
        "Labelled Sentences; accuracy, higher is better), the character-level language model "
        "(32 KB of held-out tinyshakespeare, 255 windows of 128 characters; bits per character, "
        "lower is better) and the 2-layer word-level language model (8,576 held-out words of "
        "tinyshakespeare, 268 windows of 32 tokens; perplexity, lower is better). Each task is a "
        "sweep with a `task` (`docs/sweeps.md`, \"A task\") over single- and dual-ratio prunings "
        "and weight widths of the task's model: the dense ones (`configs/apps/sentiment-dense`, "
        "`configs/apps/charlm-dense`) and, as no dense word LM ships, the word LM trained and "
        "pruned to dual-ratio 0.875 / 0.75 (`configs/apps/wordlm`), pruned further; in two "
        "stages:", "",
        "1. **one-shot** (`sparrow sweep`): the task's model pruned by sparrow's compressor to the "
        "point's pattern and sparsities and quantized to its formats, no retraining;",
        "2. **fine-tuned** (`scripts/finetune_front.py`): the same masks, the model re-trained "
        "with them from the task's model (`scripts/train_app.py`'s masked fine-tuning, seed 1, a "
        "fixed number of steps, in float), cached by key.", "",
        "Both figures are the bit-exact golden fixed-point model's on every held-out example "
        "(`sparrow app --engine golden` at the point's settings, which the sweep equals, "
        "`cli.sweep.task`), so they compare directly; the masks, and so every hardware figure "
        "(effective GOPS/W: the timing contract and the `asic-45nm-horowitz` energy table at brds's "
        "16 PEs x 8 lanes per array, 200 MHz), are the same for both. Fine-tuning runs on every "
        "measured point, not only the front, so that dual- and single-ratio can be compared at "
        "equal accuracy after fine-tuning too.", "",
        "With 600 test sentences one sentence is 0.17 points and the binomial standard error of an "
        "accuracy near 80% is about 1.6 points: sentiment differences below about 3 points are "
        "within the noise of one seed. Bits per character average 32,640 predictions and "
        "perplexity 8,576; they move less.", "",
        f"Generated {today} by `/usr/bin/python3 scripts/accuracy_doc.py` from the repository's "
        "root, which runs (times are wall seconds on this shared 2-core machine, in each task's "
        "section):", "", *["    " + c for c in commands], "",
        "and writes this file up to the hand-written sections at its end, which it keeps, and "
        "`docs/accuracy.png`. (Before issue 25 this file came from `scripts/accuracy_sweep.py`, "
        "which trained every point with gradual pruning outside `sparrow sweep`; the two stages "
        "above replace it.)", "",
        "![one-shot and fine-tuned task metric against effective GOPS/W](accuracy.png)", ""]
    for t, spec, steps in tasks:
        lines += section(t, spec, steps)
    with open(doc, "w") as f:
        f.write("\n".join(lines) + "\n" + tail)
    print(f"accuracy_doc.py: wrote {doc} and {os.path.join(args.docs, 'accuracy.png')}")


if __name__ == "__main__":
    main()
