// A sweep spec (configs/sweeps/*.yaml): a base architecture, workloads, the keys to vary (lists
// and ranges, all combinations or a seeded random sample), constraints and objectives. Expanded
// into design points, each keyed by a hash of its full configuration.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/yaml_map.h"

namespace sparrow {

struct SweepSpec {
  std::string file;
  std::string name;
  std::string arch;  // resolved paths
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

struct DesignPoint {
  size_t index = 0;
  std::string workload;
  std::vector<std::pair<std::string, std::string>> settings;  // "arch.KEY" -> value
  std::string key;  // hash of workload, settings and engine
};

SweepSpec load_sweep_spec(const std::string& path, const std::string& default_energy);
SweepSpec parse_sweep_spec(const YAML::Node& root, const std::string& path,
                           const std::string& default_energy);
std::vector<DesignPoint> expand_points(const SweepSpec& spec, const std::string& engine);

// The metrics a sweep records for a point (names used by constraints and objectives).
const std::vector<std::string>& sweep_metrics();

}  // namespace sparrow
