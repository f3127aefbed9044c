// The workload config (configs/workloads/*.yaml): the LSTM's shape, where its weights and its
// input sequence come from. Loaded and validated once, like the architecture config.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

#include "config/yaml_map.h"

namespace sparrow {

struct WeightSource {
  enum class Kind { kRandom, kNpz } kind = Kind::kRandom;
  uint64_t seed = 1;
  double init_range = 0.0;  // U(-a, a); 0 means PyTorch's default a = 1/sqrt(hidden_size)
  std::string path;  // .npz with nn.LSTM parameter names (resolved against the YAML's folder)
};

struct InputSource {
  enum class Kind { kRandom, kNpy } kind = Kind::kRandom;
  uint64_t seed = 2;
  double amplitude = 1.0;  // U(-amplitude, amplitude)
  std::string path;        // .npy of shape (sequences, seq_len, input_size); with one sequence also
                           // (seq_len, input_size) or (seq_len, 1, input_size)
};

// The largest batch: the hardware keeps 2 hidden vectors and 1 cell-state vector per sequence of
// a batch (docs/timing.md, "Batches").
inline constexpr int kMaxBatch = 64;

struct WorkloadConfig {
  std::string file;
  std::string name;
  int input_size = 0;
  int hidden_size = 0;
  int proj_size = 0;  // 0: no projection (LSTMP otherwise)
  int layers = 1;
  bool bidirectional = false;
  int seq_len = 1;
  int sequences = 1;  // a session: sequences run one after another on the weights loaded once
  int batch = 1;      // sequences processed together, their steps interleaved (docs/timing.md)
  WeightSource weights;
  InputSource inputs;

  int directions() const { return bidirectional ? 2 : 1; }
  int state_size() const { return proj_size > 0 ? proj_size : hidden_size; }
  int layer_input_size(int layer) const {
    return layer == 0 ? input_size : state_size() * directions();
  }
  int output_size() const { return state_size() * directions(); }
  int batches() const { return sequences / batch; }
};

WorkloadConfig load_workload_config(const std::string& path, const Overrides& overrides = {});
WorkloadConfig parse_workload_config(const YAML::Node& root, const std::string& file);

// The memory a run of this workload needs at most, in bytes: 24 per weight (the float weights,
// their pruned copy, the masks and the banks) and 24 per value of each step's vectors, plus 64 MB.
// Measured peaks (2026-12-03, `/usr/bin/time -f %M sparrow run --engine analytic`): ptb-large on
// brds-s90 (36 M weights) 0.66 GB, estimate 0.93 GB; sentiment-h128 with seq_len 65536 (50 M
// step values) 0.74 GB, estimate 1.3 GB.
double estimated_run_bytes(const WorkloadConfig& w);
// InputError if that is more than usable_memory_bytes(); called before the weights are made, so
// the timing contract's closed form can still explore such a workload's geometry.
void require_memory_for(const WorkloadConfig& w);

}  // namespace sparrow
