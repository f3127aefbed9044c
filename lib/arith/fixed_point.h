// The fixed-point primitives of the arithmetic contract (docs/arithmetic.md). Every number in the
// fixed-point datapath is a signed two's-complement integer `raw` of a FixedFormat {bits, frac},
// standing for raw / 2^frac. These few functions are the only places where rounding, saturation
// and wrap-around happen; the golden model, the SystemC model and the RTL generators call them.
#pragma once

#include <cstdint>
#include <string>

namespace sparrow {

struct FixedFormat {
  int bits = 16;  // total width including the sign bit, 1..32
  int frac = 8;   // fractional bits, 0..40 (may exceed bits)

  int64_t max_raw() const { return (int64_t{1} << (bits - 1)) - 1; }
  int64_t min_raw() const { return -(int64_t{1} << (bits - 1)); }
  double lsb() const;
  std::string str() const;  // "Q<bits>.<frac>"
  bool operator==(const FixedFormat& o) const { return bits == o.bits && frac == o.frac; }
};

// Clamps v into the range of a `bits`-wide signed integer.
inline int64_t saturate(int64_t v, int bits) {
  const int64_t hi = (int64_t{1} << (bits - 1)) - 1;
  const int64_t lo = -(int64_t{1} << (bits - 1));
  return v > hi ? hi : (v < lo ? lo : v);
}

// Two's-complement wrap of v to `bits` bits (what a `bits`-wide register does on overflow).
inline int64_t wrap(int64_t v, int bits) {
  if (bits >= 64) return v;
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  uint64_t u = static_cast<uint64_t>(v) & mask;
  if (u >> (bits - 1)) u |= ~mask;
  return static_cast<int64_t>(u);
}

// v * 2^-shift, rounded half up (toward +infinity) when shift > 0: (v + 2^(shift-1)) >> shift with
// an arithmetic shift. shift <= 0 is an exact left shift.
inline int64_t round_shift(int64_t v, int shift) {
  if (shift <= 0) return static_cast<int64_t>(static_cast<uint64_t>(v) << -shift);
  return (v + (int64_t{1} << (shift - 1))) >> shift;
}

// Quantizes a real number to `f`: round half away from zero, then saturate. Used offline (weights,
// inputs, tables), never inside the datapath.
int64_t quantize(double x, const FixedFormat& f);
inline double dequantize(int64_t raw, const FixedFormat& f) {
  return static_cast<double>(raw) * f.lsb();
}

}  // namespace sparrow
