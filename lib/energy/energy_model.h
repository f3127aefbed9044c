// The energy model (docs/energy.md): an energy table (configs/energy/*.yaml) of sourced energies,
// either per action (scaled to the design's widths and memory sizes by documented rules) or per
// FPGA resource (fabric per cycle, DSP operation, block RAM access), times a run's activity
// counters and resources, plus static power over the run's time.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <string>

#include "compress/compressor.h"
#include "config/arch_config.h"
#include "config/workload_config.h"
#include "config/yaml_map.h"
#include "timing/activity.h"

namespace sparrow {

struct EnergyEntry {
  double pj = 0;
  std::string source;
};

// What a table's entries are energies of (its `kind`).
enum class EnergyTableKind { kActions, kResources };

struct EnergyTable {
  std::string file;
  std::string name;
  std::string technology;
  EnergyTableKind kind = EnergyTableKind::kActions;
  // kActions:
  EnergyEntry mult_8x8, mult_32x32, add_8, add_32;  // per operation
  EnergyEntry sram_8kib, sram_32kib, sram_1mib;     // per 64-bit read
  // kResources:
  EnergyEntry clb;     // per CLB equivalent (8 LUTs, 8 flip-flops) and clock cycle
  EnergyEntry dsp;     // per DSP operation (one multiply-accumulate)
  EnergyEntry bram36;  // per 36-bit block RAM access
  // Both:
  EnergyEntry dram;       // per 64-bit access
  EnergyEntry static_mw;  // static power, mW

  // The scaling rules of docs/energy.md.
  double mult_pj(int a_bits, int b_bits) const;    // a x b-bit multiply
  double add_pj(int bits) const;                   // bits-wide add
  double sram_bit_pj(double capacity_bits) const;  // one bit read from an SRAM of that size
  double dram_byte_pj() const { return dram.pj / 8.0; }
};

EnergyTable load_energy_table(const std::string& path, const Overrides& overrides = {});
EnergyTable parse_energy_table(const YAML::Node& root, const std::string& file);

// Energy per unit and in total, power, GOPS/W and effective GOPS/W of one run. Each unit lists
// the counts it multiplied and the energy per count, so the total can be recomputed by hand.
// A resource table also needs the run's `resources` section (synthesized or estimated; the
// analytic estimate when null).
nlohmann::json energy_report(const EnergyTable& t, const Activity& a, const ArchConfig& arch,
                             const WorkloadConfig& w, const CompressedModel& m,
                             const nlohmann::json& resources = nullptr);

}  // namespace sparrow
