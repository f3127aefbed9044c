// The RTL's parameter set of a design point (docs/rtl.md, "Parameters"): the hardware knobs and
// formats of the architecture, the capacity the workload needs and the bank depths the configured
// capacity allows. The RTL testbench builds the RTL with it; the resource estimate counts the
// hardware it describes (docs/energy.md, "Resources").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "compress/compressor.h"
#include "config/arch_config.h"
#include "config/workload_config.h"

namespace sparrow {

using RtlParams = std::vector<std::pair<std::string, int64_t>>;

// `floors` raises capacity parameters (MaxT, MaxIn, MaxH, MaxPasses, IdxMax, Items) to at least
// the given values, so that several workloads share one build. Never throws: whether the workload
// fits the RTL is the RTL host's check (tb/rtl_host.h).
RtlParams rtl_parameters(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                         const std::map<std::string, int64_t>& floors = {});

}  // namespace sparrow
