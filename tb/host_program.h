// What the host puts in DRAM and writes to the CSRs to program one run, independent of how it
// gets there: the SystemC host (host.cpp) writes it through TLM, the RTL host (rtl_host.cpp) hands
// it to the Verilator testbench as files.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/lstm_fixed.h"
#include "weight_bank/weight_bank.h"

namespace sparrow {

struct DramMap {
  uint64_t weight_base = 0;
  uint64_t input_base = 0;
  uint64_t output_base = 0;
  uint64_t bytes = 0;  // DRAM size
};

DramMap plan_dram(const std::vector<PassGeometry>& passes, const ArchConfig& arch,
                  const WorkloadConfig& w);

// The DRAM contents before START: the weight images and biases laid out by WeightLayout, the
// input sequence; bytes [0, map.output_base).
std::vector<uint8_t> dram_image(const CompressedModel& m, const ArchConfig& arch,
                                const std::vector<PassGeometry>& passes, const RawMatrix& x,
                                const DramMap& map);

// Where the last layer's output sequence lands: the outputs the host reads back.
struct DramRegion {
  uint64_t addr = 0;
  uint64_t bytes = 0;
};
DramRegion final_outputs(const DramMap& map, const ArchConfig& arch, const WorkloadConfig& w);

struct CsrWrite {
  uint32_t addr = 0;
  uint32_t value = 0;
};

// The CSR writes that program a run of model/csr/csr.h's register map, in order, before START.
std::vector<CsrWrite> csr_program(const CompressedModel& m, const WorkloadConfig& w,
                                  const DramMap& map);

}  // namespace sparrow
