// Fuzz target: the YAML loader and the validators of the architecture and workload configs. An
// accepted architecture must also be safe to compute with: the datapath's extreme values (every
// format at its minimum and maximum, the accumulator's wrapped extremes, both table edges) go
// through the arithmetic contract, where UBSan would catch an overflow the validator let through.
#include <algorithm>
#include <utility>
#include <vector>

#include "arith/gate_arith.h"
#include "config/arch_config.h"
#include "config/workload_config.h"
#include "fuzz_util.h"

namespace sparrow {
namespace {

// The smallest and largest row result of a MAC array (times the row scale when binarized).
std::pair<int64_t, int64_t> row_range(const ArithConfig& a, bool binarized) {
  const int64_t lo = -(int64_t{1} << (a.acc_bits - 1)), hi = -lo - 1;
  if (!binarized) return {lo, hi};
  const int64_t p[] = {lo * a.scale.min_raw(), lo * a.scale.max_raw(), hi * a.scale.min_raw(),
                       hi * a.scale.max_raw()};
  return {*std::min_element(p, p + 4), *std::max_element(p, p + 4)};
}

std::vector<int64_t> extremes(int64_t lo, int64_t hi) {
  return {lo, lo + 1, -1, 0, 1, hi - 1, hi};
}

void exercise(const ArithConfig& a) {
  const GateArith ga(a);
  const auto [acc_lo, acc_hi] = row_range(a, false);
  for (const int64_t sum : extremes(acc_lo, acc_hi)) {
    ga.row_result(sum, false, 0);
    if (a.wx_binarized() || a.wh_binarized())
      for (const int64_t scale : extremes(a.scale.min_raw(), a.scale.max_raw()))
        ga.row_result(sum, true, scale);
  }
  const auto [x_lo, x_hi] = row_range(a, a.wx_binarized());
  const auto [h_lo, h_hi] = row_range(a, a.wh_binarized());
  for (const int64_t sx : extremes(x_lo, x_hi))
    for (const int64_t sh : extremes(h_lo, h_hi))
      for (const int64_t b : extremes(a.bias.min_raw(), a.bias.max_raw())) {
        const int64_t z = ga.preactivation(sx, sh, b);
        fuzz::require(z >= a.preact.min_raw() && z <= a.preact.max_raw(), "z in preact");
      }
  const std::vector<int64_t> zs = extremes(a.preact.min_raw(), a.preact.max_raw());
  for (const int64_t z1 : zs)
    for (const int64_t z2 : zs)
      for (const int64_t c : extremes(a.cell.min_raw(), a.cell.max_raw())) {
        const GateArith::CellOut o = ga.cell(z1, z2, z1, z2, c);
        fuzz::require(o.c >= a.cell.min_raw() && o.c <= a.cell.max_raw(), "c in cell");
        fuzz::require(o.h >= a.act.min_raw() && o.h <= a.act.max_raw(), "h in act");
      }
  for (const int64_t s : extremes(h_lo, h_hi)) {
    const int64_t r = ga.projection(s);
    fuzz::require(r >= a.act.min_raw() && r <= a.act.max_raw(), "r in act");
  }
}

}  // namespace
}  // namespace sparrow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sparrow;
  fuzz::only_input_errors([&] {
    const YAML::Node root = parse_yaml(fuzz::text(data, size), "fuzz.yaml");
    fuzz::only_input_errors([&] { exercise(parse_arch_config(root, "fuzz.yaml").arith); });
    fuzz::only_input_errors([&] { parse_workload_config(root, "fuzz.yaml"); });
  });
  return 0;
}
