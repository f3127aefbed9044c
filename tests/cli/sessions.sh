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
python3 - "$out" <<'PY'
import ast
import json
import struct
import sys

out = sys.argv[1]


def load(path):
    """An int32 .npy (version 1, C order) as (shape, values), without numpy."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:6] == b"\x93NUMPY", path
    n = struct.unpack("<H", data[8:10])[0]
    header = ast.literal_eval(data[10:10 + n].decode())
    assert header["descr"] == "<i4" and not header["fortran_order"], header
    body = data[10 + n:]
    return header["shape"], list(struct.unpack("<%di" % (len(body) // 4), body))


one = json.load(open(out + "/one/report.json"))
three = json.load(open(out + "/three/report.json"))
assert three["outputs_match_golden"] is True
assert three["workload"]["sequences"] == 3
s = three["performance"]["session"]
assert s["sequences"] == 3, s
assert s["first_sequence_cycles"] == one["performance"]["cycles"], (s, one["performance"])
assert s["weight_load_cycles"] > 0 and s["steady_cycles_per_sequence"] < s["first_sequence_cycles"]
assert three["performance"]["cycles"] == three["performance"]["contract_cycles"]
shape1, y1 = load(out + "/one/outputs_raw_systemc.npy")
shape3, y3 = load(out + "/three/outputs_raw_systemc.npy")
assert shape1 == (200, 128) and shape3 == (3, 200, 128), (shape1, shape3)
n = 200 * 128
assert y3[:n] == y1, "the session's first sequence differs from the one-sequence run"
assert y3[n:2 * n] != y3[:n]
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
