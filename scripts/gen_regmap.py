#!/usr/bin/python3
"""Writes the register map's three renderings from its one source, rtl/regmap.yaml: the C++
header model/csr/regmap.h, the SystemVerilog package rtl/sparrow_reg_pkg.sv and the table
docs/registers.md. With --check it writes nothing and fails (exit 1), naming each file that
differs from what the source gives; a bad source is one error line and exit 2."""

import argparse
import os
import sys
import textwrap

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = "rtl/regmap.yaml"
OUTPUTS = ("model/csr/regmap.h", "rtl/sparrow_reg_pkg.sv", "docs/registers.md")
ACCESS = {"rw": "kRw", "ro": "kRo", "wo": "kWo", "w1c": "kW1c"}


class SourceError(Exception):
    pass


def camel(name):
    return "".join(p[:1] + p[1:].lower() for p in name.split("_"))


def need(d, key, where, kind):
    if key not in d:
        raise SourceError(f"{where}: missing key '{key}'")
    if not isinstance(d[key], kind) or isinstance(d[key], bool):
        raise SourceError(f"{where}.{key}: got '{d[key]}'; allowed: a {kind.__name__}")
    return d[key]


def load(path):
    with open(path) as f:
        m = yaml.safe_load(f)
    bits = need(m, "address_bits", SOURCE, int)
    regs, words = [], {}
    for i, r in enumerate(need(m, "registers", SOURCE, list)):
        where = f"{SOURCE}: registers[{i}]"
        name = need(r, "name", where, str)
        off = need(r, "offset", where, int)
        n = r.get("words", 1)
        if r.get("access") not in ACCESS:
            raise SourceError(f"{where}.access: got '{r.get('access')}'; allowed: rw, ro, wo, w1c")
        if off % 4 or n not in (1, 2) or off + 4 * n > 1 << bits:
            raise SourceError(f"{where}: {name} at {off:#x} of {n} words; allowed: word-aligned, "
                              f"1 or 2 words, inside the {bits}-bit address space")
        for w in range(n):
            if off // 4 + w in words:
                raise SourceError(f"{where}: {name} overlaps {words[off // 4 + w]}")
            words[off // 4 + w] = name
        regs.append({"name": name, "offset": off, "words": n, "access": r["access"],
                     "reset": r.get("reset", 0), "doc": need(r, "doc", where, str),
                     "fields": r.get("fields", [])})
    d = need(m, "descriptors", SOURCE, dict)
    end = max(r["offset"] + 4 * r["words"] for r in regs)
    if d["base"] < end or d["base"] % d["stride"]:
        raise SourceError(f"{SOURCE}: descriptors.base {d['base']:#x}; allowed: past the "
                          f"registers (end {end:#x}) and a multiple of the stride")
    if len(d["words"]) * 4 > d["stride"]:
        raise SourceError(f"{SOURCE}: descriptors.stride {d['stride']}; allowed: at least "
                          f"{len(d['words']) * 4} bytes ({len(d['words'])} words)")
    return {"bits": bits, "regs": regs, "end": end, "desc": d}


def field_width(f):
    return f["msb"] - f["lsb"] + 1


def banner(comment):
    return (f"{comment} Generated from {SOURCE} by scripts/gen_regmap.py: do not edit; change the "
            f"source and run\n{comment} the script (the test regmap.current checks this file).\n")


def comment(text, indent=""):
    return textwrap.wrap(text, 100, initial_indent=indent + "// ",
                         subsequent_indent=indent + "// ")


def render_cpp(m):
    L = [banner("//").rstrip("\n"),
         "// The register map of both models (docs/registers.md): byte addresses of 32-bit "
         "registers, their",
         "// fields, access and reset values, and the load descriptor table.",
         "#pragma once", "", "#include <cstdint>", "", "namespace sparrow {", "",
         "enum CsrReg : uint32_t {"]
    for r in m["regs"]:
        L.append(f"  kCsr{camel(r['name'])} = {r['offset']:#04x},")
    L += [f"  kCsrEnd = {m['end']:#04x},", "};", ""]
    for r in m["regs"]:
        for f in r["fields"]:
            L += comment(f"{r['name']}.{f['name']}: {f['doc']}")
            L.append(f"inline constexpr uint32_t kCsr{camel(r['name'])}{camel(f['name'])} = "
                     f"1u << {f['bit']};")
    L += ["", "enum class CsrAccess { kRw, kRo, kWo, kW1c };", "",
          "struct CsrRegInfo {", "  const char* name;", "  uint32_t offset;",
          "  int words;  // 2: a 64-bit register, low word first", "  CsrAccess access;",
          "  uint32_t reset;", "};", "", "inline constexpr CsrRegInfo kCsrRegs[] = {"]
    for r in m["regs"]:
        L.append(f"    {{\"{r['name']}\", {r['offset']:#04x}, {r['words']}, "
                 f"CsrAccess::{ACCESS[r['access']]}, {r['reset']}}},")
    d = m["desc"]
    L += ["};", "", "// The load descriptor table.",
          f"inline constexpr uint32_t kCsrDescBase = {d['base']:#x};",
          f"inline constexpr uint32_t kCsrDescStride = {d['stride']};",
          f"inline constexpr uint32_t kCsrDescEnd = {1 << m['bits']:#x};", "",
          "enum class RegionKind : uint32_t {"]
    for k, v in d["kinds"].items():
        L.append(f"  k{camel(k)} = {v},")
    L += ["};", "", "// A descriptor word's field: bits [lsb, lsb + width).", "struct CsrField {",
          "  int lsb, width;",
          "  constexpr uint32_t put(uint64_t v) const {",
          "    return uint32_t((v & ((uint64_t{1} << width) - 1)) << lsb);", "  }",
          "  constexpr uint32_t get(uint32_t word) const {",
          "    return uint32_t((uint64_t{word} >> lsb) & ((uint64_t{1} << width) - 1));", "  }",
          "  constexpr bool fits(uint64_t v) const { return v < (uint64_t{1} << width); }", "};",
          ""]
    for i, w in enumerate(d["words"]):
        L += comment(f"{w['name']}: {w['doc']}")
        L.append(f"inline constexpr uint32_t kCsrDesc{camel(w['name'])} = {4 * i};")
        for f in w.get("fields", []):
            L += comment(f"{w['name']}.{f['name']}: {f['doc']}")
            L.append(f"inline constexpr CsrField kCsrDesc{camel(w['name'])}{camel(f['name'])}"
                     f"{{{f['lsb']}, {field_width(f)}}};")
    L += ["", "}  // namespace sparrow", ""]
    return "\n".join(L)


def render_sv(m):
    bits, end, d = m["bits"], m["end"], m["desc"]
    regs = end // 4
    L = [banner("//").rstrip("\n"),
         "// The register map (docs/registers.md): byte addresses, field bits, reset values, which",
         "// words the host may write, and the load descriptor's layout.",
         "package sparrow_reg_pkg;", "",
         "  // The map has registers the RTL does not read (projection, sessions).",
         "  /* verilator lint_off UNUSEDPARAM */"]
    for r in m["regs"]:
        L.append(f"  localparam logic [{bits - 1}:0] Csr{camel(r['name'])} = "
                 f"{bits}'h{r['offset']:04x};")
        for f in r["fields"]:
            L.append(f"  localparam int Csr{camel(r['name'])}{camel(f['name'])} = {f['bit']};")
    reset, stored, writable, mapped = ([0] * regs for _ in range(4))
    for r in m["regs"]:
        for w in range(r["words"]):
            i = r["offset"] // 4 + w
            reset[i] = (r["reset"] >> (32 * w)) & 0xffffffff
            stored[i] = int(r["access"] == "rw")
            writable[i] = int(r["access"] != "ro")
            mapped[i] = 1
    words = [f"32'h{v:08x}" for v in reversed(reset)]
    lines = [", ".join(words[i:i + 6]) for i in range(0, len(words), 6)]

    def mask(v):
        return f"{regs}'b" + "".join(str(b) for b in reversed(v)) + ";"

    L += [f"  localparam int CsrEnd = 32'h{end:04x};",
          f"  localparam int CsrRegs = {regs};",
          "  // Word r of the register file is bits [32 r, 32 r + 32); bit r of a mask is word r.",
          "  localparam logic [32*CsrRegs-1:0] CsrReset = {",
          "    " + ",\n    ".join(lines), "  };",
          "  // rw words, kept in the register file",
          "  localparam logic [CsrRegs-1:0] CsrStored = " + mask(stored),
          "  // rw and wo words: a host write is accepted",
          "  localparam logic [CsrRegs-1:0] CsrWritable = " + mask(writable),
          "  // words of a register: a host read is accepted",
          "  localparam logic [CsrRegs-1:0] CsrMapped = " + mask(mapped),
          f"  localparam logic [{bits - 1}:0] CsrDescBase = {bits}'h{d['base']:04x};",
          f"  localparam int CsrDescStride = {d['stride']};", "",
          "  typedef enum logic [1:0] {"]
    kinds = list(d["kinds"].items())
    for i, (k, v) in enumerate(kinds):
        L.append(f"    Region{camel(k)} = 2'd{v}{',' if i + 1 < len(kinds) else ''}")
    L += ["  } region_e;", ""]
    structs = []
    for w in d["words"]:
        name = f"region_{w['name'].lower()}_t"
        fields = sorted(w.get("fields", []), key=lambda f: -f["msb"])
        if not fields:
            continue
        L.append("  typedef struct packed {")
        top, gaps = 31, sum(1 for i, f in enumerate(fields)
                            if f["msb"] < (31 if i == 0 else fields[i - 1]["lsb"] - 1))
        for f in fields:
            if f["msb"] < top:
                gap = "unused" if gaps == 1 else f"unused_{f['msb'] + 1}"
                L.append(f"    logic [{top - f['msb'] - 1}:0] {gap};")
            kind = "region_e" if w["name"] == "TARGET" and f["name"] == "KIND" else \
                f"logic [{field_width(f) - 1}:0]"
            L.append(f"    {kind} {f['name'].lower()};  // {f['doc']}")
            top = f["lsb"] - 1
        L.append(f"  }} {name};  // {w['doc']}")
        L.append("")
        structs.append(w["name"])
    L.append("  typedef struct packed {")
    for w in d["words"]:
        kind = f"region_{w['name'].lower()}_t" if w["name"] in structs else "logic [31:0]"
        L.append(f"    {kind} {w['name'].lower()};  // {w['doc']}")
    L += ["  } region_desc_t;  // the table's words, first word in the top bits", "",
          "  /* verilator lint_on UNUSEDPARAM */", "endpackage", ""]
    return "\n".join(L)


def render_md(m):
    L = ["# Registers", "", f"<!-- {banner('').strip()} -->", "",
         "The accelerator's register map, the same in the SystemC model (`model/csr`) and in the "
         "RTL",
         "(`rtl/csr.sv`, an AXI4-Lite slave): 32-bit registers at byte addresses in a "
         f"{m['bits']}-bit space. Access:",
         "**rw** the host writes and the device reads; **ro** the device writes, a host write is "
         "refused",
         "(TLM command error, AXI SLVERR); **wo** an action on write, reads return 0; **w1c** "
         "the device sets",
         "bits and writing 1 to a bit clears it. A 64-bit register is two words, low word first. "
         "A write",
         "changes only the bytes whose strobe (AXI WSTRB, TLM byte enable) is set. An access "
         "outside the map",
         "is refused (TLM address error, AXI SLVERR).", "",
         "| address | register | access | reset | meaning |", "|---|---|---|---|---|"]
    for r in m["regs"]:
        width = " (64-bit)" if r["words"] == 2 else ""
        doc = r["doc"] + width
        if r["fields"]:
            doc += ": " + "; ".join(f"bit {f['bit']} `{f['name']}`, {f['doc']}" for f in r["fields"])
        L.append(f"| {r['offset']:#06x} | `{r['name']}` | {r['access']} | {r['reset']} | {doc} |")
    d = m["desc"]
    L += ["", "## Load descriptors", "",
          f"Entry e of the load descriptor table is at {d['base']:#06x} + {d['stride']} e "
          "(wo: reads return 0): one entry per region",
          "of the weight area in DRAM order; a region of no bytes has none. Each region starts "
          "at a",
          "multiple of `memory.bytes_per_cycle` from `WEIGHT_BASE` (`docs/format.md`, \"Bank "
          "images\"), and",
          "the entries end where a region ends at `WEIGHT_BYTES`. Region kinds: "
          + ", ".join(f"{v} {k}" for k, v in d["kinds"].items()) + ".", "",
          "| word | bits | field | meaning |", "|---|---|---|---|"]
    for i, w in enumerate(d["words"]):
        if not w.get("fields"):
            L.append(f"| +{4 * i} | 31..0 | `{w['name']}` | {w['doc']} |")
        for f in w.get("fields", []):
            L.append(f"| +{4 * i} | {f['msb']}..{f['lsb']} | `{w['name']}.{f['name']}` | "
                     f"{f['doc']} |")
    L.append("")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true",
                    help="write nothing; fail if a rendering differs from the source")
    ap.add_argument("--root", default=ROOT, help="the repository (default: this script's)")
    a = ap.parse_args()
    try:
        m = load(os.path.join(a.root, SOURCE))
    except (OSError, yaml.YAMLError, SourceError, KeyError, TypeError) as e:
        print(f"gen_regmap: {SOURCE}: {e}".replace("\n", " "), file=sys.stderr)
        return 2
    stale = []
    for rel, text in zip(OUTPUTS, (render_cpp(m), render_sv(m), render_md(m))):
        path = os.path.join(a.root, rel)
        old = open(path).read() if os.path.exists(path) else None
        if old == text:
            continue
        if a.check:
            stale.append(rel)
        else:
            with open(path + ".tmp", "w") as f:
                f.write(text)
            os.replace(path + ".tmp", path)
    for rel in stale:
        print(f"gen_regmap: {rel} differs from {SOURCE}; run scripts/gen_regmap.py",
              file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
