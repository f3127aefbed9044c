// The energy model (docs/energy.md): an energy table (configs/energy/*.yaml) of sourced energies,
// either per action (scaled to the design's widths and memory sizes by documented rules) or per
// FPGA resource (fabric per cycle, DSP operation, block RAM access), times a run's activity
// counters and resources, plus static power over the run's time.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "compress/compressor.h"
#include "config/arch_config.h"
#include "config/workload_config.h"
#include "config/yaml_map.h"
#include "energy/resources.h"
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

// One count of a unit's energy: count x pj_each.
struct EnergyTerm {
  std::string action;
  double count = 0;
  double pj_each = 0;
};

struct UnitEnergy {
  std::string unit;
  double energy_pj = 0;
  double power_mw = 0;
  std::vector<EnergyTerm> terms;
};

// A run's `energy` (docs/report.md): the table, each unit's terms, the totals and power.
struct EnergyReport {
  std::string table_file, table_name, table_technology, table_kind;  // kind: actions, resources
  std::string resources_source;  // a resource table's resources: "analytic" or "synthesis"
  std::vector<UnitEnergy> units;
  double per_inference_uj = 0;  // the whole run (a session: all its sequences)
  double per_sequence_uj = 0;   // the weight load shared by a session's sequences
  double per_timestep_nj = 0;
  double power_mw = 0;
  // The run's GOPS and effective GOPS over the power (the report adds them): infinite or NaN
  // when the table gives the run no power.
  double gops_per_watt = 0, effective_gops_per_watt = 0;
};

// Energy per unit and in total, and power, of one run. Each unit lists the counts it multiplied
// and the energy per count, so the total can be recomputed by hand. A resource table also needs
// the run's resources (synthesized or estimated; the analytic estimate when none is given).
EnergyReport energy_report(const EnergyTable& table, const Activity& activity,
                           const ArchConfig& arch, const WorkloadConfig& w,
                           const CompressedModel& m, const ResourceReport* resources = nullptr);

}  // namespace sparrow
