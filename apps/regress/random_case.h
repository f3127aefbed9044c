// Random design points for differential testing: a shipped architecture and workload config with
// keys overridden (dims, sparsities, PEs, lanes, bit widths, gate lanes and depth, memory latency
// and bandwidth, shared arrays, patterns, projection, bidirectional layers). A case is exactly
// what `sparrow run --arch A --workload W --set ...` takes, so every case has a reproducer
// command. The SystemC model tests and `sparrow regress` draw their cases here.
//
// Cases the RTL runs too come from a stream of their own (CaseScope::kRtl): every set of its
// hardware knobs is a Verilator build of its own. So those cases keep each architecture config's
// hardware knobs (eight parameter sets in all) and pin the RTL's capacity parameters, and draw
// the run-time knobs: LSTM shape, steps, layers, direction, projection, sessions, batches,
// sparsities, weight range, input amplitude, seeds and memory latency. Its cases come at two
// capacities: the small one every rtl test pins (kRtl: MaxT 8, MaxIn 64, MaxH 32) and the
// reference workloads' (kRtlReference: MaxT 400, MaxIn 128, MaxH 128, the sizes of
// sentiment-h128 and ocr-bilstm), whose builds are the sizes synthesized.
#pragma once

#include <cstdint>
#include <string>

#include "config/arch_config.h"
#include "config/workload_config.h"
#include "config/yaml_map.h"

namespace sparrow {

struct RandomCase {
  uint64_t seed = 0;
  int64_t index = 0;
  std::string arch_file;
  Overrides arch;  // "mac_array.pes" -> "12"
  std::string workload_file;
  Overrides workload;
  std::vector<std::string> rtl_params;  // --rtl-param NAME=N for the RTL engine (kRtl cases)

  ArchConfig load_arch() const { return load_arch_config(arch_file, arch); }
  WorkloadConfig load_workload() const { return load_workload_config(workload_file, workload); }
  // The arguments of `sparrow run` for this case: --arch A --workload W --set arch.K=V ...
  std::vector<std::string> run_args() const;
  std::string summary() const;  // "brds pes 12 lanes 4 ... I 7 H 3 ..." for messages
};

enum class CaseScope { kAll, kRtl, kRtlReference };

// Case `index` of the stream `seed` of `scope` (the same on every run of the same build);
// `source_dir` is where configs/ is.
RandomCase random_case(const std::string& source_dir, uint64_t seed, int64_t index,
                       CaseScope scope = CaseScope::kAll);

}  // namespace sparrow
