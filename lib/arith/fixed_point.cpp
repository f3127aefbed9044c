#include "arith/fixed_point.h"

#include <cmath>

namespace sparrow {

double FixedFormat::lsb() const {
  return std::ldexp(1.0, -frac);
}

std::string FixedFormat::str() const {
  return "Q" + std::to_string(bits) + "." + std::to_string(frac);
}

int64_t quantize(double x, const FixedFormat& f) {
  const double scaled = std::ldexp(x, f.frac);
  const double limit = std::ldexp(1.0, f.bits);
  if (scaled >= limit) return f.max_raw();
  if (scaled <= -limit) return f.min_raw();
  return saturate(static_cast<int64_t>(std::llround(scaled)), f.bits);
}

}  // namespace sparrow
