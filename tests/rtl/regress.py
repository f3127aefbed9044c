#!/usr/bin/env python3
"""Randomized three-way regression of the RTL: golden vs SystemC vs RTL (sparrow verify).

Each case draws the run-time knobs (LSTM shape, steps, layers, direction, sparsities, weight and
input seeds, input amplitude, weight range, memory latency, and now and then random memory
back-pressure) for one of a few RTL parameter sets, so only those few Verilator builds happen:
the hardware knobs (PEs, lanes, formats, beat width) stay those of the set's architecture config
and the capacity parameters are pinned with --rtl-param (tests/CMakeLists.txt passes the ones of
every RTL test: MaxT 8, MaxIn 64, MaxH 32, MaxPasses 4, the draws below stay inside them).

    regress.py --sparrow build/model/sparrow --src . --set brds --cases 40 --seed 1 --out DIR \
        --rtl-param MaxT=8 --rtl-param MaxIn=64 ...

Reproducible from --seed; every failing case prints the exact sparrow verify command.
"""
import argparse
import random
import shlex
import subprocess
import sys
import time

# Parameter sets: the architecture configs that share one build, and overrides of build knobs.
SETS = {
    "brds": (["brds", "brds-s90", "brds-wh-sparse", "baseline-single-ratio"], []),
    "binarized": (["binarized"], []),
    "brds-pwl16": (["brds-pwl16"], []),
    "finnl-w4a4": (["finnl-w4a4"], []),
    "brds-b1-unsegmented": (["brds"], ["arch.memory.bytes_per_cycle=1",
                                       "arch.compression.segment_balanced=false"]),
}


def draw(rng, set_name):
    archs, fixed = SETS[set_name]
    arch = rng.choice(archs)
    layers = rng.choice([1, 1, 2])
    bidir = rng.random() < 0.3
    hidden = rng.randint(1, 32)
    sets = list(fixed) + [
        f"workload.input_size={rng.randint(1, 64)}",
        f"workload.hidden_size={hidden}",
        f"workload.layers={layers}",
        f"workload.bidirectional={'true' if bidir else 'false'}",
        f"workload.seq_len={rng.randint(1, 8)}",
        f"workload.weights.seed={rng.randint(0, 10**6)}",
        f"workload.weights.init_range={rng.choice([0.1, 0.3, 0.5, 1.0, 3.0])}",
        f"workload.inputs.seed={rng.randint(0, 10**6)}",
        f"workload.inputs.amplitude={rng.choice([0.25, 1.0, 2.0, 8.0])}",
        f"arch.memory.latency_cycles={rng.choice([0, 1, 2, rng.randint(3, 150)])}",
    ]
    if arch == "baseline-single-ratio":
        sets.append(f"arch.compression.sparsity={rng.choice([0.0, 0.5, rng.randint(0, 99) / 100])}")
    elif arch != "binarized":
        for key in ("sx", "sh"):
            sets.append(f"arch.compression.{key}={rng.choice([0.0, 0.99, rng.randint(0, 95) / 100])}")
    extra = []
    if rng.random() < 0.1:
        extra = ["--mem-stall-prob", str(rng.choice([0.1, 0.3, 0.6])),
                 "--mem-stall-seed", str(rng.randint(1, 10**6))]
    return arch, sets, extra


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sparrow", required=True)
    ap.add_argument("--src", required=True, help="the source tree (configs/, tests/fixtures/)")
    ap.add_argument("--set", required=True, choices=sorted(SETS))
    ap.add_argument("--cases", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="folder for the failing cases' reports")
    ap.add_argument("--rtl-param", action="append", default=[], help="passed to sparrow verify")
    args = ap.parse_args()

    rng = random.Random(f"{args.set}:{args.seed}")
    workload = f"{args.src}/tests/fixtures/workloads/rtl-small.yaml"
    print(f"rtl regression: set {args.set}, {args.cases} cases, seed {args.seed}", flush=True)
    failures = 0
    t0 = time.time()
    for i in range(args.cases):
        arch, sets, extra = draw(rng, args.set)
        cmd = [args.sparrow, "verify", "--arch", f"{args.src}/configs/arch/{arch}.yaml",
               "--workload", workload, "--quiet"]
        for s in sets:
            cmd += ["--set", s]
        for p in args.rtl_param:
            cmd += ["--rtl-param", p]
        cmd += extra
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            failures += 1
            repro = cmd[:] + ["--out", f"{args.out}/case{i}"]
            repro.remove("--quiet")
            print(f"case {i}: FAILED (exit status {r.returncode}) {arch} {' '.join(sets)} "
                  f"{' '.join(extra)}\n{r.stdout.rstrip()}\n  reproduce: {shlex.join(repro)}",
                  flush=True)
        else:
            short = [s.split("=")[0].split(".")[-1] + "=" + s.split("=", 1)[1] for s in sets]
            print(f"case {i}: ok {arch} {' '.join(short)} {' '.join(extra)}", flush=True)
    print(f"rtl regression: set {args.set}, seed {args.seed}: {args.cases - failures} of "
          f"{args.cases} cases agree ({time.time() - t0:.1f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
