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

Each --variant "NAME=VALUE ..." is a set of environment settings (SPARROW_RTL_CXX=g++,
SPARROW_RTL_DIR=<another rtl/>, SPARROW_RTL_ASSERT=0, ...) run in turn with the others, round
after round, so that a shared machine's drift falls on all of them alike; the table then has a
row per point and variant, and the last column is the median over the rounds of the variant's
simulated cycles per second over the first variant's in the same round. The first round builds
each variant's model (its cache entry), and is not counted when --repeat is more than 1.

    scripts/bench_rtl.py [--repeat 3] [--cold] [--no-assert] [--variant "N=V ..." ...]
                         [ARCH:WORKLOAD ...]
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


def run(sparrow, arch, workload, cold, env):
    with tempfile.TemporaryDirectory() as out:
        env = dict(env)
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


def variant_env(text, no_assert):
    env = dict(os.environ, SPARROW_RTL_ASSERT="0" if no_assert else "1")
    for item in text.split():
        name, eq, value = item.partition("=")
        if not eq or not name:
            print(f"bench_rtl.py: --variant: got '{item}'; allowed: NAME=VALUE settings",
                  file=sys.stderr)
            sys.exit(2)
        env[name] = value
    return env


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("points", nargs="*", default=POINTS, help="ARCH:WORKLOAD")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sparrow", default=os.path.join(ROOT, "build", "sparrow"))
    ap.add_argument("--cold", action="store_true",
                    help="build the Verilator model in an empty cache on every run, and time it")
    ap.add_argument("--no-assert", action="store_true",
                    help="build the model without Verilator's assertions (SPARROW_RTL_ASSERT=0)")
    ap.add_argument("--variant", action="append", default=[],
                    help="environment settings of one build, run in turn with the others")
    a = ap.parse_args()
    variants = a.variant or [""]
    envs = [variant_env(v, a.no_assert) for v in variants]
    compare = len(variants) > 1
    # The rounds: with variants, each point's variants in turn, round after round; the first
    # round (which builds the models) is dropped when there are more.
    rounds = a.repeat + (1 if compare and a.repeat > 1 and not a.cold else 0)
    runs = {(p, v): [] for p in a.points for v in range(len(variants))}
    for r in range(rounds if compare else 1):
        for point in a.points:
            arch, workload = point.split(":")
            for v, env in enumerate(envs):
                times = 1 if compare else a.repeat
                got = [run(a.sparrow, arch, workload, a.cold, env) for _ in range(times)]
                if not (compare and rounds > a.repeat and r == 0):
                    runs[(point, v)].extend(got)
    build = " Verilator build s |" if a.cold else ""
    vcol = " variant |" if compare else ""
    ratio = " against the first variant (median of rounds) |" if compare else ""
    print(f"| design : workload |{vcol} RTL build | cycles | SystemC ms | RTL runner ms | "
          f"SystemC M cycles/s | RTL simulated k cycles/s | RTL / SystemC |{build}{ratio}")
    print("|---|" + ("---|" if compare else "") + "---|---|---|---|---|---|---|"
          + ("---|" if a.cold else "") + ("---|" if compare else ""))
    for point in a.points:
        arch, workload = point.split(":")
        for v, name in enumerate(variants):
            got = runs[(point, v)]
            cycles = got[0][0]
            sc = statistics.median(r[1] for r in got)
            rtl = statistics.median(r[2] for r in got)
            speed = statistics.median(r[3] for r in got)
            rts = statistics.median(r[2] / r[1] for r in got)
            built = f" {statistics.median(r[4] for r in got):.1f} |" if a.cold else ""
            label = f" {name or '(as set)'} |" if compare else ""
            vs = ""
            if compare:
                base = runs[(point, 0)]
                vs = f" {statistics.median(g[3] / b[3] for g, b in zip(got, base)):.2f}x |"
            print(f"| {arch} : {workload} |{label} {got[0][5]} | {cycles} | {sc * 1e3:.1f} | "
                  f"{rtl * 1e3:.0f} | {cycles / sc / 1e6:.2f} | {speed / 1e3:.1f} | {rts:.0f} |"
                  f"{built}{vs}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
