// Per-matrix sensitivity (apps/app/sensitivity.h): the dual-ratio search on given loss curves,
// the dense point of the dual-ratio pattern, and a small measured grid on the dense sentiment
// model. (That its points equal `sparrow app --engine golden`'s is cli.sensitivity.)
#include <gtest/gtest.h>

#include "app/sensitivity.h"
#include "compress/compressor.h"
#include "test_util.h"

namespace sparrow {
namespace {

const std::vector<double> kGrid{0, 0.5, 0.75, 0.875};

TEST(Sensitivity, LimitsAreTheLastGridSparsityOfAnUnbrokenRun) {
  // W_x within 1 up to 0.75; W_h's 0.75 breaks it, so 0.875 (back within) does not count.
  const DualRatioSuggestion s = suggest_dual_ratio(kGrid, {0, 0.2, 0.9, 3}, {0, 0.5, 1.5, 0.8}, 1,
                                                   [](size_t, size_t) { return 0.0; });
  EXPECT_EQ(s.limit_x, 2u);
  EXPECT_EQ(s.limit_h, 1u);
  ASSERT_EQ(s.path.size(), 1u);
  EXPECT_EQ(s.path[0].ix, 2u);
  EXPECT_EQ(s.path[0].ih, 1u);
  EXPECT_TRUE(s.fits);
}

TEST(Sensitivity, StepsBackTheSteeperMatrixUntilTheCombinedPointFits) {
  // Limits (2, 3). At (2, 3) W_h's last step is steeper (0.8 / 0.125 against 0.6 / 0.25): W_h
  // steps back; at (2, 2) W_x's (0.6 / 0.25 against 0.1 / 0.25): W_x steps back to (1, 2).
  const std::vector<double> lx{0, 0.3, 0.9, 5}, lh{0, 0.0, 0.1, 0.9};
  std::vector<std::pair<size_t, size_t>> asked;
  const DualRatioSuggestion s = suggest_dual_ratio(kGrid, lx, lh, 1, [&](size_t ix, size_t ih) {
    asked.push_back({ix, ih});
    return lx[ix] + lh[ih] + 0.5;
  });
  const std::vector<std::pair<size_t, size_t>> want{{2, 3}, {2, 2}, {1, 2}};
  EXPECT_EQ(asked, want);
  EXPECT_EQ(s.path.back().ix, 1u);
  EXPECT_EQ(s.path.back().ih, 2u);
  EXPECT_DOUBLE_EQ(s.path.back().loss, 0.9);
  EXPECT_TRUE(s.fits);
}

TEST(Sensitivity, StepsBackTheOtherMatrixOnceOneIsDenseAndStopsAtDense) {
  const DualRatioSuggestion s = suggest_dual_ratio(
      kGrid, {0, 2, 2, 2}, {0, 0, 0, 0}, 1, [](size_t, size_t ih) { return ih ? 2.0 : 1.5; });
  EXPECT_EQ(s.limit_x, 0u);
  EXPECT_EQ(s.limit_h, 3u);
  ASSERT_EQ(s.path.size(), 4u);
  EXPECT_EQ(s.path.back().ih, 0u);
  EXPECT_FALSE(s.fits);
}

ArchConfig dense_app_arch(const Overrides& set) {
  YAML::Node y = YAML::LoadFile(test::source_path("configs/apps/sentiment-dense/arch.yaml"));
  for (const auto& [k, v] : set) y = test::with(y, k, v);
  return parse_arch_config(y, "arch.yaml");
}

TEST(Sensitivity, DualRatioAtZeroKeepsEveryWeight) {
  TaskEvaluator task(test::source_path("configs/apps/sentiment-dense/app.yaml"));
  const AppModel model = load_app_model(task.config());
  const CompressedModel cm = compress_model(
      model.lstm, dense_app_arch({{"compression", "{pattern: dual_ratio, sx: 0, sh: 0.875}"}}));
  EXPECT_EQ(cm.pruned.dirs[0].w_ih, model.lstm.dirs[0].w_ih);
  EXPECT_NE(cm.pruned.dirs[0].w_hh, model.lstm.dirs[0].w_hh);
}

TEST(Sensitivity, MeasuresEachMatrixAloneAgainstTheDenseFixedPoint) {
  TaskEvaluator task(test::source_path("configs/apps/sentiment-dense/app.yaml"));
  const SensitivityResult r = measure_sensitivity(task, dense_app_arch, {{0, 0.75}, {4}, 1.0});
  const double dense = 100 * task.evaluate(dense_app_arch({})).accuracy;
  EXPECT_EQ(r.dense_metric, dense);
  EXPECT_EQ(r.float_metric, 100 * task.reference().accuracy);
  auto metric = [&](const std::string& matrix, const std::string& knob, const std::string& v) {
    for (const SensitivityRow& row : r.rows)
      if (row.matrix == matrix && row.knob == knob && row.value == v) return row.metric;
    ADD_FAILURE() << matrix << " " << knob << " " << v;
    return 0.0;
  };
  EXPECT_EQ(metric("W_x", "sparsity", "0"), dense);
  EXPECT_EQ(metric("W_x", "sparsity", "0.75"),
            100 * task.evaluate(dense_app_arch({{"compression.sx", "0.75"}})).accuracy);
  EXPECT_EQ(metric("W_h", "sparsity", "0.75"),
            100 * task.evaluate(dense_app_arch({{"compression.sh", "0.75"}})).accuracy);
  EXPECT_EQ(metric("W_h", "bits", "4"),
            100 * task.evaluate(dense_app_arch({{"arith.wh", "{bits: 4, frac: 3}"}})).accuracy);
  EXPECT_EQ(r.loss_x.size(), 2u);
  EXPECT_LE(r.suggestion.path.back().loss, 1.0);
}

}  // namespace
}  // namespace sparrow
