// The RTL's parameter set of a design point (docs/rtl.md, "Parameters"): the hardware knobs and
// formats of the architecture, the capacity the workload needs and the bank depths the configured
// capacity allows. The RTL testbench builds the RTL with it; the resource estimate counts the
// hardware it describes (docs/energy.md, "Resources").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compress/compressor.h"
#include "compress/weight_layout.h"
#include "config/arch_config.h"
#include "config/workload_config.h"

namespace sparrow {

using RtlParams = std::vector<std::pair<std::string, int64_t>>;

// A parameter's value; std::logic_error when the set has none of that name.
int64_t rtl_param(const RtlParams& params, const std::string& name);

// The RTL's AXI4 master registers the read data and the write responses as they arrive
// (rtl/axi_master.sv): that register is one of the contract's λ cycles, so the memory at the
// port answers λ - kAxiResponseStages cycles after an address, and the RTL needs λ of at least
// 1 + kAxiResponseStages (docs/rtl.md, "Memory").
inline constexpr int kAxiResponseStages = 1;

// The sub-RAMs of a weight bank, so that a beat's Items words land on distinct write ports: two
// ports each, ceil(Items / 2) rounded up to a power of two (rtl/weight_bank.sv).
int64_t bank_subs(int64_t items);

// Two MAC lanes share one DSP48E1 multiplier, a dot pair (docs/rtl.md, "The datapath"), where
// their operands fit its 25 x 18-bit ports and no weight is binarized: the parameter DspPairs.
bool dsp_pairs(const ArithConfig& a);

// The multipliers of an array of `lanes` lanes a word: one per lane, or with dot pairs one per two
// (a lone last lane has its own; an array of one lane, no pair).
int64_t lane_multipliers(bool dsp_pairs, int64_t lanes);

// The largest PE's bank of `mat` in words: summed over the passes, or, with the weights
// streamed, of one pass (the RTL's streamed bank holds the pass being run).
int64_t largest_bank_words(const CompressedModel& m, int pes, Matrix mat, bool streamed);

// A bank of the RTL parameter set `p` too shallow for the design point's words (the largest PE's,
// summed over the passes on chip, or of one pass when the weights stream): its matrix, the
// words it needs and the words it holds. The first such bank (W_x, W_h, W_r), or none.
struct RtlBankShortfall {
  Matrix mat = Matrix::kWx;
  int64_t need = 0, have = 0;
};
std::optional<RtlBankShortfall> rtl_bank_shortfall(const CompressedModel& m, const ArchConfig& arch,
                                                   const RtlParams& p);

// `floors` raises capacity parameters (MaxT, MaxIn, MaxH, MaxPasses, Items, the banks' index
// fields and depths; IdxMax raises all three index fields) to at least the given values, so that
// several workloads share one build. Never throws: whether the workload fits the RTL is the RTL
// host's check (engines/rtl_host.h).
RtlParams rtl_parameters(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                         const std::map<std::string, int64_t>& floors = {});

}  // namespace sparrow
