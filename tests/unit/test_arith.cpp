// The arithmetic contract, pinned by values worked out by hand (docs/arithmetic.md).
#include <gtest/gtest.h>

#include <cmath>

#include "arith/gate_arith.h"
#include "test_util.h"

namespace sparrow {
namespace {

TEST(FixedPoint, RoundShiftIsHalfUp) {
  EXPECT_EQ(round_shift(5, 1), 3);    // 2.5 -> 3
  EXPECT_EQ(round_shift(-5, 1), -2);  // -2.5 -> -2 (toward +infinity)
  EXPECT_EQ(round_shift(-6, 2), -1);  // -1.5 -> -1
  EXPECT_EQ(round_shift(-7, 2), -2);  // -1.75 -> -2
  EXPECT_EQ(round_shift(7, 2), 2);    // 1.75 -> 2
  EXPECT_EQ(round_shift(3, 0), 3);
  EXPECT_EQ(round_shift(3, -2), 12);
  EXPECT_EQ(round_shift(-3, -2), -12);
}

TEST(FixedPoint, SaturateAndWrap) {
  EXPECT_EQ(saturate(200, 8), 127);
  EXPECT_EQ(saturate(-200, 8), -128);
  EXPECT_EQ(saturate(-128, 8), -128);
  EXPECT_EQ(wrap(128, 8), -128);
  EXPECT_EQ(wrap(255, 8), -1);
  EXPECT_EQ(wrap(256, 8), 0);
  EXPECT_EQ(wrap(-129, 8), 127);
  EXPECT_EQ(wrap((int64_t{1} << 40) + 5, 32), 5);
  EXPECT_EQ(wrap(INT64_MIN, 64), INT64_MIN);
}

TEST(FixedPoint, WrapIsModularSoSumOrderDoesNotMatter) {
  // Wrapping after every addition equals wrapping once at the end: the lanes of a PE may add
  // their partial sums in any order and still match the golden model bit for bit.
  const int64_t terms[] = {30000, 25000, -1000, 32767, 12345, -32768, 29999};
  int64_t stepwise = 0, exact = 0;
  for (int64_t t : terms) {
    stepwise = wrap(stepwise + t, 16);
    exact += t;
  }
  EXPECT_EQ(stepwise, wrap(exact, 16));
  EXPECT_NE(exact, wrap(exact, 16));
}

TEST(FixedPoint, QuantizeRoundsHalfAwayAndSaturates) {
  const FixedFormat q87{8, 7};
  EXPECT_EQ(quantize(0.5, q87), 64);
  EXPECT_EQ(quantize(1.0, q87), 127);
  EXPECT_EQ(quantize(-1.0, q87), -128);
  EXPECT_EQ(quantize(-5.0, q87), -128);
  EXPECT_EQ(quantize(1.0 / 256, q87), 1);
  EXPECT_EQ(quantize(-1.0 / 256, q87), -1);
  EXPECT_EQ(quantize(1e300, q87), 127);
  EXPECT_DOUBLE_EQ(dequantize(-3, q87), -3.0 / 128);
}

TEST(Activation, LutEntriesAreBinMidpoints) {
  const ArithConfig a = test::arch("brds").arith;  // sigmoid range 8, 256 entries, gate Q16.14
  const ActivationTable sig(ActivationFn::kSigmoid, a);
  ASSERT_EQ(sig.entries(), 256);
  EXPECT_EQ(sig.eval(0, 12), 8320);                  // bin 128, midpoint 1/32
  EXPECT_EQ(sig.eval(255, 12), 8320);                // same bin (bins are 256 LSBs wide)
  EXPECT_EQ(sig.eval(256, 12), sig.values()[129]);   // next bin
  EXPECT_EQ(sig.eval(int64_t{1} << 20, 12), 16378);  // clamped to the last bin
  EXPECT_EQ(sig.eval(-(int64_t{1} << 20), 12), 6);   // clamped to the first bin
  for (int k = 1; k < sig.entries(); ++k) EXPECT_GE(sig.values()[k], sig.values()[k - 1]);
  const ActivationTable th(ActivationFn::kTanh, a);  // range 4: 1/32 per bin
  EXPECT_EQ(th.eval(0, 12), 256);
  EXPECT_EQ(th.values()[size_t(th.entries() - 1 - 10)], -th.values()[10]);  // odd symmetry
}

TEST(Activation, PiecewiseLinear) {
  const ArithConfig a = test::arch("brds-pwl16").arith;  // 32 segments, slope Q16.15
  const ActivationTable sig(ActivationFn::kSigmoid, a);
  EXPECT_EQ(sig.eval(0, 16), 8192);      // segment 16 starts at 0: sigmoid(0) = 0.5
  EXPECT_EQ(sig.slopes()[16], 8025);     // chord of [0, 0.5]
  EXPECT_EQ(sig.eval(16384, 16), 9195);  // 0.25: 8192 + round(8025 * 16384 / 2^17)
  // Within a segment the error to the real function stays small.
  for (double x = -7.9; x < 7.9; x += 0.37) {
    const double got = dequantize(sig.eval(quantize(x, a.preact), 16), a.gate);
    EXPECT_NEAR(got, activation_reference(ActivationFn::kSigmoid, x), 0.004) << x;
  }
}

// Table boundaries, for both input fractions of tanh and both kinds: the first and last input of
// the range, one LSB outside it, far outside it, and the two sides of every bin edge.
TEST(Activation, TableBoundaries) {
  for (const char* arch : {"brds", "brds-pwl16"}) {
    const ArithConfig a = test::arch(arch).arith;
    for (const ActivationFn fn : {ActivationFn::kSigmoid, ActivationFn::kTanh}) {
      const ActivationTable t(fn, a);
      const ActivationTableConfig& c = fn == ActivationFn::kSigmoid ? a.sigmoid : a.tanh;
      for (const int frac : {a.preact.frac, a.cell.frac}) {
        SCOPED_TRACE(std::string(arch) + (fn == ActivationFn::kSigmoid ? " sigmoid" : " tanh") +
                     " frac " + std::to_string(frac));
        const int64_t r = int64_t{1} << (c.range_log2 + frac);  // R in input LSBs
        const int64_t bin = 2 * r / t.entries();
        const int64_t last = t.eval(r - 1, frac);
        EXPECT_EQ(t.eval(-r, frac), t.values().front());
        EXPECT_EQ(t.eval(-r - 1, frac), t.values().front());
        EXPECT_EQ(t.eval(INT64_MIN / 4, frac), t.values().front());
        EXPECT_EQ(t.eval(r, frac), last);
        EXPECT_EQ(t.eval(INT64_MAX / 4, frac), last);
        EXPECT_GE(last, a.gate.min_raw());
        EXPECT_LE(last, a.gate.max_raw());
        for (int k = 1; k < t.entries(); ++k) {
          const int64_t edge = -r + k * bin;
          if (a.activation == ActivationKind::kLut) {
            EXPECT_EQ(t.eval(edge - 1, frac), t.values()[size_t(k - 1)]) << k;
            EXPECT_EQ(t.eval(edge, frac), t.values()[size_t(k)]) << k;
          } else {
            EXPECT_EQ(t.eval(edge, frac), t.values()[size_t(k)]) << k;  // d = 0
            const int64_t before = t.eval(edge - 1, frac), at = t.eval(edge, frac);
            EXPECT_LE(std::abs(before - at), std::abs(t.slopes()[size_t(k - 1)]) + 1) << k;
          }
        }
      }
    }
  }
}

TEST(GateArith, OneCellWorkedByHand) {
  const GateArith ga(test::arch("brds").arith);
  // z = 0 for all gates, c_{t-1} = 1.0 (4096 in Q16.12): i = f = o = 8320, g = 256.
  // c = round((8320 * 4096 << 2) + 8320 * 256) >> 16) = 2113; tanh(c) is bin 144: 7771;
  // h = round(8320 * 7771 >> 22) = 15 (Q8.6).
  const GateArith::CellOut out = ga.cell(0, 0, 0, 0, 4096);
  EXPECT_EQ(out.c, 2113);
  EXPECT_EQ(out.h, 15);
}

TEST(GateArith, PreactivationAlignsRoundsAndSaturates) {
  const GateArith ga(test::arch("brds").arith);
  // frac_x = 14, frac_h = 13, bias 12: all aligned to 14, rounded to preact frac 12.
  EXPECT_EQ(ga.preactivation(4, 0, 0), 1);   // 4/2^14 = 1/2^12
  EXPECT_EQ(ga.preactivation(2, 0, 0), 1);   // 0.5 LSB rounds up
  EXPECT_EQ(ga.preactivation(-2, 0, 0), 0);  // -0.5 LSB rounds up to 0
  EXPECT_EQ(ga.preactivation(0, 2, 0), 1);   // 2/2^13
  EXPECT_EQ(ga.preactivation(0, 0, 7), 7);
  EXPECT_EQ(ga.preactivation(4, 2, 7), 9);
  EXPECT_EQ(ga.preactivation(int64_t{1} << 40, 0, 0), 32767);
  EXPECT_EQ(ga.preactivation(-(int64_t{1} << 40), 0, 0), -32768);
}

TEST(GateArith, AccumulatorWrapsAndBinarizedRowsScale) {
  const GateArith ga(test::arch("brds").arith);  // 32-bit accumulator
  EXPECT_EQ(ga.row_result(int64_t{1} << 31, false, 0), -(int64_t{1} << 31));
  EXPECT_EQ(ga.row_result(-5, true, 3), -15);
  const GateArith gb(test::arch("binarized").arith);  // 20-bit accumulator
  EXPECT_EQ(gb.row_result((int64_t{1} << 19) + 1, true, 2), -(int64_t{1} << 20) + 2);
}

TEST(GateArith, ProjectionRoundsToActivationFormat) {
  const GateArith ga(test::arch("brds").arith);  // frac_h 13 -> act frac 6: shift 7
  EXPECT_EQ(ga.projection(64), 1);               // 0.5 LSB -> 1
  EXPECT_EQ(ga.projection(63), 0);
  EXPECT_EQ(ga.projection(1 << 20), 127);
}

}  // namespace
}  // namespace sparrow
