#!/bin/bash
# The register map's generator (scripts/gen_regmap.py): it renders the shipped source exactly as
# the three committed files have it, finds a file that drifted, and refuses a bad source with one
# error line and exit status 2, writing nothing.
set -u
src=$1 tmp=$2
gen="python3 $src/scripts/gen_regmap.py"
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$tmp" && mkdir -p "$tmp"/{rtl,model/csr,docs,scripts}
cp "$src/rtl/regmap.yaml" "$tmp/rtl/"
$gen --root "$tmp" || fail "the shipped source does not render"
for f in model/csr/regmap.h rtl/sparrow_reg_pkg.sv docs/registers.md; do
  cmp -s "$tmp/$f" "$src/$f" || fail "$f differs from what rtl/regmap.yaml gives"
done
$gen --root "$tmp" --check || fail "--check fails on fresh renderings"

echo "// edited" >>"$tmp/rtl/sparrow_reg_pkg.sv"
out=$($gen --root "$tmp" --check 2>&1) && fail "--check accepts an edited package"
[[ $out == *"rtl/sparrow_reg_pkg.sv differs from rtl/regmap.yaml"* ]] || fail "message: $out"

cp "$tmp/docs/registers.md" "$tmp/before.md"
sed -i 's/name: WH_WPR, offset: 0x24/name: WH_WPR, offset: 0x20/' "$tmp/rtl/regmap.yaml"
out=$($gen --root "$tmp" 2>&1); rc=$?
[[ $rc == 2 ]] || fail "an overlapping register: exit $rc, not 2"
[[ $(echo "$out" | wc -l) == 1 && $out == *"WH_WPR overlaps WX_WPR"* ]] || fail "message: $out"
cmp -s "$tmp/docs/registers.md" "$tmp/before.md" || fail "a bad source rewrote a rendering"
echo "regmap: ok"
