#!/usr/bin/env bash
# scripts/synth_rtl.py --jobs 2 runs a design point's two flows side by side, each in its own
# worker, and records both: the stand-in yosys notes when each run starts, takes a second and
# fails, so the second flow starts before the first ends and both flows' failures are recorded.
# --jobs 0 is refused.
# Usage: synth_jobs.sh SRC_DIR SPARROW TMP_DIR
set -u
src=$1 sparrow=$2 tmp=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$tmp" && mkdir -p "$tmp/bin" "$tmp/out"
cat > "$tmp/bin/yosys" <<YOSYS
#!/bin/sh
if [ "\$1" = -V ]; then echo "Yosys 0.23 (a slow stand-in that fails)"; exit 0; fi
date +%s.%N >> "$tmp/starts"
sleep 1
date +%s.%N >> "$tmp/ends"
echo "ERROR: a stand-in's failure" >&2
exit 1
YOSYS
chmod +x "$tmp/bin/yosys"
PATH=$tmp/bin:$PATH python3 "$src/scripts/synth_rtl.py" --jobs 2 --out "$tmp/out" \
  --sparrow "$sparrow" --workload "$src/tests/fixtures/workloads/rtl-small.yaml" \
  "$src/configs/arch/brds.yaml" 2>"$tmp/err" || fail "exit $?: $(cat "$tmp/err")"
python3 - "$tmp/starts" "$tmp/ends" "$tmp/out/brds.json" <<'PY' || fail "runs or record"
import json, sys
starts, ends = ([float(x) for x in open(p)] for p in sys.argv[1:3])
assert len(starts) == 2 and len(ends) == 2, (starts, ends)
assert max(starts) < min(ends), f"the flows did not overlap: {starts} {ends}"
record = json.load(open(sys.argv[3]))
for flow in ("xilinx", "generic"):
    assert record[flow]["status"] == "failed", record[flow]
    assert record[flow]["error"] == "ERROR: a stand-in's failure", record[flow]
PY
out=$(python3 "$src/scripts/synth_rtl.py" --jobs 0 --out "$tmp/out" --sparrow "$sparrow" \
      --workload "$src/tests/fixtures/workloads/rtl-small.yaml" "$src/configs/arch/brds.yaml" 2>&1)
[[ $? == 2 && $out == *"--jobs: got 0; allowed: 1 or more"* ]] || fail "--jobs 0: $out"
echo "synth_jobs: ok"
