#!/usr/bin/python3
"""Fine-tuning on the front: the second stage of a sweep with a task (docs/sweeps.md, "A task").

A sweep with a task scores each point one shot: the app's model pruned by sparrow's compressor to
the point's pattern and quantized to its formats, no retraining. This stage re-trains the points
of the sweep's Pareto front (or, with --points all, every measured point) with their masks and
scores them again the same way, so the two figures are comparable:

1. each point's pattern, sparsities, lanes and formats are resolved by sparrow itself
   (`sparrow app APP --arch ARCH --set ... --limit 1`, with the point's settings and the spec's
   arch);
2. the app's model (as loaded, e.g. the dense sentiment model) is pruned to the point's masks
   (scripts/train_app.py's prune_masks, lib/compress/prune.cpp's definition; every layer's W_x
   to s_x and W_h to s_h, as sparrow prunes each layer) and fine-tuned with them: train_app.py's
   masked fine-tuning (Adam, pruned weights zeroed after each step), a fixed number of seeded
   steps, in float (the formats do not enter the training). The word LM starts from the shipped
   trained model, pruned to dual-ratio 0.875 / 0.75, not from a dense one: no dense word LM app
   ships (its model.npz would be about 1.7 MB, too big for the repository), so its sweep's points
   are that model pruned further, and their masks keep only weights training already kept;
3. the fine-tuned model is scored by `sparrow app MODEL --engine golden` with the point's settings:
   the bit-exact golden model on every held-out example, as the sweep scored the one-shot model.
   Its masks are those of the one-shot point (sparrow's re-pruning keeps exactly them), so every
   hardware figure of the point stands.

Fine-tuned models are cached by key in --cache (default SWEEP/finetune-cache), one folder per
model: the app's model and vocabulary, the training data, the pattern, sparsities, lanes and
segmenting, the fine-tuning settings (steps, learning rate, batch, seed), PyTorch's version and
the source of this script and train_app.py; points differing only in formats or hardware share a
model. Each score is cached beside its model, keyed by the point's settings, the arch and the
sparrow binary. A rerun only reads the cache.

Writes SWEEP/finetune.csv, SWEEP/finetune.md (one-shot and fine-tuned side by side) and, with
Debian's python3-matplotlib, SWEEP/finetune.png. The sweep's own files are not touched. Without
PyTorch it says so in one line and exits 0: the one-shot results stand. Bad input (no folder, no
pareto.csv, a sweep without a task, an app it cannot fine-tune: sentiment, charlm and wordlm are
supported) is one error line, exit status 2.

Usage: /usr/bin/python3 scripts/finetune_front.py SWEEP_OUT [--points front|all] [--steps N]
       [--seed S] [--cache DIR] [--sparrow build/sparrow] [--data ../shared/data]
       [--threads 1]
Run it from the folder the sweep ran in (the rows name the app by the path the sweep used).
"""
import argparse
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
PROG = "finetune_front.py"
METRICS = {"task_accuracy": "accuracy", "task_bits_per_char": "bits_per_char",
           "task_perplexity": "perplexity"}
# Decimals of each metric in the tables, and its unit.
DIGITS = {"accuracy": 2, "bits_per_char": 4, "perplexity": 3}
UNITS = {"accuracy": "accuracy (%)", "bits_per_char": "bits per character",
         "perplexity": "perplexity (lower is better)"}
# Default fine-tuning steps per task: train_app.py's fine-tuning budget for sentiment (about 5 s);
# the char LM's steps cost about 0.2 s each, so it gets a quarter of its budget; the word LM's
# 0.06 to 0.13 s each (one thread, a quiet or a busy machine), so it gets a third of its 600.
DEFAULT_STEPS = {"sentiment": 300, "charlm": 100, "wordlm": 200}
SENTIMENT_FILES = ["amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt"]


class InputError(Exception):
    pass


def fail(where, what, got, allowed):
    raise InputError(f"{where}: {what}: got {got}; allowed: {allowed}")


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def short_hash(obj):
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:16]


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def yaml_scalar(path, key, default=None):
    """A top-level `key: value` of a plain YAML file (the sweep specs and app configs are); without
    the key, `default` if given."""
    with open(path) as f:
        for line in f:
            m = re.match(rf"{key}:\s*(['\"]?)([^'\"#\s]+)\1\s*(#.*)?$", line)
            if m:
                return m.group(2)
    if default is not None:
        return default
    fail(path, key, "nothing (the key is missing)", "a top-level '" + key + ": VALUE' line")


class Sweep:
    """A sweep folder with a task: its front (or all measured rows), its spec's arch and its app."""

    def __init__(self, out, which):
        if not os.path.isdir(out):
            fail(out, "SWEEP_OUT", "'" + out + "' (not a folder)", "a sweep's --out folder")
        pareto = os.path.join(out, "pareto.csv")
        if not os.path.isfile(pareto):
            fail(pareto, "(file)", "no such file", "the pareto.csv `sparrow sweep` writes")
        front = read_csv(pareto)
        with open(pareto) as f:
            header = f.readline().strip().split(",")
        self.metric = next((m for m in METRICS if m in header), None)
        if self.metric is None:
            fail(pareto, "(header)", "no task metric column",
                 "task_accuracy | task_bits_per_char | task_perplexity: a sweep whose spec "
                 "names a task (docs/sweeps.md, \"A task\")")
        self.front = {r["key"] for r in front}
        rows = front
        if which == "all":
            results = os.path.join(out, "results.csv")
            if not os.path.isfile(results):
                fail(results, "(file)", "no such file", "the results.csv `sparrow sweep` writes")
            rows = [r for r in read_csv(results) if r["status"] in ("ok", "infeasible")]
        self.settings_keys = header[3:header.index(self.metric)]
        self.rows = rows
        apps = sorted({r["workload"] for r in rows})
        if len(apps) > 1:
            fail(pareto, "workload", ", ".join(apps), "one task app")
        md = os.path.join(out, "sweep.md")
        if not os.path.isfile(md):
            fail(md, "(file)", "no such file", "the sweep.md `sparrow sweep` writes")
        with open(md) as f:
            m = re.search(r"^Spec `([^`]+)`", f.read(), re.M)
        if not m:
            fail(md, "Spec", "no 'Spec `FILE`' line", "the sweep.md `sparrow sweep` writes")
        self.spec = m.group(1)
        if not os.path.isfile(self.spec):
            fail(md, "Spec", f"'{self.spec}' (no such file from {os.getcwd()})",
                 "a spec reachable from the folder the sweep ran in")
        self.arch = os.path.normpath(os.path.join(os.path.dirname(self.spec),
                                                  yaml_scalar(self.spec, "arch")))
        self.app = apps[0] if apps else yaml_scalar(self.spec, "task")
        if not apps:
            self.app = os.path.normpath(os.path.join(os.path.dirname(self.spec), self.app))
        if not os.path.isfile(self.app):
            fail(pareto, "workload", f"'{self.app}' (no such file)", "the sweep's task app")

    def settings(self, row):
        return {k: row[k] for k in self.settings_keys if row.get(k, "") != ""}


class App:
    """The app config's files and task, read as `sparrow app` reads them."""

    def __init__(self, path):
        self.path = path
        d = os.path.dirname(path)
        self.task = yaml_scalar(path, "task")
        self.name = yaml_scalar(path, "name")
        for key in ("model", "vocab", "test", "arch"):
            setattr(self, key, os.path.abspath(os.path.join(d, yaml_scalar(path, key))))
        for key in ("seq_len", "input_size", "hidden_size"):
            setattr(self, key, int(yaml_scalar(path, key)))
        self.layers = int(yaml_scalar(path, "layers", "1"))


def run_sparrow(args, cmd):
    p = subprocess.run([args.sparrow, *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise InputError(f"sparrow {cmd[0]} {' '.join(cmd[1:2])}: exit status {p.returncode}: "
                         f"{last}")


def set_args(settings):
    return [a for k, v in settings.items() for a in ("--set", f"{k}={v}")]


def resolve_point(args, sweep, settings, tmp):
    """The point's compression and formats as sparrow reads them (one example, no SystemC)."""
    out = os.path.join(tmp, "resolve")
    run_sparrow(args, ["app", sweep.app, "--arch", sweep.arch, "--engine", "golden", "--limit",
                       "1", "--quiet", "--out", out, *set_args(settings)])
    with open(os.path.join(out, "report.json")) as f:
        r = json.load(f)
    shutil.rmtree(out)
    c = r["compression"]
    return dict(pattern=c["pattern"], sx=c["requested"]["sx"], sh=c["requested"]["sh"],
                lanes=r["arch"]["wx_array"]["lanes"], lanes_h=r["arch"]["wh_array"]["lanes"],
                segment_balanced=c["segment_balanced"],
                wx=r["arch"]["wx_format"], wh=r["arch"]["wh_format"], kept=c["kept_weights"])


def data_files(task, data):
    if task == "sentiment":
        return [os.path.join(data, "sentiment", n) for n in SENTIMENT_FILES]
    return [os.path.join(data, "tinyshakespeare", "input.txt")]


class FineTuner:
    """train_app.py's task data and masked fine-tuning for one app; models cached by key."""

    def __init__(self, args, app, torch, train_app):
        self.args, self.app, self.torch, self.ta = args, app, torch, train_app
        if app.task not in DEFAULT_STEPS:
            fail(app.path, "task", f"'{app.task}'", " | ".join(DEFAULT_STEPS) + " (fine-tuning)")
        self.p = dict(train_app.TASKS[app.task])
        self.steps = args.steps if args.steps is not None else DEFAULT_STEPS[app.task]
        self.lr = self.p["lr"] / 4  # train_app.py's fine-tuning rate
        for path in data_files(app.task, args.data):
            if not os.path.isfile(path):
                fail(path, "--data", "no such file", "the shared data (sentiment/, tinyshakespeare/)")
        self.task = None
        self.base_key = {
            "app_model": sha256_file(app.model), "app_vocab": sha256_file(app.vocab),
            "task": app.task,
            "data": [sha256_file(p) for p in data_files(app.task, args.data)],
            "code": [sha256_file(os.path.join(ROOT, "scripts", n))
                     for n in ("train_app.py", "finetune_front.py")],
            "torch": torch.__version__, "steps": self.steps, "lr": self.lr,
            "batch": self.p["batch"], "seed": args.seed,
        }

    def key(self, point):
        k = dict(self.base_key)
        k.update({n: point[n]
                  for n in ("pattern", "sx", "sh", "lanes", "lanes_h", "segment_balanced")})
        return k

    def load_task(self):
        """The training data and vocabulary, once; the vocabulary must be the app's."""
        if self.task is None:
            self.task = self.ta.Task(self.app.task, argparse.Namespace(data=self.args.data))
            # train_app.py writes the word LM's vocabulary in latin-1 (a byte per character).
            encoding = "latin-1" if self.app.task == "wordlm" else "utf-8"
            with open(self.app.vocab, encoding=encoding) as f:
                vocab = f.read().split("\n")[:-1]
            if vocab != self.ta.vocab_lines(self.task):
                fail(self.app.vocab, "(vocabulary)", "a vocabulary that differs from train_app.py's "
                     "of --data", "the app's own vocabulary (the embedding's rows)")
        return self.task

    def net(self, arrays):
        ta, torch = self.ta, self.torch
        net = ta.AppNet(arrays["embedding"].shape[0], self.app.input_size, self.app.hidden_size,
                        arrays["decoder_weight"].shape[0], self.p["dropout"],
                        self.app.task == "sentiment", self.app.layers)
        state = {f"lstm.{k}{layer}": arrays[f"{k}{layer}"] for layer in range(self.app.layers)
                 for k in ("weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l")}
        state.update({"embedding.weight": arrays["embedding"],
                      "decoder.weight": arrays["decoder_weight"],
                      "decoder.bias": arrays["decoder_bias"]})
        net.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
        return net

    def fine_tune(self, point, entry):
        """Writes ENTRY/model.npz, app.yaml and train.json for the point's masks."""
        import numpy as np
        ta, torch = self.ta, self.torch
        task = self.load_task()
        with np.load(self.app.model) as z:
            arrays = {k: z[k] for k in z.files}
        lanes = point["lanes"] if point["segment_balanced"] else 1
        lanes_h = point["lanes_h"] if point["segment_balanced"] else 1
        layers = range(self.app.layers)

        def masks_of(w):
            """Per layer, the point's (W_x, W_h) masks of the weights w."""
            return [ta.prune_masks(w[f"weight_ih_l{i}"], w[f"weight_hh_l{i}"], point["pattern"],
                                   point["sx"], point["sh"], lanes, lanes_h) for i in layers]
        masks = masks_of(arrays)
        t0 = time.time()
        torch.manual_seed(self.args.seed)
        gen = torch.Generator().manual_seed(self.args.seed)
        net = self.net(arrays)
        mt = [[torch.tensor(m, dtype=torch.float32) for m in pair] for pair in masks]
        with torch.no_grad():
            for i, (mi, mh) in zip(layers, mt):
                getattr(net.lstm, f"weight_ih_l{i}").mul_(mi)
                getattr(net.lstm, f"weight_hh_l{i}").mul_(mh)
        ta.run_steps(task, net, self.steps, self.lr, gen, masks=mt, log="fine-tune")
        seconds = time.time() - t0
        out = {k: v.detach().float().numpy() for k, v in net.lstm.state_dict().items()}
        out["embedding"] = net.embedding.weight.detach().float().numpy()
        out["decoder_weight"] = net.decoder.weight.detach().float().numpy()
        out["decoder_bias"] = net.decoder.bias.detach().float().numpy()
        for i, pair in zip(layers, masks):
            for name, m in zip((f"weight_ih_l{i}", f"weight_hh_l{i}"), pair):
                assert np.all(out[name][~m] == 0), f"{name}: a pruned weight is not zero"
        again = masks_of(out)
        np.savez_compressed(os.path.join(entry, "model.npz"), **out)
        metric = task.evaluate(self.net(out), self.app.test)
        torch_lines = "".join(f"  {k}: {v!r}\n" for k, v in metric.items())
        with open(os.path.join(entry, "app.yaml"), "w") as f:
            f.write(f"""# Written by scripts/finetune_front.py: {self.app.path} fine-tuned for {self.steps}
# steps with the masks of {point['pattern']} s_x {point['sx']} s_h {point['sh']}, lanes {point['lanes']}.
name: {self.app.name}-finetuned
task: {self.app.task}
model: model.npz
vocab: {self.app.vocab}
test: {self.app.test}
seq_len: {self.app.seq_len}
input_size: {self.app.input_size}
hidden_size: {self.app.hidden_size}
layers: {self.app.layers}
arch: {self.app.arch}
torch:  # measured by PyTorch in float64 on the test file with the fine-tuned parameters
{torch_lines}""")
        train = {"seconds": seconds, "steps": self.steps,
                 "masks_kept": bool(all((a == b).all() for pa, pb in zip(again, masks)
                                        for a, b in zip(pa, pb)))}
        with open(os.path.join(entry, "train.json"), "w") as f:
            json.dump(train, f, indent=2)
        return train

    def model(self, point):
        """The cached fine-tuned model of the point's masks: (entry folder, train.json, hit)."""
        key = self.key(point)
        entry = os.path.join(self.args.cache, short_hash(key))
        key_file = os.path.join(entry, "key.json")
        if os.path.isfile(key_file) and os.path.isfile(os.path.join(entry, "train.json")):
            with open(key_file) as f:
                if json.load(f) == key:
                    with open(os.path.join(entry, "train.json")) as g:
                        return entry, json.load(g), True
        os.makedirs(self.args.cache, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=".tmp-", dir=self.args.cache)
        try:
            train = self.fine_tune(point, tmp)
            with open(os.path.join(tmp, "key.json"), "w") as f:
                json.dump(key, f, indent=2, sort_keys=True)
            shutil.rmtree(entry, ignore_errors=True)
            os.rename(tmp, entry)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return entry, train, False


def score(args, sweep, entry, settings, sparrow_hash):
    """The fine-tuned model's task metric at the point, bit-exact golden; cached in the entry."""
    key = {"settings": settings, "arch": sha256_file(sweep.arch), "sparrow": sparrow_hash}
    out = os.path.join(entry, "scores", short_hash(key))
    report = os.path.join(out, "report.json")
    if not os.path.isfile(report):
        run_sparrow(args, ["app", os.path.join(entry, "app.yaml"), "--arch", sweep.arch,
                           "--engine", "golden", "--quiet", "--out", out, *set_args(settings)])
    with open(report) as f:
        r = json.load(f)
    return r["task"], r["compression"]["kept_weights"]


def fmt(metric, v):
    return f"{v:.{DIGITS[METRICS[metric]]}f}"


def write_tables(out, sweep, rows, args, steps):
    m = METRICS[sweep.metric]
    cols = (["key", "on_front"] + sweep.settings_keys +
            ["pattern", "sx", "sh", "lanes", "wx", "wh", "kept_weights", "effective_gops_per_watt",
             f"one_shot_{m}", f"fine_tuned_{m}", "change", f"fine_tuned_float_{m}",
             "finetune_seconds", "model", "cached"])
    with open(os.path.join(out, "finetune.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in cols})
    unit = UNITS[m]
    lines = [f"# Fine-tuning on the front: {sweep.spec}", "",
             f"Task `{sweep.app}`, {len(rows)} points ({args.points}); each point's model "
             f"fine-tuned {steps} steps with its masks (seed {args.seed}), then scored like the "
             f"sweep's one-shot figure: the bit-exact golden model on every held-out example, "
             f"{unit}. The masks, and so every hardware figure, are the one-shot point's.", "",
             "| compression | W_x / W_h | kept | effective GOPS/W | one-shot | fine-tuned | change "
             "| fine-tune s |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        comp = (f"{r['pattern']} {r['sx']:g}" if r["pattern"] != "dual_ratio"
                else f"dual_ratio {r['sx']:g} / {r['sh']:g}")
        lines.append(f"| {comp} | {r['wx']} / {r['wh']} | {r['kept_weights']} | "
                     f"{float(r['effective_gops_per_watt']):.1f} | {fmt(sweep.metric, r[f'one_shot_{m}'])} | "
                     f"{fmt(sweep.metric, r[f'fine_tuned_{m}'])} | {r['change']:+.{DIGITS[m]}f} | "
                     f"{r['finetune_seconds']:.1f}{' (cached)' if r['cached'] == 'yes' else ''} |")
    lines += ["", "Rows: `finetune.csv`; models: `" + args.cache + "`.", ""]
    with open(os.path.join(out, "finetune.md"), "w") as f:
        f.write("\n".join(lines))


def plot(out, sweep, rows):
    """finetune.png: the task metric against effective GOPS/W, one-shot to fine-tuned."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        print(f"{PROG}: no plot: matplotlib does not import ({e})", file=sys.stderr)
        return
    m = METRICS[sweep.metric]
    fig, ax = plt.subplots(figsize=(6, 4.2))
    x = [float(r["effective_gops_per_watt"]) for r in rows]
    y0 = [r[f"one_shot_{m}"] for r in rows]
    y1 = [r[f"fine_tuned_{m}"] for r in rows]
    for a, b, c in zip(x, y0, y1):
        ax.plot([a, a], [b, c], c="#999999", lw=0.8)
    ax.scatter(x, y0, s=30, facecolors="none", edgecolors="#4c72b0", label="one-shot")
    ax.scatter(x, y1, s=30, c="#dd5500", label="fine-tuned")
    ax.set_xlabel("effective GOPS/W")
    ax.set_ylabel(UNITS[m])
    ax.set_title(os.path.basename(os.path.dirname(sweep.app)) + ": one-shot and fine-tuned")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "finetune.png"), dpi=100)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sweep_out", metavar="SWEEP_OUT", help="a sweep's --out folder, with a task")
    ap.add_argument("--points", choices=["front", "all"], default="front",
                    help="the front (pareto.csv) or every measured point (results.csv)")
    ap.add_argument("--steps", type=int, help="fine-tuning steps (default: sentiment 300, "
                    "charlm 100, wordlm 200, from the trained pruned model, not a dense "
                    "one: no dense word LM app ships)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", help="fine-tuned models (default SWEEP_OUT/finetune-cache)")
    ap.add_argument("--sparrow", default=os.path.join(ROOT, "build", "sparrow"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--threads", type=int, default=1, help="PyTorch threads")
    args = ap.parse_args()
    args.cache = args.cache or os.path.join(args.sweep_out, "finetune-cache")
    try:
        if args.steps is not None and args.steps < 1:
            fail("--steps", "value", str(args.steps), "a positive number of steps")
        sweep = Sweep(args.sweep_out, args.points)
        app = App(sweep.app)
        if not os.access(args.sparrow, os.X_OK):
            fail("--sparrow", "value", f"'{args.sparrow}' (not an executable)", "build/sparrow")
    except (InputError, OSError, ValueError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        import torch
    except ImportError as e:
        print(f"{PROG}: PyTorch does not import ({e}): no fine-tuning; the one-shot results in "
              f"{args.sweep_out} stand (Debian's python3-torch: scripts/setup.sh --python)")
        return 0
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    import train_app
    torch.set_num_threads(args.threads)
    m = METRICS[sweep.metric]
    try:
        tuner = FineTuner(args, app, torch, train_app)
        sparrow_hash = sha256_file(args.sparrow)
        rows = []
        with tempfile.TemporaryDirectory() as tmp:
            for n, row in enumerate(sweep.rows):
                settings = sweep.settings(row)
                point = resolve_point(args, sweep, settings, tmp)
                entry, train, hit = tuner.model(point)
                task, kept = score(args, sweep, entry, settings, sparrow_hash)
                if kept != point["kept"]:
                    raise InputError(f"{entry}: the fine-tuned model keeps {kept} weights at the "
                                     f"point, the one-shot model {point['kept']}")
                scale = 100.0 if m == "accuracy" else 1.0
                one, fine = float(row[sweep.metric]), scale * task["fixed"][m]
                rows.append(dict(row, **point, on_front="yes" if row["key"] in sweep.front else "no",
                                 kept_weights=kept, change=fine - one,
                                 **{f"one_shot_{m}": one, f"fine_tuned_{m}": fine,
                                    f"fine_tuned_float_{m}": scale * task["float"][m]},
                                 finetune_seconds=train["seconds"], model=os.path.basename(entry),
                                 cached="yes" if hit else "no"))
                took = "cached" if hit else f"{train['seconds']:.1f} s"
                print(f"{PROG}: {n + 1}/{len(sweep.rows)} {row['key']}: one-shot "
                      f"{fmt(sweep.metric, one)}, fine-tuned {fmt(sweep.metric, fine)} ({took})",
                      flush=True)
    except InputError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    write_tables(args.sweep_out, sweep, rows, args, tuner.steps)
    plot(args.sweep_out, sweep, rows)
    print(f"{PROG}: {len(rows)} points: {args.sweep_out}/finetune.csv, finetune.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
