#include "regress/random_case.h"

#include <random>

namespace sparrow {

std::vector<std::string> RandomCase::run_args() const {
  std::vector<std::string> a = {"--arch", arch_file, "--workload", workload_file};
  for (const auto& [k, v] : arch) a.insert(a.end(), {"--set", "arch." + k + "=" + v});
  for (const auto& [k, v] : workload) a.insert(a.end(), {"--set", "workload." + k + "=" + v});
  return a;
}

std::string RandomCase::summary() const {
  std::string s = arch_file.substr(arch_file.find_last_of('/') + 1);
  for (const auto& kv : arch) s += " " + kv.first + "=" + kv.second;
  for (const auto& kv : workload) s += " " + kv.first + "=" + kv.second;
  return s;
}

RandomCase random_case(const std::string& source_dir, uint64_t seed, int64_t index) {
  std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(index), uint32_t(index >> 32)};
  std::mt19937_64 rng(seq);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto num = [](double v) { return std::to_string(v); };
  RandomCase c;
  c.seed = seed;
  c.index = index;
  const char* archs[] = {"brds",
                         "brds-pwl16",
                         "finnl-w4a4",
                         "binarized",
                         "baseline-single-ratio",
                         "baseline-unstructured"};
  const std::string name = archs[pick(0, 5)];
  c.arch_file = source_dir + "/configs/arch/" + name + ".yaml";
  Overrides& a = c.arch;
  a.emplace_back("mac_array.pes", std::to_string(pick(1, 24)));
  a.emplace_back("mac_array.lanes", std::to_string(1 << pick(0, 4)));
  a.emplace_back("mac_array.shared", pick(0, 1) ? "true" : "false");
  a.emplace_back("gate_unit.lanes", std::to_string(pick(1, 8)));
  a.emplace_back("gate_unit.pipeline_depth", std::to_string(pick(1, 12)));
  const int bpc = 1 << pick(0, 5);
  a.emplace_back("memory.latency_cycles", std::to_string(pick(0, 200)));
  a.emplace_back("memory.bytes_per_cycle", std::to_string(bpc));
  a.emplace_back("memory.burst_bytes", std::to_string(bpc * pick(1, 8)));
  if (pick(0, 2) == 0) a.emplace_back("weight_bank.wx_kbit_per_pe", "0");  // streamed weights
  if (name == "brds" || name == "brds-pwl16") {
    a.emplace_back("compression.sx", num(pick(0, 95) / 100.0));
    a.emplace_back("compression.sh", num(pick(0, 95) / 100.0));
    const std::string wb = std::to_string(pick(2, 12));
    a.emplace_back("arith.wh", "{bits: " + wb + ", frac: " + wb + "}");
  }
  c.workload_file = source_dir + "/configs/workloads/sentiment-h128.yaml";
  Overrides& w = c.workload;
  const int hidden = pick(1, 24);
  w.emplace_back("name", "random-" + std::to_string(seed) + "-" + std::to_string(index));
  w.emplace_back("input_size", std::to_string(pick(1, 40)));
  w.emplace_back("hidden_size", std::to_string(hidden));
  w.emplace_back("layers", std::to_string(pick(1, 2)));
  w.emplace_back("bidirectional", pick(0, 1) ? "true" : "false");
  w.emplace_back("seq_len", std::to_string(pick(1, 9)));
  if (pick(0, 2) == 0 && hidden > 1)
    w.emplace_back("proj_size", std::to_string(pick(1, hidden - 1)));
  const uint64_t data_seed = (seed * 1000003u + uint64_t(index)) & (INT64_MAX >> 1);
  w.emplace_back("weights",
                 "{source: random, seed: " + std::to_string(data_seed) + ", init_range: 0.5}");
  w.emplace_back("inputs", "{source: random, seed: " + std::to_string(data_seed + 1) + "}");
  return c;
}

}  // namespace sparrow
