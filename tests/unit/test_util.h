// Helpers of the unit tests: configs built from the shipped YAML with single keys changed.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "config/arch_config.h"
#include "config/workload_config.h"

namespace sparrow::test {

inline std::string source_path(const std::string& rel) {
  return std::string(SPARROW_SOURCE_DIR) + "/" + rel;
}

// A deep copy of `root` with the value at dotted `path` replaced by the YAML text `value`
// ("~" removes the key).
inline YAML::Node with(const YAML::Node& root, const std::string& path, const std::string& value) {
  YAML::Node copy = YAML::Clone(root);
  YAML::Node node = copy;
  std::string rest = path;
  for (size_t dot; (dot = rest.find('.')) != std::string::npos; rest = rest.substr(dot + 1))
    node.reset(node[rest.substr(0, dot)]);
  if (value == "~")
    node.remove(rest);
  else
    node[rest] = YAML::Load(value);
  return copy;
}

inline YAML::Node arch_yaml(const std::string& name = "brds") {
  return YAML::LoadFile(source_path("configs/arch/" + name + ".yaml"));
}

inline ArchConfig arch(const std::string& name = "brds") {
  return parse_arch_config(arch_yaml(name), name + ".yaml");
}

inline ArchConfig arch_with(const std::string& path, const std::string& value,
                            const std::string& name = "brds") {
  return parse_arch_config(with(arch_yaml(name), path, value), name + ".yaml");
}

// A small workload: tests run it in milliseconds.
inline WorkloadConfig small_workload(int input, int hidden, int layers = 1, bool bidir = false,
                                     int proj = 0, int seq = 5, uint64_t seed = 1) {
  WorkloadConfig w;
  w.name = "small";
  w.file = "small.yaml";
  w.input_size = input;
  w.hidden_size = hidden;
  w.layers = layers;
  w.bidirectional = bidir;
  w.proj_size = proj;
  w.seq_len = seq;
  w.weights.seed = seed;
  w.inputs.seed = seed + 1000;
  return w;
}

// An arch's compression mapping (YAML text): single_ratio at s_x, or dual_ratio s_x / s_h.
inline std::string compression_yaml(const std::string& pattern, const std::string& sx,
                                    const std::string& sh) {
  return pattern == "single_ratio" ? "{pattern: single_ratio, sparsity: " + sx + "}"
                                   : "{pattern: dual_ratio, sx: " + sx + ", sh: " + sh + "}";
}

}  // namespace sparrow::test
