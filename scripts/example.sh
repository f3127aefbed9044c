#!/usr/bin/env bash
# Sets up and builds sparrow, then runs the default example (the sentiment LSTM on the BRDS-style
# design) and prints its report. Outputs land in out/example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build/sparrow run --arch configs/arch/brds.yaml \
  --workload configs/workloads/sentiment-h128.yaml --out out/example
