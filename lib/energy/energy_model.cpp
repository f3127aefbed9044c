#include "energy/energy_model.h"

#include <algorithm>
#include <cmath>

#include "compress/weight_layout.h"
#include "config/yaml_map.h"
#include "energy/resources.h"
#include "energy/rtl_parameters.h"

namespace sparrow {
namespace {

EnergyEntry read_entry(YamlMap& entries, const std::string& key) {
  YamlMap e = entries.get_map(key);
  EnergyEntry out;
  out.pj = e.get_real("pj", 0.0, 1e9);
  out.source = e.get_string("source");
  e.finish();
  return out;
}

// Log-log interpolation through (x_i, y_i), extended by the end segments' slopes.
double loglog(const double* x, const double* y, int n, double at) {
  int i = 0;
  while (i < n - 2 && at > x[i + 1]) ++i;
  const double slope = std::log(y[i + 1] / y[i]) / std::log(x[i + 1] / x[i]);
  return y[i] * std::exp(slope * std::log(at / x[i]));
}

struct Unit {
  std::string name;
  std::vector<EnergyTerm> terms = {};
  double pj = 0;
  void add(const std::string& what, double count, double pj_each) {
    terms.push_back({what, count, pj_each});
    pj += count * pj_each;
  }
};

}  // namespace

double EnergyTable::mult_pj(int a_bits, int b_bits) const {
  const double p = std::log(mult_32x32.pj / mult_8x8.pj) / std::log(1024.0 / 64.0);
  return mult_8x8.pj * std::pow(double(a_bits) * b_bits / 64.0, p);
}

double EnergyTable::add_pj(int bits) const {
  return std::max(0.0, add_8.pj + (bits - 8) * (add_32.pj - add_8.pj) / 24.0);
}

double EnergyTable::sram_bit_pj(double capacity_bits) const {
  const double x[] = {8.0 * 8192, 8.0 * 32768, 8.0 * 1048576};
  const double y[] = {sram_8kib.pj, sram_32kib.pj, sram_1mib.pj};
  return loglog(x, y, 3, std::max(capacity_bits, 1.0)) / 64.0;
}

EnergyTable parse_energy_table(const YAML::Node& root, const std::string& file) {
  YamlMap m(root, file, "");
  EnergyTable t;
  t.file = file;
  t.name = m.get_string("name");
  t.technology = m.get_string("technology");
  m.get_string("description", "");
  t.kind = m.get_enum("kind", {"actions", "resources"}, "actions") == "resources"
               ? EnergyTableKind::kResources
               : EnergyTableKind::kActions;
  YamlMap e = m.get_map("entries");
  if (t.kind == EnergyTableKind::kResources) {
    t.clb = read_entry(e, "clb");
    t.dsp = read_entry(e, "dsp");
    t.bram36 = read_entry(e, "bram36");
    // Every design uses all three, so a positive power (and finite per-watt figures) needs them.
    for (auto [key, entry] : {std::pair{"clb", &t.clb}, {"dsp", &t.dsp}, {"bram36", &t.bram36}})
      if (entry->pj <= 0)
        e.fail(std::string(key) + ".pj", "'0'",
               "a positive energy in pJ (every design uses CLBs, DSPs and block RAM)");
  } else {
    t.mult_8x8 = read_entry(e, "mult_8x8");
    t.mult_32x32 = read_entry(e, "mult_32x32");
    t.add_8 = read_entry(e, "add_8");
    t.add_32 = read_entry(e, "add_32");
    t.sram_8kib = read_entry(e, "sram_8kib");
    t.sram_32kib = read_entry(e, "sram_32kib");
    t.sram_1mib = read_entry(e, "sram_1mib");
    // The scaling rules divide by these: they must be positive.
    for (auto [key, entry] : {std::pair{"mult_8x8", &t.mult_8x8},
                              {"mult_32x32", &t.mult_32x32},
                              {"sram_8kib", &t.sram_8kib},
                              {"sram_32kib", &t.sram_32kib},
                              {"sram_1mib", &t.sram_1mib}})
      if (entry->pj <= 0) e.fail(std::string(key) + ".pj", "'0'", "a positive energy in pJ");
  }
  t.dram = read_entry(e, "dram");
  e.finish();
  {
    YamlMap s = m.get_map("static_power_mw");
    t.static_mw.pj = s.get_real("value", 0.0, 1e9);
    t.static_mw.source = s.get_string("source");
    s.finish();
  }
  m.finish();
  return t;
}

EnergyTable load_energy_table(const std::string& path, const Overrides& overrides) {
  std::string file;
  const YAML::Node root = load_yaml_file(path, overrides, file);
  return parse_energy_table(root, file);
}

namespace {

// What a run does per inference, from the encoded banks and the activity counters.
struct RunCounts {
  double slots_x = 0, slots_h = 0;    // MAC slots per array
  double bits_x = 0, bits_h = 0;      // weight bank bits read
  double x_writes = 0, h_writes = 0;  // vector buffer values written
  double x_cap = 0, h_cap = 0;        // vector buffer sizes, bits
  double in_bytes = 0;                // input bytes from DRAM
};

// Bits of one sigmoid/tanh table lookup: the value, and the slope with PWL activations.
int lookup_bits(const ArithConfig& ar) {
  return ar.gate.bits + (ar.activation == ActivationKind::kPwl ? ar.pwl_slope.bits : 0);
}

RunCounts run_counts(const ArchConfig& arch, const WorkloadConfig& w, const CompressedModel& m) {
  const ArithConfig& ar = arch.arith;
  const double steps = double(w.seq_len) * w.sequences;
  const int xlanes = arch.mac_array.wx.lanes, hlanes = arch.mac_array.wh.lanes;
  RunCounts c;
  for (int l = 0; l < w.layers; ++l) {
    for (int d = 0; d < w.directions(); ++d) {
      const CompressedDirection& cd = m.at(l, d);
      auto words = [](const EncodedMatrix& e) {
        double n = 0;
        for (int32_t r : e.row_words) n += r;
        return n;
      };
      c.slots_x += steps * words(cd.wx) * xlanes;
      c.bits_x += steps * words(cd.wx) * cd.wx.word_bits();
      c.slots_h += steps * (words(cd.wh) + words(cd.wr)) * hlanes;
      c.bits_h += steps * (words(cd.wh) * cd.wh.word_bits() + words(cd.wr) * cd.wr.word_bits());
      c.x_writes += steps * w.layer_input_size(l);
      c.h_writes += steps * (w.hidden_size + w.proj_size);
      c.x_cap = std::max(c.x_cap, double(cd.wx.padded_cols()) * ar.act.bits);
      // A batch keeps each of its sequences' hidden state ("Batches" in docs/timing.md).
      c.h_cap = std::max(c.h_cap, double(w.batch) * double(cd.wh.padded_cols()) * ar.act.bits);
      c.in_bytes += steps * w.layer_input_size(l) * act_bytes(ar);
    }
  }
  return c;
}

std::vector<Unit> action_energy(const EnergyTable& table, const Activity& activity,
                                const ArchConfig& arch, const WorkloadConfig& w,
                                const RunCounts& c) {
  const ArithConfig& ar = arch.arith;
  auto mac_pj = [&](const FixedFormat& wf) {
    return (wf.bits == 1 ? 0.0 : table.mult_pj(ar.act.bits, wf.bits)) + table.add_pj(ar.acc_bits);
  };
  Unit mx{"mac_array_wx"}, mh{"mac_array_wh"}, bank{"weight_bank"}, vb{"vector_buffer"},
      gate{"gate_unit"};
  mx.add("MAC slot (act x W_x multiply, accumulator add)", c.slots_x, mac_pj(ar.wx));
  mh.add("MAC slot (act x W_h multiply, accumulator add)", c.slots_h, mac_pj(ar.wh));
  const double cap_x = double(arch.weight_bank.wx_kbit_per_pe) * 1024;
  const double cap_h = double(arch.weight_bank.wh_kbit_per_pe) * 1024;
  bank.add("W_x bank bit read", c.bits_x, table.sram_bit_pj(cap_x));
  bank.add("W_h bank bit read", c.bits_h, table.sram_bit_pj(cap_h));
  bank.add("bank bit written (weights from DRAM)", double(activity.dma.read_bytes - c.in_bytes) * 8,
           table.sram_bit_pj(std::max(cap_x, cap_h)));
  vb.add("x buffer bit read", c.slots_x * ar.act.bits, table.sram_bit_pj(c.x_cap));
  vb.add("h buffer bit read", c.slots_h * ar.act.bits, table.sram_bit_pj(c.h_cap));
  vb.add("x buffer bit written", c.x_writes * ar.act.bits, table.sram_bit_pj(c.x_cap));
  vb.add("h buffer bit written", c.h_writes * ar.act.bits, table.sram_bit_pj(c.h_cap));
  const double lut_bits = double(1 << ar.sigmoid.entries_log2) * ar.gate.bits;
  gate.add("sigmoid/tanh table bit read",
           double(activity.gate.lut_sigmoid + activity.gate.lut_tanh) * lookup_bits(ar),
           table.sram_bit_pj(lut_bits));
  if (ar.activation == ActivationKind::kPwl)
    gate.add("piecewise-linear slope multiply and add",
             double(activity.gate.lut_sigmoid + activity.gate.lut_tanh),
             table.mult_pj(ar.pwl_slope.bits, ar.preact.bits) + table.add_pj(ar.gate.bits));
  gate.add("cell-state bit access",
           double(activity.gate.cell_reads + activity.gate.cell_writes) * ar.cell.bits,
           table.sram_bit_pj(double(w.batch) * w.hidden_size * ar.cell.bits));
  gate.add("bias/accumulate adds (3 per gate row)", double(activity.gate.units) * 12,
           table.add_pj(ar.acc_bits));
  gate.add("cell update multiplies (f*c, i*g) and add", double(activity.gate.units),
           table.mult_pj(ar.gate.bits, ar.cell.bits) + table.mult_pj(ar.gate.bits, ar.gate.bits) +
               table.add_pj(ar.cell.bits + ar.gate.bits));
  gate.add("output multiply (o*tanh c)", double(activity.gate.units),
           table.mult_pj(ar.gate.bits, ar.gate.bits));
  return {mx, mh, bank, vb, gate};
}

// Per resource (docs/energy.md, "Resource tables"): each unit's fabric (LUTs, LUT RAM and
// flip-flops as CLB equivalents, every cycle), its DSP operations and its block RAM accesses.
std::vector<Unit> resource_energy(const EnergyTable& table, const Activity& activity,
                                  const ArchConfig& arch, const RunCounts& c,
                                  const ResourceReport& resources) {
  const ArithConfig& ar = arch.arith;
  std::vector<Unit> units;
  auto unit = [&](const std::string& name) -> Unit& {
    for (Unit& u : units)
      if (u.name == name) return u;
    units.push_back(Unit{name});
    return units.back();
  };
  for (const std::string name : {"mac_array", "weight_bank", "vector_buffer", "gate_unit"})
    unit(name);
  for (const UnitResources& r : resources.units) {
    const double luts = double(r.figures.lut + r.figures.lutram_luts.value_or(0));
    const double clbs = std::max(luts, double(r.figures.ff)) / 8;
    if (clbs > 0)
      unit(r.unit).add(
          "CLB-equivalent cycle (the unit's max(LUTs + LUT RAM, FFs) / 8, every cycle)",
          clbs * double(activity.cycles), table.clb.pj);
  }
  // A multiply per MAC slot, or per two slots of a dot pair: an array of L lanes issues ceil(L / 2)
  // of them a word.
  auto per_slot = [&](int lanes) { return double(lane_multipliers(dsp_pairs(ar), lanes)) / lanes; };
  const double mults = (ar.wx.bits == 1 ? 0 : c.slots_x * per_slot(arch.mac_array.wx.lanes)) +
                       (ar.wh.bits == 1 ? 0 : c.slots_h * per_slot(arch.mac_array.wh.lanes));
  unit("mac_array")
      .add(
          "DSP multiply-accumulate (MAC slots with multi-bit weights; a dot pair's two slots, one)",
          mults, table.dsp.pj);
  const double gate_mults = 3 * double(activity.gate.units) +
                            (ar.activation == ActivationKind::kPwl
                                 ? double(activity.gate.lut_sigmoid + activity.gate.lut_tanh)
                                 : 0);
  unit("gate_unit").add("DSP multiply (f*c, i*g, o*tanh c; PWL slopes)", gate_mults, table.dsp.pj);
  const double bank_bits = c.bits_x + c.bits_h + double(activity.dma.read_bytes - c.in_bytes) * 8;
  unit("weight_bank")
      .add("36-bit block RAM access (bank bits read and written / 36)", bank_bits / 36,
           table.bram36.pj);
  const double vb_bits = (c.slots_x + c.slots_h + c.x_writes + c.h_writes) * ar.act.bits;
  unit("vector_buffer")
      .add("36-bit block RAM access (x and h bits read and written / 36)", vb_bits / 36,
           table.bram36.pj);
  const double gate_bits =
      double(activity.gate.lut_sigmoid + activity.gate.lut_tanh) * lookup_bits(ar) +
      double(activity.gate.cell_reads + activity.gate.cell_writes) * ar.cell.bits;
  unit("gate_unit")
      .add("36-bit block RAM access (table and cell-state bits / 36)", gate_bits / 36,
           table.bram36.pj);
  return units;
}

}  // namespace

EnergyReport energy_report(const EnergyTable& table, const Activity& activity,
                           const ArchConfig& arch, const WorkloadConfig& w,
                           const CompressedModel& m, const ResourceReport* resources) {
  const RunCounts c = run_counts(arch, w, m);
  std::vector<Unit> units;
  if (table.kind == EnergyTableKind::kResources)
    units = resource_energy(table, activity, arch, c,
                            resources ? *resources : estimate_resources(arch, w, m));
  else
    units = action_energy(table, activity, arch, w, c);
  Unit dram{"dram"};
  dram.add("DRAM byte read or written", double(activity.dma.read_bytes + activity.dma.write_bytes),
           table.dram_byte_pj());
  units.push_back(dram);
  const double seconds = double(activity.cycles) / (arch.clock_mhz * 1e6);
  Unit stat{"static"};
  stat.add("second at the static power (pJ/s)", seconds, table.static_mw.pj * 1e9);
  units.push_back(stat);

  EnergyReport e;
  e.table_file = table.file;
  e.table_name = table.name;
  e.table_technology = table.technology;
  e.table_kind = table.kind == EnergyTableKind::kResources ? "resources" : "actions";
  if (table.kind == EnergyTableKind::kResources)
    e.resources_source = resources ? resources->source : "analytic";
  double total = 0;
  for (Unit& u : units) {
    total += u.pj;
    e.units.push_back({u.name, u.pj, u.pj * 1e-9 / seconds, std::move(u.terms)});
  }
  e.per_inference_uj = total * 1e-6;
  e.per_sequence_uj = total * 1e-6 / double(w.sequences);
  e.per_timestep_nj = total * 1e-3 / (double(w.seq_len) * w.sequences);
  e.power_mw = total * 1e-12 / seconds * 1e3;
  return e;
}

}  // namespace sparrow
