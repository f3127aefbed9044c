#!/usr/bin/env bash
# lint.layers finds what it is for: in a small tree of the project's shape, a library that
# includes an engine, a unit that includes an application, an include of nothing and a folder
# that is no layer each give one line, and the exit status is 1.
set -euo pipefail
layers="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/lib/config "$tmp"/model/csr "$tmp"/model/scratch "$tmp"/engines "$tmp"/apps/cli \
  "$tmp"/tools
echo '#include "engines/e.h"' > "$tmp"/lib/config/c.h
echo '#include "cli/x.h"' > "$tmp"/model/csr/csr.h
echo '#include "config/c.h"' > "$tmp"/engines/e.h
echo '#include "config/missing.h"' > "$tmp"/apps/cli/x.h
echo '' > "$tmp"/tools/t.cpp
status=0
out=$(python3 "$layers" "$tmp") || status=$?
echo "$out"
fail() { echo "FAIL: $1"; exit 1; }
[ "$status" = 1 ] || fail "exit status $status, want 1"
grep -q '^lib/config/c.h:1: includes engines/e.h (engines/), a higher layer than lib/$' <<<"$out" \
  || fail "the library's include of an engine"
grep -q '^model/csr/csr.h:1: includes cli/x.h (apps/), a higher layer than model/$' <<<"$out" \
  || fail "the unit's include of an application"
grep -q '^apps/cli/x.h:1: includes config/missing.h, found nowhere$' <<<"$out" \
  || fail "the include of nothing"
grep -q '^tools/: C++ in a folder no layer names' <<<"$out" || fail "the folder no layer names"
grep -q '^model/scratch: not a SystemC unit' <<<"$out" || fail "the model/ folder that is no unit"
grep -q '^layers: 5 problem(s)$' <<<"$out" || fail "the count"
echo "layers_catch: ok"
