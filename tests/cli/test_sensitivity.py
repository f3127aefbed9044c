#!/usr/bin/env python3
"""System test of `sparrow sensitivity` (standard library only) on the dense sentiment model with
a small grid:

- every W_x-alone, W_h-alone and combined point of sensitivity.csv equals, exactly, the
  bit-exact accuracy `sparrow app --engine golden --set ...` reports for that arch (an
  independent path: a whole app run, its own compression and scoring);
- the suggestion is within the budget and maximal as docs/accuracy.md states: each matrix's
  limit is the last grid sparsity of its unbroken run within the budget, the search starts at the
  two limits, and every combined point before the last broke the budget;
- the outputs are there (sensitivity.png when python3-matplotlib is installed); without a
  working matplotlib (a stand-in that fails to import) the run still succeeds, says so in one
  line on stderr and writes the CSV and the Markdown without the plot.

test_sensitivity.py SPARROW APP TMP
"""
import csv
import importlib.util
import json
import os
import shutil
import subprocess
import sys

MAX_LOSS = 3.5  # the limits (0.75, 0.75) break it combined: the search steps back
GRID = ["0", "0.75"]


def check(cond, msg):
    if not cond:
        print("FAIL: " + msg)
        sys.exit(1)


def app_accuracy(sparrow, app, tmp, sets, memo={}):
    if tuple(sets) in memo:
        return memo[tuple(sets)]
    out = os.path.join(tmp, "app")
    args = [sparrow, "app", app, "--engine", "golden", "--quiet", "--out", out]
    for s in sets:
        args += ["--set", s]
    subprocess.run(args, check=True, timeout=120)
    with open(os.path.join(out, "report.json")) as f:
        memo[tuple(sets)] = 100 * json.load(f)["task"]["fixed"]["accuracy"]
    return memo[tuple(sets)]


def main():
    sparrow, app, tmp = sys.argv[1:4]
    shutil.rmtree(tmp, ignore_errors=True)
    out = os.path.join(tmp, "sens")
    subprocess.run([sparrow, "sensitivity", app, "--sparsities", ",".join(GRID), "--bits", "3",
                    "--max-loss", str(MAX_LOSS), "--out", out, "--quiet"], check=True, timeout=120)
    with open(os.path.join(out, "sensitivity.csv")) as f:
        rows = list(csv.DictReader(f))
    check(os.path.exists(os.path.join(out, "sensitivity.md")), "no sensitivity.md")
    if importlib.util.find_spec("matplotlib"):
        check(os.path.exists(os.path.join(out, "sensitivity.png")), "no sensitivity.png")
    dense = next(float(r["metric"]) for r in rows if r["knob"] == "fixed")
    check(dense == app_accuracy(sparrow, app, tmp, []), "dense fixed point differs from app's")

    def sets_of(r):
        if r["knob"] == "bits":  # the app's arch has 8/7-bit weights: one integer bit
            key = "wx" if r["matrix"] == "W_x" else "wh"
            b = int(r["value"])
            return ["arch.arith.%s={bits: %d, frac: %d}" % (key, b, b - 1)]
        if r["matrix"] == "W_x+W_h":
            sx, sh = r["value"].split("/")
        else:
            sx, sh = (r["value"], "0") if r["matrix"] == "W_x" else ("0", r["value"])
        return ["arch.compression.sx=" + sx, "arch.compression.sh=" + sh]

    for r in rows:
        if r["matrix"] == "reference" or r["value"] == "0":
            continue
        got, want = float(r["metric"]), app_accuracy(sparrow, app, tmp, sets_of(r))
        check(got == want, "%s %s %s: sensitivity %r, sparrow app %r"
              % (r["matrix"], r["knob"], r["value"], got, want))

    def loss(r):
        return dense - float(r["metric"])

    def limit(matrix):
        alone = [loss(r) for r in rows if r["matrix"] == matrix and r["knob"] == "sparsity"]
        check(len(alone) == len(GRID), matrix + ": not one row per grid sparsity")
        i = 0
        while i + 1 < len(alone) and alone[i + 1] <= MAX_LOSS:
            i += 1
        return GRID[i]

    path = [r for r in rows if r["matrix"] == "W_x+W_h"]
    check(path, "no combined point")
    check(path[0]["value"] == limit("W_x") + "/" + limit("W_h"),
          "the search did not start at the limits: " + path[0]["value"])
    check(loss(path[-1]) <= MAX_LOSS,
          "the suggestion breaks the budget: " + path[-1]["value"])
    for r in path[:-1]:
        check(loss(r) > MAX_LOSS, "stepped back from a point within the budget: " + r["value"])
    fake = os.path.join(tmp, "fake-matplotlib", "matplotlib")
    os.makedirs(fake)
    with open(os.path.join(fake, "__init__.py"), "w") as f:
        f.write('raise ImportError("a stand-in that fails")\n')
    out = os.path.join(tmp, "no-plot")
    run = subprocess.run([sparrow, "sensitivity", app, "--sparsities", "0", "--bits", "8", "--out",
                          out, "--quiet"], env=dict(os.environ, PYTHONPATH=os.path.dirname(fake)),
                         stderr=subprocess.PIPE, text=True, timeout=120)
    check(run.returncode == 0, "without matplotlib: exit status %d" % run.returncode)
    check(run.stderr.count("\n") == 1 and "no plot" in run.stderr, "stderr: " + run.stderr)
    check(sorted(os.listdir(out)) == ["sensitivity.csv", "sensitivity.md"], str(os.listdir(out)))
    print("ok: %d points, suggestion %s at %s" % (len(rows), path[-1]["value"],
                                                  path[-1]["metric"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
