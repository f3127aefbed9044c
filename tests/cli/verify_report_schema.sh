#!/usr/bin/env bash
# sparrow verify's report.json against its schema (docs/verify-report.schema.json): a plain run
# and one under memory back-pressure after a soft reset, two runs on one device, both pass
# scripts/check_report.py, whose references into docs/report.schema.json (arch, workload) resolve;
# the checker finds a missing field, a field the schema lacks and a counter of the wrong type.
# VERIFY_ARGS (such as the rtl tests' pinned --rtl-param capacity, so that both runs share their
# Verilator build) go to both verify runs.
# Usage: verify_report_schema.sh SPARROW SOURCE_DIR OUT_DIR [VERIFY_ARGS...]
set -eu
sparrow=$1 src=$2 out=$3
shift 3
extra=("$@")
rm -rf "$out"
mkdir -p "$out"
schema=$src/docs/verify-report.schema.json
verify() {
  local name=$1
  shift
  "$sparrow" verify --quiet --out "$out/$name" --arch "$src/configs/arch/brds.yaml" "$@" \
    "${extra[@]}"
}
verify plain --workload "$src/tests/fixtures/workloads/rtl-small.yaml"
verify stalls --workload "$src/tests/fixtures/workloads/rtl-bilstm.yaml" --mem-stall-prob 0.2 \
  --soft-reset-at 100 --runs 2
python3 "$src/scripts/check_report.py" "$schema" "$out"/*/report.json

python3 - "$out/plain/report.json" "$out" "$schema" "$src/scripts/check_report.py" <<'PY'
import json
import subprocess
import sys

report, out, schema, checker = sys.argv[1:]
r = json.load(open(report))
bad = json.loads(json.dumps(r))
del bad["agreement"]
bad["speed"]["extra"] = 1
bad["counters"]["cycles"]["rtl"] = "many"
bad["arch"]["clock_mhz"] = "fast"
path = f"{out}/bad.json"
json.dump(bad, open(path, "w"))
p = subprocess.run([sys.executable, checker, schema, path], capture_output=True, text=True)
assert p.returncode == 1, p
for finding in ["/: missing field 'agreement'", "/speed: field 'extra' is not in the schema",
                "/counters/cycles/rtl: got str", "/arch/clock_mhz: got str"]:
    assert finding in p.stdout, (finding, p.stdout)
assert len(p.stdout.splitlines()) == 4, p.stdout
PY
echo "verify report schema: ok"
