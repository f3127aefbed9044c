#include "app/app_config.h"

namespace sparrow {

const TaskInfo& task_info(AppTask task) {
  static const TaskInfo info[] = {
      {"sentiment", "task_accuracy", "accuracy (%)", true, "sentences"},
      {"charlm", "task_bits_per_char", "bits per character", false, "characters"},
      {"wordlm", "task_perplexity", "perplexity", false, "words"}};
  return info[static_cast<int>(task)];
}

const std::vector<AppTask>& app_tasks() {
  static const std::vector<AppTask> all = {AppTask::kSentiment, AppTask::kCharLm, AppTask::kWordLm};
  return all;
}

double task_figure(const TaskMetric& metric, AppTask task) {
  switch (task) {
    case AppTask::kSentiment:
      return 100 * metric.accuracy;
    case AppTask::kCharLm:
      return metric.bits_per_char;
    case AppTask::kWordLm:
      break;
  }
  return metric.perplexity;
}

double task_loss(double figure, double base, AppTask task) {
  return task_info(task).higher_is_better ? base - figure : figure - base;
}

const char* to_string(AppTask task) {
  return task_info(task).name;
}

WorkloadConfig AppConfig::workload() const {
  WorkloadConfig w;
  w.file = file;
  w.name = name;
  w.input_size = input_size;
  w.hidden_size = hidden_size;
  w.seq_len = seq_len;
  w.layers = layers;
  w.weights.kind = WeightSource::Kind::kNpz;
  w.weights.path = model;
  w.inputs.kind = InputSource::Kind::kNpy;  // the host supplies every sequence
  return w;
}

AppConfig load_app_config(const std::string& path, const Overrides& overrides) {
  std::string file;
  const YAML::Node root = load_yaml_file(path, overrides, file);
  YamlMap m(root, file, "");
  AppConfig a;
  a.file = file;
  a.name = m.get_string("name");
  m.get_string("description", "");
  const std::string task = m.get_enum("task", {"sentiment", "charlm", "wordlm"});
  for (AppTask t : app_tasks())
    if (task == task_info(t).name) a.task = t;
  a.model = resolve_path(path, m.get_string("model"));
  a.vocab = resolve_path(path, m.get_string("vocab"));
  a.test = resolve_path(path, m.get_string("test"));
  a.seq_len = static_cast<int>(m.get_int("seq_len", 1, 1 << 20));
  a.input_size = static_cast<int>(m.get_int("input_size", 1, 65536));
  a.hidden_size = static_cast<int>(m.get_int("hidden_size", 1, 65536));
  a.layers = static_cast<int>(m.get_int("layers", 1, 64, 1));
  a.arch = resolve_path(path, m.get_string("arch"));
  YamlMap t = m.get_map("torch");
  if (a.task == AppTask::kSentiment) {
    a.torch.examples = t.get_int("examples", 1, INT64_MAX);
    a.torch.correct = t.get_int("correct", 0, a.torch.examples);
    a.torch.accuracy = t.get_real("accuracy", 0, 1);
  } else {
    t.get_int("sequences", 1, INT64_MAX);
    a.torch.examples = t.get_int("predictions", 1, INT64_MAX);
    if (a.task == AppTask::kCharLm)
      a.torch.bits_per_char = t.get_real("bits_per_char", 0, 1e6);
    else
      a.torch.bits_per_word = t.get_real("bits_per_word", 0, 1e6);
    a.torch.perplexity = t.get_real("perplexity", 1, 1e300);
  }
  t.finish();
  m.finish();
  return a;
}

}  // namespace sparrow
