#!/usr/bin/env python3
"""Times the RTL under Verilator against the SystemC model on the same design points.

Runs `sparrow verify` (which checks the three-way agreement) on each point `--repeat` times and
prints a markdown table of medians: cycles, SystemC wall time of one inference, the RTL runner's
wall time (reading the case, building the model, reset, CSR programming and simulation; the
Verilator build is cached and not timed) and its simulation time alone (CSR programming to the
interrupt), simulated cycles per second of SystemC (whole run) and of the RTL (its simulated
cycles over its simulation time), and RTL / SystemC wall time. The Verilator model's C++
optimization comes from SPARROW_RTL_OPT and its compiler from SPARROW_RTL_CXX
(`docs/verification.md`); a column names the build (compiler, optimization, assertions) as
verify's report records it. With --no-assert the model is built without Verilator's assertions
(SPARROW_RTL_ASSERT=0: the speed build). With --cold every run builds the Verilator model in an
empty cache of its own, and a column gives the build's wall time.

    scripts/bench_rtl.py [--repeat 3] [--cold] [--no-assert] [ARCH:WORKLOAD ...]
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


def run(sparrow, arch, workload, cold, assertions):
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, SPARROW_RTL_ASSERT="1" if assertions else "0")
        if cold:
            env["SPARROW_RTL_CACHE"] = os.path.join(out, "cache")
        subprocess.run([sparrow, "verify", "--arch", f"{ROOT}/configs/arch/{arch}.yaml",
                        "--workload", f"{ROOT}/configs/workloads/{workload}.yaml", "--out",
                        os.path.join(out, "run"), "--quiet"], check=True, env=env)
        with open(os.path.join(out, "run", "report.json")) as f:
            r = json.load(f)
    sp, b = r["speed"], r["rtl"]
    build = (f"{os.path.basename(b['compiler'])} {b['opt']}"
             f"{'' if b['assertions'] else ', no assertions'}")
    return (r["counters"]["cycles"]["rtl"], sp["systemc_seconds"], sp["rtl_seconds"],
            sp["rtl_sim_cycles"] / sp["rtl_sim_seconds"], b["build_seconds"], build)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("points", nargs="*", default=POINTS, help="ARCH:WORKLOAD")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sparrow", default=os.path.join(ROOT, "build", "sparrow"))
    ap.add_argument("--cold", action="store_true",
                    help="build the Verilator model in an empty cache on every run, and time it")
    ap.add_argument("--no-assert", action="store_true",
                    help="build the model without Verilator's assertions (SPARROW_RTL_ASSERT=0)")
    a = ap.parse_args()
    build = " Verilator build s |" if a.cold else ""
    print("| design : workload | RTL build | cycles | SystemC ms | RTL runner ms | "
          f"SystemC M cycles/s | RTL simulated k cycles/s | RTL / SystemC |{build}")
    print("|---|---|---|---|---|---|---|---|" + ("---|" if a.cold else ""))
    for point in a.points:
        arch, workload = point.split(":")
        runs = [run(a.sparrow, arch, workload, a.cold, not a.no_assert) for _ in range(a.repeat)]
        cycles = runs[0][0]
        sc = statistics.median(r[1] for r in runs)
        rtl = statistics.median(r[2] for r in runs)
        speed = statistics.median(r[3] for r in runs)
        ratio = statistics.median(r[2] / r[1] for r in runs)
        built = f" {statistics.median(r[4] for r in runs):.1f} |" if a.cold else ""
        print(f"| {arch} : {workload} | {runs[0][5]} | {cycles} | {sc * 1e3:.1f} | "
              f"{rtl * 1e3:.0f} | {cycles / sc / 1e6:.2f} | {speed / 1e3:.1f} | {ratio:.0f} |{built}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
