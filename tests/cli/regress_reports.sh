#!/usr/bin/env bash
# sparrow regress reports an engine that does not finish a case in time as a mismatch: exit status
# 3, the seed, and the commands that reproduce the case; then the reproducer agrees (exit 0).
# Usage: regress_reports.sh SPARROW OUT_DIR
set -u
exe=$1 out=$2
rm -rf "$out"
fail() { echo "FAIL: $*"; echo "$output"; exit 1; }
output=$(timeout 120 "$exe" regress --seed 8 --case 3 --case-timeout 0.001 --out "$out/slow" 2>&1)
status=$?
[[ $status -eq 3 ]] || fail "exit status $status, expected 3"
[[ $output == *"MISMATCH case 3"*"no result within"* ]] || fail "no mismatch line"
reproduce=$(grep -o 'reproduce: .*' <<<"$output" | cut -d' ' -f2-)
[[ $reproduce == *"regress --seed 8 --case 3 --engines systemc" ]] || fail "no reproducer"
run=$(grep -o '  or: .*' <<<"$output" | cut -d' ' -f4-)
[[ $run == *" run --engine systemc --arch "*"--set workload.hidden_size="* ]] || fail "no run command"
[[ -f $out/slow/regress.json ]] || fail "no regress.json"
output=$(timeout 300 $reproduce --out "$out/again" 2>&1) || fail "the reproducer failed"
[[ $output == *"1 cases, golden vs systemc: 0 mismatches"* ]] || fail "the reproducer did not run the case"
output=$(cd "$out" && timeout 300 bash -c "$run --out run --quiet" 2>&1) || fail "the run command failed"
[[ -f $out/run/outputs_raw_systemc.npy ]] || fail "the run command wrote no outputs_raw_systemc.npy"
echo "ok"
