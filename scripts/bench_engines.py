#!/usr/bin/env python3
"""Time the SystemC and analytic engines on the reference workloads (whole runs).

Each point runs `sparrow run` REPEAT times per engine and takes medians of the wall times that
the run itself records in report.json (golden fixed-point model, SystemC model, analytic
evaluator), so each ratio is measured inside one process on the same inputs. Prints a markdown
table for docs/benchmarks.md. Needs only the standard library.

Usage: scripts/bench_engines.py [--repeat 3] [--sparrow build/sparrow] [POINT ...]
       POINT is ARCH:WORKLOAD (names in configs/arch and configs/workloads)
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POINTS = [
    "brds-s90:ptb-medium",
    "brds:sentiment-h128",
    "brds:ptb-small",
    "brds:ptb-medium",
    "brds-pwl16:ptb-large",
    "brds-pwl16:speech-lstmp",
    "finnl-w4a4:ocr-bilstm",
]


def run(sparrow, arch, workload, engine, out):
    subprocess.run(
        [sparrow, "run", "--arch", os.path.join(ROOT, "configs/arch", arch + ".yaml"),
         "--workload", os.path.join(ROOT, "configs/workloads", workload + ".yaml"),
         "--engine", engine, "--out", out, "--quiet"],
        check=True)
    with open(os.path.join(out, "report.json")) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sparrow", default=os.path.join(ROOT, "build/sparrow"))
    ap.add_argument("points", nargs="*", default=POINTS)
    args = ap.parse_args()
    print("| design : workload | cycles | weights | golden fixed ms | SystemC ms | SystemC / golden"
          " | SystemC M cycles/s | analytic ms | analytic M cycles/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for point in args.points:
            arch, workload = point.split(":")
            sc = [run(args.sparrow, arch, workload, "systemc", tmp) for _ in range(args.repeat)]
            an = [run(args.sparrow, arch, workload, "analytic", tmp) for _ in range(args.repeat)]
            cycles = sc[0]["performance"]["cycles"]
            golden = statistics.median(r["wall_seconds"]["golden_fixed"] for r in sc)
            systemc = statistics.median(r["wall_seconds"]["systemc"] for r in sc)
            ratio = statistics.median(
                r["wall_seconds"]["systemc"] / r["wall_seconds"]["golden_fixed"] for r in sc)
            analytic = statistics.median(r["wall_seconds"]["analytic"] for r in an)
            where = "on chip" if sc[0]["performance"]["weights_on_chip"] else "streamed"
            print(f"| {arch} : {workload} | {cycles} | {where} | {golden * 1e3:.1f} | "
                  f"{systemc * 1e3:.1f} | {ratio:.2f} | {cycles / systemc / 1e6:.1f} | "
                  f"{analytic * 1e3:.3f} | {cycles / analytic / 1e6:.0f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
