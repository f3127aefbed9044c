#!/usr/bin/env bash
# `sparrow balance` (docs/patterns.md, "Arrays sized for their matrices"): on ptb-small at brds'
# 256 MAC lanes it writes configs/arch/brds-balanced.yaml as shipped (the same arrays and bank
# capacity), a config the run command takes, whose steady state is the one balance.json states and
# keeps both arrays at least 90 % busy; where no sizing keeps them so busy (ptb-medium, whose
# weights stream from DRAM) it says so and proposes the closest sizing. In batches of 2 it sizes
# for the batched steady state, which a run of two batches on its config reproduces. A design with
# one shared array (brds-pwl16) is sized as one shared array, at least as fast as shipped, unless
# --arrays separate asks for two.
# Usage: balance.sh SPARROW SOURCE_DIR OUT_DIR
set -eu
sparrow=$1 src=$2 out=$3
rm -rf "$out"
"$sparrow" balance --arch "$src/configs/arch/brds.yaml" \
  --workload "$src/configs/workloads/ptb-small.yaml" --out "$out/brds" >"$out.log"
grep -q "balanced  16 x 4    16 x 8      192" "$out.log" || { cat "$out.log"; exit 1; }
diff <(grep -v '^#' "$out/brds/arch.yaml") <(grep -v '^#' "$src/configs/arch/brds-balanced.yaml")
"$sparrow" run --quiet --engine analytic --arch "$out/brds/arch.yaml" \
  --workload "$src/configs/workloads/ptb-small.yaml" --set workload.sequences=2 --out "$out/run"
"$sparrow" balance --arch "$src/configs/arch/brds.yaml" \
  --workload "$src/configs/workloads/ptb-medium.yaml" --out "$out/small" >"$out.small.log"
grep -q "no sizing timed keeps both arrays 90 % busy" "$out.small.log" || { cat "$out.small.log"; exit 1; }
batch=(--set workload.sequences=2 --set workload.batch=2)
"$sparrow" balance --arch "$src/configs/arch/brds.yaml" \
  --workload "$src/configs/workloads/ptb-small.yaml" "${batch[@]}" --out "$out/batch" >"$out.batch.log"
grep -q "weights resident, in batches of 2)" "$out.batch.log" || { cat "$out.batch.log"; exit 1; }
"$sparrow" run --quiet --engine analytic --arch "$out/batch/arch.yaml" \
  --workload "$src/configs/workloads/ptb-small.yaml" --set workload.sequences=4 \
  --set workload.batch=2 --out "$out/batch-run"
for arrays in shared separate; do
  "$sparrow" balance --arch "$src/configs/arch/brds-pwl16.yaml" \
    --workload "$src/configs/workloads/sentiment-h128.yaml" \
    $([[ $arrays == separate ]] && echo --arrays separate) --out "$out/$arrays" >"$out.$arrays.log"
  "$sparrow" run --quiet --engine analytic --arch "$out/$arrays/arch.yaml" \
    --workload "$src/configs/workloads/sentiment-h128.yaml" --set workload.sequences=2 \
    --out "$out/$arrays-run"
done
grep -q "balanced  [0-9]* x [0-9]* *(shared)" "$out.shared.log" || { cat "$out.shared.log"; exit 1; }
grep -q "^  shared: true" "$out/shared/arch.yaml" || { cat "$out/shared/arch.yaml"; exit 1; }
python3 - "$out" <<'PY'
import json
import sys

out = sys.argv[1]
b = json.load(open(f"{out}/brds/balance.json"))
r = json.load(open(f"{out}/run/report.json"))
chosen, s = b["chosen"], r["performance"]["session"]
assert b["reached"] and b["mac_budget"] == 256, b
assert chosen["wx"] == {"pes": 16, "lanes": 4} and chosen["wh"] == {"pes": 16, "lanes": 8}, chosen
assert s["steady_cycles_per_sequence"] == chosen["steady_cycles_per_sequence"], (s, chosen)
for a in ("wx", "wh"):
    u = s["steady_mac_utilization"][a]
    assert u >= 0.9 and abs(u - chosen["steady_mac_utilization"][a]) < 1e-12, (a, u)
# Faster than the given design's arrays or as fast within 3 %, with fewer MAC lanes.
assert chosen["steady_cycles_per_sequence"] <= 1.03 * b["given"]["steady_cycles_per_sequence"]
assert chosen["mac_lanes"] < b["given"]["mac_lanes"]
assert all(e["mac_lanes"] <= 256 for e in b["evaluated"])
small = json.load(open(f"{out}/small/balance.json"))
assert not small["reached"] and not small["chosen"]["weights_on_chip"], small["chosen"]
# Batched: the steady state per sequence of two batches of two, and faster than unbatched.
bb = json.load(open(f"{out}/batch/balance.json"))
sb = json.load(open(f"{out}/batch-run/report.json"))["performance"]["session"]
assert bb["reached"] and sb["batch"] == 2, (bb["chosen"], sb)
assert sb["steady_cycles_per_sequence"] == bb["chosen"]["steady_cycles_per_sequence"], (sb, bb)
assert bb["chosen"]["steady_cycles_per_sequence"] < 0.8 * chosen["steady_cycles_per_sequence"]
for a in ("wx", "wh"):
    assert sb["steady_mac_utilization"][a] >= 0.9, sb
# The shared design: one shared array, as fast as its run says, at least as fast as shipped and
# busy; two arrays apart when asked.
sh = json.load(open(f"{out}/shared/balance.json"))
ss = json.load(open(f"{out}/shared-run/report.json"))["performance"]["session"]
c = sh["chosen"]
assert sh["given"]["shared"] and c["shared"] and c["wx"] == c["wh"] and sh["reached"], c
assert all(e["shared"] for e in sh["evaluated"]), sh["evaluated"][0]
assert c["mac_lanes"] == c["wx"]["pes"] * c["wx"]["lanes"] <= 128, c
assert ss["steady_cycles_per_sequence"] == c["steady_cycles_per_sequence"], (ss, c)
assert c["steady_cycles_per_sequence"] <= sh["given"]["steady_cycles_per_sequence"], sh["given"]
assert min(ss["steady_mac_utilization"].values()) >= 0.9, ss
sep = json.load(open(f"{out}/separate/balance.json"))
assert not sep["chosen"]["shared"] and not any(e["shared"] for e in sep["evaluated"]), sep["chosen"]
assert sep["chosen"]["mac_lanes"] <= 128, sep["chosen"]
print("ok")
PY
