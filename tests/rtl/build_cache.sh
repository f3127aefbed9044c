#!/usr/bin/env bash
# The Verilator build cache (docs/verification.md, "The build cache"): Verilator's runtime is
# compiled once for all builds. Given the out folders of sparrow verify runs on different
# parameter sets, each run's build folder compiled its model but not the runtime (build.log), and
# every build names the same runtime entry of the cache (the builds' parent; its runtime-entry
# file), which holds Verilator's objects and was built by at most one of the builds (its
# runtime.log). Entries of other toolchains (another compiler) may sit beside it.
# Usage: build_cache.sh VERIFY_OUT_DIR...
set -eu
builds=()
for out in "$@"; do
  runner=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['rtl']['runner'])" \
    "$out/report.json")
  builds+=("$(dirname "$(dirname "$runner")")")
done
cache=$(dirname "${builds[0]}")
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
[[ $(printf '%s\n' "${builds[@]}" | sort -u | wc -l) == "$#" ]] ||
  fail "the runs share a build: ${builds[*]}"
for b in "${builds[@]}"; do
  grep -q -- "-o sparrow_FAST.o" "$b/build.log" || fail "$b/build.log compiles no model"
  if grep -q -- "-o verilated" "$b/build.log"; then fail "$b/build.log compiles Verilator's runtime"; fi
done
logs=$(for b in "${builds[@]}"; do [[ -f $b/runtime.log ]] && echo "$b"; done | wc -l)
[[ $logs -le 1 ]] || fail "$logs of the builds compiled Verilator's runtime"
entries=$(for b in "${builds[@]}"; do cat "$b/runtime-entry" && echo; done | sort -u)
[[ $(echo "$entries" | wc -l) == 1 && -n $entries ]] || fail "the builds name runtimes: $entries"
runtime=$cache/$entries
for o in verilated.o verilated_threads.o; do
  [[ -s $runtime/$o ]] || fail "$runtime lacks $o"
done
echo "ok: ${#builds[@]} builds, one runtime ($runtime)"
