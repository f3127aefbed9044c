#!/usr/bin/env bash
# A sparrow command on good input exits 0 and writes the named files into OUT_DIR.
# Usage: run_ok.sh OUT_DIR FILE[,FILE...] -- COMMAND...   (RUN_OK_TIMEOUT: seconds, default 300)
set -eu
out=$1 files=$2
shift 3
rm -rf "$out"
timeout "${RUN_OK_TIMEOUT:-300}" "$@"
IFS=, read -ra want <<<"$files"
for f in "${want[@]}"; do
  [[ -s $out/$f ]] || { echo "FAIL: $out/$f missing or empty"; exit 1; }
done
leftover=$(find "$out" -name '*.tmp.*')
[[ -z $leftover ]] || { echo "FAIL: temporary files left: $leftover"; exit 1; }
echo "ok: wrote ${want[*]}"
