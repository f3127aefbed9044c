// The architecture config (configs/arch/*.yaml): the accelerator's knobs, the compression recipe
// and the arithmetic contract's formats. One loader, one validator; every component receives this
// typed, already-validated struct. The key layout is documented in docs/configs.md.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

#include "config/yaml_map.h"

#include "arith/fixed_point.h"

namespace sparrow {

enum class PruningPattern { kDualRatio, kSingleRatio, kUnstructured };
enum class ActivationKind { kLut, kPwl };

// A sigmoid or tanh approximation: input range [-2^range_log2, 2^range_log2), split into
// 2^entries_log2 equal bins (LUT entries or PWL segments).
struct ActivationTableConfig {
  int range_log2 = 3;
  int entries_log2 = 8;
};

struct ArithConfig {
  FixedFormat act{8, 5};      // x_t and h_t (and r_t)
  FixedFormat wx{8, 7};       // W_x weights; bits == 1 means binarized with a per-row scale
  FixedFormat wh{8, 7};       // W_h (and W_r) weights
  FixedFormat scale{16, 15};  // per-row scale of binarized weights
  FixedFormat bias{16, 10};
  int acc_bits = 32;           // each MAC array's accumulator; wraps (two's complement)
  FixedFormat preact{16, 10};  // gate pre-activation z
  FixedFormat gate{16, 14};    // sigmoid and tanh outputs
  FixedFormat cell{16, 12};    // cell state c_t
  FixedFormat pwl_slope{16, 15};
  ActivationKind activation = ActivationKind::kLut;
  ActivationTableConfig sigmoid{3, 8};
  ActivationTableConfig tanh{2, 8};

  bool wx_binarized() const { return wx.bits == 1; }
  bool wh_binarized() const { return wh.bits == 1; }
  // Fractional bits of a W_x x (W_h h) accumulator after the per-row scale of binarized weights.
  int frac_x() const { return act.frac + (wx_binarized() ? scale.frac : wx.frac); }
  int frac_h() const { return act.frac + (wh_binarized() ? scale.frac : wh.frac); }
};

struct CompressionConfig {
  PruningPattern pattern = PruningPattern::kDualRatio;
  double sx = 0.0;               // sparsity of W_x (fraction of weights removed)
  double sh = 0.0;               // sparsity of W_h and W_r
  bool segment_balanced = true;  // K/L nonzeros in each of the L column segments of a row
};

// One MAC array: `pes` processing elements of `lanes` MAC lanes each.
struct ArraySize {
  int pes = 16;
  int lanes = 4;

  int64_t macs() const { return int64_t{pes} * lanes; }
  bool operator==(const ArraySize& o) const { return pes == o.pes && lanes == o.lanes; }
  bool operator!=(const ArraySize& o) const { return !(*this == o); }
};

// The W_x array and the W_h array (which also runs W_r). Sized together (keys `pes`, `lanes`) or
// each for its matrix (keys `wx`, `wh`); a shared array is one array, so wx == wh.
struct MacArrayConfig {
  ArraySize wx;
  ArraySize wh;
  bool shared = false;  // one array time-multiplexed between W_x x and W_h h
  // With streamed weights, the X phases of up to x_block steps per W_x fetch; the X array's
  // operand and result buffers hold x_block + 1 steps (docs/timing.md). Separate arrays only.
  int x_block = 1;

  const ArraySize& of(bool x_matrix) const { return x_matrix ? wx : wh; }
  bool per_array() const { return wx != wh; }
  int64_t macs() const { return shared ? wx.macs() : wx.macs() + wh.macs(); }
};

struct WeightBankConfig {
  int64_t wx_kbit_per_pe = 256;
  int64_t wh_kbit_per_pe = 256;
};

struct GateUnitConfig {
  int lanes = 4;
  int pipeline_depth = 4;
};

struct MemoryConfig {
  int latency_cycles = 64;
  int bytes_per_cycle = 16;
  int burst_bytes = 256;
};

struct ArchConfig {
  std::string file;
  std::string name;
  double clock_mhz = 200.0;
  MacArrayConfig mac_array;
  WeightBankConfig weight_bank;
  GateUnitConfig gate_unit;
  MemoryConfig memory;
  CompressionConfig compression;
  ArithConfig arith;
};

// Loads and validates; throws InputError naming file, key path, value and what is allowed.
ArchConfig load_arch_config(const std::string& path, const Overrides& overrides = {});
ArchConfig parse_arch_config(const YAML::Node& root, const std::string& file);

const char* to_string(PruningPattern p);
const char* to_string(ActivationKind k);

}  // namespace sparrow
