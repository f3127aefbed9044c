// The FPGA resources of a design point, estimated from the RTL's parameter set
// (docs/energy.md, "Resources"): DSP slices, 36 Kb block RAMs, LUTs and flip-flops, per unit of
// the RTL. Memories and multipliers are counted as Yosys's synth_xilinx maps them; logic and
// registers follow rules calibrated on the synthesis records (configs/synthesis).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compress/compressor.h"
#include "config/arch_config.h"
#include "config/workload_config.h"
#include "energy/rtl_parameters.h"

namespace sparrow {

struct Resources {
  int64_t dsp = 0;
  double bram36 = 0;  // a RAMB18 is half
  int64_t lut = 0;    // logic LUTs
  int64_t ff = 0;
  std::optional<int64_t> lutram_luts;  // LUTs used as RAM: synthesized, not estimated
};

struct UnitResources {
  std::string unit;  // the RTL unit's name (docs/energy.md, "Resources")
  Resources figures;
  std::string rule;  // the estimate's rule; empty for a synthesized unit
};

// A run's `resources` (docs/report.md): the analytic estimate, or a synthesis record's figures
// with the estimate beside them.
struct ResourceReport {
  std::string source;    // "analytic" or "synthesis"
  std::string estimate;  // what the figures are
  Resources total;
  std::vector<UnitResources> units;
  std::string file, tool, capacity_workload;       // a synthesis record's; empty for the estimate
  std::shared_ptr<const ResourceReport> analytic;  // the estimate beside a synthesis record
};

// Block RAMs (36 Kb; a RAMB18 counts 0.5) of a memory of `depth` words of `width` bits as
// synth_xilinx maps it: the cheapest block-RAM shape, the 72- and 36-bit ones only for a simple
// dual-port memory; 0 for a memory of at most 64 words, which goes to LUT RAM.
double block_rams(int64_t depth, int64_t width, bool simple_dual_port);

// Per unit and in total, with the rule each number came from.
ResourceReport estimate_resources(const RtlParams& params);
ResourceReport estimate_resources(const ArchConfig& arch, const WorkloadConfig& w,
                                  const CompressedModel& m);

}  // namespace sparrow
