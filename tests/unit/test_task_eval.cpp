// A sweep's task (model/app/task_eval.h): the float reference reproduces PyTorch's accuracy at
// export, and points sharing the compression and the formats share one evaluation. (That a point's
// metric equals `sparrow app --engine golden`'s is cli.sweep.task.)
#include <gtest/gtest.h>

#include "app/task_eval.h"
#include "test_util.h"

namespace sparrow {
namespace {

ArchConfig dense_app_arch(const std::vector<std::pair<std::string, std::string>>& set) {
  YAML::Node y = YAML::LoadFile(test::source_path("configs/apps/sentiment-dense/arch.yaml"));
  for (const auto& [k, v] : set) y = test::with(y, k, v);
  return parse_arch_config(y, "arch.yaml");
}

TEST(TaskEval, SharesEvaluationsByCompressionAndFormats) {
  TaskEvaluator task(test::source_path("configs/apps/sentiment-dense/app.yaml"));
  // The dense model in float: PyTorch's figure at export (float64), to the sentence.
  EXPECT_EQ(task.reference().correct, task.config().torch.correct);
  EXPECT_EQ(task.reference().examples, 600);

  const ArchConfig a = dense_app_arch({{"compression.sx", "0.75"}, {"compression.sh", "0.875"}});
  const TaskMetric m = task.evaluate(a);
  EXPECT_EQ(task.evaluations(), 1u);

  // The PEs, the clock and the gate unit do not change the numbers: no second evaluation.
  const ArchConfig b = dense_app_arch({{"compression.sx", "0.75"},
                                       {"compression.sh", "0.875"},
                                       {"mac_array.pes", "32"},
                                       {"clock_mhz", "400"},
                                       {"gate_unit.lanes", "8"}});
  EXPECT_EQ(task.evaluate(b).correct, m.correct);
  EXPECT_EQ(task.evaluations(), 1u);
  // A weight format does.
  task.evaluate(dense_app_arch({{"compression.sx", "0.75"},
                                {"compression.sh", "0.875"},
                                {"arith.wh", "{bits: 4, frac: 3}"}}));
  EXPECT_EQ(task.evaluations(), 2u);
}

}  // namespace
}  // namespace sparrow
