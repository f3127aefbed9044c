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

std::string rom_image(const std::vector<int64_t>& values, int bits) {
  static const char* digits = "0123456789abcdef";
  const int width = (bits + 3) / 4;
  const uint64_t mask = bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  std::string s;
  for (int64_t v : values) {
    const uint64_t u = static_cast<uint64_t>(v) & mask;
    for (int d = width - 1; d >= 0; --d) s += digits[(u >> (4 * d)) & 15];
    s += '\n';
  }
  return s;
}

std::vector<std::pair<std::string, std::string>> activation_rom_images(const ArithConfig& arith) {
  std::vector<std::pair<std::string, std::string>> files;
  for (ActivationFn fn : {ActivationFn::kSigmoid, ActivationFn::kTanh}) {
    const ActivationTable t(fn, arith);
    const std::string name = fn == ActivationFn::kSigmoid ? "sigmoid" : "tanh";
    files.emplace_back(name + ".mem", rom_image(t.values(), arith.gate.bits));
    if (arith.activation == ActivationKind::kPwl)
      files.emplace_back(name + "_slope.mem", rom_image(t.slopes(), arith.pwl_slope.bits));
  }
  return files;
}

}  // namespace sparrow
