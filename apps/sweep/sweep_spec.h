// A sweep spec (configs/sweeps/*.yaml): a base architecture, workloads, the keys to vary (lists
// and ranges, all combinations or a seeded random sample), constraints and objectives. Expanded
// into design points, each keyed by a hash of its full configuration.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/app_config.h"
#include "config/yaml_map.h"

namespace sparrow {

struct SweepSpec {
  std::string file;
  std::string name;
  std::string arch;  // resolved paths
  // With a task (an app config): its path is the one workload, and every point also records the
  // task metrics (task_metrics) of the app's model compressed for the point.
  std::string task;
  std::vector<std::string> task_metrics;  // empty without a task
  std::vector<std::string> workloads;
  std::string energy;
  std::vector<std::pair<std::string, std::vector<std::string>>> vary;  // key -> YAML values
  int64_t samples = 0;                                                 // 0: every combination
  uint64_t seed = 1;
  struct Constraint {
    std::string metric;
    bool is_max;  // metric <= bound (max) or >= bound (min)
    double bound;
  };
  std::vector<Constraint> constraints;
  struct Objective {
    std::string metric;
    bool maximize;
  };
  std::vector<Objective> objectives;
};

// One design point: a workload and a value of every vary key.
struct DesignPoint {
  size_t index = 0;  // position in the expansion (a shard I/N runs the points with index % N == I)
  std::string workload;
  std::vector<std::pair<std::string, std::string>> settings;  // "arch.KEY" -> value
  std::string key;  // hash of workload, settings and engine
};

// The design points of a spec, without holding them: a grid of 10^7 points costs nothing per
// point, a random sample 8 bytes per distinct draw. Point i is workload i / combinations() and
// combination i % combinations() (an index over the vary values, the last key fastest).
class SweepPoints {
 public:
  SweepPoints(const SweepSpec& spec, const std::string& engine);
  size_t size() const { return size_t(combos_) * spec_->workloads.size(); }
  uint64_t combinations() const { return combos_; }
  DesignPoint point(size_t i) const;
  std::string key(size_t i) const;    // point(i).key, without building the point
  uint64_t key_hash(size_t i) const;  // the same as a number
  // The point with this workload and these settings (every vary key, no other), if it is one.
  std::optional<size_t> find(const std::string& workload,
                             const std::map<std::string, std::string>& settings) const;

 private:
  uint32_t choice(uint64_t combo, size_t k) const;
  const SweepSpec* spec_;
  uint64_t combos_ = 1;                 // distinct combinations per workload
  std::vector<uint64_t> stride_;        // grid: the combination index of one step of key k
  std::vector<uint32_t> sampled_;       // random: the distinct draws, one value index per key each
  std::vector<uint64_t> sample_order_;  // random: the combinations in the order of their draws
  std::vector<uint64_t> prefix_hash_;   // per workload: FNV-1a of "ENGINE|ARCH|ENERGY|WORKLOAD"
  std::vector<std::vector<std::string>> setting_text_;  // per key and value: "|KEY=VALUE"
};

SweepSpec load_sweep_spec(const std::string& path, const std::string& default_energy);
SweepSpec parse_sweep_spec(const YAML::Node& root, const std::string& path,
                           const std::string& default_energy);

// The points of a spec; InputError if a grid has more than 10^7 combinations. Prints a line on
// stderr first when there are many (`progress`).
SweepPoints expand_points(const SweepSpec& spec, const std::string& engine, bool progress = false);

// The metrics a sweep records for a point (names used by constraints and objectives).
const std::vector<std::string>& sweep_metrics();

// The task metrics of an app's task, recorded beside sweep_metrics by a spec with a task: its
// figure (task_accuracy, task_bits_per_char or task_perplexity, task_info's metric) and
// task_delta_vs_float.
std::vector<std::string> task_metrics(AppTask task);

}  // namespace sparrow
