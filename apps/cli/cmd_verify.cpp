#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/commands.h"
#include "cli/output_dir.h"
#include "cli/overrides.h"
#include "common/error.h"
#include "common/file_util.h"
#include "common/json_text.h"
#include "compress/compressor.h"
#include "engines/engines.h"
#include "pipeline/run_case.h"
#include "report/run_report.h"

namespace fs = std::filesystem;

namespace sparrow {
namespace {

struct VerifyOptions {
  std::string arch;
  std::string workload;
  ConfigOverrides set;
  std::string out;
  bool waves = false;
  double stall_prob = 0;
  uint64_t stall_seed = 1;
  int64_t soft_reset_at = 0;
  int runs = 1;
  std::vector<std::string> rtl_params;
  bool lint_only = false;
  std::string design_dir;
  bool quiet = false;
};

// Where `got` differs from `ref`: how many values, the first one.
struct Diff {
  bool shape_ok = true;
  int64_t count = 0;
  Eigen::Index t = -1, i = -1;
  int64_t want = 0, got = 0;
  bool equal() const { return shape_ok && count == 0; }
};

Diff diff(const RawMatrix& ref, const RawMatrix& got) {
  Diff d;
  if (ref.rows() != got.rows() || ref.cols() != got.cols()) {
    d.shape_ok = false;
    return d;
  }
  for (Eigen::Index t = 0; t < ref.rows(); ++t)
    for (Eigen::Index i = 0; i < ref.cols(); ++i)
      if (ref(t, i) != got(t, i) && d.count++ == 0)
        d.t = t, d.i = i, d.want = ref(t, i), d.got = got(t, i);
  return d;
}

std::string describe(const Diff& d) {
  if (!d.shape_ok) return "wrong shape";
  if (d.count == 0) return "bit-exact";
  return std::to_string(d.count) + " differ";
}

nlohmann::json diff_json(const Diff& d) {
  nlohmann::json j = {{"bit_exact", d.equal()}, {"mismatches", d.count}};
  if (d.count > 0)
    j["first_mismatch"] = {{"step", d.t}, {"index", d.i}, {"golden", d.want}, {"got", d.got}};
  return j;
}

// One row of the agreement table: the reference value (the timing contract), SystemC's, the
// RTL's (absent if the RTL did not finish); `checked` rows must agree.
struct Row {
  std::string key;   // the counter's name (rtl_counters)
  std::string name;  // its label in the table
  int64_t contract;
  int64_t systemc;
  std::optional<int64_t> rtl;
  bool checked = true;
  bool agree() const { return systemc == contract && rtl && *rtl == contract; }
};

// --design-only: the design point's parameter set and ROM images, for synthesis
// (scripts/synth_rtl.py).
int write_design_point(const VerifyOptions& o, const ArchConfig& arch, const WorkloadConfig& wl,
                       const RtlCase& rc) {
  OutputDir dir(o.design_dir, "--design-only");
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [name, value] : rc.design.params) params[name] = value;
  for (const auto& [name, file] : rc.design.rom_params)
    params[name] = (fs::absolute(o.design_dir) / file).string();
  for (const auto& [file, contents] : rc.design.roms) dir.add(file, contents);
  dir.add("params.json", json_text(params, 2) + "\n");
  dir.commit();
  std::cout << "sparrow verify --design-only: the RTL parameters of " << arch.name << " on "
            << wl.name << " in " << o.design_dir << "\n";
  return 0;
}

// --lint-only: Verilator's lint of the RTL at the design point's parameters.
int lint_design_point(const ArchConfig& arch, const WorkloadConfig& wl, const RtlCase& rc) {
  const RtlToolchain tools = rtl_toolchain();
  const RtlLint lint = rtl_lint(rc.design, tools);
  std::cout << lint.output;
  std::cout << "sparrow verify --lint-only: " << tools.rtl_dir << " with the parameters of "
            << arch.name << " on " << wl.name << ": "
            << (lint.clean ? "lint-clean" : "Verilator -Wall reports warnings or errors") << "\n";
  return lint.clean ? 0 : 3;
}

RtlEngineOptions rtl_options(const VerifyOptions& o) {
  RtlEngineOptions ro;
  ro.stall_prob = o.stall_prob;
  ro.stall_seed = o.stall_seed;
  ro.soft_reset_at = o.soft_reset_at;
  ro.runs = o.runs;
  if (!o.out.empty()) ro.case_dir = (fs::path(o.out) / "rtl").string();
  if (o.waves) ro.waves = (fs::path(o.out) / "waves.fst").string();
  return ro;
}

// What the three models agree on: the outputs against golden, each counter against the contract.
struct Agreement {
  Diff systemc, rtl;
  std::vector<Row> rows;
  bool ok = false;
};

// The counter rows: the timing contract's, SystemC's and the RTL's values of each RTL counter;
// under random back-pressure (not timed) the cycle and stall counts are not compared.
Agreement agreement(const ArchConfig& arch, const FixedRun& golden, const Activity& contract,
                    const EngineResult& sc, const RtlResult& rtl, bool timed) {
  Agreement g;
  g.systemc = diff(golden.outputs, *sc.outputs);
  g.rtl = rtl.finished ? diff(golden.outputs, rtl.outputs) : Diff{false};
  auto rtl_value = [&](const std::string& k) -> std::optional<int64_t> {
    auto it = rtl.values.find(k);
    if (!rtl.finished || it == rtl.values.end()) return std::nullopt;
    return it->second;
  };
  const auto c_counts = rtl_counters(contract), sc_counts = rtl_counters(*sc.activity);
  const std::map<std::string, std::string> labels = {
      {"cycles", "cycles"},
      {"irq_cycle", "irq cycle (testbench)"},
      {"mac_slots", "MAC slots"},
      {"dram_read_bytes", "DRAM read bytes"},
      {"dram_write_bytes", "DRAM write bytes"},
      {"memory_write_bytes", "DRAM write bytes (memory)"},
      {"lut_lookups", "LUT lookups"},
      {"wx_busy", arch.mac_array.shared ? "shared array busy cycles" : "W_x array busy cycles"},
      {"wx_stall", arch.mac_array.shared ? "shared array stall cycles" : "W_x array stall cycles"},
      {"wh_busy", "W_h array busy cycles"},
      {"wh_stall", "W_h array stall cycles"}};
  for (size_t k = 0; k < c_counts.size(); ++k) {
    const std::string& key = c_counts[k].first;
    g.rows.push_back({key, labels.at(key), c_counts[k].second, sc_counts[k].second, rtl_value(key),
                      timed || (key != "cycles" && key != "irq_cycle" && key != "wx_stall" &&
                                key != "wh_stall")});
  }
  g.ok = g.systemc.equal() && g.rtl.equal();
  for (const Row& r : g.rows) g.ok = g.ok && (!r.checked || r.agree());
  return g;
}

// The agreement table's heading: the design point, the build and the run's conditions.
std::string table_heading(const VerifyOptions& o, const ArchConfig& arch, const WorkloadConfig& wl,
                          const RtlBuild& build) {
  std::ostringstream s;
  s << "sparrow verify: " << wl.name << " on " << arch.name << ", RTL parameter set " << build.key
    << (build.cached ? " (cached)"
                     : " (built in " + std::to_string(int(build.seconds + 0.5)) + " s)")
    << (build.assertions ? "" : ", without assertions");
  if (o.stall_prob > 0)
    s << ", memory back-pressure p=" << o.stall_prob << " seed " << o.stall_seed
      << " (cycles and stalls not compared)";
  if (o.soft_reset_at > 0) s << ", after a soft reset " << o.soft_reset_at << " cycles into a run";
  if (o.runs > 1) s << ", run " << o.runs << " of " << o.runs << " on one device";
  s << "\n";
  return s.str();
}

// The agreement table: outputs and each counter, golden or contract / SystemC / RTL.
std::string agreement_table(const Agreement& g, const FixedRun& golden, const RtlResult& rtl) {
  std::ostringstream s;
  auto col = [](const std::string& v, int w) {
    std::ostringstream c;
    c << std::left << std::setw(w) << v;
    return c.str();
  };
  s << "  " << col("", 27) << col("golden/contract", 17) << col("systemc", 13) << col("rtl", 13)
    << "\n";
  s << "  " << col("outputs", 27) << col(std::to_string(golden.outputs.size()) + " values", 17)
    << col(describe(g.systemc), 13) << col(rtl.finished ? describe(g.rtl) : "no result", 13)
    << (g.systemc.equal() && g.rtl.equal() ? "agree" : "DISAGREE") << "\n";
  for (const Row& r : g.rows)
    s << "  " << col(r.name, 27) << col(std::to_string(r.contract), 17)
      << col(std::to_string(r.systemc), 13) << col(r.rtl ? std::to_string(*r.rtl) : "-", 13)
      << (!r.checked  ? "(not compared)"
          : r.agree() ? "agree"
                      : "DISAGREE")
      << "\n";
  for (const auto& [who, d] : {std::pair{"systemc", &g.systemc}, std::pair{"rtl", &g.rtl}})
    if (d->count > 0)
      s << "  first " << who << " mismatch: step " << d->t << ", value " << d->i << ": golden "
        << d->want << ", " << who << " " << d->got << "\n";
  if (!rtl.finished) s << "  rtl: " << rtl.message << "\n";
  s << "  "
    << (g.ok ? "agreement: golden, SystemC and RTL agree"
             : "DISAGREEMENT between golden, SystemC and RTL")
    << " (RTL runner " << std::fixed << std::setprecision(2) << rtl.wall_seconds << " s";
  // The testbench's simulated cycles (CSR programming included) over the time it spent on them
  // (the runner's time also reads the case and builds the model).
  if (rtl.values.count("sim_cycles") && rtl.sim_seconds > 0)
    s << ", simulating " << std::setprecision(0)
      << double(rtl.values.at("sim_cycles")) / rtl.sim_seconds / 1e3 << " k cycles/s";
  s << ")\n";
  return s.str();
}

// verify's report.json (docs/verification.md): the configs, the RTL's build and run, the wall
// times, the outputs' and each counter's agreement.
nlohmann::json verify_report(const VerifyOptions& o, const ArchConfig& arch,
                             const WorkloadConfig& wl, const RtlCase& rc, const RtlEngineRun& run,
                             const EngineResult& sc, const FixedRun& golden, const Agreement& g) {
  const RtlBuild& build = run.build;
  const RtlResult& rtl = run.result;
  nlohmann::json r = {{"arch", to_json(arch_summary(arch))},
                      {"workload", to_json(workload_summary(wl))}};
  nlohmann::json params;
  for (const auto& [n, v] : rc.design.params) params[n] = v;
  for (const auto& [n, f] : rc.design.rom_params) params[n] = f;
  r["rtl"] = {{"parameters", params},
              {"build_key", build.key},
              {"runner", build.runner},
              {"cached", build.cached},
              {"build_seconds", build.seconds},
              {"compiler", build.cxx},
              {"opt", build.opt},
              {"assertions", build.assertions},
              {"case_dir", run.case_dir},
              {"finished", rtl.finished},
              {"message", rtl.message},
              {"wall_seconds", rtl.wall_seconds},
              {"sim_seconds", rtl.sim_seconds},
              {"memory_stall_prob", o.stall_prob},
              {"memory_stall_seed", o.stall_seed},
              {"soft_reset_at", o.soft_reset_at},
              {"runs", o.runs}};
  // Wall times of one inference: SystemC (elaboration, the host, simulation) in this process,
  // the RTL runner's process (case, model, reset, CSR programming, simulation) and its
  // simulation alone (CSR programming to the interrupt), as the runner measured them.
  r["speed"] = {
      {"systemc_seconds", sc.seconds},
      {"rtl_seconds", rtl.wall_seconds},
      {"rtl_sim_seconds", rtl.sim_seconds},
      {"rtl_sim_cycles", rtl.values.count("sim_cycles") ? rtl.values.at("sim_cycles") : 0}};
  r["outputs"] = {{"values", golden.outputs.size()},
                  {"systemc", diff_json(g.systemc)},
                  {"rtl", rtl.finished ? diff_json(g.rtl) : nlohmann::json()}};
  for (const Row& row : g.rows) {
    nlohmann::json j = {{"label", row.name},
                        {"contract", row.contract},
                        {"systemc", row.systemc},
                        {"compared", row.checked},
                        {"agree", row.agree()}};
    j["rtl"] = row.rtl ? nlohmann::json(*row.rtl) : nlohmann::json();
    r["counters"][row.key] = j;
  }
  r["agreement"] = g.ok;
  return r;
}

int verify(const VerifyOptions& o) {
  ConfigOverrides set = o.set;
  split_overrides(set);
  const ArchConfig arch = load_arch_config(o.arch, set.arch);
  const WorkloadConfig wl = load_workload_config(o.workload, set.workload);
  const RtlParamFloors floors = parse_rtl_params(o.rtl_params);
  if (o.waves && o.out.empty())
    throw_input_error("command line", "--waves", "no --out", "--waves with --out DIR");
  const PreparedCase prepared = prepare_case(arch, wl, {"", false});
  const RtlCase rc = rtl_case(prepared.model, arch, wl, prepared.quantized, floors);
  if (!o.design_dir.empty()) return write_design_point(o, arch, wl, rc);
  if (o.lint_only) return lint_design_point(arch, wl, rc);

  const EngineCase c{prepared.model, arch, wl, prepared.quantized};
  const EngineResult sc = make_engine("systemc")->run(c);
  const Activity& contract = *sc.contract;
  RtlEngine rtl_engine(floors, rtl_options(o));
  rtl_engine.run(c, rc);
  const RtlEngineRun& run = rtl_engine.last_run();
  const Agreement g = agreement(arch, prepared.golden, contract, sc, run.result, o.stall_prob == 0);
  const std::string table =
      table_heading(o, arch, wl, run.build) + agreement_table(g, prepared.golden, run.result);
  if (!o.out.empty()) {
    OutputDir dir(o.out);
    dir.add("report.json",
            json_text(verify_report(o, arch, wl, rc, run, sc, prepared.golden, g), 2) + "\n");
    dir.commit();
  }
  if (!o.quiet || !g.ok) std::cout << table;
  if (!g.ok) {
    std::cerr << "sparrow: error: golden, SystemC and RTL disagree"
              << (!o.out.empty() ? " (see " + o.out + "/report.json)" : std::string()) << "\n";
    return 3;
  }
  return 0;
}

}  // namespace

Command add_verify_command(CLI::App& app) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* sub = app.add_subcommand(
      "verify",
      "Verify the RTL: golden model, SystemC model and the RTL under Verilator on one workload, "
      "outputs bit for bit, cycles and counters");
  sub->add_option("--arch", o->arch, "architecture config (configs/arch/*.yaml)")->required();
  sub->add_option("--workload", o->workload, "workload config (configs/workloads/*.yaml)")
      ->required();
  add_set_option(sub, o->set);
  sub->add_option(
      "--out", o->out,
      "folder for report.json and the RTL case (rtl/: the runner's inputs and results)");
  sub->add_flag("--waves", o->waves, "write the RTL's waveforms to OUT/waves.fst (needs --out)");
  sub->add_option("--mem-stall-prob", o->stall_prob,
                  "random memory back-pressure: the probability that the memory withholds a "
                  "request, beat or acknowledgement in a cycle (outputs must still match; cycles "
                  "and stall cycles are not compared)")
      ->check(CLI::Range(0.0, 0.95));
  sub->add_option("--mem-stall-seed", o->stall_seed, "seed of the random back-pressure")
      ->capture_default_str();
  sub->add_option("--soft-reset-at", o->soft_reset_at,
                  "write CTRL.SOFT_RESET this many cycles into the RTL's run, wait until STATUS "
                  "reads 0, then start again: the run compared is the one after the reset")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  sub->add_option("--runs", o->runs,
                  "run the RTL this many times back to back on one device (IRQ_STATUS cleared "
                  "in between); the last run is compared")
      ->check(CLI::Range(1, 1000));
  sub->add_option("--rtl-param", o->rtl_params, kRtlParamHelp);
  sub->add_flag("--lint-only", o->lint_only,
                "run verilator --lint-only -Wall on the RTL with this design point's parameters "
                "instead");
  sub->add_option("--design-only", o->design_dir,
                  "write this design point's RTL parameters (params.json) and ROM images to the "
                  "folder and stop (for synthesis, scripts/synth_rtl.py)");
  sub->add_flag("--quiet", o->quiet, "print the agreement table only on disagreement");
  return [o] { return verify(*o); };
}

}  // namespace sparrow
