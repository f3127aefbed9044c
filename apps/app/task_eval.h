// A host application as a sweep's task (docs/sweeps.md, "A task: accuracy in the sweep"): the
// task metric of a design point is the app's model compressed for the point's architecture by
// sparrow's compressor (one-shot pruning to its pattern and sparsities, quantization to its
// formats), run by the bit-exact golden model on the app's held-out data and scored by the app's
// decoder: run_fixed and score, as `sparrow app` runs them. Points that share the compression
// recipe, the lanes and every arithmetic format share one evaluation (the PEs and everything else
// do not change the numbers, docs/arithmetic.md).
#pragma once

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "app/app_model.h"

namespace sparrow {

class TaskEvaluator {
 public:
  // Loads the app (InputError on a bad app config, model, vocabulary or test file) and runs its
  // model, unpruned, through the float reference on every held-out example.
  explicit TaskEvaluator(const std::string& app);

  const AppConfig& config() const { return model_.config; }
  // The metric of the app's model as loaded (not pruned, not quantized), in float.
  const TaskMetric& reference() const { return reference_; }
  // The bit-exact fixed-point metric at `arch`; thread-safe, each key computed once.
  TaskMetric evaluate(const ArchConfig& arch);
  // How many evaluations were computed (the others came from the memo).
  size_t evaluations() const { return evaluations_; }

 private:
  // What the metric depends on: the app's model, the compression recipe, the lanes, the
  // arithmetic.
  std::string key(const ArchConfig& arch) const;

  AppModel model_;
  std::vector<AppExample> examples_;
  TaskMetric reference_;
  std::mutex mu_;
  std::map<std::string, std::shared_future<TaskMetric>> memo_;
  std::atomic<size_t> evaluations_{0};
};

}  // namespace sparrow
