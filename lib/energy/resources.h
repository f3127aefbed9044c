// The FPGA resources of a design point, estimated from the RTL's parameter set
// (docs/energy.md, "Resources"): DSP slices, 36 Kb block RAMs, LUTs and flip-flops, per unit of
// the RTL. Memories and multipliers are counted as Yosys's synth_xilinx maps them; logic and
// registers follow rules calibrated on the synthesis records (configs/synthesis).
#pragma once

#include <nlohmann/json.hpp>

#include "compress/compressor.h"
#include "config/arch_config.h"
#include "config/workload_config.h"
#include "energy/rtl_parameters.h"

namespace sparrow {

struct Resources {
  int64_t dsp = 0;
  double bram36 = 0;  // a RAMB18 is half
  int64_t lut = 0;    // logic LUTs (LUT RAM is not estimated)
  int64_t ff = 0;
};

// Block RAMs (36 Kb; a RAMB18 counts 0.5) of a memory of `depth` words of `width` bits as
// synth_xilinx maps it: the cheapest block-RAM shape, the 72- and 36-bit ones only for a simple
// dual-port memory; 0 for a memory of at most 64 words, which goes to LUT RAM.
double block_rams(int64_t depth, int64_t width, bool simple_dual_port);

// Per unit and in total, with the rule each number came from.
nlohmann::json estimate_resources(const RtlParams& params, Resources* total = nullptr);
nlohmann::json estimate_resources(const ArchConfig& arch, const WorkloadConfig& w,
                                  const CompressedModel& m, Resources* total = nullptr);

}  // namespace sparrow
