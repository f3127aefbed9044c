#include "arith/gate_arith.h"

#include <algorithm>

namespace sparrow {

GateArith::GateArith(const ArithConfig& arith)
    : a_(arith), sigmoid_(ActivationFn::kSigmoid, arith), tanh_(ActivationFn::kTanh, arith) {
  const int f = std::max({a_.frac_x(), a_.frac_h(), a_.bias.frac});
  scale_x_ = int64_t{1} << (f - a_.frac_x());
  scale_h_ = int64_t{1} << (f - a_.frac_h());
  scale_b_ = int64_t{1} << (f - a_.bias.frac);
  shift_z_ = f - a_.preact.frac;
  const int fc = std::max(a_.gate.frac + a_.cell.frac, 2 * a_.gate.frac);
  scale_fc_ = int64_t{1} << (fc - a_.gate.frac - a_.cell.frac);
  scale_ig_ = int64_t{1} << (fc - 2 * a_.gate.frac);
  shift_c_ = fc - a_.cell.frac;
  shift_h_out_ = 2 * a_.gate.frac - a_.act.frac;
}

}  // namespace sparrow
