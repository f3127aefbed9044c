// Running the RTL: Verilator builds of the testbench (tb/rtl/rtl_runner.cpp) per parameter set,
// kept in a cache keyed by the parameters, the RTL sources and the runner's source; the case
// directory the runner reads; running it as a child process and reading its results.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engines/rtl_host.h"

namespace sparrow {

struct RtlToolchain {
  std::string verilator = "verilator";
  std::string rtl_dir;        // rtl/: *.sv, *.svh
  std::string runner_source;  // tb/rtl/rtl_runner.cpp
  std::string model_dir;      // model/: the runner includes csr/regmap.h
  std::string cache_dir;      // builds, one folder per key
  int jobs = 2;
  // The C++ optimization of the verilated model's per-cycle code (its construction and initial
  // code are built at -O0). brds at sentiment-h128 (docs/benchmarks.md): -O2 simulates 1.3x as
  // fast as -O1 for 1.1x the build's CPU time.
  std::string opt = "-O2";
  // The C++ compiler of the verilated model and Verilator's runtime (SPARROW_RTL_CXX; CMake's
  // choice, clang++ where installed: brds at sentiment-h128 simulates 1.05x to 1.07x as fast as
  // with g++ and builds in 10 s instead of 17, docs/benchmarks.md).
  std::string cxx = "g++";
  // Verilator's --assert: the RTL's assertions (sparrow_assert.svh) checked every cycle. Without
  // them (SPARROW_RTL_ASSERT=0, the speed build) the reference points simulate about 1.1x as fast
  // (docs/benchmarks.md).
  bool assertions = true;
};

struct RtlBuild {
  std::string key;     // 16 hex digits
  std::string runner;  // the executable
  bool cached = false;
  double seconds = 0;    // building time (0 when cached)
  std::string cxx, opt;  // the toolchain's, as built
  bool assertions = true;
};

// The runner of `d` (with FST waves if `waves`): from the cache, or verilated and built into a
// temporary folder that is then renamed into place (concurrent builds of one key wait for each
// other). std::runtime_error naming the build log if Verilator or the compiler fails.
RtlBuild rtl_runner_build(const RtlDesign& d, const RtlToolchain& tools, bool waves);

// `verilator --lint-only -Wall` over the RTL with the parameters of `d`; its output, empty when
// lint-clean.
struct RtlLint {
  bool clean = false;
  std::string output;
};
RtlLint rtl_lint(const RtlDesign& d, const RtlToolchain& tools);

struct RtlRunOptions {
  int latency = 0;  // the port's latency: memory.latency_cycles - kAxiResponseStages
  int64_t max_cycles = 0;
  double stall_prob = 0;  // > 0: random memory back-pressure
  uint64_t stall_seed = 1;
  std::string waves;          // FST file, or empty
  uint32_t strobe_reg = 0;    // a rw register the runner checks WSTRB on
  int64_t soft_reset_at = 0;  // > 0: CTRL.SOFT_RESET this many cycles after START, then START
  int runs = 1;               // runs back to back; the last is reported
};

// Writes dram.bin, csr.txt and case.txt into `dir` (created if needed).
void write_rtl_case(const std::string& dir, const RtlCase& rc, const RtlRunOptions& o);

struct RtlResult {
  bool finished = false;                  // the interrupt came and the counters were read
  std::string message;                    // why not
  std::map<std::string, int64_t> values;  // result.txt: counters, irq_cycle, memory traffic
  RawMatrix outputs;
  double wall_seconds = 0;  // the runner's process: reading the case, building the model, the run
  double sim_seconds = 0;   // the cycles from the start of CSR programming to the interrupt
};

// Runs `runner` on the case in `dir` (its output in dir/runner.log), at most `timeout_s` seconds.
RtlResult run_rtl_case(const std::string& runner, const std::string& dir, const RtlCase& rc,
                       double timeout_s);

}  // namespace sparrow
