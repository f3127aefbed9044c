#!/usr/bin/python3
"""System tests of scripts/finetune_front.py, fine-tuning a sweep's front (docs/sweeps.md).

test_finetune.py SPARROW SRC TMP tiny     a two-point sentiment sweep, 5 fine-tuning steps: the
                                          table has the one-shot and fine-tuned columns, one-shot
                                          equals the sweep's, the fine-tuned model is zero where
                                          the point's mask says and PyTorch's float64 figure of it
                                          equals sparrow's float one; points differing in formats
                                          share one model; a rerun only reads the cache; other
                                          steps are another cache entry (exit 77 without torch
                                          or without ../shared/data beside the source tree)
test_finetune.py SPARROW SRC TMP wordlm   a one-point word LM sweep (dual-ratio 0.9375 / 0.875 of the
                                          trained 2-layer model), 3 steps: perplexity columns,
                                          one-shot equal to the sweep's, both layers zero where
                                          the point's masks say, PyTorch's float64 perplexity of
                                          the model equal to sparrow's float one (exit 77 without
                                          torch or the shared data)
test_finetune.py SPARROW SRC TMP notorch  with a torch that fails to import (a shadowing package
                                          on PYTHONPATH): one line, exit status 0, nothing written
test_finetune.py SPARROW SRC TMP bad      a missing folder, no pareto.csv, a sweep without a task:
                                          one error line naming the file or key, exit status 2

Run by /usr/bin/python3, as the script is (Debian's python3-torch and numpy).
"""
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

PY = "/usr/bin/python3"


def check(cond, msg):
    if not cond:
        print("FAIL:", msg)
        sys.exit(1)


def finetune(src, sparrow, out, *extra, env=None):
    return subprocess.run([PY, os.path.join(src, "scripts", "finetune_front.py"), out,
                           "--sparrow", sparrow, *extra], capture_output=True, text=True,
                          timeout=600, env=env)


def sweep(sparrow, spec, out):
    r = subprocess.run([sparrow, "sweep", spec, "--out", out], capture_output=True, text=True,
                       timeout=300)
    check(r.returncode == 0, f"sweep failed: {r.stderr}")


def task_sweep(src, tmp, sparrow):
    """Two points, dual-ratio 0.75 / 0.875, at 8- and 4-bit W_h: one pruning, two formats."""
    app = os.path.join(src, "configs", "apps", "sentiment-dense")
    spec = os.path.join(tmp, "tiny.yaml")
    with open(spec, "w") as f:
        f.write(f"name: tiny\ntask: {app}/app.yaml\narch: {app}/arch.yaml\nvary:\n"
                "  arch.compression: [{pattern: dual_ratio, sx: 0.75, sh: 0.875}]\n"
                "  arch.arith.wh: [{bits: 8, frac: 7}, {bits: 4, frac: 3}]\n")
    out = os.path.join(tmp, "sweep")
    sweep(sparrow, spec, out)
    return out


def torch_or_skip(src):
    # Fine-tuning trains on the shared data beside the repository (finetune_front.py's --data
    # default); a checkout without it cannot run these cases.
    data = os.path.join(src, "..", "shared", "data")
    if not os.path.isdir(data):
        print(f"SKIP: no shared training data at {os.path.normpath(data)}")
        sys.exit(77)
    try:
        import numpy as np
        sys.path.insert(0, os.path.join(src, "scripts"))
        from train_app import prune_masks
    except ImportError as e:
        print(f"SKIP: no torch or numpy ({e}; Debian's python3-torch)")
        sys.exit(77)
    return np, prune_masks


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def snapshot(folder):
    return {n: hashlib.sha256(open(os.path.join(folder, n), "rb").read()).hexdigest()
            for n in sorted(os.listdir(folder)) if os.path.isfile(os.path.join(folder, n))}


def one_error_line(r, fragment):
    lines = r.stderr.splitlines()
    check(r.returncode == 2, f"exit status {r.returncode}, expected 2: {r.stderr}")
    check(len(lines) == 1 and lines[0].startswith("finetune_front.py: error: ") and
          fragment in lines[0], f"expected one error line with {fragment!r}, got: {r.stderr}")


def tiny(sparrow, src, tmp):
    np, prune_masks = torch_or_skip(src)
    out = task_sweep(src, tmp, sparrow)
    before = snapshot(out)
    r = finetune(src, sparrow, out, "--points", "all", "--steps", "5")
    check(r.returncode == 0, f"finetune_front.py failed: {r.stderr}")
    rows = read_csv(os.path.join(out, "finetune.csv"))
    check(len(rows) == 2, f"expected 2 rows: {rows}")
    for col in ("one_shot_accuracy", "fine_tuned_accuracy", "fine_tuned_float_accuracy", "change",
                "model", "cached"):
        check(col in rows[0], f"finetune.csv lacks {col}: {list(rows[0])}")
    results = {x["key"]: x for x in read_csv(os.path.join(out, "results.csv"))}
    for x in rows:
        check(float(x["one_shot_accuracy"]) == float(results[x["key"]]["task_accuracy"]),
              f"one-shot figure is not the sweep's: {x}")
        check(abs(float(x["fine_tuned_accuracy"]) - float(x["one_shot_accuracy"]) -
                  float(x["change"])) < 1e-9, f"change is not fine-tuned minus one-shot: {x}")
    with open(os.path.join(out, "finetune.md")) as f:
        md = f.read()
    check("| one-shot | fine-tuned |" in md, "finetune.md lacks the side-by-side columns")
    # The two points differ in W_h's format only: one model, fine-tuned once.
    check(rows[0]["model"] == rows[1]["model"], f"formats split the model: {rows}")
    check(sorted(x["cached"] for x in rows) == ["no", "yes"], f"expected one fine-tuning: {rows}")
    cache = os.path.join(out, "finetune-cache")
    entry = os.path.join(cache, rows[0]["model"])
    with open(os.path.join(entry, "key.json")) as f:
        key = json.load(f)
    check(key["pattern"] == "dual_ratio" and key["sx"] == 0.75 and key["sh"] == 0.875 and
          key["lanes"] == 8 and key["steps"] == 5 and key["seed"] == 1,
          f"the cache key lacks the point's recipe or the settings: {key}")
    # The masks: zero where the dense model's mask for the point says, and not everywhere else.
    dense = np.load(os.path.join(src, "configs", "apps", "sentiment-dense", "model.npz"))
    tuned = np.load(os.path.join(entry, "model.npz"))
    masks = prune_masks(dense["weight_ih_l0"], dense["weight_hh_l0"], "dual_ratio", 0.75, 0.875, 8)
    for name, m in zip(("weight_ih_l0", "weight_hh_l0"), masks):
        check(np.all(tuned[name][~m] == 0), f"{name}: a pruned weight is not zero")
        check(np.all(tuned[name][m] != 0), f"{name}: a kept weight is zero")
        check(not np.array_equal(tuned[name][m], dense[name][m]), f"{name}: not trained")
    # PyTorch's float64 figure of the fine-tuned model (its app.yaml) is sparrow's float one.
    with open(os.path.join(entry, "app.yaml")) as f:
        correct = int(next(ln.split(":")[1] for ln in f if ln.strip().startswith("correct:")))
    check(abs(float(rows[0]["fine_tuned_float_accuracy"]) - 100 * correct / 600) < 1e-9,
          f"PyTorch {correct}/600 against sparrow's float {rows[0]['fine_tuned_float_accuracy']}")
    now = snapshot(out)
    check(all(now[n] == h for n, h in before.items()), "the sweep's own files changed")
    # A rerun only reads the cache; other steps are another model.
    t0 = time.time()
    r = finetune(src, sparrow, out, "--points", "all", "--steps", "5")
    took = time.time() - t0
    check(r.returncode == 0, f"the rerun failed: {r.stderr}")
    again = read_csv(os.path.join(out, "finetune.csv"))
    check(all(x["cached"] == "yes" for x in again), f"the rerun fine-tuned again: {again}")
    check([x["fine_tuned_accuracy"] for x in again] == [x["fine_tuned_accuracy"] for x in rows],
          "the rerun's figures differ")
    print(f"rerun from the cache: {took:.1f} s")
    r = finetune(src, sparrow, out, "--steps", "6")
    check(r.returncode == 0, f"--steps 6 failed: {r.stderr}")
    other = read_csv(os.path.join(out, "finetune.csv"))
    check(other and all(x["cached"] == "no" and x["model"] != rows[0]["model"] for x in other[:1]),
          f"other steps reused the model: {other}")
    entries = [n for n in os.listdir(cache) if not n.startswith(".")]
    check(len(entries) == 2, f"expected 2 cache entries: {entries}")


def wordlm(sparrow, src, tmp):
    """The 2-layer word LM: both layers' masks, perplexity, the model's layers in its app.yaml."""
    np, prune_masks = torch_or_skip(src)
    app = os.path.join(src, "configs", "apps", "wordlm")
    spec = os.path.join(tmp, "word.yaml")
    with open(spec, "w") as f:
        f.write(f"name: word\ntask: {app}/app.yaml\narch: {app}/arch.yaml\nvary:\n"
                "  arch.compression: [{pattern: dual_ratio, sx: 0.9375, sh: 0.875}]\n")
    out = os.path.join(tmp, "sweep")
    sweep(sparrow, spec, out)
    r = finetune(src, sparrow, out, "--points", "all", "--steps", "3")
    check(r.returncode == 0, f"finetune_front.py failed: {r.stderr}")
    rows = read_csv(os.path.join(out, "finetune.csv"))
    check(len(rows) == 1, f"expected 1 row: {rows}")
    x = rows[0]
    for col in ("one_shot_perplexity", "fine_tuned_perplexity", "fine_tuned_float_perplexity"):
        check(col in x, f"finetune.csv lacks {col}: {list(x)}")
    sweep_row = read_csv(os.path.join(out, "results.csv"))[0]
    check(float(x["one_shot_perplexity"]) == float(sweep_row["task_perplexity"]),
          f"one-shot figure is not the sweep's: {x} {sweep_row}")
    entry = os.path.join(out, "finetune-cache", x["model"])
    trained = np.load(os.path.join(app, "model.npz"))
    tuned = np.load(os.path.join(entry, "model.npz"))
    for layer in (0, 1):
        wi, wh = f"weight_ih_l{layer}", f"weight_hh_l{layer}"
        masks = prune_masks(trained[wi], trained[wh], "dual_ratio", 0.9375, 0.875, 8)
        for name, m in zip((wi, wh), masks):
            check(np.all(tuned[name][~m] == 0), f"{name}: a pruned weight is not zero")
            check(np.all(tuned[name][m] != 0), f"{name}: a kept weight is zero")
            check(not np.array_equal(tuned[name][m], trained[name][m]), f"{name}: not trained")
    with open(os.path.join(entry, "app.yaml")) as f:
        lines = [ln.strip() for ln in f]
    check("layers: 2" in lines, f"the fine-tuned app.yaml lacks layers: 2: {lines}")
    ppl = float(next(ln.split(":")[1] for ln in lines if ln.startswith("perplexity:")))
    sparrow_ppl = float(x["fine_tuned_float_perplexity"])
    check(abs(sparrow_ppl - ppl) <= 1e-9 * ppl,
          f"PyTorch's perplexity {ppl} against sparrow's float {sparrow_ppl}")


def notorch(sparrow, src, tmp):
    out = task_sweep(src, tmp, sparrow)
    shadow = os.path.join(tmp, "shadow", "torch")
    os.makedirs(shadow)
    with open(os.path.join(shadow, "__init__.py"), "w") as f:
        f.write("raise ImportError('No module named torch (shadowed by test_finetune.py)')\n")
    before = snapshot(out)
    env = dict(os.environ, PYTHONPATH=os.path.dirname(shadow))
    r = finetune(src, sparrow, out, env=env)
    lines = r.stdout.splitlines()
    check(r.returncode == 0, f"exit status {r.returncode}, expected 0: {r.stderr}")
    check(len(lines) == 1 and "PyTorch does not import" in lines[0] and not r.stderr,
          f"expected one line: {r.stdout!r} {r.stderr!r}")
    check(snapshot(out) == before, "files were written or changed without torch")


def bad(sparrow, src, tmp):
    missing = os.path.join(tmp, "no-such-sweep")
    one_error_line(finetune(src, sparrow, missing), "no-such-sweep: SWEEP_OUT")
    empty = os.path.join(tmp, "empty")
    os.makedirs(empty)
    one_error_line(finetune(src, sparrow, empty), "empty/pareto.csv: (file): got no such file")
    spec = os.path.join(tmp, "plain.yaml")
    configs = os.path.join(src, "configs")
    with open(spec, "w") as f:
        f.write(f"name: plain\narch: {configs}/arch/brds.yaml\n"
                f"workloads: [{configs}/workloads/sentiment-h128.yaml]\n"
                "vary:\n  arch.mac_array.pes: [8, 16]\nobjectives:\n  latency_us: min\n")
    plain = os.path.join(tmp, "plain")
    sweep(sparrow, spec, plain)
    one_error_line(finetune(src, sparrow, plain),
                   "plain/pareto.csv: (header): got no task metric column")
    check(not os.path.exists(os.path.join(plain, "finetune.csv")), "a refused run wrote a table")


def main():
    sparrow, src, tmp, case = sys.argv[1:5]
    sparrow, src, tmp = (os.path.abspath(p) for p in (sparrow, src, tmp))
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    {"tiny": tiny, "wordlm": wordlm, "notorch": notorch, "bad": bad}[case](sparrow, src, tmp)
    print("PASS")


if __name__ == "__main__":
    main()
