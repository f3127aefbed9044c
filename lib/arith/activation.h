// Sigmoid and tanh of the gate unit, as the hardware computes them (docs/arithmetic.md, section
// "Activations"). The table contents are generated here and nowhere else: the golden model
// evaluates them, and `sparrow tables` writes the very same values as the RTL's ROM images.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "config/arch_config.h"

namespace sparrow {

enum class ActivationFn { kSigmoid, kTanh };

class ActivationTable {
 public:
  ActivationTable(ActivationFn fn, const ArithConfig& arith);

  // f(in_raw / 2^in_frac) as a raw value of arith.gate. in_frac is preact.frac or cell.frac.
  int64_t eval(int64_t in_raw, int in_frac) const {
    const int range_shift = cfg_.range_log2 + in_frac;  // log2 of R in input LSBs
    const int64_t span = int64_t{1} << (range_shift + 1);
    int64_t offset = in_raw + (int64_t{1} << range_shift);
    offset = offset < 0 ? 0 : (offset >= span ? span - 1 : offset);
    const int bin_shift = range_shift + 1 - cfg_.entries_log2;
    const int64_t k = offset >> bin_shift;
    if (kind_ == ActivationKind::kLut) return values_[k];
    const int64_t d = offset & ((int64_t{1} << bin_shift) - 1);
    return saturate(values_[k] + round_shift(slopes_[k] * d, slope_frac_ + in_frac - out_.frac),
                    out_.bits);
  }

  ActivationFn fn() const { return fn_; }
  ActivationKind kind() const { return kind_; }
  int entries() const { return 1 << cfg_.entries_log2; }
  // LUT: the entry values. PWL: the value at each segment's left edge.
  const std::vector<int64_t>& values() const { return values_; }
  // PWL only: each segment's slope, raw of arith.pwl_slope.
  const std::vector<int64_t>& slopes() const { return slopes_; }

 private:
  ActivationFn fn_;
  ActivationKind kind_;
  ActivationTableConfig cfg_;
  FixedFormat out_;
  int slope_frac_;
  std::vector<int64_t> values_;
  std::vector<int64_t> slopes_;
};

double activation_reference(ActivationFn fn, double x);  // the exact function, in double

// One two's-complement hex word of `bits` bits per line, as $readmemh reads it.
std::string rom_image(const std::vector<int64_t>& values, int bits);

// The ROM images of the RTL's activation units, (file name, contents): sigmoid.mem and tanh.mem,
// and with piecewise-linear activations sigmoid_slope.mem and tanh_slope.mem.
std::vector<std::pair<std::string, std::string>> activation_rom_images(const ArithConfig& arith);

}  // namespace sparrow
