// The host side of the RTL (docs/rtl.md): what the Verilator testbench needs to run one inference
// on the hand-written RTL. The DRAM image and the register writes are the driver's, the same as
// the SystemC host's (host_program.h); on top come the RTL's parameters and its ROM images.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "driver/host_program.h"
#include "energy/rtl_parameters.h"

namespace sparrow {

// One parameter set of the RTL: what a Verilator build is made of.
struct RtlDesign {
  RtlParams params;                                             // the integer parameters
  std::vector<std::pair<std::string, std::string>> rom_params;  // string parameter -> ROM file
  std::vector<std::pair<std::string, std::string>> roms;        // ROM file -> contents
  int64_t param(const std::string& name) const;
};

// Lower bounds of the capacity parameters (rtl_capacity_params(): MaxT, MaxIn, MaxH, ...), so
// that workloads of different sizes share one build.
using RtlParamFloors = std::map<std::string, int64_t>;
const std::vector<std::string>& rtl_capacity_params();

// One run of the RTL: its design, the DRAM contents and the CSR writes that program it.
struct RtlCase {
  RtlDesign design;
  DramMap map;
  std::vector<uint8_t> dram;  // [0, map.output_base): weights, biases, inputs
  std::vector<CsrWrite> csr;  // in order, ending with CTRL.START
  DramRegion outputs;         // the last layer's output sequence
  ArchConfig arch;            // what output_matrix needs to read it
  WorkloadConfig workload;
};

// InputError (one line naming the config, key and value) for what the RTL does not implement:
// projection, weights that do not fit on chip or in the RTL's banks, beats that are not a power
// of two bytes or narrower than an activation or a side-table entry.
void check_rtl_scope(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w);

// The RTL parameter set of a design point (what `sparrow verify --design-only` writes); throws
// like check_rtl_scope outside the RTL's scope.
RtlDesign rtl_design(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                     const RtlParamFloors& floors = {});

RtlCase rtl_case(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                 const RawMatrix& x, const RtlParamFloors& floors = {});

}  // namespace sparrow
