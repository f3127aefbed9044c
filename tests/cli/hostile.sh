#!/usr/bin/env bash
# Hostile input the bad-input manifest cannot hold (FIFOs, bytes that are not UTF-8, empty
# arguments) and a run stopped by SIGTERM. Each error case must exit 2 with one line naming the
# option or key and write nothing; the stopped run must leave neither outputs nor temporaries.
# Usage: hostile.sh SPARROW SOURCE_DIR TMP_DIR
set -u
sparrow=$1 src=$2 tmp=$3
here=$(dirname "$0")
rm -rf "$tmp" && mkdir -p "$tmp"
arch=$src/configs/arch/brds.yaml work=$src/configs/workloads/sentiment-h128.yaml
failures=0
expect() {  # expect NAME FRAGMENT -- COMMAND...
  local name=$1 fragment=$2
  shift 3
  if EXPECT_PREFIX="sparrow: error: " "$here/expect_error.sh" "$fragment" "$tmp/out-$name" -- \
    "$@" --out "$tmp/out-$name" >"$tmp/$name.log"; then
    echo "ok: $name"
  else
    echo "FAIL: $name: $(cat "$tmp/$name.log")"
    failures=$((failures + 1))
  fi
}

mkfifo "$tmp/fifo"
expect fifo-arch "fifo: got a FIFO; allowed: a regular file" -- \
  "$sparrow" run --arch "$tmp/fifo" --workload "$work" --engine analytic
cat >"$tmp/fifo-weights.yaml" <<YAML
name: fifo-weights
input_size: 5
hidden_size: 7
seq_len: 6
weights: {source: npz, path: fifo}
inputs: {source: random, seed: 2}
YAML
expect fifo-weights "fifo: got a FIFO; allowed: a regular file" -- \
  "$sparrow" compress --arch "$arch" --workload "$tmp/fifo-weights.yaml"
expect set-not-utf8 "name: got 'a\\xFEb', which is not UTF-8 text" -- \
  "$sparrow" run --arch "$arch" --workload "$work" --engine analytic --set $'arch.name=a\xfeb'
expect empty-energy "command line: --energy: got an empty value" -- \
  "$sparrow" run --arch "$arch" --workload "$work" --engine analytic --energy ''
expect empty-model-cache "command line: --model-cache: got an empty value" -- \
  "$sparrow" run --arch "$arch" --workload "$work" --engine analytic --model-cache ''

# Outputs never replace what is not a regular file, and a name too long is refused cleanly.
mkfifo "$tmp/out-fifo.json"
expect trace-onto-fifo "out-fifo.json: got a FIFO, which a written file would replace" -- \
  "$sparrow" run --arch "$arch" --workload "$work" --set workload.seq_len=3 \
  --trace-json "$tmp/out-fifo.json"
mkdir -p "$tmp/out-report-fifo" && mkfifo "$tmp/out-report-fifo/report.json"
if "$sparrow" run --arch "$arch" --workload "$work" --engine analytic --quiet \
  --out "$tmp/out-report-fifo" 2>"$tmp/report-fifo.err"; then status=0; else status=$?; fi
if [[ $status -eq 2 && -p $tmp/out-report-fifo/report.json ]] &&
  grep -q "report.json: got a FIFO" "$tmp/report-fifo.err"; then
  echo "ok: report-onto-fifo"
else
  echo "FAIL: report-onto-fifo: exit status $status, $(cat "$tmp/report-fifo.err")"
  failures=$((failures + 1))
fi
expect name-too-long "got a path that cannot be used (File name too long)" -- \
  "$sparrow" run --arch "$arch" --workload "$work" --set workload.seq_len=3 --trace-json \
  "$tmp/$(printf 'x%.0s' {1..300})"
echo old >"$tmp/trace-target.json" && ln -s trace-target.json "$tmp/trace-link.json"
if "$sparrow" run --arch "$arch" --workload "$work" --set workload.seq_len=3 --quiet \
  --out "$tmp/out-link" --trace-json "$tmp/trace-link.json" && [[ -L $tmp/trace-link.json ]] &&
  grep -q displayTimeUnit "$tmp/trace-target.json"; then
  echo "ok: trace-through-symlink"
else
  echo "FAIL: trace-through-symlink: the link was replaced or its file not written"
  failures=$((failures + 1))
fi

# An --out path that is not UTF-8 is a valid path: the run succeeds and its report is valid JSON.
out=$tmp/$'out-\xff'
if "$sparrow" run --arch "$arch" --workload "$work" --engine analytic --quiet --no-float \
  --out "$out" && /usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1]))' \
  "$out/report.json"; then
  echo "ok: out-not-utf8"
else
  echo "FAIL: out-not-utf8"
  failures=$((failures + 1))
fi

# SIGTERM in mid-run: the process ends by the signal and leaves nothing behind.
"$sparrow" run --arch "$arch" --workload "$work" --set workload.seq_len=60000 --out "$tmp/out-stopped" \
  --quiet &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
status=$?
left=$(find "$tmp" -name '*.tmp.*')
if [[ $status -eq 143 && ! -e $tmp/out-stopped && -z $left ]]; then
  echo "ok: stopped-run"
else
  echo "FAIL: stopped-run: exit status $status, out exists: $([[ -e $tmp/out-stopped ]] && echo yes), temporaries: $left"
  failures=$((failures + 1))
fi
[[ $failures -eq 0 ]]
