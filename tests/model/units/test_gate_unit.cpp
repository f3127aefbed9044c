// The gate unit's admission (G units per cycle as their rows complete) and its arithmetic.
#include "unit_rig.h"

namespace sparrow {
namespace {

TEST(GateUnitUnit, AdmitsUnitsAsTheirRowsCompleteAtMostGPerCycle) {
  ArchConfig arch = test::arch("brds");
  arch.gate_unit.lanes = 2;           // G
  arch.gate_unit.pipeline_depth = 3;  // D
  const int hidden = 6;
  GateActivity act;
  GateUnit gate("gate", arch, act);
  VectorBuffer out;
  out.reset(size_t(hidden));
  std::vector<int64_t> bias(size_t(4 * hidden));
  Mac2Gate x, h;
  x.matrix = Matrix::kWx;
  h.matrix = Matrix::kWh;
  for (int q = 0; q < 4 * hidden; ++q) {
    bias[size_t(q)] = 40 * (q % 5) - 80;
    x.result.push_back(1000 * (q % 7) - 3000);
    h.result.push_back(700 * (q % 3) - 500);
    x.ready.push_back(10 + q / 4);            // unit u's W_x rows at 10 + u
    h.ready.push_back(q % 4 == 3 ? 12 : 11);  // its W_h rows by 12
  }
  int64_t udone = kUnknownCycle;
  Bench bench("bench", [&] {
    gate.begin_pass(0, bias, {&out});
    EXPECT_EQ(gate.udone(0), kUnknownCycle);
    gate.push(x);
    gate.push(h);
    while (gate.steps_known() == 0) sc_core::wait(gate.known());
    udone = gate.udone(0);
  });
  sc_core::sc_start();
  // ready_u = 12, 12, 12, 13, 14, 15; with G = 2 admitted at 12, 12, 13, 13, 14, 15; udone =
  // e_5 + D + 1.
  EXPECT_EQ(udone, 15 + 3 + 1);
  EXPECT_EQ(gate.steps_known(), 1);
  const GateArith arith(arch.arith);
  for (int u = 0; u < hidden; ++u) {
    int64_t z[4];
    for (int g = 0; g < 4; ++g) {
      const size_t q = size_t(4 * u + g);
      z[g] = arith.preactivation(x.result[q], h.result[q], bias[q]);
    }
    EXPECT_EQ(out.values[size_t(u)], arith.cell(z[0], z[1], z[2], z[3], 0).h) << u;
  }
  EXPECT_EQ(act.units, hidden);
  EXPECT_EQ(act.lut_sigmoid, 3 * hidden);
  EXPECT_EQ(act.lut_tanh, 2 * hidden);
}

}  // namespace
}  // namespace sparrow
