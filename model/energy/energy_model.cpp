#include "energy/energy_model.h"

#include <algorithm>
#include <cmath>

#include "config/yaml_map.h"
#include "weight_bank/weight_bank.h"

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
  nlohmann::json terms = nlohmann::json::array();
  double pj = 0;
  void add(const std::string& what, double count, double pj_each) {
    terms.push_back({{"action", what}, {"count", count}, {"pj_each", pj_each}});
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
  YamlMap e = m.get_map("entries");
  t.mult_8x8 = read_entry(e, "mult_8x8");
  t.mult_32x32 = read_entry(e, "mult_32x32");
  t.add_8 = read_entry(e, "add_8");
  t.add_32 = read_entry(e, "add_32");
  t.sram_8kib = read_entry(e, "sram_8kib");
  t.sram_32kib = read_entry(e, "sram_32kib");
  t.sram_1mib = read_entry(e, "sram_1mib");
  t.dram = read_entry(e, "dram");
  e.finish();
  // The scaling rules divide by these: they must be positive.
  for (auto [key, entry] : {std::pair{"mult_8x8", &t.mult_8x8},
                            {"mult_32x32", &t.mult_32x32},
                            {"sram_8kib", &t.sram_8kib},
                            {"sram_32kib", &t.sram_32kib},
                            {"sram_1mib", &t.sram_1mib}})
    if (entry->pj <= 0) e.fail(std::string(key) + ".pj", "'0'", "a positive energy in pJ");
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

nlohmann::json energy_report(const EnergyTable& t, const Activity& a, const ArchConfig& arch,
                             const WorkloadConfig& w, const CompressedModel& m) {
  const ArithConfig& ar = arch.arith;
  const double steps = w.seq_len;
  const int lanes = arch.mac_array.lanes;
  // Per inference, from the encoded banks: MAC slots, bank bits read, vector sizes.
  double slots_x = 0, slots_h = 0, bits_x = 0, bits_h = 0, x_writes = 0, h_writes = 0;
  double x_cap = 0, h_cap = 0, in_bytes = 0;
  for (int l = 0; l < w.layers; ++l) {
    for (int d = 0; d < w.directions(); ++d) {
      const CompressedDirection& cd = m.at(l, d);
      auto words = [](const EncodedMatrix& e) {
        double n = 0;
        for (int32_t r : e.row_words) n += r;
        return n;
      };
      slots_x += steps * words(cd.wx) * lanes;
      bits_x += steps * words(cd.wx) * cd.wx.word_bits();
      slots_h += steps * (words(cd.wh) + words(cd.wr)) * lanes;
      bits_h += steps * (words(cd.wh) * cd.wh.word_bits() + words(cd.wr) * cd.wr.word_bits());
      x_writes += steps * w.layer_input_size(l);
      h_writes += steps * (w.hidden_size + w.proj_size);
      x_cap = std::max(x_cap, double(cd.wx.padded_cols()) * ar.act.bits);
      h_cap = std::max(h_cap, double(cd.wh.padded_cols()) * ar.act.bits);
      in_bytes += steps * w.layer_input_size(l) * act_bytes(ar);
    }
  }
  auto mac_pj = [&](const FixedFormat& wf) {
    return (wf.bits == 1 ? 0.0 : t.mult_pj(ar.act.bits, wf.bits)) + t.add_pj(ar.acc_bits);
  };
  std::vector<Unit> units;
  Unit mx{"mac_array_wx"}, mh{"mac_array_wh"}, bank{"weight_bank"}, vb{"vector_buffer"},
      gate{"gate_unit"}, dram{"dram"};
  mx.add("MAC slot (act x W_x multiply, accumulator add)", slots_x, mac_pj(ar.wx));
  mh.add("MAC slot (act x W_h multiply, accumulator add)", slots_h, mac_pj(ar.wh));
  const double cap_x = double(arch.weight_bank.wx_kbit_per_pe) * 1024;
  const double cap_h = double(arch.weight_bank.wh_kbit_per_pe) * 1024;
  bank.add("W_x bank bit read", bits_x, t.sram_bit_pj(cap_x));
  bank.add("W_h bank bit read", bits_h, t.sram_bit_pj(cap_h));
  bank.add("bank bit written (weights from DRAM)", double(a.dram_read_bytes - in_bytes) * 8,
           t.sram_bit_pj(std::max(cap_x, cap_h)));
  vb.add("x buffer bit read", slots_x * ar.act.bits, t.sram_bit_pj(x_cap));
  vb.add("h buffer bit read", slots_h * ar.act.bits, t.sram_bit_pj(h_cap));
  vb.add("x buffer bit written", x_writes * ar.act.bits, t.sram_bit_pj(x_cap));
  vb.add("h buffer bit written", h_writes * ar.act.bits, t.sram_bit_pj(h_cap));
  const double lut_bits = double(1 << ar.sigmoid.entries_log2) * ar.gate.bits;
  const int lookup_bits =
      ar.gate.bits + (ar.activation == ActivationKind::kPwl ? ar.pwl_slope.bits : 0);
  gate.add("sigmoid/tanh table bit read", double(a.lut_sigmoid + a.lut_tanh) * lookup_bits,
           t.sram_bit_pj(lut_bits));
  if (ar.activation == ActivationKind::kPwl)
    gate.add("piecewise-linear slope multiply and add", double(a.lut_sigmoid + a.lut_tanh),
             t.mult_pj(ar.pwl_slope.bits, ar.preact.bits) + t.add_pj(ar.gate.bits));
  gate.add("cell-state bit access", double(a.cell_reads + a.cell_writes) * ar.cell.bits,
           t.sram_bit_pj(double(w.hidden_size) * ar.cell.bits));
  gate.add("bias/accumulate adds (3 per gate row)", double(a.gate_units) * 12,
           t.add_pj(ar.acc_bits));
  gate.add("cell update multiplies (f*c, i*g) and add", double(a.gate_units),
           t.mult_pj(ar.gate.bits, ar.cell.bits) + t.mult_pj(ar.gate.bits, ar.gate.bits) +
               t.add_pj(ar.cell.bits + ar.gate.bits));
  gate.add("output multiply (o*tanh c)", double(a.gate_units),
           t.mult_pj(ar.gate.bits, ar.gate.bits));
  dram.add("DRAM byte read or written", double(a.dram_read_bytes + a.dram_write_bytes),
           t.dram_byte_pj());
  const double seconds = double(a.cycles) / (arch.clock_mhz * 1e6);
  Unit stat{"static"};
  stat.add("second at the static power (pJ/s)", seconds, t.static_mw.pj * 1e9);

  nlohmann::json j;
  j["table"] = {{"file", t.file}, {"name", t.name}, {"technology", t.technology}};
  double total = 0;
  nlohmann::json per_unit = nlohmann::json::array();
  for (Unit* u : {&mx, &mh, &bank, &vb, &gate, &dram, &stat}) {
    total += u->pj;
    per_unit.push_back({{"unit", u->name},
                        {"energy_pj", u->pj},
                        {"power_mw", u->pj * 1e-9 / seconds},
                        {"terms", u->terms}});
  }
  j["units"] = per_unit;
  j["energy_per_inference_uj"] = total * 1e-6;
  j["energy_per_timestep_nj"] = total * 1e-3 / steps;
  const double watts = total * 1e-12 / seconds;
  j["power_mw"] = watts * 1e3;
  return j;
}

}  // namespace sparrow
