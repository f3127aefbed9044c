#!/usr/bin/env python3
"""Synthesizes the RTL with Yosys for design points and records the resources.

For each architecture config, `sparrow verify --design-only` gives the RTL parameter set of that
design point (the capacity from the workload) and the ROM images; Yosys then runs `synth_xilinx`
(LUT, FF, DSP, BRAM, the 7-series cells) and the generic `synth` (its cell count) on the
hierarchy, where identical PEs are synthesized once and counted per instance. Results go to
OUT/<arch>.json (machine-readable: the energy and area model reads them, docs/energy.md) and a
markdown table to --md.

    scripts/synth_rtl.py --workload W.yaml --out configs/synth --md docs/synthesis.md A.yaml ...
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = ["bank_ram", "weight_bank", "activation", "mac_pe", "mac_array", "vector_buffer",
           "gate_unit", "dma", "csr", "controller", "accelerator"]


def yosys_script(params, flow, stat_file):
    rtl = os.path.join(ROOT, "rtl")
    files = " ".join(os.path.join(rtl, s + ".sv") for s in SOURCES)
    sets = []
    for name, value in sorted(params.items()):
        value = f'"{value}"' if isinstance(value, str) else str(value)
        sets.append(f"-set {name} {value}")
    synth = "synth_xilinx -top accelerator" if flow == "xilinx" else "synth -top accelerator"
    return (f"read_verilog -defer -sv -I{rtl} {files}; chparam {' '.join(sets)} accelerator; "
            f"hierarchy -top accelerator; {synth}; tee -q -o {stat_file} stat -top accelerator")


def parse_stat(log):
    """Cell counts of the design hierarchy (the last `stat` block, 'design hierarchy' part)."""
    at = log.rfind("=== design hierarchy ===")
    if at < 0:
        raise RuntimeError("no design hierarchy in Yosys's stat output")
    cells = {}
    total = None
    for line in log[at:].splitlines():
        m = re.match(r"\s+Number of cells:\s+(\d+)", line)
        if m and total is None:
            total = int(m.group(1))
            continue
        m = re.match(r"\s+(\$?[A-Za-z_][\w$]*)\s+(\d+)$", line)
        if m and total is not None:
            cells[m.group(1)] = cells.get(m.group(1), 0) + int(m.group(2))
    return total, cells


def xilinx_resources(cells):
    lut = sum(n for c, n in cells.items() if re.fullmatch(r"LUT\d", c))
    lutram = sum(n for c, n in cells.items() if c.startswith("RAM") and not c.startswith("RAMB"))
    ff = sum(n for c, n in cells.items() if re.fullmatch(r"FD[A-Z]*", c))
    dsp = sum(n for c, n in cells.items() if c.startswith("DSP48"))
    bram36 = cells.get("RAMB36E1", 0) + 0.5 * cells.get("RAMB18E1", 0)
    return {"lut": lut, "lutram_cells": lutram, "ff": ff, "dsp": dsp, "bram36": bram36}


def run_yosys(params, flow, timeout):
    with tempfile.TemporaryDirectory() as tmp:
        script, stat = os.path.join(tmp, "synth.ys"), os.path.join(tmp, "stat.txt")
        with open(script, "w") as f:
            f.write(yosys_script(params, flow, stat).replace("; ", "\n") + "\n")
        start = time.time()
        p = subprocess.run(["yosys", "-q", "-s", script], capture_output=True, text=True,
                           timeout=timeout)
        if p.returncode != 0:
            raise RuntimeError(f"yosys failed: {(p.stderr or p.stdout).strip().splitlines()[-1:]}")
        with open(stat) as f:
            return f.read(), time.time() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("arch", nargs="+", help="architecture configs")
    ap.add_argument("--workload", required=True, help="workload that sets the RTL's capacity")
    ap.add_argument("--sparrow", default=os.path.join(ROOT, "build", "model", "sparrow"))
    ap.add_argument("--out", required=True, help="folder for <arch>.json")
    ap.add_argument("--md", help="markdown table to write")
    ap.add_argument("--flows", default="xilinx,generic")
    ap.add_argument("--timeout", type=int, default=7200, help="seconds per Yosys run")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rows = []
    for arch in a.arch:
        name = os.path.splitext(os.path.basename(arch))[0]
        with tempfile.TemporaryDirectory() as design:
            subprocess.run([a.sparrow, "verify", "--arch", arch, "--workload", a.workload,
                            "--design-only", design], check=True, stdout=subprocess.DEVNULL)
            with open(os.path.join(design, "params.json")) as f:
                params = json.load(f)
            result = {"arch": name, "workload": os.path.relpath(a.workload, ROOT),
                      "parameters": {k: v for k, v in params.items() if not isinstance(v, str)},
                      "tool": subprocess.run(["yosys", "-V"], capture_output=True,
                                             text=True).stdout.strip()}
            for flow in a.flows.split(","):
                log, seconds = run_yosys(params, flow, a.timeout)
                total, cells = parse_stat(log)
                entry = {"cells": total, "seconds": round(seconds, 1), "by_type": cells}
                if flow == "xilinx":
                    entry.update(xilinx_resources(cells))
                result[flow] = entry
                print(f"{name}: {flow} {total} cells in {seconds:.0f} s", file=sys.stderr)
        with open(os.path.join(a.out, name + ".json"), "w") as f:
            json.dump(result, f, indent=2, sort_keys=True)
            f.write("\n")
        rows.append(result)
    if a.md:
        with open(a.md, "w") as f:
            f.write(render(rows, a))


def render(rows, a):
    lines = ["# Synthesis of the RTL", "",
             "Yosys (`synth_xilinx`, 7-series cells; and the generic `synth`) on the RTL with each",
             "architecture's parameters, capacity from "
             f"`{os.path.relpath(a.workload, ROOT)}`. Generated by",
             "`scripts/synth_rtl.py` (the command is below); per-design JSON in "
             f"`{os.path.relpath(a.out, ROOT)}/`.", "",
             "| arch | PEs x lanes | LUT | LUTRAM cells | FF | DSP | BRAM36 | generic cells | Yosys s |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        x, g, p = r.get("xilinx", {}), r.get("generic", {}), r["parameters"]
        arrays = 1 if p["Shared"] else 2
        lines.append(f"| {r['arch']} | {arrays} x {p['Pes']} x {p['Lanes']} | {x.get('lut', '-')} | "
                     f"{x.get('lutram_cells', '-')} | {x.get('ff', '-')} | {x.get('dsp', '-')} | "
                     f"{x.get('bram36', '-')} | {g.get('cells', '-')} | "
                     f"{x.get('seconds', 0) + g.get('seconds', 0):.0f} |")
    lines += ["", "Command:", "",
              "    " + " ".join(["scripts/synth_rtl.py"] + sys.argv[1:]), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
