#include "sweep/balance.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "common/error.h"
#include "compress/bank_format.h"
#include "compress/compressor.h"
#include "compress/prune.h"
#include "engines/engine.h"
#include "timing/schedule.h"
#include "workload/lstm_weights.h"

namespace sparrow {
namespace {

constexpr int kMaxLanes = 64;
constexpr size_t kExactShortlist = 512;   // sizings timed exactly
constexpr double kEstimateMargin = 0.05;  // the estimate's utilization may be this much off

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

// One array's option: its size, the words its busiest PE issues per step in each pass and over
// all passes, and the words of all its PEs per step over all passes.
struct Option {
  ArraySize size;
  std::vector<int64_t> spans;
  int64_t span = 0;
  int64_t words = 0;
};

// The words per row of a rows x cols matrix pruned to `sparsity` on `lanes` lanes: exact for the
// row-balanced patterns (balanced_geometry), the mean for unstructured rows.
int64_t row_words(const ArchConfig& arch, int rows, int cols, double sparsity, int lanes,
                  const FixedFormat& fmt) {
  const CompressionConfig& cc = arch.compression;
  if (cc.pattern == PruningPattern::kUnstructured)
    return std::max<int64_t>(1, ceil_div(kept_count(cols, sparsity), lanes));
  return balanced_geometry(rows, cols, 1, lanes, cc.segment_balanced, sparsity, fmt).words_per_row;
}

// Words per row of each pass's matrices on `lanes` lanes (layers differ in input size only): the
// gate matrix's and, under projection, W_r's. `x`: W_x (else W_h, with W_r under projection).
std::vector<std::pair<int64_t, int64_t>> pass_words(const ArchConfig& arch, const WorkloadConfig& w,
                                                    bool x, int lanes) {
  const int rows = 4 * w.hidden_size;
  std::vector<std::pair<int64_t, int64_t>> per_pass;
  for (int l = 0; l < w.layers; ++l) {
    const int cols = x ? w.layer_input_size(l) : w.state_size();
    const FixedFormat& fmt = x ? arch.arith.wx : arch.arith.wh;
    const double s = x ? arch.compression.sx : arch.compression.sh;
    const int64_t r =
        !x && w.proj_size > 0 ? row_words(arch, w.proj_size, w.hidden_size, s, lanes, fmt) : 0;
    for (int d = 0; d < w.directions(); ++d)
      per_pass.emplace_back(row_words(arch, rows, cols, s, lanes, fmt), r);
  }
  return per_pass;
}

// One array's option at `size` from its matrix's words per row in each pass.
Option option_at(const WorkloadConfig& w, const std::vector<std::pair<int64_t, int64_t>>& per_pass,
                 ArraySize size) {
  const int64_t rows = 4 * int64_t{w.hidden_size};
  Option o{size, {}, 0, 0};
  for (const auto& [k, kr] : per_pass) {
    o.words += rows * k + int64_t{w.proj_size} * kr;
    o.spans.push_back(ceil_div(rows, size.pes) * k +
                      (kr ? ceil_div(w.proj_size, size.pes) * kr : 0));
    o.span += o.spans.back();
  }
  return o;
}

// The Pareto front of one array's sizes within the budget: for each MAC count, the sizes of the
// shortest phases per step (all of them: their pipelines and PE counts differ), and only MAC
// counts shorter than every cheaper one. `x`: the W_x array (else W_h, with W_r under
// projection).
std::vector<Option> options(const ArchConfig& arch, const WorkloadConfig& w, bool x,
                            int64_t budget) {
  const int rows = 4 * w.hidden_size;
  std::map<int64_t, std::vector<Option>> best;  // by MAC count
  for (int lanes = 1; lanes <= kMaxLanes && lanes <= budget; lanes *= 2) {
    const auto per_pass = pass_words(arch, w, x, lanes);
    for (int64_t pes = 1; pes <= rows && pes * lanes <= budget; ++pes) {
      Option o = option_at(w, per_pass, {int(pes), lanes});
      std::vector<Option>& at = best[pes * lanes];
      if (!at.empty() && o.span > at.front().span) continue;
      if (!at.empty() && o.span < at.front().span) at.clear();
      at.push_back(std::move(o));
    }
  }
  std::vector<Option> front;
  for (auto& [macs, at] : best)
    if (front.empty() || at.front().span < front.back().span)
      front.insert(front.end(), at.begin(), at.end());
  return front;
}

// A sizing's estimated steady period per step of a batch (B sequences), summed over the passes:
// in each the slowest of the B X phases, the B H phases or one with the recurrence's tail behind
// it (the H array's pipeline and the gate unit's: the other sequences' phases fill it), and the
// input transposer (rho cycles per input value). One `shared` array runs the X and H phases one
// after the other; the next step's X phase (or another sequence's phases) fills the tail.
int64_t estimate(const Option& x, const Option& h, const ArchConfig& arch, const WorkloadConfig& w,
                 bool shared) {
  const int64_t tail = mac_latency(h.size.lanes) + arch.gate_unit.pipeline_depth + 1;
  const int64_t rho = transposer_rho(arch), b = w.batch;
  int64_t period = 0;
  for (size_t p = 0; p < x.spans.size(); ++p) {
    const int layer = int(p) / w.directions();
    const int64_t xs = x.spans[p], hs = h.spans[p];
    const int64_t phases = shared ? b * (xs + hs) : b * std::max(xs, hs);
    period += std::max({phases, hs + tail, b * rho * w.layer_input_size(layer)});
  }
  return period;
}

// `arch` with other arrays; each array keeps its weight banks' capacity in total (the capacity
// per PE scaled by the PE counts), so that sizing does not buy on-chip memory.
ArchConfig with_arrays(ArchConfig arch, const MacArrayConfig& arrays) {
  WeightBankConfig& wb = arch.weight_bank;
  wb.wx_kbit_per_pe = ceil_div(wb.wx_kbit_per_pe * arch.mac_array.wx.pes, arrays.wx.pes);
  wb.wh_kbit_per_pe = ceil_div(wb.wh_kbit_per_pe * arch.mac_array.wh.pes, arrays.wh.pes);
  arch.mac_array = arrays;
  return arch;
}

// The steady state of `arch` on `w`, timed by the timing contract on a session of two batches
// of the workload's batch (docs/timing.md, "Batches"); `weights`: the workload's, which
// unstructured pruning needs (its rows depend on them).
ArraySizing time_sizing(const ArchConfig& arch, const WorkloadConfig& w,
                        const LstmWeights* weights) {
  WorkloadConfig session = w;
  session.sequences = 2 * w.batch;
  const CompressedModel m =
      weights ? compress_model(*weights, arch) : compress_geometry(session, arch);
  const Activity a = *AnalyticEngine().run({m, arch, session, RawMatrix()}).activity;
  const size_t b = size_t(w.batch);
  ArraySizing s;
  s.arrays = arch.mac_array;
  s.weight_bank = arch.weight_bank;
  s.steady_cycles = double(a.sequence_done[2 * b - 1] - a.sequence_done[b - 1]) / double(b);
  s.weights_on_chip = a.weights_on_chip;
  // Every sequence does the same work: a sequence's slots over its steady cycles.
  auto utilization = [&](size_t i) {
    return double(a.arrays[i].mac_slots) / double(2 * b) /
           (double(arch.mac_array.of(i == 0).macs()) * s.steady_cycles);
  };
  s.utilization_wx = utilization(0);
  s.utilization_wh = arch.mac_array.shared ? s.utilization_wx : utilization(1);
  return s;
}

}  // namespace

Balance balance_arrays(const ArchConfig& arch, const WorkloadConfig& w, int64_t mac_budget,
                       double min_utilization, bool shared) {
  struct Pair {
    int64_t period, macs;
    double utilization;  // estimated, the lower of the two arrays'
    MacArrayConfig arrays;
  };
  if (shared && arch.mac_array.x_block > 1)
    throw_input_error(arch.file, "mac_array.x_block",
                      "'" + std::to_string(arch.mac_array.x_block) + "'",
                      "1 for --arrays shared (a shared array alternates X and H phases, so X "
                      "phases cannot be blocked)");
  std::vector<Pair> pairs;
  if (shared) {
    const int64_t rows = 4 * int64_t{w.hidden_size};
    for (int lanes = 1; lanes <= kMaxLanes && lanes <= mac_budget; lanes *= 2) {
      const auto px = pass_words(arch, w, true, lanes), ph = pass_words(arch, w, false, lanes);
      for (int64_t pes = 1; pes <= rows && pes * lanes <= mac_budget; ++pes) {
        const ArraySize size{int(pes), lanes};
        const Option x = option_at(w, px, size), h = option_at(w, ph, size);
        const int64_t period = estimate(x, h, arch, w, true);
        MacArrayConfig arrays;
        arrays.wx = arrays.wh = size;
        arrays.shared = true;
        pairs.push_back(
            {period, size.macs(), double(x.words + h.words) / double(pes * period), arrays});
      }
    }
  } else {
    const std::vector<Option> xs = options(arch, w, true, mac_budget);
    const std::vector<Option> hs = options(arch, w, false, mac_budget);
    for (const Option& x : xs)
      for (const Option& h : hs) {
        if (x.size.macs() + h.size.macs() > mac_budget) continue;
        const int64_t period = estimate(x, h, arch, w, false);
        const double u = std::min(double(x.words) / double(x.size.pes * period),
                                  double(h.words) / double(h.size.pes * period));
        MacArrayConfig arrays;
        arrays.wx = x.size;
        arrays.wh = h.size;
        pairs.push_back({period, x.size.macs() + h.size.macs(), u, arrays});
      }
  }
  if (pairs.empty())
    throw_input_error("command line", "--mac-budget", "'" + std::to_string(mac_budget) + "'",
                      "at least 2 (one MAC lane per array)");
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    return std::tie(a.period, a.macs) < std::tie(b.period, b.macs);
  });
  // The shortlist: the fastest estimated to reach the utilization, then the fastest of all.
  std::vector<const Pair*> shortlist;
  for (const Pair& p : pairs)
    if (shortlist.size() < kExactShortlist * 3 / 4 &&
        p.utilization >= min_utilization - kEstimateMargin)
      shortlist.push_back(&p);
  for (size_t i = 0; i < pairs.size() && shortlist.size() < kExactShortlist; ++i)
    shortlist.push_back(&pairs[i]);

  Balance b;
  b.mac_budget = mac_budget;
  b.min_utilization = min_utilization;
  std::optional<LstmWeights> weights;
  if (arch.compression.pattern == PruningPattern::kUnstructured) weights = make_lstm_weights(w);
  const LstmWeights* given_weights = weights ? &*weights : nullptr;
  b.given = time_sizing(arch, w, given_weights);
  for (const Pair* p : shortlist) {
    const MacArrayConfig& arrays = p->arrays;
    const bool seen = std::any_of(b.evaluated.begin(), b.evaluated.end(), [&](const auto& s) {
      return s.arrays.wx == arrays.wx && s.arrays.wh == arrays.wh;
    });
    if (!seen) b.evaluated.push_back(time_sizing(with_arrays(arch, arrays), w, given_weights));
  }
  std::sort(b.evaluated.begin(), b.evaluated.end(), [](const auto& a, const auto& c) {
    return std::make_tuple(a.steady_cycles, a.arrays.macs()) <
           std::make_tuple(c.steady_cycles, c.arrays.macs());
  });
  // The fastest that reaches the utilization; else the one closest to reaching it.
  auto lower = [](const ArraySizing& s) { return std::min(s.utilization_wx, s.utilization_wh); };
  const auto reached = std::find_if(b.evaluated.begin(), b.evaluated.end(),
                                    [&](const auto& s) { return lower(s) >= min_utilization; });
  b.reached = reached != b.evaluated.end();
  b.chosen = b.reached ? *reached
                       : *std::max_element(
                             b.evaluated.begin(), b.evaluated.end(),
                             [&](const auto& a, const auto& c) { return lower(a) < lower(c); });
  return b;
}

}  // namespace sparrow
