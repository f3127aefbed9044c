// The datapath of one hidden unit, from accumulator sums to h_t: the arithmetic contract of the
// bias/accumulate stage and the gate unit (docs/arithmetic.md). Every engine calls these.
#pragma once

#include <cstdint>

#include "arith/activation.h"
#include "config/arch_config.h"

namespace sparrow {

class GateArith {
 public:
  explicit GateArith(const ArithConfig& arith);

  // A MAC array's row sum as the accumulator register holds it (wrapped to acc_bits), then times
  // the row's scale for binarized weights. `sum` is the exact integer sum of the row's products.
  int64_t row_result(int64_t sum, bool binarized, int64_t scale) const {
    const int64_t acc = wrap(sum, a_.acc_bits);
    return binarized ? acc * scale : acc;
  }

  // z = sat_preact(round((sx, sh, b aligned and added) >> to preact.frac)).
  int64_t preactivation(int64_t sx, int64_t sh, int64_t bias) const {
    const int64_t full = sx * scale_x_ + sh * scale_h_ + bias * scale_b_;
    return saturate(round_shift(full, shift_z_), a_.preact.bits);
  }

  struct CellOut {
    int64_t c;  // new cell state, raw of arith.cell
    int64_t h;  // new hidden output, raw of arith.act
  };
  // One hidden unit's gate unit: the four pre-activations (i, f, g, o) and c_{t-1}.
  CellOut cell(int64_t zi, int64_t zf, int64_t zg, int64_t zo, int64_t c_prev) const {
    const int64_t i = sigmoid_.eval(zi, a_.preact.frac);
    const int64_t f = sigmoid_.eval(zf, a_.preact.frac);
    const int64_t g = tanh_.eval(zg, a_.preact.frac);
    const int64_t o = sigmoid_.eval(zo, a_.preact.frac);
    const int64_t full = f * c_prev * scale_fc_ + i * g * scale_ig_;
    const int64_t c = saturate(round_shift(full, shift_c_), a_.cell.bits);
    const int64_t t = tanh_.eval(c, a_.cell.frac);
    const int64_t h = saturate(round_shift(o * t, shift_h_out_), a_.act.bits);
    return {c, h};
  }

  // Projection output r = sat_act(round(row_result >> to act.frac)).
  int64_t projection(int64_t sr) const {
    return saturate(round_shift(sr, a_.frac_h() - a_.act.frac), a_.act.bits);
  }

  const ActivationTable& sigmoid() const { return sigmoid_; }
  const ActivationTable& tanh() const { return tanh_; }
  const ArithConfig& config() const { return a_; }

 private:
  ArithConfig a_;
  ActivationTable sigmoid_;
  ActivationTable tanh_;
  // Alignments are exact multiplications by 2^k (a left shift of a negative value is undefined
  // in C++17); the validator keeps every product within 62 bits.
  int64_t scale_x_, scale_h_, scale_b_, scale_fc_, scale_ig_;
  int shift_z_, shift_c_, shift_h_out_;
};

}  // namespace sparrow
