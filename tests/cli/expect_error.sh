#!/usr/bin/env bash
# A sparrow command given bad input must exit with status 2 (or $EXPECT_STATUS), print exactly one
# line on stderr that contains FRAGMENT (and starts with $EXPECT_PREFIX, if set), and write nothing
# into OUT_DIR.
# Usage: expect_error.sh FRAGMENT OUT_DIR -- COMMAND...
set -u
fragment=$1 out=$2
shift 3
rm -rf "$out"
err=$(mktemp)
timeout 60 "$@" >/dev/null 2>"$err"
status=$?
lines=$(wc -l <"$err")
msg=$(cat "$err")
rm -f "$err"
fail() { echo "FAIL: $*"; echo "stderr: $msg"; exit 1; }
want=${EXPECT_STATUS:-2}
[[ $status -eq $want ]] || fail "exit status $status, expected $want"
[[ $lines -eq 1 ]] || fail "$lines lines on stderr, expected 1"
[[ $msg == *"$fragment"* ]] || fail "stderr lacks '$fragment'"
[[ $msg == "${EXPECT_PREFIX:-}"* ]] || fail "stderr does not start with '${EXPECT_PREFIX:-}'"
[[ ! -e $out ]] || fail "$out was written"
echo "ok: $msg"
