#include "arith/activation.h"

#include <cmath>

namespace sparrow {

double activation_reference(ActivationFn fn, double x) {
  return fn == ActivationFn::kSigmoid ? 1.0 / (1.0 + std::exp(-x)) : std::tanh(x);
}

ActivationTable::ActivationTable(ActivationFn fn, const ArithConfig& arith)
    : fn_(fn),
      kind_(arith.activation),
      cfg_(fn == ActivationFn::kSigmoid ? arith.sigmoid : arith.tanh),
      out_(arith.gate),
      slope_frac_(arith.pwl_slope.frac) {
  const int n = entries();
  const double range = std::ldexp(1.0, cfg_.range_log2);
  const double bin = 2.0 * range / n;
  values_.resize(n);
  if (kind_ == ActivationKind::kPwl) slopes_.resize(n);
  for (int k = 0; k < n; ++k) {
    const double left = -range + k * bin;
    if (kind_ == ActivationKind::kLut) {
      values_[k] = quantize(activation_reference(fn, left + 0.5 * bin), out_);
    } else {
      const double y0 = activation_reference(fn, left);
      const double y1 = activation_reference(fn, left + bin);
      values_[k] = quantize(y0, out_);
      slopes_[k] = quantize((y1 - y0) / bin, arith.pwl_slope);
    }
  }
}

}  // namespace sparrow
