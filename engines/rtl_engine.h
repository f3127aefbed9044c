// The RTL as an engine: one inference of a design point on the hand-written RTL under Verilator
// (the runner built or found in the cache, its case written, run and read), and the counters the
// runner reports, named as the runner names them, for any Activity (the timing contract's or the
// SystemC model's) so that the three can be compared. `sparrow verify` and `sparrow run --engine
// rtl` both run the RTL through here.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engines/rtl_sim.h"
#include "timing/activity.h"

namespace sparrow {

// The toolchain of this build (the verilator found at configure time, rtl/, the runner's source,
// build/rtl-cache, the C++ compiler found at configure time), overridden by SPARROW_VERILATOR,
// SPARROW_RTL_DIR, SPARROW_RTL_CACHE, SPARROW_RTL_OPT, SPARROW_RTL_CXX and SPARROW_RTL_ASSERT
// (0 or 1; InputError otherwise) in the environment.
RtlToolchain rtl_toolchain();

// What --rtl-param takes, for the commands' help.
inline constexpr const char* kRtlParamHelp =
    "NAME=N: at least N for a capacity parameter of the RTL (MaxT, MaxIn, MaxH, MaxPasses, "
    "MaxBatch, Items; XIdx, HIdx, RIdx: a bank's index field, IdxMax all three; XWords, HWords, "
    "RWords: the banks' words, deeper than weight_bank gives; Stream=1 builds the "
    "streamed-weights path, Proj=1 projection), so that workloads share one Verilator build; "
    "repeatable";

// --rtl-param NAME=N values; InputError naming the bad one and what is allowed.
RtlParamFloors parse_rtl_params(const std::vector<std::string>& given);

struct RtlEngineOptions {
  double stall_prob = 0;  // > 0: random memory back-pressure (cycles then differ from the contract)
  uint64_t stall_seed = 1;
  std::string waves;          // an FST file of the RTL's waveforms to write, or empty
  std::string case_dir;       // keep the runner's case and results here; empty: a temporary folder,
                              // removed afterwards
  int64_t soft_reset_at = 0;  // > 0: a soft reset this many cycles into a first run, then the run
  int runs = 1;               // runs back to back on one device; the last is reported
};

struct RtlEngineRun {
  RtlBuild build;
  RtlResult result;
  std::string case_dir;  // empty if it was temporary
};

// Runs `rc` (built by rtl_case) on the RTL; `contract_cycles` bounds the simulation. Throws
// std::runtime_error if the Verilator build fails; a run that does not finish is a result with
// finished == false and its reason.
RtlEngineRun run_rtl(const RtlCase& rc, const ArchConfig& arch, int64_t contract_cycles,
                     const RtlEngineOptions& o);

// The runner's counters (result.txt keys) as `a` states them: cycles, irq_cycle, mac_slots,
// dram_read_bytes, dram_write_bytes, memory_write_bytes (the bytes the memory's write strobes
// took), lut_lookups, and the per-array busy and stall cycles.
std::vector<std::pair<std::string, int64_t>> rtl_counters(const Activity& activity);

}  // namespace sparrow
