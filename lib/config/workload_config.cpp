#include "config/workload_config.h"

#include "common/error.h"
#include "common/memory.h"
#include "config/yaml_map.h"

namespace sparrow {

WorkloadConfig parse_workload_config(const YAML::Node& root, const std::string& file) {
  YamlMap m(root, file, "");
  WorkloadConfig w;
  w.file = file;
  w.name = m.get_string("name");
  m.get_string("description", "");
  w.input_size = static_cast<int>(m.get_int("input_size", 1, 65536));
  w.hidden_size = static_cast<int>(m.get_int("hidden_size", 1, 65536));
  w.proj_size = static_cast<int>(m.get_int("proj_size", 0, 65536, 0));
  if (w.proj_size >= w.hidden_size)
    m.fail("proj_size", "'" + std::to_string(w.proj_size) + "'",
           "0 (no projection) or less than hidden_size = " + std::to_string(w.hidden_size));
  w.layers = static_cast<int>(m.get_int("layers", 1, 64, 1));
  w.bidirectional = m.get_bool("bidirectional", false);
  w.seq_len = static_cast<int>(m.get_int("seq_len", 1, 1 << 20));
  w.sequences = static_cast<int>(m.get_int("sequences", 1, 1 << 20, 1));
  if (int64_t{w.sequences} * w.seq_len > (int64_t{1} << 24))
    m.fail("sequences", "'" + std::to_string(w.sequences) + "'",
           "at most " + std::to_string((int64_t{1} << 24) / w.seq_len) +
               " (2^24 steps in a session at seq_len = " + std::to_string(w.seq_len) + ")");
  w.batch = static_cast<int>(m.get_int("batch", 1, kMaxBatch, 1));
  if (w.sequences % w.batch != 0)
    m.fail("batch", "'" + std::to_string(w.batch) + "'",
           "a divisor of sequences = " + std::to_string(w.sequences) +
               " (a session is whole batches)");
  {
    YamlMap s = m.get_map("weights");
    const std::string kind = s.get_enum("source", {"random", "npz"});
    if (kind == "random") {
      w.weights.kind = WeightSource::Kind::kRandom;
      w.weights.seed = static_cast<uint64_t>(s.get_int("seed", 0, INT64_MAX));
      w.weights.init_range = s.get_real("init_range", 1e-6, 1e6, 0.0);
    } else {
      w.weights.kind = WeightSource::Kind::kNpz;
      w.weights.path = resolve_path(file, s.get_string("path"));
    }
    s.finish();
  }
  {
    YamlMap s = m.get_map("inputs");
    const std::string kind = s.get_enum("source", {"random", "npy"});
    if (kind == "random") {
      w.inputs.kind = InputSource::Kind::kRandom;
      w.inputs.seed = static_cast<uint64_t>(s.get_int("seed", 0, INT64_MAX));
      w.inputs.amplitude = s.get_real("amplitude", 1e-6, 1e6, 1.0);
    } else {
      w.inputs.kind = InputSource::Kind::kNpy;
      w.inputs.path = resolve_path(file, s.get_string("path"));
    }
    s.finish();
  }
  m.finish();
  return w;
}

void require_memory_for(const WorkloadConfig& w) {
  const double need = estimated_run_bytes(w), have = double(usable_memory_bytes());
  if (need > have)
    throw_input_error(w.file, "input_size, hidden_size, proj_size, layers, seq_len",
                      "a workload that needs about " + bytes_text(need) + " of memory (" +
                          std::to_string(w.input_size) + ", " + std::to_string(w.hidden_size) +
                          ", " + std::to_string(w.proj_size) + ", " + std::to_string(w.layers) +
                          ", " + std::to_string(w.seq_len) + ")",
                      "at most the " + bytes_text(have) + " this machine gives sparrow");
}

double estimated_run_bytes(const WorkloadConfig& w) {
  double weights = 0, steps = 0;
  for (int l = 0; l < w.layers; ++l) {
    weights +=
        double(w.directions()) * (4.0 * w.hidden_size * (w.layer_input_size(l) + w.state_size()) +
                                  double(w.proj_size) * w.hidden_size);
    steps += double(w.seq_len) * w.sequences * w.directions() *
             (w.layer_input_size(l) + 4.0 * w.hidden_size + w.state_size());
  }
  return 24 * weights + 24 * steps + 64e6;
}

WorkloadConfig load_workload_config(const std::string& path, const Overrides& overrides) {
  std::string file;
  const YAML::Node root = load_yaml_file(path, overrides, file);
  return parse_workload_config(root, file);
}

}  // namespace sparrow
