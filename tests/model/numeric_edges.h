// The numerical edge cases (saturation at every stage, accumulator extremes, LUT and PWL table
// boundaries, every weight width 1..16 with activations 2..16): shipped configs with keys
// overridden. The SystemC model (tests/model/test_numeric_edges.cpp) and the RTL
// (tests/rtl/test_numeric_edges_rtl.cpp) must both match the golden model on each.
#pragma once

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "compress/compressor.h"
#include "config/yaml_map.h"
#include "golden/lstm_fixed.h"
#include "test_util.h"

namespace sparrow {

struct EdgeCase {
  std::string name;
  Overrides arch;
  Overrides workload;
  bool saturates = false;  // every stage must reach its limits
};

inline void PrintTo(const EdgeCase& c, std::ostream* os) {
  *os << c.name;
}

// A small LSTM with large weights and inputs, so that every format is driven to its limits.
inline Overrides small_workload(bool projected) {
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
inline Overrides saturating_arith(const std::string& kind) {
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
inline Overrides width_arith(int bits) {
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
inline Overrides table_arith(const std::string& kind, bool finest) {
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

// `projection`: the cases on projected LSTMs too (the RTL implements no projection; its cases
// are the same without it).
inline std::vector<EdgeCase> edge_cases(bool projection) {
  std::vector<EdgeCase> cases = {
      {"saturate_lut", saturating_arith("lut"), small_workload(false), true},
      {"saturate_pwl", saturating_arith("pwl"), small_workload(false), true},
      {"widest_accumulator", {{"arith.acc_bits", "48"}}, small_workload(projection)},
      {"lut_coarsest", table_arith("lut", false), small_workload(false)},
      {"lut_finest", table_arith("lut", true), small_workload(false)},
      {"pwl_coarsest", table_arith("pwl", false), small_workload(false)},
      {"pwl_finest", table_arith("pwl", true), small_workload(false)}};
  if (projection)
    cases.push_back({"saturate_projected", saturating_arith("lut"), small_workload(true), true});
  for (int b = 1; b <= 16; ++b)
    cases.push_back({"weights_" + std::to_string(b) + "_bits", width_arith(b),
                     small_workload(projection && b % 2)});
  return cases;
}

// A case made concrete: brds and the sentiment workload with the case's keys, compressed, its
// inputs quantized and the golden model's run of them.
struct EdgeRun {
  ArchConfig arch;
  WorkloadConfig workload;
  CompressedModel model;
  RawMatrix x;
  FixedRun golden;
};

inline EdgeRun edge_run(const EdgeCase& c) {
  EdgeRun r;
  r.arch = load_arch_config(test::source_path("configs/arch/brds.yaml"), c.arch);
  r.workload =
      load_workload_config(test::source_path("configs/workloads/sentiment-h128.yaml"), c.workload);
  r.model = compress_model(make_lstm_weights(r.workload), r.arch);
  r.x = quantize_inputs(make_input_sequence(r.workload), r.arch.arith.act);
  r.golden = run_lstm_fixed(r.model, r.arch, r.x, r.workload.sequences);
  return r;
}

}  // namespace sparrow
