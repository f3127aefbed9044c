#!/usr/bin/env bash
# A design point whose RTL was synthesized (configs/synthesis/finnl-w4a4--ocr-bilstm.json: FINN-L's
# W4A4 design at the BiLSTM OCR workload's size) reports the
# synthesized resources, and a resource energy table prices each unit's fabric from them;
# `--synthesis ''` falls back to the analytic estimate.
# Usage: synthesized_resources.sh SPARROW SOURCE_DIR OUT_DIR
set -eu
sparrow=$1 src=$2 out=$3
rm -rf "$out"
run() {
  "$sparrow" run --engine analytic --quiet --arch "$src/configs/arch/finnl-w4a4.yaml" \
    --workload "$src/configs/workloads/ocr-bilstm.yaml" \
    --energy "$src/configs/energy/fpga-by-resource.yaml" "$@"
}
run --out "$out/synthesized"
run --out "$out/estimated" --synthesis ""
python3 - "$out" "$src/configs/synthesis/finnl-w4a4--ocr-bilstm.json" <<'PY'
import json
import sys

out, record = sys.argv[1], json.load(open(sys.argv[2]))
s = json.load(open(out + "/synthesized/report.json"))
e = json.load(open(out + "/estimated/report.json"))
assert s["resources"]["source"] == "synthesis", s["resources"]["source"]
assert s["resources"]["total"]["lut"] == record["xilinx"]["lut"]
assert s["resources"]["analytic"]["total"] == e["resources"]["total"]
assert e["resources"]["source"] == "analytic", e["resources"]["source"]
assert s["energy"]["resources_source"] == "synthesis"
units = {u["unit"]: u for u in s["energy"]["units"]}
csr = record["xilinx"]["by_unit"]["csr"]
clbs = max(csr["lut"] + csr["lutram_luts"], csr["ff"]) / 8
want = clbs * s["performance"]["cycles"]
got = units["csr"]["terms"][0]["count"]
assert abs(got - want) <= 1e-9 * want, (got, want)
assert "csr" not in {u["unit"] for u in e["energy"]["units"]}
print("ok: synthesized resources and their energy")
PY
