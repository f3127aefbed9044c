// Numerical edge cases (tests/model/numeric_edges.h), golden against the RTL under Verilator:
// outputs bit for bit, and the RTL's cycles, MAC slots, DRAM traffic and LUT lookups against the
// timing contract. Every case is a parameter set of its own, so a Verilator build of its own
// (cached in the build folder's rtl-cache/).
#include <gtest/gtest.h>

#include "engines/rtl_engine.h"
#include "numeric_edges.h"
#include "timing/timing_model.h"

namespace sparrow {
namespace {

class NumericEdgeRtl : public ::testing::TestWithParam<EdgeCase> {};

TEST_P(NumericEdgeRtl, GoldenAndRtlAgree) {
  const EdgeRun e = edge_run(GetParam());
  const Activity contract = evaluate_timing(e.model, e.arch, e.workload);
  const RtlEngineRun run =
      run_rtl(rtl_case(e.model, e.arch, e.workload, e.x), e.arch, contract.cycles, {});
  ASSERT_TRUE(run.result.finished) << run.result.message;
  EXPECT_TRUE(bit_exact(run.result.outputs, e.golden.outputs))
      << "outputs differ from the golden model";
  for (const auto& [name, value] : rtl_counters(contract)) {
    ASSERT_TRUE(run.result.values.count(name)) << name;
    EXPECT_EQ(run.result.values.at(name), value) << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Rtl, NumericEdgeRtl, ::testing::ValuesIn(edge_cases(false)),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace sparrow
