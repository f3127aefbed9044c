#!/usr/bin/env bash
# A record is written after each flow: while the second flow (generic) runs, <arch>.json already
# holds the first flow's outcome, so a run stopped between flows keeps what it finished; the
# finished run's record holds both. The stand-in yosys fails each run (exit 1) and, in the generic
# flow, keeps a copy of the record as it was then. A second run of one flow keeps the other flow
# from the first run's record (same parameters, same RTL).
# Usage: synth_partial.sh SRC_DIR SPARROW TMP_DIR
set -u
src=$1 sparrow=$2 tmp=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$tmp" && mkdir -p "$tmp/bin" "$tmp/out"
cat > "$tmp/bin/yosys" <<YOSYS
#!/bin/sh
if [ "\$1" = -V ]; then echo "Yosys 0.23 (a stand-in that fails)"; exit 0; fi
for arg; do script=\$arg; done
if ! grep -q synth_xilinx "\$script"; then cp "$tmp/out/brds.json" "$tmp/during-generic.json"; fi
echo "ERROR: a stand-in's failure" >&2
exit 1
YOSYS
chmod +x "$tmp/bin/yosys"
PATH=$tmp/bin:$PATH python3 "$src/scripts/synth_rtl.py" --flows xilinx,generic --out "$tmp/out" \
  --sparrow "$sparrow" --workload "$src/tests/fixtures/workloads/rtl-small.yaml" \
  "$src/configs/arch/brds.yaml" 2>"$tmp/err" || fail "exit $?: $(cat "$tmp/err")"
[[ -f $tmp/during-generic.json ]] || fail "no record while the generic flow ran: $(cat "$tmp/err")"
python3 - "$tmp/during-generic.json" "$tmp/out/brds.json" <<'PY' || fail "records"
import json, sys
during, final = (json.load(open(p)) for p in sys.argv[1:])
assert during["xilinx"]["status"] == "failed", during["xilinx"]
assert during["xilinx"]["error"] == "ERROR: a stand-in's failure", during["xilinx"]
assert "generic" not in during, during.get("generic")
assert "analytic" in during and during["arch"] == "brds"
assert final["xilinx"] == during["xilinx"], final["xilinx"]
assert final["generic"]["status"] == "failed", final["generic"]
PY
[[ ! -e $tmp/out/brds.json.tmp ]] || fail "a temporary record was left behind"
cp "$tmp/out/brds.json" "$tmp/first.json"
sed -i 's/a stand-in.s failure/a second failure/' "$tmp/bin/yosys"
PATH=$tmp/bin:$PATH python3 "$src/scripts/synth_rtl.py" --flows generic --out "$tmp/out" \
  --sparrow "$sparrow" --workload "$src/tests/fixtures/workloads/rtl-small.yaml" \
  "$src/configs/arch/brds.yaml" 2>"$tmp/err" || fail "second run, exit $?: $(cat "$tmp/err")"
python3 - "$tmp/first.json" "$tmp/out/brds.json" <<'PY' || fail "second run's record"
import json, sys
first, second = (json.load(open(p)) for p in sys.argv[1:])
assert second["xilinx"] == first["xilinx"], second["xilinx"]
assert second["generic"]["error"] == "ERROR: a second failure", second["generic"]
PY
echo "synth_partial: ok"
