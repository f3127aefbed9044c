#!/usr/bin/env bash
# report.json against its schema (docs/report.schema.json, docs/report.md): the reports of every
# engine but rtl (label rtl has its own run), a session, batches, projection, unstructured and
# binarized patterns, the model cache and a resources energy table all pass
# `scripts/check_report.py`; the checker finds a missing field, a field the schema lacks and a
# value of the wrong type.
# Usage: report_schema.sh SPARROW SOURCE_DIR OUT_DIR
set -eu
sparrow=$1 src=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
check="python3 $src/scripts/check_report.py $src/docs/report.schema.json"
fixtures=$src/tests/fixtures/workloads
run() {
  local name=$1
  shift
  "$sparrow" run --quiet --out "$out/$name" "$@"
}
run systemc --engine systemc --arch "$src/configs/arch/brds.yaml" --workload "$fixtures/rtl-small.yaml"
run golden --engine golden --arch "$src/configs/arch/brds.yaml" --workload "$fixtures/rtl-small.yaml"
run session --engine analytic --arch "$src/configs/arch/brds.yaml" \
  --workload "$fixtures/rtl-bilstm.yaml" --set workload.sequences=2
run batches --engine systemc --arch "$src/configs/arch/brds.yaml" \
  --workload "$fixtures/rtl-bilstm.yaml" --set workload.sequences=4 --set workload.batch=2
run projection --engine analytic --arch "$src/configs/arch/brds-pwl16.yaml" \
  --workload "$src/configs/workloads/speech-lstmp.yaml" --set workload.seq_len=2 --no-float
run unstructured --engine analytic --arch "$src/configs/arch/baseline-unstructured.yaml" \
  --workload "$fixtures/rtl-bilstm.yaml" --model-cache "$out/cache"
run binarized --engine systemc --arch "$src/configs/arch/binarized.yaml" \
  --workload "$fixtures/rtl-bilstm.yaml" --energy "$src/configs/energy/fpga-by-resource.yaml"
run synthesized --engine analytic --arch "$src/configs/arch/brds.yaml" \
  --workload "$src/configs/workloads/sentiment-h128.yaml" --no-float
$check "$out"/*/report.json

# Batches: both batch fields, the steady state of two batches, the batch-state memories.
python3 - "$out/batches/report.json" <<'PY'
import json
import sys

r = json.load(open(sys.argv[1]))
s = r["performance"]["session"]
assert r["workload"]["batch"] == 2 and s["batch"] == 2 and "steady_mac_utilization" in s, s
assert r["resources"]["units"][-1]["unit"] == "batch_state", r["resources"]["units"][-1]
PY

# The report of a synthesized design point names its record (the schema's synthesis fields).
grep -q '"source": "synthesis"' "$out/synthesized/report.json"

# The checker fails on what is wrong, one line each.
python3 - "$out/session/report.json" "$out" <<'PY'
import json
import sys

report = json.load(open(sys.argv[1]))
out = sys.argv[2]
bad = dict(report)
del bad["ops"]
bad["extra_field"] = 1
bad["performance"] = dict(report["performance"], cycles="many")
json.dump(bad, open(f"{out}/bad.json", "w"))
PY
if $check "$out/bad.json" > "$out/bad.txt"; then
  echo "check_report.py passed a broken report" >&2
  exit 1
fi
grep -q "/: missing field 'ops'" "$out/bad.txt"
grep -q "/: field 'extra_field' is not in the schema" "$out/bad.txt"
grep -q "/performance/cycles: got str \"many\"; allowed: integer" "$out/bad.txt"
test "$(wc -l < "$out/bad.txt")" -eq 3
echo "report.schema: $(ls -d "$out"/*/ | grep -vc cache) reports conform"
