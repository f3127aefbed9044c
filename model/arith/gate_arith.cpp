#include "arith/gate_arith.h"

#include <algorithm>

namespace sparrow {

GateArith::GateArith(const ArithConfig& arith)
    : a_(arith), sigmoid_(ActivationFn::kSigmoid, arith), tanh_(ActivationFn::kTanh, arith) {
  const int f = std::max({a_.frac_x(), a_.frac_h(), a_.bias.frac});
  shift_x_ = f - a_.frac_x();
  shift_h_ = f - a_.frac_h();
  shift_b_ = f - a_.bias.frac;
  shift_z_ = f - a_.preact.frac;
  const int fc = std::max(a_.gate.frac + a_.cell.frac, 2 * a_.gate.frac);
  shift_fc_ = fc - a_.gate.frac - a_.cell.frac;
  shift_ig_ = fc - 2 * a_.gate.frac;
  shift_c_ = fc - a_.cell.frac;
  shift_h_out_ = 2 * a_.gate.frac - a_.act.frac;
}

}  // namespace sparrow
