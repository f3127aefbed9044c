#!/bin/bash
# The accelerator as an installable TLM IP (docs/integration.md): `cmake --install` into a fresh
# prefix, examples/vp configured and built against that prefix alone (find_package(sparrow)), and
# run on a `sparrow compress` output: bit-exact against the golden model and the cycles of the
# timing contract; a bank file of another workload is one error line and exit status 2.
set -u
build=$1 src=$2 tmp=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$tmp" && mkdir -p "$tmp"
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 || fail "install: $(tail -3 "$tmp/install.log")"
[[ -f $tmp/prefix/lib/cmake/sparrow/sparrowConfig.cmake ]] || fail "no CMake package installed"
cmake -S "$src/examples/vp" -B "$tmp/vp" -DCMAKE_PREFIX_PATH="$tmp/prefix" >"$tmp/vp.log" 2>&1 \
  || fail "configure: $(tail -5 "$tmp/vp.log")"
cmake --build "$tmp/vp" >>"$tmp/vp.log" 2>&1 || fail "build: $(grep -m3 error "$tmp/vp.log")"

sparrow="$tmp/prefix/bin/sparrow"
for pair in "brds ptb-small" "baseline-unstructured rtl-bilstm" "brds-pwl16 rtl-projected"; do
  set -- $pair
  wl="$src/configs/workloads/$2.yaml"
  [[ -f $wl ]] || wl="$src/tests/fixtures/workloads/$2.yaml"
  "$sparrow" compress --arch "$src/configs/arch/$1.yaml" --workload "$wl" --out "$tmp/$1-$2" \
    >/dev/null || fail "sparrow compress $1 $2"
  out=$("$tmp/vp/vp" "$src/configs/arch/$1.yaml" "$wl" "$tmp/$1-$2/banks.npz" 2>/dev/null)
  rc=$?
  echo "$out"
  [[ $rc == 0 ]] || fail "vp $1 $2: exit $rc"
  [[ $(grep -c "bit-exact against the golden model" <<<"$out") == 2 ]] \
    || fail "vp $1 $2: not two bit-exact runs"
  [[ $out =~ CYCLES\ ([0-9]+)\ \(timing\ contract\ ([0-9]+)\) && ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" ]] \
    || fail "vp $1 $2: cycles differ from the contract"
done

err=$("$tmp/vp/vp" "$src/configs/arch/brds.yaml" "$src/configs/workloads/ptb-medium.yaml" \
      "$tmp/brds-ptb-small/banks.npz" 2>&1 >/dev/null)
rc=$?
[[ $rc == 2 ]] || fail "banks of another workload: exit $rc, not 2"
err=$(echo "$err" | grep -v "^$\|SystemC\|Copyright\|RESERVED")
[[ $(echo "$err" | wc -l) == 1 && $err == *"banks.npz: l0_fwd_wx: got 800 x 200; allowed: 2600 x 650"* ]] || fail "message: $err"
echo "vp: ok"
