#!/usr/bin/env python3
"""The include arrows between sparrow's layers run one way (docs/architecture.md, "The layers"):
libraries <- SystemC units <- testbenches and engines (tb/) <- applications. Prints every include
of a higher layer from a lower one, and every model/ folder no layer names; exits 1 if any.

    layers.py SOURCE_DIR
"""
import os
import re
import sys

LAYERS = {
    0: ("libraries", {"common", "config", "arith", "io", "workload", "compress", "golden",
                      "timing", "energy", "report", "trace"}),
    1: ("SystemC units", {"csr", "dma", "memory", "weight_bank", "vector_buffer", "mac_array",
                          "gate_unit", "controller", "accelerator", "sim"}),
    3: ("applications", {"cli", "sweep", "regress", "app"}),
}
TB = 2  # tb/: the testbenches and the engines


def folder_layer(folder):
    for layer, (_, folders) in LAYERS.items():
        if folder in folders:
            return layer
    return None


def main():
    src = sys.argv[1]
    problems = []
    for folder in sorted(os.listdir(os.path.join(src, "model"))):
        if os.path.isdir(os.path.join(src, "model", folder)) and folder_layer(folder) is None:
            problems.append(f"model/{folder}: a folder no layer names (tests/cli/layers.py)")
    for top in ("model", "tb"):
        for dirpath, _, files in os.walk(os.path.join(src, top)):
            for name in sorted(files):
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, src)
                parts = rel.split(os.sep)
                mine = TB if parts[0] == "tb" else folder_layer(parts[1])
                with open(path, encoding="utf-8") as f:
                    for n, line in enumerate(f, 1):
                        m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                        if not m:
                            continue
                        inc = m.group(1)
                        if "/" in inc:
                            theirs = folder_layer(inc.split("/")[0])
                        elif os.path.exists(os.path.join(src, "tb", inc)):
                            theirs = TB
                        else:
                            theirs = None
                        if mine is not None and theirs is not None and theirs > mine:
                            problems.append(f"{rel}:{n}: includes {inc}, a higher layer")
    for p in problems:
        print(p)
    print(f"layers: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
