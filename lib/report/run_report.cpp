#include "report/run_report.h"

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <sstream>

namespace sparrow {

ErrorStats compare_outputs(const Eigen::MatrixXd& got, const Eigen::MatrixXd& ref) {
  ErrorStats e;
  const Eigen::ArrayXXd diff = (got - ref).array();
  const double err2 = diff.square().sum(), sig2 = ref.array().square().sum();
  e.max_abs = diff.abs().maxCoeff();
  e.rms = std::sqrt(err2 / double(diff.size()));
  e.sqnr_db = err2 > 0 ? 10.0 * std::log10(sig2 / err2) : std::numeric_limits<double>::infinity();
  return e;
}

nlohmann::json to_json(const ErrorStats& e) {
  return {{"max_abs_error", e.max_abs},
          {"rms_error", e.rms},
          {"sqnr_db", std::isinf(e.sqnr_db) ? nlohmann::json("inf") : nlohmann::json(e.sqnr_db)}};
}

OpCounts count_ops(const CompressedModel& m, const WorkloadConfig& w) {
  OpCounts c;
  int64_t dense_per_step = 0;
  for (int l = 0; l < w.layers; ++l) {
    int64_t per_dir = int64_t{4} * w.hidden_size * (w.layer_input_size(l) + w.state_size());
    if (w.proj_size > 0) per_dir += int64_t{w.proj_size} * w.hidden_size;
    dense_per_step += per_dir * w.directions();
  }
  const int64_t steps = int64_t{w.seq_len} * w.sequences;
  c.dense_macs = dense_per_step * steps;
  c.nonzero_macs = m.kept_weights * steps;
  return c;
}

nlohmann::json config_json(const ArchConfig& a, const WorkloadConfig& w) {
  nlohmann::json j;
  j["arch"] = {{"file", a.file},
               {"name", a.name},
               {"clock_mhz", a.clock_mhz},
               {"wx_array", {{"pes", a.mac_array.wx.pes}, {"lanes", a.mac_array.wx.lanes}}},
               {"wh_array", {{"pes", a.mac_array.wh.pes}, {"lanes", a.mac_array.wh.lanes}}},
               {"shared_array", a.mac_array.shared},
               {"x_block", a.mac_array.x_block},
               {"wx_format", a.arith.wx.str()},
               {"wh_format", a.arith.wh.str()},
               {"act_format", a.arith.act.str()},
               {"activation", to_string(a.arith.activation)}};
  j["workload"] = {{"file", w.file},
                   {"name", w.name},
                   {"input_size", w.input_size},
                   {"hidden_size", w.hidden_size},
                   {"proj_size", w.proj_size},
                   {"layers", w.layers},
                   {"bidirectional", w.bidirectional},
                   {"seq_len", w.seq_len},
                   {"sequences", w.sequences}};
  return j;
}

namespace {

// A session's figures (docs/timing.md, "Sessions").
nlohmann::json session_json(const Activity& a, const ArchConfig& arch, const OpCounts& ops) {
  const int64_t n = int64_t(a.sequence_done.size());
  nlohmann::json j = {{"sequences", n},
                      {"weight_load_cycles", a.weights_loaded},
                      {"first_sequence_cycles", a.sequence_done.front()}};
  if (n < 2) return j;
  // Every sequence does the same work: a sequence's share of the ops and MAC slots over the
  // steady state's cycles per sequence.
  const double steady = double(a.sequence_done.back() - a.sequence_done.front()) / double(n - 1);
  const double seconds = steady / (arch.clock_mhz * 1e6);
  j["steady_cycles_per_sequence"] = steady;
  j["sequences_per_second"] = 1.0 / seconds;
  j["steady_gops"] = double(ops.ops()) / double(n) / seconds / 1e9;
  j["steady_effective_gops"] = double(ops.effective_ops()) / double(n) / seconds / 1e9;
  nlohmann::json util;
  for (size_t i = 0; i < a.arrays.size(); ++i)
    util[a.arrays[i].name] = double(a.arrays[i].mac_slots) / double(n) /
                             (double(arch.mac_array.of(i == 0).macs()) * steady);
  j["steady_mac_utilization"] = util;
  return j;
}

}  // namespace

nlohmann::json performance_json(const Activity& a, const ArchConfig& arch, const OpCounts& ops) {
  nlohmann::json j;
  const double seconds = double(a.cycles) / (arch.clock_mhz * 1e6);
  j["cycles"] = a.cycles;
  j["clock_mhz"] = arch.clock_mhz;
  j["latency_us"] = seconds * 1e6;
  j["weights_on_chip"] = a.weights_on_chip;
  j["pass_end_cycles"] = a.pass_end;
  j["gops"] = double(ops.ops()) / seconds / 1e9;
  j["effective_gops"] = double(ops.effective_ops()) / seconds / 1e9;
  nlohmann::json arrays = nlohmann::json::array();
  for (size_t i = 0; i < a.arrays.size(); ++i) {
    const ArrayActivity& x = a.arrays[i];
    const double macs = double(arch.mac_array.of(i == 0).macs());
    arrays.push_back({{"name", x.name},
                      {"mac_utilization", double(x.mac_slots) / (macs * double(a.cycles))},
                      {"busy_cycles", x.busy},
                      {"stall_cycles",
                       {{"memory", x.stall_memory},
                        {"recurrence", x.stall_recurrence},
                        {"gate_unit", x.stall_gate}}},
                      {"mac_slots", x.mac_slots},
                      {"bank_words_read", x.words},
                      {"bank_bits_read", x.bank_bits_read},
                      {"vector_buffer_reads", x.buffer_reads}});
  }
  j["arrays"] = arrays;
  j["gate_unit"] = {{"hidden_units", a.gate.units},
                    {"sigmoid_lookups", a.gate.lut_sigmoid},
                    {"tanh_lookups", a.gate.lut_tanh},
                    {"cell_reads", a.gate.cell_reads},
                    {"cell_writes", a.gate.cell_writes}};
  j["dma"] = {{"dram_read_bytes", a.dma.read_bytes},
              {"dram_write_bytes", a.dma.write_bytes},
              {"bursts", a.dma.bursts}};
  j["session"] = session_json(a, arch, ops);
  return j;
}

namespace {

std::string num(const nlohmann::json& v, int digits = 4) {
  if (v.is_string()) return v.get<std::string>();
  std::ostringstream os;
  os << std::setprecision(digits) << v.get<double>();
  return os.str();
}

std::string count(int64_t n) {
  std::ostringstream os;
  if (n >= 1000000000)
    os << std::setprecision(4) << double(n) / 1e9 << " G ";
  else if (n >= 1000000)
    os << std::setprecision(4) << double(n) / 1e6 << " M ";
  else
    os << n << " ";
  return os.str();
}

}  // namespace

void add_hardware_figures(nlohmann::json& r, const Activity& a, const ArchConfig& arch,
                          const WorkloadConfig& w, const CompressedModel& m,
                          const EnergyTable& energy, const nlohmann::json& resources) {
  const nlohmann::json perf = performance_json(a, arch, count_ops(m, w));
  for (const auto& [k, v] : perf.items()) r["performance"][k] = v;
  nlohmann::json e = energy_report(energy, a, arch, w, m, resources);
  const double watts = e["power_mw"].get<double>() * 1e-3;
  e["gops_per_watt"] = perf["gops"].get<double>() / watts;
  e["effective_gops_per_watt"] = perf["effective_gops"].get<double>() / watts;
  r["energy"] = e;
}

namespace {

// The summary's lines on the design: the LSTM, its compression, the formats, the operations.
void summarize_design(std::ostream& os, const nlohmann::json& r) {
  const auto& a = r["arch"];
  const auto& w = r["workload"];
  os << "sparrow " << r["engine"].get<std::string>() << " run: " << w["name"].get<std::string>()
     << " on " << a["name"].get<std::string>() << "\n";
  os << "  LSTM         " << w["input_size"] << " -> " << w["hidden_size"]
     << (w["proj_size"].get<int>() ? " (projected to " + w["proj_size"].dump() + ")" : "") << ", "
     << w["layers"] << (w["layers"].get<int>() > 1 ? " layers" : " layer")
     << (w["bidirectional"].get<bool>() ? ", bidirectional" : "") << ", " << w["seq_len"]
     << " steps"
     << (w["sequences"].get<int>() > 1 ? ", a session of " + w["sequences"].dump() + " sequences"
                                       : "")
     << "\n";
  const auto& c = r["compression"];
  os << "  compression  " << c["pattern"].get<std::string>() << ", sparsity W_x "
     << num(c["sparsity_x"]) << ", W_h " << num(c["sparsity_h"]) << ", overall "
     << num(c["sparsity"]) << "; banks "
     << (c["banks"]["wx_fits_on_chip"].get<bool>() && c["banks"]["wh_fits_on_chip"].get<bool>()
             ? "fit on chip"
             : "do not fit on chip")
     << "\n";
  os << "  formats      W_x " << a["wx_format"].get<std::string>() << ", W_h "
     << a["wh_format"].get<std::string>() << ", act " << a["act_format"].get<std::string>() << ", "
     << a["activation"].get<std::string>() << " activations\n";
  const auto& o = r["ops"];
  os << "  ops          " << count(o["ops"].get<int64_t>()) << "ops (sparse), "
     << count(o["effective_ops"].get<int64_t>()) << "ops effective (dense-equivalent)\n";
}

// Cycles, throughput, the session and the arrays.
void summarize_performance(std::ostream& os, const nlohmann::json& p) {
  os << "  cycles       " << p["cycles"] << " (" << num(p["latency_us"]) << " us at "
     << num(p["clock_mhz"]) << " MHz), weights "
     << (p["weights_on_chip"].get<bool>() ? "on chip" : "streamed from DRAM") << "\n";
  os << "  throughput   " << num(p["gops"]) << " GOPS, " << num(p["effective_gops"])
     << " effective GOPS\n";
  const auto& s = p["session"];
  if (s["sequences"].get<int64_t>() > 1)
    os << "  session      weights loaded by cycle " << s["weight_load_cycles"]
       << ", first sequence done at " << s["first_sequence_cycles"] << ", then "
       << num(s["steady_cycles_per_sequence"], 6)
       << " cycles per sequence: " << num(s["sequences_per_second"]) << " sequences/s, "
       << num(s["steady_gops"]) << " GOPS, " << num(s["steady_effective_gops"])
       << " effective GOPS\n";
  for (const auto& a : p["arrays"])
    os << "  array " << std::left << std::setw(7) << a["name"].get<std::string>() << std::right
       << "MAC utilization " << num(a["mac_utilization"], 3) << ", stalls: memory "
       << a["stall_cycles"]["memory"] << ", recurrence " << a["stall_cycles"]["recurrence"]
       << ", gate unit " << a["stall_cycles"]["gate_unit"] << "\n";
}

// Energy and resources.
void summarize_cost(std::ostream& os, const nlohmann::json& r) {
  const auto& p = r["performance"];
  if (r.contains("energy")) {
    const auto& e = r["energy"];
    const bool session = p["session"]["sequences"].get<int64_t>() > 1;
    os << "  energy       " << num(e["energy_per_inference_uj"])
       << (session ? " uJ per session (" + num(e["energy_per_sequence_uj"]) + " uJ per sequence)"
                   : std::string(" uJ per inference"))
       << ", " << num(e["power_mw"]) << " mW (" << e["table"]["name"].get<std::string>()
       << "): " << num(e["gops_per_watt"]) << " GOPS/W, " << num(e["effective_gops_per_watt"])
       << " effective GOPS/W\n";
  }
  if (r.contains("resources")) {
    const auto& res = r["resources"];
    const auto& t = res["total"];
    os << "  resources    " << t["dsp"] << " DSP, " << t["bram36"] << " BRAM36, " << t["lut"]
       << " LUT";
    if (t.contains("lutram_luts")) os << " + " << t["lutram_luts"] << " LUT RAM";
    os << ", " << t["ff"] << " FF ("
       << (res.value("source", "") == "synthesis"
               ? "Yosys synth_xilinx, " +
                     std::filesystem::path(res["file"].get<std::string>()).filename().string()
               : std::string("analytic estimate"))
       << ")\n";
  }
}

// The checks against golden and the contract.
void summarize_checks(std::ostream& os, const nlohmann::json& r) {
  const auto& p = r["performance"];
  if (r.contains("outputs_match_golden")) {
    os << "  checks       outputs "
       << (r["outputs_match_golden"].get<bool>() ? "match the golden model bit for bit"
                                                 : "DIFFER FROM THE GOLDEN MODEL")
       << "; cycles "
       << (p["contract_cycles"] == p["cycles"]
               ? "equal the timing contract"
               : "DIFFER FROM THE TIMING CONTRACT (" + p["contract_cycles"].dump() + ")")
       << "\n";
  }
}

}  // namespace

std::string summarize(const nlohmann::json& r) {
  std::ostringstream os;
  summarize_design(os, r);
  if (r.contains("performance")) {
    summarize_performance(os, r["performance"]);
    summarize_cost(os, r);
    summarize_checks(os, r);
  }
  if (r.contains("accuracy")) {
    os << "  accuracy     max |error|  rms error    SQNR dB\n";
    for (const auto& [name, e] : r["accuracy"].items())
      os << "    " << std::left << std::setw(28) << name << std::setw(13)
         << num(e["max_abs_error"], 3) << std::setw(13) << num(e["rms_error"], 3)
         << num(e["sqnr_db"], 3) << "\n"
         << std::right;
  }
  if (r.contains("outputs"))
    os << "  outputs      " << r["outputs"]["dir"].get<std::string>() << "/ (report.json, "
       << r["outputs"]["files"].size() - 1 << " .npy)\n";
  return os.str();
}

}  // namespace sparrow
