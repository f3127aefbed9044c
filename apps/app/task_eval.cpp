#include "app/task_eval.h"

#include "compress/compressor.h"
#include "compress/model_cache.h"

namespace sparrow {

namespace {

// The examples the metric needs. Sentiment scores h at each sentence's last token only: the
// LSTM is causal, so the steps after it (the padding the accelerator also runs) cannot change it,
// and the metric runs the sentence's own steps, bit for bit the same h (docs/apps.md).
std::vector<AppExample> scored_steps(std::vector<AppExample> examples, AppTask task) {
  if (task == AppTask::kSentiment)
    for (AppExample& e : examples) e.ids.resize(size_t(e.length));
  return examples;
}

}  // namespace

TaskEvaluator::TaskEvaluator(const std::string& app)
    : model_(load_app_model(load_app_config(app))),
      examples_(scored_steps(load_test_examples(model_.config.test, model_.config, model_.vocab),
                             model_.config.task)),
      reference_(score(model_, examples_, run_float(model_, model_.lstm, examples_))) {}

std::string TaskEvaluator::key(const ArchConfig& arch) const {
  return pruned_cache_key(model_.config.workload(), arch, false) + arith_cache_key(arch.arith);
}

TaskMetric TaskEvaluator::evaluate(const ArchConfig& arch) {
  const std::string k = key(arch);
  std::promise<TaskMetric> mine;
  std::shared_future<TaskMetric> result;
  {
    const std::lock_guard<std::mutex> lock(mu_);
    const auto it = memo_.find(k);
    if (it != memo_.end()) {
      result = it->second;
    } else {
      memo_.emplace(k, mine.get_future().share());
    }
  }
  if (result.valid()) return result.get();  // computed, or being computed by another point
  ++evaluations_;
  try {
    const CompressedModel cm = compress_model(model_.lstm, arch);
    const TaskMetric m = score(model_, examples_, run_fixed(model_, cm, arch, examples_));
    mine.set_value(m);
    return m;
  } catch (...) {
    mine.set_exception(std::current_exception());
    throw;
  }
}

}  // namespace sparrow
