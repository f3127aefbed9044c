#!/usr/bin/env bash
# `synth_rtl.py --check-records` names every synthesis record that is not of the current rtl/:
# a record whose rtl_digest differs (also by one character), a record without one, a file that
# is not JSON (a missing folder is an error, exit 2); a record of the current rtl/ passes, and a
# comment edit in the RTL keeps the digest.
# Usage: synth_records.sh SRC_DIR TMP_DIR
set -u
src=$1 tmp=$2
rm -rf "$tmp" && mkdir -p "$tmp/ok" "$tmp/stale"
script=$src/scripts/synth_rtl.py
fail() { echo "FAIL: $*"; exit 1; }
digest=$(python3 -c "import sys; sys.path.insert(0, '$src/scripts'); import synth_rtl; print(synth_rtl.rtl_digest())")
[[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || fail "digest: got '$digest'"
echo "{\"arch\": \"a\", \"rtl_digest\": \"$digest\"}" > "$tmp/ok/a.json"
python3 "$script" --check-records "$tmp/ok" || fail "a record of the current rtl/ was named stale"
wrong=${digest%?}$([[ ${digest: -1} == 0 ]] && echo 1 || echo 0)
echo "{\"arch\": \"b\", \"rtl_digest\": \"$wrong\"}" > "$tmp/stale/b.json"
echo '{"arch": "c"}' > "$tmp/stale/c.json"
echo '{"arch": ' > "$tmp/stale/d.json"
cp "$tmp/ok/a.json" "$tmp/stale/a.json"
python3 "$script" --check-records "$tmp/stale" 2>"$tmp/err"
rc=$?
[[ $rc == 1 ]] || fail "stale records: exit $rc, want 1"
[[ $(wc -l <"$tmp/err") == 3 ]] || { cat "$tmp/err"; fail "want one line for each of b, c, d"; }
grep -q "b.json: rtl_digest: got $wrong; allowed: $digest" "$tmp/err" || fail "b: $(cat "$tmp/err")"
grep -q "c.json: rtl_digest: got none; allowed: $digest" "$tmp/err" || fail "c: $(cat "$tmp/err")"
grep -q "d.json: not a JSON record" "$tmp/err" || fail "d: $(cat "$tmp/err")"
python3 "$script" --check-records "$tmp/none" 2>"$tmp/err"
rc=$?
[[ $rc == 2 ]] || fail "a missing folder: exit $rc, want 2"
grep -q "^--check-records: $tmp/none: not a folder; allowed: " "$tmp/err" || fail "none: $(cat "$tmp/err")"
# The digest ignores comments and layout, not code.
mkdir -p "$tmp/tree/scripts" "$tmp/tree/rtl"
cp "$script" "$tmp/tree/scripts/"
cp "$src"/rtl/*.sv "$src"/rtl/*.svh "$src"/rtl/sparrow.f "$tmp/tree/rtl/"
tree_digest() { python3 -c "import sys; sys.path.insert(0, '$tmp/tree/scripts'); import synth_rtl; print(synth_rtl.rtl_digest())"; }
[[ $(tree_digest) == "$digest" ]] || fail "the copy's digest differs"
printf '// a comment\n/* and a\n   block */\n' >> "$tmp/tree/rtl/csr.sv"
sed -i 's/^module /module  /' "$tmp/tree/rtl/csr.sv"
[[ $(tree_digest) == "$digest" ]] || fail "a comment or a space changed the digest"
sed -i '0,/1'"'"'b0/s//1'"'"'b1/' "$tmp/tree/rtl/csr.sv"
[[ $(tree_digest) != "$digest" ]] || fail "a code change kept the digest"
echo "ok"
