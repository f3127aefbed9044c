#!/usr/bin/env bash
# Sets up and builds sparrow, then runs the every-change CTest level. --long also registers and
# runs the longer levels.
set -euo pipefail
cd "$(dirname "$0")/.."
long=OFF
if [[ "${1:-}" == "--long" ]]; then long=ON; fi
scripts/setup.sh -DSPARROW_LONG_TESTS=$long
ctest --test-dir build --output-on-failure -j "$(nproc)"
