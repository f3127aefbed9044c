// A host application (configs/apps/*/app.yaml, docs/apps.md): which task, the trained model, its
// vocabulary, the held-out test file, the LSTM's shape and timesteps per inference, the
// architecture it was pruned for, and the accuracy PyTorch measured at export.
#pragma once

#include <string>
#include <vector>

#include "config/workload_config.h"
#include "config/yaml_map.h"

namespace sparrow {

enum class AppTask { kSentiment, kCharLm, kWordLm };

// What a task measures and how its figures are named (docs/apps.md).
struct TaskInfo {
  const char* name;       // as in app.yaml's `task`
  const char* metric;     // the sweep metric: task_accuracy | task_bits_per_char | task_perplexity
  const char* unit;       // the figure (task_figure): "accuracy (%)", ...
  bool higher_is_better;  // accuracy; the language models' figures are lower for better
  const char* predicted;  // what `examples` counts: sentences, characters, words
};
const TaskInfo& task_info(AppTask task);
// Every task, in AppTask's order.
const std::vector<AppTask>& app_tasks();

// The task metric, as PyTorch recorded it (float64) or as sparrow measures it.
struct TaskMetric {
  int64_t examples = 0;      // sentiment: sentences; charlm: predicted characters; wordlm: words
  int64_t correct = 0;       // sentiment
  double accuracy = 0;       // sentiment: correct / examples
  double bits_per_char = 0;  // charlm: mean -log2 p(next character)
  double bits_per_word = 0;  // wordlm: mean -log2 p(next token)
  double perplexity = 0;     // charlm, wordlm: 2^bits per prediction
};

// The figure a sweep or a sensitivity reports: sentiment accuracy in percent, bits per
// character, or the word LM's perplexity.
double task_figure(const TaskMetric& metric, AppTask task);
// How much worse `figure` is than `base`: percentage points of accuracy lost, bits per character
// or perplexity gained.
double task_loss(double figure, double base, AppTask task);

struct AppConfig {
  std::string file;
  std::string name;
  AppTask task = AppTask::kSentiment;
  std::string model;  // .npz: nn.LSTM names, embedding, decoder_weight, decoder_bias
  std::string vocab;  // one token per line
  std::string test;   // sentiment: SENTENCE<TAB>LABEL lines; charlm, wordlm: plain text
  int seq_len = 1;    // timesteps of one inference
  int input_size = 0;
  int hidden_size = 0;
  int layers = 1;    // stacked LSTM layers (wordlm: 2)
  std::string arch;  // the architecture the model was pruned for
  TaskMetric torch;  // PyTorch's float64 metric on `test`

  // The accelerator's workload: `layers` layers, seq_len steps, weights from `model`.
  WorkloadConfig workload() const;
};

AppConfig load_app_config(const std::string& path, const Overrides& overrides = {});

const char* to_string(AppTask task);

}  // namespace sparrow
