// A host application (configs/apps/*/app.yaml, docs/apps.md): which task, the trained model, its
// vocabulary, the held-out test file, the LSTM's shape and timesteps per inference, the
// architecture it was pruned for, and the accuracy PyTorch measured at export.
#pragma once

#include <string>

#include "config/workload_config.h"
#include "config/yaml_map.h"

namespace sparrow {

enum class AppTask { kSentiment, kCharLm };

// The task metric, as PyTorch recorded it (float64) or as sparrow measures it.
struct TaskMetric {
  int64_t examples = 0;      // sentiment: sentences; charlm: predicted characters
  int64_t correct = 0;       // sentiment
  double accuracy = 0;       // sentiment: correct / examples
  double bits_per_char = 0;  // charlm: mean -log2 p(next character)
  double perplexity = 0;     // charlm: 2^bits_per_char
};

struct AppConfig {
  std::string file;
  std::string name;
  AppTask task = AppTask::kSentiment;
  std::string model;  // .npz: nn.LSTM names, embedding, decoder_weight, decoder_bias
  std::string vocab;  // one token per line
  std::string test;   // sentiment: SENTENCE<TAB>LABEL lines; charlm: plain text
  int seq_len = 1;    // timesteps of one inference
  int input_size = 0;
  int hidden_size = 0;
  std::string arch;  // the architecture the model was pruned for
  TaskMetric torch;  // PyTorch's float64 metric on `test`

  // The accelerator's workload: one layer, seq_len steps, weights from `model`.
  WorkloadConfig workload() const;
};

AppConfig load_app_config(const std::string& path, const Overrides& overrides = {});

const char* to_string(AppTask t);

}  // namespace sparrow
