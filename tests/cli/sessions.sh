#!/usr/bin/env bash
# Sessions (docs/timing.md, "Sessions") through the command line: `sparrow run` of 3 sequences
# writes (sequences, seq_len, size) outputs whose first sequence is the one-sequence run's (the
# random inputs are one stream), with the first sequence's cycles; `sparrow app` runs its examples
# as one session whose first inference takes what one inference alone does.
# Usage: sessions.sh SPARROW SOURCE_DIR OUT_DIR
set -eu
sparrow=$1 src=$2 out=$3
rm -rf "$out"
run() {
  "$sparrow" run --quiet --no-float --arch "$src/configs/arch/brds.yaml" \
    --workload "$src/configs/workloads/sentiment-h128.yaml" "$@"
}
run --out "$out/one"
run --out "$out/three" --set workload.sequences=3
app() {
  "$sparrow" app "$src/configs/apps/sentiment/app.yaml" --quiet "$@"
}
app --limit 1 --out "$out/app-one"
app --systemc-examples 5 --out "$out/app-five"
/usr/bin/python3 - "$out" <<'PY'
import json
import sys

import numpy as np

out = sys.argv[1]
one = json.load(open(out + "/one/report.json"))
three = json.load(open(out + "/three/report.json"))
assert three["outputs_match_golden"] is True
assert three["workload"]["sequences"] == 3
s = three["performance"]["session"]
assert s["sequences"] == 3, s
assert s["first_sequence_cycles"] == one["performance"]["cycles"], (s, one["performance"])
assert s["weight_load_cycles"] > 0 and s["steady_cycles_per_sequence"] < s["first_sequence_cycles"]
assert three["performance"]["cycles"] == three["performance"]["contract_cycles"]
y1 = np.load(out + "/one/outputs_raw_systemc.npy")
y3 = np.load(out + "/three/outputs_raw_systemc.npy")
assert y1.shape == (200, 128) and y3.shape == (3, 200, 128), (y1.shape, y3.shape)
assert (y3[0] == y1).all(), "the session's first sequence differs from the one-sequence run"
assert not (y3[1] == y3[0]).all()
assert three["ops"]["ops"] == 3 * one["ops"]["ops"]

a1 = json.load(open(out + "/app-one/report.json"))
a5 = json.load(open(out + "/app-five/report.json"))
assert a5["outputs_match_golden"] is True
s5 = a5["performance"]["session"]
assert s5["sequences"] == 5 and a5["task"]["systemc"]["examples_run"] == 5, s5
assert s5["first_sequence_cycles"] == a1["performance"]["cycles"], (s5, a1["performance"])
assert a5["energy"]["energy_per_sequence_uj"] < a1["energy"]["energy_per_inference_uj"]
PY
echo "sessions: ok"
