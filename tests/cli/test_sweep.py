#!/usr/bin/env python3
"""System tests of `sparrow sweep` (standard library only).

test_sweep.py SPARROW FIXTURES TMP resume    kill a SystemC sweep mid-way, rerun: the union of
                                             rows equals a clean run's, no key twice
test_sweep.py SPARROW FIXTURES TMP faulty    a failing and a hanging point are recorded, the
                                             others finish
test_sweep.py SPARROW FIXTURES TMP engines   every metric of an analytic row equals the SystemC
                                             sweep's and `sparrow run --engine analytic`'s on
                                             that point
test_sweep.py SPARROW FIXTURES TMP shards    3 shards in parallel, merged, equal a whole run; the
                                             generated Slurm job array names the same slices
test_sweep.py SPARROW FIXTURES TMP cache     a SystemC sweep through the model cache equals one of
                                             whole cold runs (--cold) row for row, and each
                                             point's outputs and report are the same; a run
                                             missing, then hitting the cache equals a cold run
test_sweep.py SPARROW FIXTURES TMP folders   a malformed results.jsonl in --out: exit 2 naming the
                                             line and field, nothing rewritten; a zero-power energy
                                             table is refused before any point; a grid of 10^7
                                             points says so at once
test_sweep.py SPARROW FIXTURES TMP lock      a second sweep on a folder another sweep is writing
                                             refuses (exit 2, one line); every point recorded once;
                                             a lock its gone sweep's child holds is waited for
test_sweep.py SPARROW FIXTURES TMP signals   SIGTERM to a SystemC sweep leaves no process behind;
                                             the rerun records every point exactly once
test_sweep.py SPARROW FIXTURES TMP task      a spec with a task: each row's accuracy equals
                                             `sparrow app --engine golden`'s on that point, points
                                             sharing a compression share one evaluation, a point
                                             violating the accuracy constraint is off the front; a
                                             missing app and the systemc engine are refused
test_sweep.py SPARROW FIXTURES TMP slurm     under a real single-node Slurm (scripts/slurm_local.sh,
                                             root): the generated job array of 3 SystemC shards,
                                             then merge.sh as a dependent job; the merged rows
                                             and front equal an unsharded run's
"""
import filecmp
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time


def rows(out):
    with open(os.path.join(out, "results.jsonl")) as f:
        return [json.loads(line) for line in f if line.endswith("\n")]


def sweep(sparrow, spec, out, *extra, timeout=600):
    return subprocess.run([sparrow, "sweep", spec, "--out", out, *extra], timeout=timeout,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def by_settings(rs):
    return {json.dumps(r["settings"], sort_keys=True): r for r in rs}


def check(cond, msg):
    if not cond:
        print("FAIL:", msg)
        sys.exit(1)


def write_spec(tmp, name, fixtures, vary, extra=""):
    configs = os.path.abspath(os.path.join(fixtures, "../../../configs"))
    path = os.path.join(tmp, name + ".yaml")
    with open(path, "w") as f:
        f.write(f"name: {name}\narch: {configs}/arch/brds.yaml\n"
                f"workloads: [{configs}/workloads/sentiment-h128.yaml]\n"
                f"vary:\n{vary}objectives:\n  latency_us: min\n{extra}")
    return path


def one_error_line(r, fragment):
    lines = r.stderr.splitlines()
    check(r.returncode == 2, f"exit status {r.returncode}, expected 2: {r.stderr}")
    check(len(lines) == 1 and lines[0].startswith("sparrow: error: ") and fragment in lines[0],
          f"expected one error line with {fragment!r}, got: {r.stderr}")


def alive(pid):
    """Whether a process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def children(pid):
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return kids


def processes_mentioning(text):
    """Live processes whose command line contains `text`."""
    found = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    if text.encode() in f.read() and alive(int(d)):
                        found.append(int(d))
            except OSError:
                pass
    return found


def main():
    sparrow, fixtures, tmp, case = sys.argv[1:5]
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    small = os.path.join(fixtures, "small.yaml")
    if case == "resume":
        clean = os.path.join(tmp, "clean")
        check(sweep(sparrow, small, clean, "--engine", "systemc", "--jobs", "2").returncode == 0,
              "clean sweep failed")
        want = rows(clean)
        check(len(want) == 36, f"clean run has {len(want)} rows, expected 36")
        killed = os.path.join(tmp, "killed")
        interrupted = 0
        for _ in range(3):  # kill each run once a few more points are recorded, then resume
            before = len(rows(killed)) if os.path.exists(os.path.join(killed, "results.jsonl")) else 0
            p = subprocess.Popen([sparrow, "sweep", small, "--out", killed, "--engine", "systemc",
                                  "--jobs", "2"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
            while p.poll() is None:
                path = os.path.join(killed, "results.jsonl")
                if os.path.exists(path) and len(rows(killed)) >= before + 4:
                    break
                time.sleep(0.005)
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                interrupted += 1
            p.wait()
        check(interrupted > 0 and len(rows(killed)) < 36, "no run was interrupted mid-way")
        r = sweep(sparrow, small, killed, "--engine", "systemc", "--jobs", "2")
        check(r.returncode == 0, "resumed sweep failed: " + r.stderr)
        got = rows(killed)
        keys = [r["key"] for r in got]
        check(len(keys) == len(set(keys)), "a key appears twice after resuming")
        check(sorted(keys) == sorted(r["key"] for r in want), "resumed keys differ from clean keys")
        w = {r["key"]: r for r in want}
        for r in got:
            check(r["metrics"] == w[r["key"]]["metrics"], f"metrics differ for {r['key']}")
        with open(os.path.join(killed, "results.csv")) as f:
            check(len(f.read().splitlines()) == 37, "results.csv is not header + 36 rows")
    elif case == "faulty":
        out = os.path.join(tmp, "faulty")
        r = sweep(sparrow, os.path.join(fixtures, "faulty.yaml"), out, "--engine", "systemc",
                  "--jobs", "2", "--point-timeout", "3")
        check(r.returncode == 0, "sweep with faulty points did not finish: " + r.stderr)
        status = {(x["settings"]["workload.seq_len"], x["settings"]["arch.mac_array.pes"]): x
                  for x in rows(out)}
        check(status[("2", "4")]["status"] == "ok", "the good point did not finish")
        check(status[("2", "0")]["status"] == "failed", "pes 0 was not recorded as failed")
        check("mac_array.pes: got '0'" in status[("2", "0")]["error"], "failure reason missing")
        check(status[("1000000", "4")]["status"] == "timeout", "the long point did not time out")
    elif case == "engines":
        a, s = os.path.join(tmp, "analytic"), os.path.join(tmp, "systemc")
        check(sweep(sparrow, small, a).returncode == 0, "analytic sweep failed")
        check(sweep(sparrow, small, s, "--engine", "systemc", "--jobs", "2").returncode == 0,
              "systemc sweep failed")
        ra, rs = by_settings(rows(a)), by_settings(rows(s))
        check(len(ra) == 36 and ra.keys() == rs.keys(), "the two sweeps ran different points")
        # Every metric of an analytic row equals the SystemC run's on that point.
        for k in ra:
            for m, v in ra[k]["metrics"].items():
                w = rs[k]["metrics"].get(m)
                same = v == w or (isinstance(v, float) and isinstance(w, float)
                                  and abs(v - w) <= 1e-9 * max(abs(v), abs(w)))
                check(same, f"{m} differs at {k}: analytic {v}, systemc {w}")
        # ... and `sparrow run` on the same point (the sweep estimates resources everywhere, so
        # the run is asked to estimate too: --synthesis '').
        with open(small) as sf:
            base = {}
            for line in sf:
                if line.startswith(("arch:", "workloads:")):
                    key, value = line.split(":", 1)
                    base[key] = os.path.normpath(os.path.join(
                        os.path.dirname(small), value.strip().strip("[]")))
        for k in sorted(ra)[::12]:
            r = ra[k]
            out = os.path.join(tmp, "run-" + r["key"])
            sets = [a for kv in r["settings"].items() for a in ("--set", "=".join(kv))]
            p = subprocess.run([sparrow, "run", "--engine", "analytic", "--arch", base["arch"],
                                "--workload", r["workload"], "--synthesis", "", "--no-float",
                                "--quiet", "--out", out, *sets],
                               stderr=subprocess.PIPE, text=True, timeout=120)
            check(p.returncode == 0, f"run at {k} failed: {p.stderr}")
            with open(os.path.join(out, "report.json")) as rf:
                rep = json.load(rf)
            perf, energy, res = rep["performance"], rep["energy"], rep["resources"]["total"]
            arrays = perf["arrays"]
            want = {"cycles": perf["cycles"], "latency_us": perf["latency_us"],
                    "gops": perf["gops"], "effective_gops": perf["effective_gops"],
                    "power_mw": energy["power_mw"],
                    "energy_uj": energy["energy_per_inference_uj"],
                    "gops_per_watt": energy["gops_per_watt"],
                    "effective_gops_per_watt": energy["effective_gops_per_watt"],
                    "dsp": res["dsp"], "bram36": res["bram36"], "lut": res["lut"],
                    "ff": res["ff"], "mac_utilization_wx": arrays[0]["mac_utilization"],
                    "mac_utilization_wh": arrays[-1]["mac_utilization"],
                    "weights_on_chip": 1 if perf["weights_on_chip"] else 0,
                    "banks_hold_a_pass":
                    1 if rep["compression"]["banks"]["holds_a_pass"] else 0,
                    "first_latency_us": perf["session"]["first_sequence_cycles"]
                    / perf["clock_mhz"],
                    "sequences_per_second": perf["session"].get(
                        "sequences_per_second",
                        perf["session"]["sequences"] / (perf["latency_us"] * 1e-6))}
            check(set(want) == set(r["metrics"]), f"metrics differ in name: {sorted(r['metrics'])}")
            for m, w in want.items():
                v = r["metrics"][m]
                check(v == w or abs(v - w) <= 1e-9 * max(abs(v), abs(w)),
                      f"{m} at {k}: sweep row {v}, sparrow run {w}")
        # Two stages: SystemC on the analytic front only.
        f = os.path.join(tmp, "front")
        check(sweep(sparrow, small, f, "--engine", "systemc", "--front-of", a).returncode == 0,
              "second stage failed")
        with open(os.path.join(a, "pareto.csv")) as pf:
            front = len(pf.read().splitlines()) - 1
        check(0 < front < 36 and len(rows(f)) == front, "the second stage did not run the front")
        # A point whose banks do not hold a pass (4 kbit: a PE's W_x of a sentiment-h128 pass is
        # 64 words of 96 bits) says so, in the sweep as in its report, and the constraint makes
        # it infeasible.
        spec = write_spec(tmp, "banks", fixtures, "  arch.weight_bank.wx_kbit_per_pe: [512, 4]\n",
                          "constraints:\n  banks_hold_a_pass: {min: 1}\n")
        b = os.path.join(tmp, "banks")
        check(sweep(sparrow, spec, b).returncode == 0, "the banks sweep failed")
        got = {r["settings"]["arch.weight_bank.wx_kbit_per_pe"]:
               (r["status"], r["metrics"]["banks_hold_a_pass"]) for r in rows(b)}
        check(got == {"512": ("ok", 1), "4": ("infeasible", 0)}, f"banks sweep rows: {got}")
        out = os.path.join(tmp, "run-banks")
        p = subprocess.run([sparrow, "run", "--engine", "analytic", "--arch", base["arch"],
                            "--workload", base["workloads"], "--set",
                            "arch.weight_bank.wx_kbit_per_pe=4", "--no-float", "--quiet",
                            "--out", out], stderr=subprocess.PIPE, text=True, timeout=120)
        check(p.returncode == 0, f"run with 4 kbit banks failed: {p.stderr}")
        with open(os.path.join(out, "report.json")) as rf:
            banks = json.load(rf)["compression"]["banks"]
        check(not banks["holds_a_pass"] and banks["wx_pass_bits_max_per_pe"] == 64 * 96,
              f"report banks: {banks}")
    elif case == "shards":
        whole = os.path.join(tmp, "whole")
        check(sweep(sparrow, small, whole).returncode == 0, "whole sweep failed")
        shards = [subprocess.Popen([sparrow, "sweep", small, "--shard", f"{i}/3", "--out",
                                    os.path.join(tmp, f"shard-{i}")], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL) for i in range(3)]
        check(all(p.wait() == 0 for p in shards), "a shard failed")
        sizes = [len(rows(os.path.join(tmp, f"shard-{i}"))) for i in range(3)]
        check(sizes == [12, 12, 12], f"shard sizes {sizes}, expected 12 each")
        merged = os.path.join(tmp, "merged")
        check(sweep(sparrow, small, merged, "--merge",
                    *[os.path.join(tmp, f"shard-{i}") for i in range(3)]).returncode == 0,
              "merge failed")
        a, b = by_settings(rows(whole)), by_settings(rows(merged))
        check(a.keys() == b.keys() and all(a[k]["metrics"] == b[k]["metrics"] for k in a),
              "merged shards differ from the whole run")
        with open(os.path.join(whole, "pareto.csv")) as f1, open(os.path.join(merged, "pareto.csv")) as f2:
            check(sorted(f1.read().splitlines()) == sorted(f2.read().splitlines()),
                  "merged Pareto front differs")
        slurm = os.path.join(tmp, "slurm")
        check(sweep(sparrow, small, slurm, "--slurm", "3").returncode == 0, "--slurm failed")
        with open(os.path.join(slurm, "sweep.sbatch")) as f:
            job = f.read()
        check("#SBATCH --array=0-2" in job and '--shard "$SLURM_ARRAY_TASK_ID/3"' in job,
              "sweep.sbatch lacks the array or the shard")
        check(not os.path.exists(os.path.join(slurm, "results.jsonl")), "--slurm ran points")
        with open(os.path.join(slurm, "merge.sh")) as f:
            check("--merge" in f.read(), "merge.sh does not merge")
    elif case == "cache":
        cached, cold = os.path.join(tmp, "cached"), os.path.join(tmp, "cold")
        check(sweep(sparrow, small, cached, "--engine", "systemc", "--jobs", "2").returncode == 0,
              "cached sweep failed")
        check(sweep(sparrow, small, cold, "--engine", "systemc", "--jobs", "2",
                    "--cold").returncode == 0, "cold sweep failed")
        a, b = {r["key"]: r for r in rows(cached)}, {r["key"]: r for r in rows(cold)}
        check(len(a) == 36 and a.keys() == b.keys(), "the two sweeps ran different points")
        for k in a:
            for field in ("status", "settings", "metrics", "error"):
                check(a[k][field] == b[k][field], f"{field} differs for {k}")
            ra, rb = (json.load(open(os.path.join(d, "points", k, "report.json")))
                      for d in (cached, cold))
            for section in ("performance", "energy", "resources", "compression", "ops", "arch",
                            "workload", "outputs_match_golden"):
                check(ra.get(section) == rb.get(section), f"report {section} differs for {k}")
            for f in ("outputs.npy", "outputs_raw.npy", "outputs_raw_systemc.npy"):
                check(filecmp.cmp(*(os.path.join(d, "points", k, f) for d in (cached, cold)),
                                  shallow=False), f"{f} differs for {k}")
        # One point: cold, then a miss and a hit through a fresh cache, with the float references.
        base = [sparrow, "run", "--arch", os.path.join(fixtures, "../../../configs/arch/brds.yaml"),
                "--workload", os.path.join(fixtures, "../../../configs/workloads/sentiment-h128.yaml"),
                "--set", "arch.mac_array.pes=4", "--quiet"]
        cache = os.path.join(tmp, "model-cache")
        runs = {"cold": [], "miss": ["--model-cache", cache], "hit": ["--model-cache", cache]}
        reports = {}
        for name, extra in runs.items():
            out = os.path.join(tmp, "run-" + name)
            check(subprocess.run(base + extra + ["--out", out]).returncode == 0, name + " failed")
            with open(os.path.join(out, "report.json")) as f:
                reports[name] = json.load(f)
        check(reports["miss"]["model_cache"] == {"model": "miss", "golden": "miss"} and
              reports["hit"]["model_cache"] == {"model": "encoded", "golden": "hit"},
              "the second run did not hit the cache")
        for name in ("miss", "hit"):
            for section in set(reports["cold"]) - {"wall_seconds", "outputs", "model_cache"}:
                check(reports[name].get(section) == reports["cold"][section],
                      f"{name}: report {section} differs from the cold run")
            for f in ("outputs.npy", "outputs_raw.npy", "outputs_raw_systemc.npy",
                      "outputs_float.npy", "outputs_float_dense.npy"):
                check(filecmp.cmp(os.path.join(tmp, "run-cold", f),
                                  os.path.join(tmp, "run-" + name, f), shallow=False),
                      f"{name}: {f} differs from the cold run")
    elif case == "folders":
        # Resume over a results.jsonl whose second line has settings of the wrong type.
        out = os.path.join(tmp, "resume-bad")
        check(sweep(sparrow, small, out).returncode == 0, "first sweep failed")
        path = os.path.join(out, "results.jsonl")
        with open(path) as f:
            lines = f.read().splitlines(keepends=True)
        bad = json.loads(lines[1])
        bad["settings"] = 5
        lines[1] = json.dumps(bad) + "\n"
        with open(path, "w") as f:
            f.write("".join(lines))
        before = {n: os.stat(os.path.join(out, n)).st_mtime_ns for n in os.listdir(out)}
        with open(path, "rb") as f:
            text = f.read()
        r = sweep(sparrow, small, out)
        one_error_line(r, "results.jsonl: line 2: settings: got 5")
        with open(path, "rb") as f:
            check(f.read() == text, "results.jsonl was rewritten")
        after = {n: os.stat(os.path.join(out, n)).st_mtime_ns for n in os.listdir(out)}
        check({k: v for k, v in after.items() if k != ".sweep.lock"} ==
              {k: v for k, v in before.items() if k != ".sweep.lock"}, "the folder was written")
        # A last line cut short by a kill is dropped (and the point run again), not an error.
        with open(path, "w") as f:
            f.write("".join(lines[:1] + lines[2:]) + lines[1][:50])
        check(sweep(sparrow, small, out).returncode == 0, "resume over a cut line failed")
        keys = [x["key"] for x in rows(out)]
        check(len(keys) == 36 and len(set(keys)) == 36, "resume did not record every point once")
        # Rows this sweep did not make: another spec's point, another engine's row, two shards
        # with different results of one point, each refused before anything is written.
        good = rows(out)
        for name, row, fragment in [
                ("foreign", dict(good[0], key="0123456789abcdef"),
                 "key: got '0123456789abcdef', a point this spec does not have"),
                ("engine", dict(good[0], engine="systemc"),
                 f"key {good[0]['key']}: engine: got \"systemc\""),
        ]:
            folder = os.path.join(tmp, "rows-" + name)
            os.makedirs(folder)
            with open(os.path.join(folder, "results.jsonl"), "w") as f:
                f.write(json.dumps(row) + "\n")
            one_error_line(sweep(sparrow, small, os.path.join(tmp, "merged-" + name),
                                 "--merge", folder), fragment)
            check(not os.path.exists(os.path.join(tmp, "merged-" + name)), "--out was written")
        other = dict(good[0], metrics=dict(good[0]["metrics"], cycles=1))
        for i, row in enumerate([good[0], other]):
            os.makedirs(os.path.join(tmp, f"shard-{i}"))
            with open(os.path.join(tmp, f"shard-{i}", "results.jsonl"), "w") as f:
                f.write(json.dumps(row) + "\n")
        one_error_line(sweep(sparrow, small, os.path.join(tmp, "merged-conflict"), "--merge",
                             os.path.join(tmp, "shard-0"), os.path.join(tmp, "shard-1")),
                       f"--merge: key {good[0]['key']}: got two different results of one point")
        # What the sweep writes must be writable before any point runs.
        folder = os.path.join(tmp, "pareto-dir")
        os.makedirs(os.path.join(folder, "pareto.csv"))
        one_error_line(sweep(sparrow, small, folder), "pareto.csv: got a directory")
        check(os.listdir(folder) == ["pareto.csv"], "the sweep wrote before refusing")
        # An energy table no point can use (zero CLB energy: zero power, per-watt metrics
        # undefined) is a spec error before any point runs.
        zero = os.path.join(fixtures, "../../bad_inputs/sweep-zero-energy.yaml")
        out = os.path.join(tmp, "zero-energy")
        r = sweep(sparrow, zero, out)
        check(r.returncode == 2 and r.stderr.count("\n") == 1 and
              "energy-all-zero.yaml: entries.clb.pj: got '0'" in r.stderr and
              not os.path.exists(os.path.join(out, "results.jsonl")),
              "zero-energy sweep not refused: " + r.stderr)
        # A grid of 10^7 points is announced before it is expanded, and costs no time.
        big = write_spec(tmp, "big", fixtures, "  arch.clock_mhz: {from: 100, to: 199.99, step: 0.01}\n"
                         "  workload.seq_len: {from: 1, to: 1000, step: 1}\n")
        t0 = time.time()
        r = sweep(sparrow, big, os.path.join(tmp, "big"), "--slurm", "2", timeout=60)
        check(r.returncode == 0 and "sweep big: expanding 10000000 points ..." in r.stderr,
              "no line before a large expansion: " + r.stderr)
        check(time.time() - t0 < 20, f"expanding 10^7 points took {time.time() - t0:.1f} s")
        # Every path in the generated scripts is shell-quoted: a spec path with blanks, quotes and
        # a newline stays one argument.
        odd = os.path.join(tmp, "it's a \"spec\"\n$(touch pwned)")
        os.makedirs(odd)
        spec = write_spec(odd, "odd", fixtures, "  arch.mac_array.pes: [2, 4]\n")
        slurm = os.path.join(tmp, "slurm-odd")
        r = sweep(sparrow, spec, slurm, "--slurm", "2")
        check(r.returncode == 0, "--slurm with an odd spec path: " + r.stderr)
        for script in ("sweep.sbatch", "merge.sh"):
            path = os.path.join(slurm, script)
            check(subprocess.run(["bash", "-n", path]).returncode == 0, script + " is not bash")
            with open(path) as f:
                text = f.read()
            words = shlex.split(text.split("set -euo pipefail\n", 1)[1])
            check(words[1] == "sweep" and words[2] == os.path.abspath(spec),
                  f"{script}: the spec path is not one word: {words[:3]}")
            check("\n#SBATCH --job-name=sparrow-odd\n" in text or script == "merge.sh",
                  "job name missing")
        huge = write_spec(tmp, "huge", fixtures, "  arch.clock_mhz: {from: 100, to: 199.99, step: 0.01}\n"
                          "  workload.seq_len: {from: 1, to: 1001, step: 1}\n")
        r = sweep(sparrow, huge, os.path.join(tmp, "huge"))
        one_error_line(r, "vary: got 10010000 combinations")
        check(not os.path.exists(os.path.join(tmp, "huge")), "a refused sweep wrote --out")
    elif case == "lock":
        spec = write_spec(tmp, "locked", fixtures,
                          "  arch.clock_mhz: {from: 100, to: 399, step: 1}\n"
                          "  arch.mac_array.pes: [2, 4, 8, 16]\n  arch.mac_array.lanes: [1, 2]\n")
        out = os.path.join(tmp, "shared")
        first = subprocess.Popen([sparrow, "sweep", spec, "--out", out], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
        lock = os.path.join(out, ".sweep.lock")
        deadline = time.time() + 30
        while time.time() < deadline and first.poll() is None:
            try:
                with open(lock) as f:
                    if f.read().strip() == str(first.pid):
                        break
            except OSError:
                pass
            time.sleep(0.005)
        second = sweep(sparrow, spec, out)
        check(first.poll() is None, "the first sweep ended before the second tried (no overlap)")
        one_error_line(second, f"{out}: --out: got a folder another sweep is writing "
                       f"(pid {first.pid}); allowed: one sweep per folder at a time")
        check(first.wait() == 0, "the first sweep failed: " + first.stderr.read())
        keys = [x["key"] for x in rows(out)]
        check(len(keys) == 2400 and len(set(keys)) == 2400,
              f"{len(keys)} rows, {len(set(keys))} keys; expected every point once (2400)")
        # Once the first is done, the folder is free again (a resume that has nothing to run).
        again = sweep(sparrow, spec, out)
        check(again.returncode == 0 and len(rows(out)) == 2400, "the folder stayed locked")
        # A lock still held after its sweep is gone (a child killed between its fork and its exec
        # holds it until it exits; the lock file names the sweep): the next sweep waits for it.
        gone = subprocess.Popen(["true"])
        gone.wait()
        holder = subprocess.Popen(
            [sys.executable, "-c", "import fcntl, sys, time\n"
             "f = open(sys.argv[1], 'r+')\nfcntl.flock(f, fcntl.LOCK_EX)\n"
             "f.truncate(0)\nf.write(sys.argv[2] + '\\n')\nf.flush()\n"
             "print('locked', flush=True)\ntime.sleep(1)\n", lock, str(gone.pid)],
            stdout=subprocess.PIPE, text=True)
        check(holder.stdout.readline().strip() == "locked", "the stand-in did not take the lock")
        waited = sweep(sparrow, spec, out)
        check(waited.returncode == 0, "a lock its gone sweep left was not waited for: " +
              waited.stderr)
        check(holder.poll() is not None, "the sweep ran while the lock was held")
        holder.wait()
    elif case == "signals":
        spec = write_spec(tmp, "signals", fixtures,
                          "  workload.seq_len: [10000, 10001]\n  arch.mac_array.pes: [4, 8]\n")
        out = os.path.join(tmp, "stopped")
        p = subprocess.Popen([sparrow, "sweep", spec, "--out", out, "--engine", "systemc",
                              "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kids = []
        deadline = time.time() + 60
        while time.time() < deadline and p.poll() is None and not kids:
            kids = children(p.pid)
            time.sleep(0.01)
        check(kids, "no point's child process was seen")
        time.sleep(0.2)
        kids = children(p.pid) or kids
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=10)
        deadline = time.time() + 5
        while time.time() < deadline and (any(alive(k) for k in kids) or
                                          processes_mentioning(out + "/points/")):
            time.sleep(0.05)
        check(not any(alive(k) for k in kids), f"a point's process outlived the sweep: {kids}")
        check(not processes_mentioning(out + "/points/"), "a process of the sweep is left")
        done = len(rows(out)) if os.path.exists(os.path.join(out, "results.jsonl")) else 0
        check(done < 4, "the sweep finished before SIGTERM")
        r = sweep(sparrow, spec, out, "--engine", "systemc", "--jobs", "2")
        check(r.returncode == 0, "the resumed sweep failed: " + r.stderr)
        keys = [x["key"] for x in rows(out)]
        check(len(keys) == 4 and len(set(keys)) == 4,
              f"after resuming: {len(keys)} rows, {len(set(keys))} keys; expected 4 once each")
        check(all(x["status"] == "ok" for x in rows(out)), "a resumed point failed")
    elif case == "task":
        spec = os.path.join(fixtures, "task.yaml")
        out = os.path.join(tmp, "task")
        r = sweep(sparrow, spec, out)
        check(r.returncode == 0, f"task sweep failed: {r.stderr}")
        check("task sentiment-dense: 4 evaluations for 8 points" in r.stderr,
              f"expected 4 evaluations for 8 points: {r.stderr}")
        rs = rows(out)
        check(len(rs) == 8 and all(x["status"] in ("ok", "infeasible") for x in rs),
              f"expected 8 measured rows: {rs}")
        # Points differing in the PEs only share the task metrics.
        by_compression = {}
        for x in rs:
            k = (x["settings"]["arch.compression.sh"], x["settings"]["arch.arith.wh"])
            t = (x["metrics"]["task_accuracy"], x["metrics"]["task_delta_vs_float"])
            check(by_compression.setdefault(k, t) == t, f"task metrics differ at {k}")
        # The constraint: rows below it are infeasible, and not on the front.
        with open(os.path.join(out, "pareto.csv")) as f:
            header = f.readline().strip().split(",")
            front = {line.split(",")[0] for line in f}
        check("task_accuracy" in header and "task_delta_vs_float" in header,
              f"pareto.csv lacks the task columns: {header}")
        for x in rs:
            low = x["metrics"]["task_delta_vs_float"] < -1.0
            check((x["status"] == "infeasible") == low, f"constraint not applied: {x}")
            check(not (low and x["key"] in front), f"an infeasible point is on the front: {x}")
        check(any(x["status"] == "infeasible" for x in rs) and front,
              "expected infeasible points and a front")
        with open(os.path.join(out, "sweep.md")) as f:
            check("over max task_accuracy max effective_gops_per_watt" in f.read(),
                  "the default objectives are not the task's")
        # Each row's metric is `sparrow app --engine golden`'s on the same point.
        app = os.path.join(fixtures, "../../../configs/apps/sentiment-dense")
        for x in rs:
            st = x["settings"]
            if st["arch.mac_array.pes"] != "8" or "bits: 3" in st["arch.arith.wh"]:
                continue
            sets = [a for kv in st.items() for a in ("--set", "=".join(kv))]
            a_out = os.path.join(tmp, "app-" + x["key"])
            p = subprocess.run([sparrow, "app", os.path.join(app, "app.yaml"), "--engine", "golden",
                                "--quiet", "--out", a_out, *sets],
                               stderr=subprocess.PIPE, text=True, timeout=120)
            check(p.returncode == 0, f"sparrow app failed: {p.stderr}")
            with open(os.path.join(a_out, "report.json")) as f:
                task = json.load(f)["task"]
            fixed, ref = 100 * task["fixed"]["accuracy"], 100 * task["float"]["accuracy"]
            check(x["metrics"]["task_accuracy"] == fixed and
                  x["metrics"]["task_delta_vs_float"] == fixed - ref,
                  f"sweep {x['metrics']} against sparrow app {fixed}, {ref}")
        # Refused before any point runs: a missing app, and a task on the SystemC engine.
        bad = os.path.join(tmp, "missing.yaml")
        with open(spec) as f, open(bad, "w") as g:
            g.write(f.read().replace("sentiment-dense/app.yaml", "no-such-app/app.yaml"))
        r = sweep(sparrow, bad, os.path.join(tmp, "missing"))
        one_error_line(r, "missing.yaml: task: got '../../../configs/apps/no-such-app/app.yaml'")
        check(not os.path.exists(os.path.join(tmp, "missing")), "a refused sweep wrote files")
        r = sweep(sparrow, spec, os.path.join(tmp, "systemc"), "--engine", "systemc")
        one_error_line(r, "task: got")
        check(not os.path.exists(os.path.join(tmp, "systemc")), "a refused sweep wrote files")
    elif case == "slurm":
        local = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts/slurm_local.sh")
        env = dict(os.environ, SPARROW_SLURM_DIR=os.path.join(tmp, "cluster"))
        env["SLURM_CONF"] = os.path.join(env["SPARROW_SLURM_DIR"], "slurm.conf")
        check(subprocess.run([local, "start"], env=env).returncode == 0, "the cluster did not start")
        try:
            whole, arr = os.path.join(tmp, "whole"), os.path.join(tmp, "array")
            check(sweep(sparrow, small, whole, "--engine", "systemc", "--jobs", "2").returncode == 0,
                  "unsharded sweep failed")
            check(sweep(sparrow, small, arr, "--engine", "systemc", "--jobs", "1",
                        "--slurm", "3").returncode == 0, "--slurm failed")

            def sbatch(*args):
                r = subprocess.run(["sbatch", "--parsable", *args], env=env, cwd=arr,
                                   capture_output=True, text=True, timeout=900)
                check(r.returncode == 0, "sbatch " + " ".join(args) + ": " + r.stderr)
                return r.stdout.strip().split(";")[0]

            job = sbatch(os.path.join(arr, "sweep.sbatch"))
            sbatch("--wait", "--dependency=afterok:" + job, "--output",
                   os.path.join(arr, "merge.log"), os.path.join(arr, "merge.sh"))
            sizes = [len(rows(os.path.join(arr, f"shard-{i}"))) for i in range(3)]
            check(sizes == [12, 12, 12], f"shard sizes {sizes}, expected 12 each")
            a, b = by_settings(rows(whole)), by_settings(rows(arr))
            check(a.keys() == b.keys() and all(a[k]["metrics"] == b[k]["metrics"] for k in a),
                  "the merged job array differs from the unsharded run")
            # The job array names the spec by its absolute path, so keys and workload paths
            # differ from this run's: compare the settings and metrics columns.
            def front(out):
                with open(os.path.join(out, "pareto.csv")) as f:
                    return sorted(",".join(line.split(",")[3:]) for line in f.read().splitlines()[1:])
            check(front(whole) == front(arr), "merged Pareto front differs")
        finally:
            subprocess.run([local, "stop"], env=env)
    print("ok:", case)


if __name__ == "__main__":
    main()
