#include "report/run_report.h"

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <sstream>
#include <tuple>

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

ArchSummary arch_summary(const ArchConfig& arch) {
  ArchSummary s;
  s.file = arch.file;
  s.name = arch.name;
  s.clock_mhz = arch.clock_mhz;
  s.wx_pes = arch.mac_array.wx.pes;
  s.wx_lanes = arch.mac_array.wx.lanes;
  s.wh_pes = arch.mac_array.wh.pes;
  s.wh_lanes = arch.mac_array.wh.lanes;
  s.shared_array = arch.mac_array.shared;
  s.x_block = arch.mac_array.x_block;
  s.wx_format = arch.arith.wx.str();
  s.wh_format = arch.arith.wh.str();
  s.act_format = arch.arith.act.str();
  s.activation = to_string(arch.arith.activation);
  return s;
}

WorkloadSummary workload_summary(const WorkloadConfig& w) {
  WorkloadSummary s;
  s.file = w.file;
  s.name = w.name;
  s.input_size = w.input_size;
  s.hidden_size = w.hidden_size;
  s.proj_size = w.proj_size;
  s.layers = w.layers;
  s.bidirectional = w.bidirectional;
  s.seq_len = w.seq_len;
  s.sequences = w.sequences;
  s.batch = w.batch;
  return s;
}

namespace {

// A session's figures (docs/timing.md, "Sessions", "Batches").
SessionFigures session_of(const Activity& activity, const ArchConfig& arch, const OpCounts& ops,
                          int batch) {
  SessionFigures f;
  const int64_t n = int64_t(activity.sequence_done.size()), b = batch;
  f.sequences = n;
  f.batch = b;
  f.weight_load_cycles = activity.weights_loaded;
  f.first_sequence_cycles = activity.sequence_done.front();
  if (n < 2 * b) return f;
  // Every sequence does the same work: a sequence's share of the ops and MAC slots over the
  // steady state's cycles per sequence, (c_{N-1} - c_{B-1}) / (N - B).
  SessionFigures::Steady s;
  s.cycles_per_sequence =
      double(activity.sequence_done.back() - activity.sequence_done[size_t(b - 1)]) / double(n - b);
  const double seconds = s.cycles_per_sequence / (arch.clock_mhz * 1e6);
  s.sequences_per_second = 1.0 / seconds;
  s.gops = double(ops.ops()) / double(n) / seconds / 1e9;
  s.effective_gops = double(ops.effective_ops()) / double(n) / seconds / 1e9;
  for (size_t i = 0; i < activity.arrays.size(); ++i)
    s.mac_utilization[activity.arrays[i].name] =
        double(activity.arrays[i].mac_slots) / double(n) /
        (double(arch.mac_array.of(i == 0).macs()) * s.cycles_per_sequence);
  f.steady = s;
  return f;
}

}  // namespace

Performance performance_of(const Activity& activity, const ArchConfig& arch, const OpCounts& ops,
                           int batch) {
  Performance p;
  const double seconds = double(activity.cycles) / (arch.clock_mhz * 1e6);
  p.cycles = activity.cycles;
  p.clock_mhz = arch.clock_mhz;
  p.latency_us = seconds * 1e6;
  p.weights_on_chip = activity.weights_on_chip;
  p.pass_end_cycles = activity.pass_end;
  p.gops = double(ops.ops()) / seconds / 1e9;
  p.effective_gops = double(ops.effective_ops()) / seconds / 1e9;
  for (size_t i = 0; i < activity.arrays.size(); ++i) {
    const ArrayActivity& x = activity.arrays[i];
    const double macs = double(arch.mac_array.of(i == 0).macs());
    p.arrays.push_back({x.name, double(x.mac_slots) / (macs * double(activity.cycles)), x.busy,
                        x.stall_memory, x.stall_recurrence, x.stall_gate, x.mac_slots, x.words,
                        x.bank_bits_read, x.buffer_reads});
  }
  p.gate = activity.gate;
  p.dma = activity.dma;
  p.session = session_of(activity, arch, ops, batch);
  return p;
}

RunReport design_report(const std::optional<Activity>& activity, const ArchConfig& arch,
                        const WorkloadConfig& w, const CompressedModel& m,
                        const EnergyTable& energy, ResourceReport resources) {
  RunReport r;
  r.arch = arch_summary(arch);
  r.workload = workload_summary(w);
  r.compression = compression_stats(m, arch);
  r.ops.counts = count_ops(m, w);
  r.resources = std::move(resources);
  if (activity) add_hardware_figures(r, *activity, arch, w, m, energy);
  return r;
}

void add_hardware_figures(RunReport& report, const Activity& activity, const ArchConfig& arch,
                          const WorkloadConfig& w, const CompressedModel& m,
                          const EnergyTable& energy) {
  report.performance = performance_of(activity, arch, report.ops.counts, w.batch);
  EnergyReport e = energy_report(energy, activity, arch, w, m, &report.resources);
  const double watts = e.power_mw * 1e-3;
  e.gops_per_watt = report.performance->gops / watts;
  e.effective_gops_per_watt = report.performance->effective_gops / watts;
  report.energy = std::move(e);
}

namespace {

std::string num(double v, int digits = 4) {
  std::ostringstream os;
  os << std::setprecision(digits) << v;
  return os.str();
}

// A count as report.json writes it (a whole double keeps its ".0").
std::string json_num(double v) {
  return nlohmann::json(v).dump();
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

// Where the weights stay: on chip, or streamed into banks that hold one pass, or, where a pass is
// larger than a bank, what the streamed figures assume (docs/timing.md, "Weights").
std::string bank_verdict(const BankUse& b) {
  if (b.on_chip()) return "fit on chip";
  if (b.holds_a_pass()) return "do not fit on chip (streamed; a bank holds one pass)";
  std::string over;
  for (const auto& [name, need, have] : {std::tuple{"W_x", b.wx_pass_bits_max, b.wx_capacity_bits},
                                         std::tuple{"W_h", b.wh_pass_bits_max, b.wh_capacity_bits}})
    if (need > have)
      over += std::string(over.empty() ? "" : ", ") + name + " " +
              std::to_string((need + 1023) / 1024) + " of " + std::to_string(have / 1024);
  return "do not fit on chip, nor one pass (kbit of a PE's bank: " + over +
         "): the streamed figures are those of banks that hold one (docs/timing.md)";
}

// The summary's lines on the design: the LSTM, its compression, the formats, the operations.
void summarize_design(std::ostream& os, const RunReport& r) {
  const ArchSummary& a = r.arch;
  const WorkloadSummary& w = r.workload;
  os << "sparrow " << r.engine << " run: " << w.name << " on " << a.name << "\n";
  os << "  LSTM         " << w.input_size << " -> " << w.hidden_size
     << (w.proj_size ? " (projected to " + std::to_string(w.proj_size) + ")" : "") << ", "
     << w.layers << (w.layers > 1 ? " layers" : " layer")
     << (w.bidirectional ? ", bidirectional" : "") << ", " << w.seq_len << " steps"
     << (w.sequences > 1 ? ", a session of " + std::to_string(w.sequences) + " sequences" : "")
     << (w.batch > 1 ? " in batches of " + std::to_string(w.batch) : "") << "\n";
  const CompressionStats& c = r.compression;
  os << "  compression  " << c.pattern << ", sparsity W_x " << num(c.sparsity_x) << ", W_h "
     << num(c.sparsity_h) << ", overall " << num(c.sparsity) << "; banks " << bank_verdict(c.banks)
     << "\n";
  os << "  formats      W_x " << a.wx_format << ", W_h " << a.wh_format << ", act " << a.act_format
     << ", " << a.activation << " activations\n";
  os << "  ops          " << count(r.ops.counts.ops()) << "ops (sparse), "
     << count(r.ops.counts.effective_ops()) << "ops effective (dense-equivalent)\n";
}

// Cycles, throughput, the session and the arrays.
void summarize_performance(std::ostream& os, const Performance& p) {
  os << "  cycles       " << p.cycles << " (" << num(p.latency_us) << " us at " << num(p.clock_mhz)
     << " MHz), weights " << (p.weights_on_chip ? "on chip" : "streamed from DRAM") << "\n";
  os << "  throughput   " << num(p.gops) << " GOPS, " << num(p.effective_gops)
     << " effective GOPS\n";
  const SessionFigures& s = p.session;
  if (s.steady)
    os << "  session      weights loaded by cycle " << s.weight_load_cycles
       << ", first sequence done at " << s.first_sequence_cycles << ", then "
       << num(s.steady->cycles_per_sequence, 6)
       << " cycles per sequence: " << num(s.steady->sequences_per_second) << " sequences/s, "
       << num(s.steady->gops) << " GOPS, " << num(s.steady->effective_gops) << " effective GOPS\n";
  for (const ArrayFigures& a : p.arrays)
    os << "  array " << std::left << std::setw(7) << a.name << std::right << "MAC utilization "
       << num(a.mac_utilization, 3) << ", stalls: memory " << a.stall_memory << ", recurrence "
       << a.stall_recurrence << ", gate unit " << a.stall_gate << "\n";
}

// Energy and resources.
void summarize_cost(std::ostream& os, const RunReport& r) {
  if (r.energy) {
    const EnergyReport& e = *r.energy;
    const bool session = r.performance && r.performance->session.sequences > 1;
    os << "  energy       " << num(e.per_inference_uj)
       << (session ? " uJ per session (" + num(e.per_sequence_uj) + " uJ per sequence)"
                   : std::string(" uJ per inference"))
       << ", " << num(e.power_mw) << " mW (" << e.table_name << "): " << num(e.gops_per_watt)
       << " GOPS/W, " << num(e.effective_gops_per_watt) << " effective GOPS/W\n";
  }
  const Resources& t = r.resources.total;
  os << "  resources    " << t.dsp << " DSP, " << json_num(t.bram36) << " BRAM36, " << t.lut
     << " LUT";
  if (t.lutram_luts) os << " + " << *t.lutram_luts << " LUT RAM";
  os << ", " << t.ff << " FF ("
     << (r.resources.source == "synthesis"
             ? "Yosys synth_xilinx, " + std::filesystem::path(r.resources.file).filename().string()
             : std::string("analytic estimate"))
     << ")\n";
}

// The checks against golden and the contract.
void summarize_checks(std::ostream& os, const RunReport& r) {
  if (!r.outputs_match_golden || !r.performance) return;
  const Performance& p = *r.performance;
  os << "  checks       outputs "
     << (*r.outputs_match_golden ? "match the golden model bit for bit"
                                 : "DIFFER FROM THE GOLDEN MODEL")
     << "; cycles "
     << (p.contract_cycles == p.cycles
             ? "equal the timing contract"
             : "DIFFER FROM THE TIMING CONTRACT (" +
                   (p.contract_cycles ? std::to_string(*p.contract_cycles) : "none") + ")")
     << "\n";
}

}  // namespace

std::string summarize(const RunReport& r) {
  std::ostringstream os;
  summarize_design(os, r);
  if (r.performance) {
    summarize_performance(os, *r.performance);
    summarize_cost(os, r);
    summarize_checks(os, r);
  }
  if (!r.accuracy.empty()) {
    os << "  accuracy     max |error|  rms error    SQNR dB\n";
    for (const auto& [name, e] : r.accuracy)
      os << "    " << std::left << std::setw(28) << name << std::setw(13) << num(e.max_abs, 3)
         << std::setw(13) << num(e.rms, 3) << num(e.sqnr_db, 3) << "\n"
         << std::right;
  }
  if (r.outputs)
    os << "  outputs      " << r.outputs->dir << "/ (report.json, " << r.outputs->files.size()
       << " .npy)\n";
  return os.str();
}

}  // namespace sparrow
