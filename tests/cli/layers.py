#!/usr/bin/env python3
"""The include arrows between sparrow's layers run one way (docs/architecture.md, "The layers"):
lib/ (libraries) <- model/ (SystemC units) <- driver/ <- tb/ (testbench) <- engines/ <- apps/
(applications and the sparrow command). Resolves every quoted include the way the build does
(the layer folders lib/, model/ and apps/, then the project root) and prints every include of a
higher layer from a lower one, every include that resolves to no file, and every C++ folder of
the top level or of model/ that the layers do not name; exits 1 if any.

    layers.py SOURCE_DIR
"""
import os
import re
import sys

LAYERS = ["lib", "model", "driver", "tb", "engines", "apps"]  # lowest first
# The build's include roots, in its search order (each CMake target's include directories).
ROOTS = ["lib", "model", "apps", "."]
# The SystemC units, one folder each, with the unit names of rtl/; sim: their clock and cycles.
UNITS = {"accelerator", "controller", "csr", "dma", "gate_unit", "mac_array", "memory", "sim",
         "vector_buffer", "weight_bank"}
# Top-level folders with C++ that are not layers: tests, benchmarks, examples built elsewhere;
# build folders (build*, as .gitignore has them: build-fuzz, build-asan) are skipped too.
OUTSIDE = {"tests", "bench", "examples", "build", "out", ".git", "rtl"}
# Headers of the Verilator build of the RTL testbench (tb/rtl/), not in the tree.
VERILATOR = {"Vaccelerator.h", "verilated.h", "verilated_fst_c.h"}


def layer_of(src, path):
    top = os.path.relpath(path, src).split(os.sep)[0]
    return LAYERS.index(top) if top in LAYERS else None


def resolve(src, including, inc):
    here = os.path.join(os.path.dirname(including), inc)
    if os.path.exists(here):
        return here
    for root in ROOTS:
        p = os.path.join(src, root, inc)
        if os.path.exists(p):
            return p
    return None


def sources(src, top):
    for dirpath, _, files in os.walk(os.path.join(src, top)):
        for name in sorted(files):
            if name.endswith((".h", ".cpp")):
                yield os.path.join(dirpath, name)


def main():
    src = sys.argv[1]
    problems = []
    for top in sorted(os.listdir(src)):
        if (os.path.isdir(os.path.join(src, top)) and top not in LAYERS and top not in OUTSIDE
                and not top.startswith("build") and any(sources(src, top))):
            problems.append(f"{top}/: C++ in a folder no layer names (tests/cli/layers.py)")
    for folder in sorted(os.listdir(os.path.join(src, "model"))):
        if os.path.isdir(os.path.join(src, "model", folder)) and folder not in UNITS:
            problems.append(f"model/{folder}: not a SystemC unit (tests/cli/layers.py)")
    for top in LAYERS:
        for path in sources(src, top):
            rel = os.path.relpath(path, src)
            mine = layer_of(src, path)
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    if not m:
                        continue
                    target = resolve(src, path, m.group(1))
                    if target is None:
                        if m.group(1) not in VERILATOR:
                            problems.append(f"{rel}:{n}: includes {m.group(1)}, found nowhere")
                        continue
                    theirs = layer_of(src, target)
                    if theirs is not None and theirs > mine:
                        problems.append(f"{rel}:{n}: includes {m.group(1)} "
                                        f"({LAYERS[theirs]}/), a higher layer than {LAYERS[mine]}/")
    for p in problems:
        print(p)
    print(f"layers: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
