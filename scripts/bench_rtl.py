#!/usr/bin/env python3
"""Times the RTL under Verilator against the SystemC model on the same design points.

Runs `sparrow verify` (which checks the three-way agreement) on each point `--repeat` times and
prints a markdown table of medians: cycles, SystemC wall time of one inference, the RTL runner's
wall time (reading the case, building the model, reset, CSR programming and simulation; the
Verilator build is cached and not timed) and its simulation time alone (CSR programming to the
interrupt), simulated cycles per second of SystemC (whole run) and of the RTL (its simulated
cycles over its simulation time), and RTL / SystemC wall time. The Verilator model's C++
optimization comes from SPARROW_RTL_OPT (`docs/verification.md`).

    scripts/bench_rtl.py [--repeat 3] [ARCH:WORKLOAD ...]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POINTS = ["brds:sentiment-h128", "brds:ptb-small", "brds-s90:ptb-medium", "finnl-w4a4:ocr-bilstm"]


def run(sparrow, arch, workload):
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sparrow, "verify", "--arch", f"{ROOT}/configs/arch/{arch}.yaml",
                        "--workload", f"{ROOT}/configs/workloads/{workload}.yaml", "--out", out,
                        "--quiet"], check=True)
        with open(os.path.join(out, "report.json")) as f:
            r = json.load(f)
    sp = r["speed"]
    return (r["counters"]["cycles"]["rtl"], sp["systemc_seconds"], sp["rtl_seconds"],
            sp["rtl_sim_cycles"] / sp["rtl_sim_seconds"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("points", nargs="*", default=POINTS, help="ARCH:WORKLOAD")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sparrow", default=os.path.join(ROOT, "build", "sparrow"))
    a = ap.parse_args()
    print("| design : workload | cycles | SystemC ms | RTL runner ms | SystemC M cycles/s | "
          "RTL simulated k cycles/s | RTL / SystemC |")
    print("|---|---|---|---|---|---|---|")
    for point in a.points:
        arch, workload = point.split(":")
        runs = [run(a.sparrow, arch, workload) for _ in range(a.repeat)]
        cycles = runs[0][0]
        sc = statistics.median(r[1] for r in runs)
        rtl = statistics.median(r[2] for r in runs)
        speed = statistics.median(r[3] for r in runs)
        ratio = statistics.median(r[2] / r[1] for r in runs)
        print(f"| {arch} : {workload} | {cycles} | {sc * 1e3:.1f} | {rtl * 1e3:.0f} | "
              f"{cycles / sc / 1e6:.2f} | {speed / 1e3:.1f} | {ratio:.0f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
