#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz and runs each for SECONDS
# under nice, one after the other, so a 2-core machine stays usable. The corpus of each target
# (build-fuzz/corpus/TARGET) starts from the shipped configs and fixtures and grows across runs;
# findings land in build-fuzz/findings/TARGET. One summary line per target (executions, exec/s,
# coverage, corpus, findings) is printed and appended to build-fuzz/fuzz-results.txt.
# Usage: scripts/fuzz.sh [config|npy|bank_file|sweep_spec|synthesis|sweep_results|pareto_csv|
#   run_report|all]
#   [SECONDS]   (default: all 60)
# A finding becomes a regression: copy it to tests/fuzz/regressions/TARGET/ and fix the code;
# CTest replays that folder (fuzz.replay.TARGET).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-all} seconds=${2:-60}
build=${SPARROW_FUZZ_BUILD:-build-fuzz}
all=(config npy bank_file sweep_spec synthesis sweep_results pareto_csv run_report)
if [[ $target == all ]]; then targets=("${all[@]}"); else targets=("$target"); fi
for t in "${targets[@]}"; do
  [[ " ${all[*]} " == *" $t "* ]] || { echo "fuzz: unknown target '$t'; allowed: ${all[*]} all" >&2; exit 2; }
done

SPARROW_SETUP_PACKAGES_ONLY=1 scripts/setup.sh --fuzz
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSPARROW_FUZZ=ON -DSPARROW_BUILD_BENCHMARKS=OFF >/dev/null
nice -n 19 cmake --build "$build" -j 2 --target "${targets[@]/#/fuzz_}"

seeds() {
  case $1 in
    config) ls configs/arch/*.yaml configs/workloads/*.yaml configs/papers/*.yaml \
              tests/bad_inputs/*.yaml ;;
    npy) ls tests/fixtures/npz/*.npz tests/fixtures/torch/*.npz tests/bad_inputs/*.np? ;;
    bank_file) ls tests/fixtures/banks/*.npz ;;
    sweep_spec) ls configs/sweeps/*.yaml tests/fixtures/sweeps/*.yaml tests/bad_inputs/sweep-*.yaml ;;
    synthesis) ls configs/synthesis/*.json ;;
    sweep_results) ls tests/fixtures/sweep-folder/results.jsonl tests/bad_inputs/sweep-*/results.jsonl ;;
    pareto_csv) ls tests/fixtures/sweep-folder/pareto.csv tests/bad_inputs/sweep-front-*/pareto.csv ;;
    run_report) ls tests/fixtures/reports/*.json ;;
  esac
}

for t in "${targets[@]}"; do
  corpus=$build/corpus/$t findings=$build/findings/$t log=$build/fuzz-$t.log
  mkdir -p "$corpus" "$findings"
  for f in $(seeds "$t") tests/fuzz/regressions/"$t"/*; do
    [[ -f $f ]] && cp -n "$f" "$corpus/seed-${f//\//_}"
  done
  if [[ $t == npy ]]; then  # the members of the .npz seeds as .npy seeds
    python3 - "$corpus" $(seeds npy) <<'PY'
import sys, zipfile, os
out = sys.argv[1]
for path in sys.argv[2:]:
    try:
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                with open(os.path.join(out, "seed-" + os.path.basename(path) + "-" + n), "wb") as f:
                    f.write(z.read(n))
    except (zipfile.BadZipFile, OSError):
        pass
PY
  fi
  max_len=65536
  [[ $t == config || $t == sweep_spec ]] && max_len=8192
  before=$(ls "$findings" | wc -l)
  nice -n 19 "$build/tests/fuzz/fuzz_$t" "$corpus" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=$max_len -artifact_prefix="$findings/" -print_final_stats=1 \
    >"$log" 2>&1 || true
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo ?)
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo ?)
  corp=$(grep -o 'corp: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo ?)
  found=$(( $(ls "$findings" | wc -l) - before ))
  line="$(date -u +%F) $t: ${seconds} s, $execs executions, $rate exec/s, cov $cov, ft $ft, corpus $corp, $found new findings"
  echo "fuzz: $line (log $log)"
  echo "$line" >>"$build/fuzz-results.txt"
done
