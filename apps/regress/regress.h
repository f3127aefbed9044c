// `sparrow regress`: the long differential regression. N random design points (random_case.h),
// each run by the golden model in this process and by every cycle-level engine in its own child
// process (`sparrow run --engine E`, which writes the engine's own outputs as
// outputs_raw_E.npy); the engine's outputs must equal golden's bit for bit and its cycle count
// the timing contract's. Every mismatch is printed with the exact commands that reproduce it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sparrow {

// The engines `sparrow regress --engines` accepts: each is a `sparrow run --engine` value whose
// run writes outputs_raw_<engine>.npy and performance.cycles (systemc, rtl). With rtl among them
// the cases come from the RTL's stream (random_case.h, CaseScope::kRtl, or kRtlReference with
// reference_capacity).
const std::vector<std::string>& regress_engines();

struct RegressOptions {
  uint64_t seed = 0;
  int64_t first = 0;  // cases first .. first + cases - 1 of the seed's stream
  int64_t cases = 200;
  std::vector<std::string> engines = {"systemc"};
  int jobs = 1;
  bool reference_capacity = false;  // the RTL's stream at the reference workloads' capacity
  double case_timeout_s = 300;  // an RTL engine's case includes the first Verilator build of its
                                // parameter set: minutes on a loaded machine
  std::string out =
      "out/regress";  // a folder per failing case (every case with keep), regress.json
  bool keep = false;
  std::string self_exe;    // the sparrow executable
  std::string source_dir;  // where configs/ is
};

// Prints the seed, progress, each mismatch with its reproducers and a summary; returns 0 if every
// case agreed, 3 otherwise.
int run_regress(const RegressOptions& o);

}  // namespace sparrow
