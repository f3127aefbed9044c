#!/usr/bin/env bash
# A Yosys run that dies of a signal (the kernel's out-of-memory killer sends SIGKILL) is recorded
# and reported as killed by that signal, not by the last warning it printed; --check fails.
# Usage: synth_killed.sh SRC_DIR SPARROW TMP_DIR
set -u
src=$1 sparrow=$2 tmp=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$tmp" && mkdir -p "$tmp/bin"
cat > "$tmp/bin/yosys" <<'YOSYS'
#!/bin/sh
if [ "$1" = -V ]; then echo "Yosys 0.23 (a stand-in that kills itself)"; exit 0; fi
echo "Warning: the last line a killed run printed" >&2
kill -9 $$
YOSYS
chmod +x "$tmp/bin/yosys"
PATH=$tmp/bin:$PATH python3 "$src/scripts/synth_rtl.py" --check --flows xilinx \
  --sparrow "$sparrow" --workload "$src/tests/fixtures/workloads/rtl-small.yaml" \
  "$src/configs/arch/brds.yaml" 2>"$tmp/err"
rc=$?
[[ $rc == 1 ]] || { cat "$tmp/err"; fail "a killed run: exit $rc, want 1"; }
grep -q "^brds: xilinx: failed (yosys killed by SIGKILL), - cells" "$tmp/err" || fail "$(cat "$tmp/err")"
echo "synth_killed: ok"
