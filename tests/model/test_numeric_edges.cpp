// Numerical edge cases (numeric_edges.h), golden against the SystemC model (outputs bit for bit,
// cycles against the timing contract), one elaboration per test process.
#include <gtest/gtest.h>

#include <systemc>

#include "engines/systemc_engine.h"
#include "numeric_edges.h"
#include "timing/timing_model.h"

namespace sparrow {
namespace {

class NumericEdge : public ::testing::TestWithParam<EdgeCase> {};

TEST_P(NumericEdge, GoldenAndSystemcAgree) {
  const EdgeCase& c = GetParam();
  const EdgeRun e = edge_run(c);
  const ArchConfig& a = e.arch;
  const WorkloadConfig& w = e.workload;
  const CompressedModel& m = e.model;
  const RawMatrix& x = e.x;
  const FixedRun& golden = e.golden;
  const SystemcRun sc = run_systemc(m, a, w, x, int64_t{1} << 40);
  EXPECT_TRUE(bit_exact(sc.outputs, golden.outputs)) << "outputs differ from the golden model";
  EXPECT_EQ(sc.activity.cycles, evaluate_timing(m, a, w).cycles);
  const RailCounts& r = golden.rails;
  if (c.saturates) {
    EXPECT_GT(r.acc_wraps, 0);
    EXPECT_GT(r.preact, 0);
    EXPECT_GT(r.cell, 0);
    EXPECT_GT(r.hidden, 0);
    if (w.proj_size > 0) {
      EXPECT_GT(r.projection, 0);
    }
    // The input quantization saturates too, at both ends.
    EXPECT_EQ(x.maxCoeff(), a.arith.act.max_raw());
    EXPECT_EQ(x.minCoeff(), a.arith.act.min_raw());
  }
  if (a.arith.acc_bits == 48) {
    EXPECT_EQ(r.acc_wraps, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Model, NumericEdge, ::testing::ValuesIn(edge_cases(true)),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace sparrow
