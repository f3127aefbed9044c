#!/usr/bin/env bash
# The differential regression catches a wrong RTL. A copy of rtl/ whose rounding of h truncates
# (one line of gate_unit.sv) must make `sparrow regress --engines rtl` report the case's outputs as
# a mismatch, with exit status 3 and a reproducer naming the RTL engine; the RTL as it is agrees on
# the same case.
# Usage: detects_faults.sh SPARROW RTL_DIR OUT_DIR
set -u
exe=$1 rtl=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
fail() { echo "FAIL: $*"; echo "$output"; exit 1; }
cp -r "$rtl" "$out/rtl-fault"
sed -i "s/if (HShift > 0) v = (v + (HW'(1) <<< HHalf)) >>> HShift;/v = v >>> HShift;/" \
  "$out/rtl-fault/gate_unit.sv"
cmp -s "$rtl/gate_unit.sv" "$out/rtl-fault/gate_unit.sv" && fail "the fault was not injected"
output=$("$exe" regress --engines rtl --seed 1 --case 0 --out "$out/good" 2>&1) ||
  fail "the RTL disagrees on the case before any fault"
output=$(SPARROW_RTL_DIR="$out/rtl-fault" "$exe" regress --engines rtl --seed 1 --case 0 \
  --out "$out/fault" 2>&1)
status=$?
[[ $status -eq 3 ]] || fail "exit status $status with the fault, expected 3"
[[ $output == *"MISMATCH case 0"*": rtl: output [t="*", golden "* ]] || fail "no output mismatch"
[[ $output == *"reproduce: "*" regress --seed 1 --case 0 --engines rtl"* ]] || fail "no reproducer"
[[ $output == *" run --engine rtl "*"--rtl-param MaxT=8"* ]] || fail "no run command"
echo "ok"
