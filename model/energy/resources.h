// The FPGA resources of a design point, estimated analytically (docs/energy.md, "Resources") until
// the RTL's Yosys figures exist: DSP slices, 36 Kb block RAMs, LUTs and flip-flops, per unit.
#pragma once

#include <nlohmann/json.hpp>

#include "compress/compressor.h"
#include "config/arch_config.h"
#include "config/workload_config.h"

namespace sparrow {

struct Resources {
  int64_t dsp = 0;
  int64_t bram36 = 0;
  int64_t lut = 0;
  int64_t ff = 0;
};

// Per unit and in total, with the rule each number came from.
nlohmann::json estimate_resources(const ArchConfig& arch, const WorkloadConfig& w,
                                  const CompressedModel& m, Resources* total = nullptr);

}  // namespace sparrow
