// Numerical edge cases, golden against the SystemC model (outputs bit for bit, cycles against the
// timing contract): saturation at every stage, accumulator extremes, LUT and PWL table
// boundaries, and every weight width 1..16 (activations 2..16). Each case is a shipped config with
// keys overridden, one elaboration per test process.
#include <gtest/gtest.h>

#include <systemc>

#include "golden/lstm_fixed.h"
#include "systemc_engine.h"
#include "test_util.h"
#include "timing/timing_model.h"

namespace sparrow {
namespace {

struct EdgeCase {
  std::string name;
  Overrides arch;
  Overrides workload;
  bool saturates = false;  // every stage must reach its limits
};

void PrintTo(const EdgeCase& c, std::ostream* os) {
  *os << c.name;
}

// A small LSTM with large weights and inputs, so that every format is driven to its limits.
Overrides small_workload(bool projected) {
  Overrides w = {{"input_size", "12"},
                 {"hidden_size", "6"},
                 {"seq_len", "6"},
                 {"layers", "2"},
                 {"weights", "{source: random, seed: 5, init_range: 16}"},
                 {"inputs", "{source: random, seed: 6, amplitude: 4}"}};
  if (projected) w.emplace_back("proj_size", "3");
  return w;
}

// Every format narrow and the accumulator as narrow as allowed (act.bits + weight bits), so the
// sums wrap and z, c, h and r saturate.
Overrides saturating_arith(const std::string& kind) {
  Overrides a = {{"arith.act", "{bits: 4, frac: 3}"},
                 {"arith.wx", "{bits: 4, frac: 2}"},
                 {"arith.wh", "{bits: 4, frac: 2}"},
                 {"arith.bias", "{bits: 6, frac: 2}"},
                 {"arith.acc_bits", "8"},
                 {"arith.preact", "{bits: 6, frac: 2}"},
                 {"arith.cell", "{bits: 4, frac: 2}"},
                 {"arith.activation.kind", kind},
                 {"compression.sx", "0.25"},
                 {"compression.sh", "0.25"},
                 {"arith.activation.sigmoid", "{range: 8, entries: 16}"},
                 {"arith.activation.tanh", "{range: 4, entries: 8}"}};
  if (kind == "pwl") a.emplace_back("arith.activation.slope", "{bits: 8, frac: 6}");
  return a;
}

// Weights of `bits` (1: binarized with a per-row scale), activations of max(bits, 2).
Overrides width_arith(int bits) {
  const int act = std::max(bits, 2);
  Overrides a = {
      {"arith.act", "{bits: " + std::to_string(act) + ", frac: " + std::to_string(act - 2) + "}"},
      {"arith.acc_bits", "40"}};
  const std::string w =
      bits == 1 ? "{bits: 1, frac: 0}"
                : "{bits: " + std::to_string(bits) + ", frac: " + std::to_string(bits) + "}";
  a.emplace_back("arith.wx", w);
  a.emplace_back("arith.wh", w);
  if (bits == 1) a.emplace_back("arith.scale", "{bits: 16, frac: 15}");
  return a;
}

// Tables at their extremes: the coarsest (4 bins over [-1, 1): most inputs clamp to an edge bin)
// and the finest the validator allows (one input LSB per bin).
Overrides table_arith(const std::string& kind, bool finest) {
  Overrides a = {{"arith.activation.kind", kind}};
  if (finest) {
    a.emplace_back("arith.activation.sigmoid", "{range: 8, entries: 65536}");
    a.emplace_back("arith.activation.tanh", "{range: 4, entries: 32768}");
  } else {
    a.emplace_back("arith.activation.sigmoid", "{range: 1, entries: 4}");
    a.emplace_back("arith.activation.tanh", "{range: 1, entries: 4}");
  }
  if (kind == "pwl") a.emplace_back("arith.activation.slope", "{bits: 16, frac: 12}");
  return a;
}

std::vector<EdgeCase> edge_cases() {
  std::vector<EdgeCase> cases = {
      {"saturate_lut", saturating_arith("lut"), small_workload(false), true},
      {"saturate_pwl", saturating_arith("pwl"), small_workload(false), true},
      {"saturate_projected", saturating_arith("lut"), small_workload(true), true},
      {"widest_accumulator", {{"arith.acc_bits", "48"}}, small_workload(true)},
      {"lut_coarsest", table_arith("lut", false), small_workload(false)},
      {"lut_finest", table_arith("lut", true), small_workload(false)},
      {"pwl_coarsest", table_arith("pwl", false), small_workload(false)},
      {"pwl_finest", table_arith("pwl", true), small_workload(false)}};
  for (int b = 1; b <= 16; ++b)
    cases.push_back(
        {"weights_" + std::to_string(b) + "_bits", width_arith(b), small_workload(b % 2)});
  return cases;
}

class NumericEdge : public ::testing::TestWithParam<EdgeCase> {};

TEST_P(NumericEdge, GoldenAndSystemcAgree) {
  const EdgeCase& c = GetParam();
  const ArchConfig a = load_arch_config(test::source_path("configs/arch/brds.yaml"), c.arch);
  const WorkloadConfig w =
      load_workload_config(test::source_path("configs/workloads/sentiment-h128.yaml"), c.workload);
  const CompressedModel m = compress_model(make_lstm_weights(w), a);
  const RawMatrix x = quantize_inputs(make_input_sequence(w), a.arith.act);
  const FixedRun golden = run_lstm_fixed(m, a, x);
  const SystemcRun sc = run_systemc(m, a, w, x, int64_t{1} << 40);
  EXPECT_TRUE(sc.outputs == golden.outputs) << "outputs differ from the golden model";
  EXPECT_EQ(sc.activity.cycles, evaluate_timing(m, a, w).cycles);
  const RailCounts& r = golden.rails;
  if (c.saturates) {
    EXPECT_GT(r.acc_wraps, 0);
    EXPECT_GT(r.preact, 0);
    EXPECT_GT(r.cell, 0);
    EXPECT_GT(r.hidden, 0);
    if (w.proj_size > 0) {
      EXPECT_GT(r.projection, 0);
    }
    // The input quantization saturates too, at both ends.
    EXPECT_EQ(x.maxCoeff(), a.arith.act.max_raw());
    EXPECT_EQ(x.minCoeff(), a.arith.act.min_raw());
  }
  if (a.arith.acc_bits == 48) {
    EXPECT_EQ(r.acc_wraps, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Model, NumericEdge, ::testing::ValuesIn(edge_cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace sparrow
