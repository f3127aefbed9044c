#!/usr/bin/env python3
"""Synthesizes the RTL with Yosys for design points and records the resources.

For each architecture config (or ARCH.yaml=WORKLOAD.yaml pair: that workload instead of
--workload, the record then named ARCH--WORKLOAD.json), `sparrow verify --design-only` gives the
RTL parameter set of that design point (the capacity from the workload) and the ROM images; Yosys
then runs
`synth_xilinx` (7-series cells: LUT, LUT RAM, FF, DSP48E1, block RAM) and the generic `synth`
(its cell count) on the hierarchy, where identical PEs are synthesized once and counted per
instance. `sparrow run --engine analytic` gives the analytic estimate of the same point
(docs/energy.md, "Resources") to compare with. Results go to OUT/<arch>.json (the format is in
docs/synthesis.md) and, with --md, into the generated block of the report docs/synthesis.md (the
text around the block is written by hand).

    scripts/synth_rtl.py --workload configs/workloads/sentiment-h128.yaml \\
        --out configs/synthesis --md docs/synthesis.md configs/arch/brds.yaml \\
        configs/arch/brds-s90.yaml=configs/workloads/ptb-medium.yaml ...

--check runs one flow on one design point and only checks that Yosys maps it (the `synth` test).
"""
import argparse
import concurrent.futures
import glob
import hashlib
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RTL = os.path.join(ROOT, "rtl")
UNITS = ["mac_array", "vector_buffer", "gate_unit", "weight_loader", "dma", "csr", "controller"]
# Modules counted in another's unit: the AXI4 master is the DMA's memory port.
UNIT_OF = {"axi_master": "dma"}
# LUT sites per 7-series distributed-RAM primitive.
LUTRAM_SITES = {"RAM32X1S": 1, "RAM64X1S": 1, "RAM128X1S": 2, "RAM256X1S": 4, "RAM32X1D": 2,
                "RAM64X1D": 2, "RAM128X1D": 4, "RAM32M": 4, "RAM64M": 4}
# The generic flow is `synth`'s script without its `memory_map`: memories stay memories (their
# bits counted), the rest is mapped to Yosys's internal gates. `memory_unpack` lets `stat` count
# the bits.
GENERIC = ["synth -top accelerator -run begin:fine", "opt -fast -full", "techmap", "opt -fast",
           "abc -fast", "opt -fast", "memory_unpack"]
FLOWS = {"xilinx": "synth_xilinx -top accelerator", "generic": "\n".join(GENERIC)}


def rtl_files():
    """The RTL's sources in the order of its file list, rtl/sparrow.f (the package first)."""
    with open(os.path.join(RTL, "sparrow.f")) as f:
        return [os.path.join(RTL, line.strip()) for line in f
                if line.strip() and not line.startswith("//")]


def rtl_digest():
    """The RTL a record was synthesized from: SHA-256 over the file list's sources, rtl/*.svh and
    the list itself, each file's name and its text with comments removed and white space
    collapsed (an edit of a comment or of the layout keeps the digest)."""
    h = hashlib.sha256()
    for path in sorted(rtl_files() + glob.glob(os.path.join(RTL, "*.svh"))
                       + [os.path.join(RTL, "sparrow.f")]):
        with open(path) as f:
            text = re.sub(r"/\*.*?\*/|//[^\n]*", " ", f.read(), flags=re.S)
        h.update(os.path.basename(path).encode() + b"\0" + " ".join(text.split()).encode() + b"\0")
    return "sha256:" + h.hexdigest()


def stale_records(folder):
    """Lines naming each record in `folder` whose RTL digest is not the current tree's."""
    current, lines = rtl_digest(), []
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        try:
            with open(path) as f:
                got = json.load(f).get("rtl_digest")
        except ValueError as e:
            lines.append(f"{os.path.relpath(path, ROOT)}: not a JSON record ({e})")
            continue
        if got != current:
            lines.append(f"{os.path.relpath(path, ROOT)}: rtl_digest: got {got or 'none'}; "
                         f"allowed: {current}, the digest of rtl/ now (synthesize again with "
                         "scripts/synth_rtl.py, or remove the record)")
    return lines


def yosys_script(params, flow, stat_file):
    files = " ".join(rtl_files())
    sets = " ".join(f'-set {k} "{v}"' if isinstance(v, str) else f"-set {k} {v}"
                    for k, v in sorted(params.items()))
    return "\n".join([f"read_verilog -defer -sv -I{RTL} {files}",
                      f"chparam {sets} accelerator",
                      "hierarchy -top accelerator",
                      FLOWS[flow],
                      f"tee -q -o {stat_file} stat -top accelerator", ""])


def module_name(name):
    """`$paramod$...\\mac_pe\\Lanes=...` or `\\mac_pe` -> mac_pe."""
    m = re.match(r"\$paramod(?:\$[0-9a-f]+)?\\([A-Za-z_]\w*)", name)
    return m.group(1) if m else name.lstrip("\\")


def parse_stat(text):
    """Per-module cell counts from Yosys's `stat`: {module: {cell type or submodule: n}}, and
    the module's memory bits as the pseudo cell type `memory_bits`."""
    modules, current = {}, None
    for line in text.splitlines():
        m = re.match(r"=== (.+) ===$", line.strip())
        if m:
            current = None if m.group(1) == "design hierarchy" else m.group(1)
            if current:
                modules[current] = {}
            continue
        m = re.match(r"\s+Number of memory bits:\s+(\d+)$", line)
        if current and m and int(m.group(1)):
            modules[current]["memory_bits"] = int(m.group(1))
            continue
        m = re.match(r"\s+(\S+)\s+(\d+)$", line)
        if current and m and not line.strip().startswith("Number"):
            modules[current][m.group(1)] = int(m.group(2))
    return modules


def flatten(modules, name):
    """Leaf cells of module `name`, its submodules' counted per instance."""
    cells = {}
    for cell, n in modules[name].items():
        if cell in modules:
            for c, k in flatten(modules, cell).items():
                cells[c] = cells.get(c, 0) + n * k
        else:
            cells[cell] = cells.get(cell, 0) + n
    return cells


def xilinx_resources(cells):
    return {
        "lut": sum(n for c, n in cells.items() if re.fullmatch(r"LUT\d", c)),
        "lutram_luts": sum(n * LUTRAM_SITES[c] for c, n in cells.items() if c in LUTRAM_SITES),
        "ff": sum(n for c, n in cells.items() if re.fullmatch(r"FD[A-Z]*", c)),
        "dsp": sum(n for c, n in cells.items() if c.startswith("DSP48")),
        "bram36": cells.get("RAMB36E1", 0) + 0.5 * cells.get("RAMB18E1", 0),
        "carry4": cells.get("CARRY4", 0),
        "muxf": cells.get("MUXF7", 0) + cells.get("MUXF8", 0),
    }


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def synthesize(params, flow, timeout, log=None):
    """One Yosys run: its record (status, seconds, cells, per unit), also when it times out.
    `log`: a file for Yosys's full log, written as the run goes (which pass a long run is in)."""
    with tempfile.TemporaryDirectory() as tmp:
        script, stat = os.path.join(tmp, "synth.ys"), os.path.join(tmp, "stat.txt")
        with open(script, "w") as f:
            f.write(yosys_script(params, flow, stat))
        start, cpu = time.time(), children_cpu()
        try:
            p = subprocess.run(["yosys", "-q", "-l", log or os.path.join(tmp, "yosys.log"), "-s",
                                script], capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"status": "timeout", "seconds": round(time.time() - start),
                    "cpu_seconds": round(children_cpu() - cpu, 1)}
        seconds = round(time.time() - start, 1)
        cpu_seconds = round(children_cpu() - cpu, 1)
        if p.returncode != 0:
            if p.returncode < 0:  # SIGKILL with no timeout: the kernel's out-of-memory killer
                error = f"yosys killed by {signal.Signals(-p.returncode).name}"
            else:
                error = " ".join((p.stderr or p.stdout).strip().splitlines()[-1:])
            return {"status": "failed", "seconds": seconds, "cpu_seconds": cpu_seconds,
                    "error": error}
        with open(stat) as f:
            modules = parse_stat(f.read())
        with open(log or os.path.join(tmp, "yosys.log")) as f:
            peak = re.findall(r"MEM: ([\d.]+) MB peak", f.read())
    top = next(m for m in modules if module_name(m) == "accelerator")
    cells = flatten(modules, top)
    memory_bits = cells.pop("memory_bits", 0)
    record = {"status": "ok", "seconds": seconds, "cpu_seconds": cpu_seconds,
              "peak_mb": round(float(peak[-1])) if peak else None,
              "cells": sum(cells.values()),
              "by_type": dict(sorted(cells.items()))}
    units = {}
    for sub, n in modules[top].items():
        if sub in modules:
            name = module_name(sub)
            unit = units.setdefault(UNIT_OF.get(name, name), {})
            for c, k in flatten(modules, sub).items():
                unit[c] = unit.get(c, 0) + n * k
    if flow == "xilinx":
        record.update(xilinx_resources(cells))
        record["by_unit"] = {u: xilinx_resources(c) for u, c in sorted(units.items())}
    else:
        record["memory_bits"] = memory_bits
        record["by_unit"] = {u: {"cells": sum(n for t, n in c.items() if t != "memory_bits"),
                                 "memory_bits": c.get("memory_bits", 0)}
                             for u, c in sorted(units.items())}
    return record


def write_record(out, name, result, old):
    """Writes out/<name>.json whole or not at all, with the flows of `old` this run has not run
    (yet): written after each flow, so a run stopped between flows keeps the flows it finished.
    Returns the record written."""
    record = dict(result)
    for flow in FLOWS:
        if flow not in record and flow in old:
            record[flow] = old[flow]
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, name + ".json")
    with open(path + ".tmp", "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    os.replace(path + ".tmp", path)
    return record


def split_point(spec, a):
    """ARCH.yaml or ARCH.yaml=WORKLOAD.yaml -> (arch, workload, record name)."""
    arch, _, workload = spec.partition("=")
    name = os.path.splitext(os.path.basename(arch))[0]
    if workload:
        name += "--" + os.path.splitext(os.path.basename(workload))[0]
    return arch, workload or a.workload, name


def design_point(a, arch, workload, design):
    cmd = [a.sparrow, "verify", "--arch", arch, "--workload", workload, "--design-only", design]
    for s in a.set:
        cmd += ["--set", s]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(design, "params.json")) as f:
        return json.load(f)


def design_key(params):
    """The netlist's identity: the parameters and the ROM images' contents."""
    key = []
    for k, v in sorted(params.items()):
        if isinstance(v, str) and os.path.exists(v):
            with open(v) as f:
                v = f.read()
        key.append((k, v))
    return json.dumps(key)


def previous(out, result):
    """The flows an earlier run recorded for the same parameters and RTL as `result` (kept when
    not rerun)."""
    path = os.path.join(out, result["name"] + ".json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        old = json.load(f)
    return old if all(old.get(k) == result[k] for k in ("parameters", "rtl_digest")) else {}


def analytic(a, arch, workload):
    """The analytic resource estimate of the same design point (sparrow run's report)."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [a.sparrow, "run", "--engine", "analytic", "--arch", arch, "--workload",
               workload, "--out", out, "--synthesis", ""]
        for s in a.set:
            cmd += ["--set", s]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "report.json")) as f:
            return json.load(f)["resources"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("arch", nargs="*",
                    help="architecture configs, or ARCH.yaml=WORKLOAD.yaml for that workload")
    ap.add_argument("--workload", help="workload that sets the RTL's capacity (required with arch)")
    ap.add_argument("--set", action="append", default=[], help="passed to sparrow (KEY=VALUE)")
    ap.add_argument("--sparrow", default=os.path.join(ROOT, "build", "sparrow"))
    ap.add_argument("--out", help="folder for <arch>.json")
    ap.add_argument("--md", help="the report to write (docs/synthesis.md)")
    ap.add_argument("--flows", default="xilinx,generic")
    ap.add_argument("--timeout", type=int, default=3600, help="seconds per Yosys run")
    ap.add_argument("--jobs", type=int, default=1,
                    help="Yosys runs at a time (each is single-threaded): with 2, a design "
                    "point's two flows run side by side")
    ap.add_argument("--log", metavar="DIR",
                    help="keep Yosys's full log of each run as DIR/<arch>.<flow>.log")
    ap.add_argument("--check", action="store_true",
                    help="only check that every run maps (exit 1 otherwise); writes nothing")
    ap.add_argument("--report-only", action="store_true",
                    help="write --md from the JSON already in --out, running no "
                    "synthesis (each record's analytic estimate is refreshed)")
    ap.add_argument("--check-records", metavar="DIR",
                    help="only check that every record in DIR is of the current rtl/ (exit 1 "
                    "otherwise, one line per stale record); no arch needed")
    a = ap.parse_args()
    if a.check_records:
        if not os.path.isdir(a.check_records):
            print(f"--check-records: {a.check_records}: not a folder; allowed: the folder of "
                  "the synthesis records (configs/synthesis)", file=sys.stderr)
            sys.exit(2)
        stale = stale_records(a.check_records)
        for line in stale:
            print(line, file=sys.stderr)
        sys.exit(1 if stale else 0)
    if not a.arch or any(not split_point(spec, a)[1] for spec in a.arch):
        ap.error("the following arguments are required: arch, --workload (or ARCH=WORKLOAD)")
    tool = subprocess.run(["yosys", "-V"], capture_output=True, text=True).stdout.strip()
    if a.report_only:
        rows = []
        for spec in a.arch:
            arch, workload, name = split_point(spec, a)
            with open(os.path.join(a.out, name + ".json")) as f:
                record = json.load(f)
            record["analytic"] = analytic(a, arch, workload)  # the estimate is code: refreshed
            rows.append(write_record(a.out, name, record, {}))
        write_report(a.md, render(rows, a, rows[0]["tool"]))
        return
    if a.jobs < 1:
        ap.error(f"--jobs: got {a.jobs}; allowed: 1 or more")
    pool = concurrent.futures.ProcessPoolExecutor(a.jobs) if a.jobs > 1 else None
    rows, done = [], {}  # done: design key -> the record whose runs it shares
    for spec in a.arch:
        arch, workload, name = split_point(spec, a)
        with tempfile.TemporaryDirectory() as design:
            params = design_point(a, arch, workload, design)
            key = design_key(params)
            result = {"arch": os.path.splitext(os.path.basename(arch))[0], "name": name,
                      "workload": os.path.relpath(os.path.abspath(workload), ROOT),
                      "overrides": a.set, "tool": tool, "rtl_digest": rtl_digest(),
                      "parameters": {k: v for k, v in sorted(params.items())
                                     if not isinstance(v, str)}}
            old = previous(a.out, result) if a.out else {}
            twin = next((r for r in rows if r["name"] == done.get(key)), None)
            if not a.check:
                result["analytic"] = analytic(a, arch, workload)
            logs = {}
            for flow in a.flows.split(","):
                logs[flow] = None
                if a.log:
                    os.makedirs(a.log, exist_ok=True)
                    logs[flow] = os.path.join(a.log, f"{name}.{flow}.log")
            # With a pool, the flows run side by side (each in a worker process, so that its CPU
            # time is its own); their records are written in flow order as each finishes.
            runs = {flow: pool.submit(synthesize, params, flow, a.timeout, log)
                    for flow, log in logs.items()} if pool and twin is None else {}
            for flow, log in logs.items():
                if twin is not None:
                    result[flow] = twin[flow]
                    result["same_design_as"] = twin["name"]
                    continue
                r = runs[flow].result() if runs else synthesize(params, flow, a.timeout, log)
                r["limit_seconds"] = a.timeout
                result[flow] = r
                why = f" ({r['error']})" if "error" in r else ""
                print(f"{name}: {flow}: {r['status']}{why}, {r.get('cells', '-')} cells, "
                      f"{r['seconds']:.0f} s", file=sys.stderr, flush=True)
                if a.check and r["status"] != "ok":
                    sys.exit(1)
                if a.out and not a.check:
                    write_record(a.out, name, result, old)
            done.setdefault(key, name)
        if a.check:
            continue
        if a.out:
            result = write_record(a.out, name, result, old)
        rows.append(result)
    if a.md and rows:
        write_report(a.md, render(rows, a, tool))


BEGIN, END = "<!-- generated by scripts/synth_rtl.py: begin -->", "<!-- generated: end -->"


def write_report(path, block):
    """Replaces the generated block of the report, keeping the written text around it."""
    text = f"# Synthesis of the RTL\n\n{BEGIN}\n{END}\n"
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
    if BEGIN not in text or END not in text:
        sys.exit(f"{path}: no generated block ({BEGIN} ... {END}) to replace")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(path, "w") as f:
        f.write(f"{head}{BEGIN}\n{block}{END}{tail}")


def fmt(v):
    if v is None:
        return "-"
    return f"{v:g}" if isinstance(v, float) else str(v)


def array_shape(p):
    """The arrays of a design point: `1 x PEs x lanes` (shared), `2 x PEs x lanes` (two equal
    arrays) or `W_x PEs x lanes + W_h PEs x lanes`."""
    x, h = (p["XPes"], p["XLanes"]), (p["HPes"], p["HLanes"])
    if p["Shared"]:
        return f"1 x {x[0]} x {x[1]}"
    return f"2 x {x[0]} x {x[1]}" if x == h else f"{x[0]} x {x[1]} + {h[0]} x {h[1]}"


def label(r):
    twin = r.get("same_design_as")
    workload = os.path.splitext(os.path.basename(r["workload"]))[0]
    at = f"{r['arch']} at {workload}"
    return f"{at} (netlist of {twin})" if twin else at


def ratio(synth, est):
    if synth is None or not est:
        return "-"
    return f"{synth / est:.2f}"


def render(rows, a, tool):
    out = os.path.relpath(os.path.abspath(a.out), ROOT) if a.out else None
    specs = ["=".join(os.path.relpath(os.path.abspath(x), ROOT) for x in s.split("="))
             for s in a.arch]
    cmd = " \\\n        ".join(
        [f"scripts/synth_rtl.py --out {out} --md docs/synthesis.md"]
        + ([f"--workload {os.path.relpath(os.path.abspath(a.workload), ROOT)}"] if a.workload else [])
        + specs)
    limits = sorted({r[f]["limit_seconds"] for r in rows for f in FLOWS
                     if "limit_seconds" in r.get(f, {})}) or [a.timeout]
    L = [f"The RTL (`rtl/`, `docs/rtl.md`) synthesized with {tool} for the architecture "
         "configs below, each at the capacity of the reference workload named beside it, by "
         "`synth_xilinx` (Xilinx 7-series cells) and a generic flow (`synth` "
         "keeping memories as memories: Yosys's internal gates and memory bits); a flow without "
         "figures was not run. Regenerate with",
         "", f"    {cmd}", "",
         "(each Yosys run is single-threaded and had a time limit of "
         f"{' or '.join(str(x) for x in limits)} s; `--jobs 2` runs a design point's two flows "
         "side by side; `--flows xilinx` or `--flows generic` runs "
         "one flow and keeps the other's recorded figures). The machine-readable figures are in "
         f"`{out}/<arch>.json` (format below).", "",
         "## The flow", "",
         "`sparrow verify --design-only DIR` writes the RTL parameter set of the design point "
         "(`docs/rtl.md`, \"Parameters\": the architecture's hardware knobs and formats, the "
         "capacity `MaxT`, `MaxIn`, `MaxH`, `MaxPasses`, `Items` and the banks' index fields "
         "`XIdx`, `HIdx`, `RIdx` from the workload, the bank depths `XWords`, `HWords`, `RWords` "
         "from the configured capacity) and the "
         "activation ROM images. Yosys then runs:", "",
         "    read_verilog -defer -sv -Irtl <the files of rtl/sparrow.f>",
         "    chparam -set <each parameter> accelerator",
         "    hierarchy -top accelerator",
         "    synth_xilinx -top accelerator",
         "    stat -top accelerator", "",
         "and for the generic figures, `synth`'s own script without its `memory_map` (which "
         "would turn every memory into flip-flops and multiplexers): memories stay memories and "
         "are counted in bits, the rest is mapped to Yosys's internal gates:", "",
         *("    " + c for c in GENERIC),
         "    stat -top accelerator", "",
         "The hierarchy is kept: a module with one parameter set is synthesized once and counted "
         "per instance (the PEs of an array, the lanes' rings), and the figures per "
         "unit below are those of `accelerator`'s submodules.", "",
         "## Figures", "",
         "`synth_xilinx`: LUT = LUT1..LUT6 cells (logic), LUT RAM = LUT sites used as "
         "distributed RAM (RAM32M and RAM64M: 4, RAM32X1D and RAM64X1D: 2, ...), FF = FD* "
         "cells, DSP = DSP48E1, BRAM36 = RAMB36E1 + RAMB18E1 / 2. Generic: the gate cells "
         "(`$_AND_`, `$_MUX_`, `$_DFF_P_`, ..., and one `$memrd`/`$memwr` cell per memory port) "
         "and the memory bits. Seconds: wall / CPU time of that Yosys run (one thread) on a "
         "2-core machine "
         "shared with other jobs, so wall time is mostly waiting; CPU time is what the run "
         "costs.", "",
         "| arch | arrays x PEs x lanes | LUT | LUT RAM | FF | DSP | BRAM36 | xilinx s | "
         "generic cells | memory bits | generic s |",
         "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        p, x, g = r["parameters"], r.get("xilinx", {}), r.get("generic", {})
        shape = array_shape(p)

        def cell(flow, key):
            if flow.get("status") != "ok":
                return "-"
            return fmt(flow.get(key))

        def secs(flow):
            if not flow:
                return "-"
            if "same_design_as" in r:
                return "(same run)"
            s = f"{flow['seconds']:.0f}"
            if "cpu_seconds" in flow:
                s += f" / {flow['cpu_seconds']:.0f}"
            return s if flow["status"] == "ok" else f"{flow['status']} after {s}"
        L.append(f"| {label(r)} | {shape} | {cell(x, 'lut')} | {cell(x, 'lutram_luts')} | "
                 f"{cell(x, 'ff')} | {cell(x, 'dsp')} | {cell(x, 'bram36')} | {secs(x)} | "
                 f"{cell(g, 'cells')} | {cell(g, 'memory_bits')} | {secs(g)} |")
    L += ["", "Parameters of each point:", "",
          "| arch | W_x PEs x lanes | W_h PEs x lanes | GateLanes | BeatBytes | Act/Wx/Wh bits | MaxT | MaxIn | MaxH | "
          "MaxPasses | X/H/R Idx | Items | XWords | HWords | RWords | VarRows | Stream | Proj |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        p = r["parameters"]
        L.append(f"| {label(r)} | {p['XPes']} x {p['XLanes']} | {p['HPes']} x {p['HLanes']} | "
                 f"{p['GateLanes']} | "
                 f"{p['BeatBytes']} | {p['ActBits']}/{p['WxBits']}/{p['WhBits']} | {p['MaxT']} | "
                 f"{p['MaxIn']} | {p['MaxH']} | {p['MaxPasses']} | "
                 f"{p['XIdx']}/{p['HIdx']}/{p['RIdx']} | {p['Items']} | {p['XWords']} | "
                 f"{p['HWords']} | {p['RWords']} | {p['VarRows']} | "
                 f"{p['Stream']} | {p['Proj']} |")
    L += ["", "## What maps where", "",
          "`synth_xilinx` per unit (LUT / LUT RAM / FF / DSP / BRAM36; the weight banks are "
          "inside `mac_array`, the bias memory inside `gate_unit`):", "",
          "| arch | " + " | ".join(UNITS) + " |", "|---" * (len(UNITS) + 1) + "|"]
    for r in rows:
        x = r.get("xilinx", {})
        if x.get("status") != "ok":
            continue
        cells = []
        for u in UNITS:
            v = x["by_unit"].get(u)
            cells.append("-" if v is None else
                         f"{v['lut']} / {v['lutram_luts']} / {v['ff']} / {v['dsp']} / "
                         f"{fmt(v['bram36'])}")
        L.append(f"| {label(r)} | " + " | ".join(cells) + " |")
    L += ["", "## Against the analytic estimate", "",
          "The analytic estimate (`estimate_resources`, `docs/energy.md`, \"Resources\") of the "
          "same design point, and synthesis / estimate:", "",
          "| arch | DSP synth / est. | BRAM36 synth / est. | LUT synth / est. | "
          "FF synth / est. | LUT RAM (not estimated) |", "|---|---|---|---|---|---|"]
    for r in rows:
        x, e = r.get("xilinx", {}), r["analytic"]["total"]
        if x.get("status") != "ok":
            L.append(f"| {label(r)} | - / {e['dsp']} | - / {fmt(e['bram36'])} | - / {e['lut']} | "
                     f"- / {e['ff']} | - |")
            continue
        L.append(f"| {label(r)} | {x['dsp']} / {e['dsp']} ({ratio(x['dsp'], e['dsp'])}) | "
                 f"{fmt(x['bram36'])} / {fmt(e['bram36'])} ({ratio(x['bram36'], e['bram36'])}) | "
                 f"{x['lut']} / {e['lut']} ({ratio(x['lut'], e['lut'])}) | "
                 f"{x['ff']} / {e['ff']} ({ratio(x['ff'], e['ff'])}) | {x['lutram_luts']} |")
    L.append("")
    return "\n".join(L)


if __name__ == "__main__":
    main()
