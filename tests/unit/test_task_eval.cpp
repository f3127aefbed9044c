// A sweep's task (apps/app/task_eval.h): the float reference reproduces PyTorch's accuracy at
// export, sparrow's one-shot pruning of the dense model gives PyTorch's accuracy for the same
// pruning (tests/fixtures/torch/task_sentiment_dense.json, scripts/gen_task_fixture.py), and
// points sharing the compression and the formats share one evaluation. (That a point's metric
// equals `sparrow app --engine golden`'s is cli.sweep.task.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/task_eval.h"
#include "compress/compressor.h"
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

// PyTorch (float64) on the dense model pruned one shot by scripts/train_app.py's masks, against
// sparrow's compressor and float path on the same pruning: the same sentences right. The task's
// bit-exact metric at 8 bits stays within 7 sentences of it (measured: at most 4).
TEST(TaskEval, OneShotPruningAsPyTorch) {
  std::ifstream f(test::source_path("tests/fixtures/torch/task_sentiment_dense.json"));
  const nlohmann::json fixture = nlohmann::json::parse(f);
  TaskEvaluator task(test::source_path("configs/apps/sentiment-dense/app.yaml"));
  const AppModel model = load_app_model(task.config());
  const std::vector<AppExample> examples =
      load_test_examples(task.config().test, task.config(), model.vocab);
  for (const nlohmann::json& p : fixture["points"]) {
    const std::string compression =
        test::compression_yaml(p["pattern"], p["sx"].dump(), p["sh"].dump());
    const ArchConfig arch =
        dense_app_arch({{"compression", compression}, {"mac_array.lanes", p["lanes"].dump()}});
    const CompressedModel cm = compress_model(model.lstm, arch);
    EXPECT_EQ(cm.kept_weights, p["kept"].get<int64_t>()) << compression;
    const TaskMetric pruned = score(model, examples, run_float(model, cm.pruned, examples));
    EXPECT_EQ(pruned.correct, p["correct"].get<int64_t>()) << compression;
    EXPECT_LE(std::abs(task.evaluate(arch).correct - pruned.correct), 7) << compression;
  }
}

}  // namespace
}  // namespace sparrow
