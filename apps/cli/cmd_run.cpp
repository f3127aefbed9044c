#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/output_dir.h"
#include "cli/overrides.h"
#include "common/error.h"
#include "common/json_text.h"
#include "compress/compressor.h"
#include "energy/energy_model.h"
#include "energy/resources.h"
#include "energy/synthesis.h"
#include "engines/engines.h"
#include "engines/rtl_host.h"
#include "golden/lstm_fixed.h"
#include "io/npy.h"
#include "pipeline/run_case.h"
#include "report/run_report.h"

namespace sparrow {
namespace {

struct RunOptions {
  std::string arch;
  ConfigOverrides set;
  std::string energy = SPARROW_DEFAULT_ENERGY_TABLE;
  std::string workload;
  std::string engine = "systemc";
  int64_t watchdog_cycles = int64_t{1} << 40;
  std::string out = "out/run";
  bool quiet = false;
  std::string trace_json;
  std::string vcd;
  std::vector<std::string> rtl_params;
  std::string model_cache;  // a folder of compressed models (sweeps)
  std::string synthesis = SPARROW_SOURCE_DIR "/configs/synthesis";
  bool no_float = false;  // skip the float references
};

// The synthesized resources when the RTL has been synthesized with this design point's parameter
// set (docs/synthesis.md), else the analytic estimate (docs/energy.md, "Resources"), which the
// synthesized figures carry beside them.
ResourceReport run_resources(const ArchConfig& arch, const WorkloadConfig& wl,
                             const CompressedModel& cm, const std::string& synthesis_dir) {
  ResourceReport estimate = estimate_resources(arch, wl, cm);
  if (synthesis_dir.empty()) return estimate;
  std::map<std::string, int64_t> params;
  try {
    for (const auto& [name, value] : rtl_design(cm, arch, wl).params) params[name] = value;
  } catch (const InputError&) {
    return estimate;  // outside the RTL's scope: it has no synthesis
  }
  std::optional<ResourceReport> synthesized =
      synthesized_resources(synthesis_dir, params, arch.name);
  if (!synthesized) return estimate;
  synthesized->analytic = std::make_shared<const ResourceReport>(std::move(estimate));
  return *synthesized;
}

// The outputs' shape: (seq_len, size), or (sequences, seq_len, size) for a session.
std::vector<size_t> output_shape(Eigen::Index rows, Eigen::Index cols, int sequences) {
  if (sequences == 1) return {size_t(rows), size_t(cols)};
  return {size_t(sequences), size_t(rows / sequences), size_t(cols)};
}

NpyArray matrix_npy(const Eigen::MatrixXd& m, int sequences) {
  std::vector<double> v(size_t(m.size()));
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) v[size_t(i * m.cols() + j)] = m(i, j);
  return NpyArray::from_double(output_shape(m.rows(), m.cols(), sequences), v);
}

NpyArray raw_npy(const RawMatrix& m, int sequences) {
  std::vector<int32_t> v(size_t(m.size()));
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) v[size_t(i * m.cols() + j)] = int32_t(m(i, j));
  return NpyArray::from_int32(output_shape(m.rows(), m.cols(), sequences), v);
}

// The command line's combinations: traces with SystemC only, --rtl-param with the RTL only, and
// no output file that would overwrite another.
void check_run_options(const RunOptions& o) {
  const bool tracing = !o.trace_json.empty() || !o.vcd.empty();
  if (tracing && o.engine != "systemc")
    throw_input_error("command line", o.trace_json.empty() ? "--vcd" : "--trace-json",
                      "--engine " + o.engine, "--engine systemc");
  if (!o.rtl_params.empty() && o.engine != "rtl")
    throw_input_error("command line", "--rtl-param", "--engine " + o.engine, "--engine rtl");
  std::vector<std::pair<std::string, std::string>> elsewhere;
  if (!o.trace_json.empty()) elsewhere.emplace_back("--trace-json", o.trace_json);
  if (!o.vcd.empty()) elsewhere.emplace_back("--vcd", o.vcd);
  check_output_paths(o.out, elsewhere,
                     {"report.json", "outputs.npy", "outputs_raw.npy", "outputs_float.npy",
                      "outputs_float_dense.npy", "outputs_raw_" + o.engine + ".npy"});
}

// The output sequences: golden's (real and raw), the engine's own, the float references.
void add_outputs(OutputDir& dir, const RunOptions& o, const PreparedCase& c,
                 const EngineResult& result, int n) {
  dir.add("outputs.npy", serialize_npy(matrix_npy(c.outputs, n)));
  dir.add("outputs_raw.npy", serialize_npy(raw_npy(c.golden.outputs, n)));
  if (result.outputs)
    dir.add("outputs_raw_" + o.engine + ".npy", serialize_npy(raw_npy(*result.outputs, n)));
  if (!o.no_float) {
    dir.add("outputs_float.npy", serialize_npy(matrix_npy(c.float_pruned, n)));
    dir.add("outputs_float_dense.npy", serialize_npy(matrix_npy(c.float_dense, n)));
  }
}

// What the run measured beside the design's figures: the engine's section and time, the checks,
// the accuracy of the fixed-point numbers against the float references, the model cache.
void add_run_sections(RunReport& report, const RunOptions& o, const PreparedCase& c,
                      const EngineResult& result) {
  report.engine = o.engine;
  if (o.engine != "golden") report.wall_seconds[o.engine] = result.seconds;
  if (report.performance) report.performance->contract_cycles = result.contract_cycles();
  report.rtl = result.rtl;
  if (result.outputs) report.outputs_match_golden = bit_exact(*result.outputs, c.golden.outputs);
  report.ops.mac_slots = c.golden.mac_slots;
  if (!o.no_float) {
    report.accuracy["fixed_vs_float_pruned"] = compare_outputs(c.outputs, c.float_pruned);
    report.accuracy["float_pruned_vs_float_dense"] = compare_outputs(c.float_pruned, c.float_dense);
    report.accuracy["fixed_vs_float_dense"] = compare_outputs(c.outputs, c.float_dense);
    report.wall_seconds["golden_float"] = c.float_seconds;
  }
  if (!o.model_cache.empty())
    report.model_cache = ModelCacheUse{c.cache_model, c.cache_golden_hit ? "hit" : "miss"};
  report.wall_seconds["compress"] = c.compress_seconds;
  report.wall_seconds["golden_fixed"] = c.fixed_seconds;
}

int run(const RunOptions& o) {
  check_run_options(o);
  ConfigOverrides set = o.set;
  split_overrides(set);
  const ArchConfig arch = load_arch_config(o.arch, set.arch);
  const WorkloadConfig wl = load_workload_config(o.workload, set.workload);
  const EnergyTable energy = load_energy_table(o.energy, set.energy);
  const PreparedCase c = prepare_case(arch, wl, {o.model_cache, !o.no_float});

  TraceRecorder trace;
  EngineOptions eo;
  eo.watchdog_cycles = o.watchdog_cycles;
  eo.trace = o.trace_json.empty() && o.vcd.empty() ? nullptr : &trace;
  eo.rtl_floors = parse_rtl_params(o.rtl_params);
  const EngineResult e = make_engine(o.engine, eo)->run({c.model, arch, wl, c.quantized});
  if (!e.unfinished.empty()) throw std::runtime_error("the RTL did not finish: " + e.unfinished);
  const std::string disagrees = disagreement(e, c.golden.outputs);

  RunReport r = design_report(e.activity, arch, wl, c.model, energy,
                              run_resources(arch, wl, c.model, o.synthesis));
  add_run_sections(r, o, c, e);
  OutputDir dir(o.out);
  add_outputs(dir, o, c, e, wl.sequences);
  // The output sequences written beside the report.
  r.outputs =
      OutputFiles{o.out, dir.names(), {c.outputs.rows(), c.outputs.cols()}, arch.arith.act.str()};
  dir.add("report.json", json_text(to_json(r), 2) + "\n");
  if (!o.trace_json.empty()) dir.add_elsewhere("--trace-json", o.trace_json, trace.perfetto_json());
  if (!o.vcd.empty()) dir.add_elsewhere("--vcd", o.vcd, trace.vcd());
  dir.commit();
  if (!o.quiet) std::cout << summarize(r);
  if (!disagrees.empty()) {
    std::cerr << "sparrow: error: the " << (o.engine == "rtl" ? "RTL" : "SystemC model")
              << " disagrees with " << disagrees << " (see " << o.out << "/report.json)\n";
    return 3;
  }
  return 0;
}

}  // namespace

Command add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* sub = app.add_subcommand(
      "run", "Run a workload on an architecture: compress, execute, check, report");
  sub->add_option("--arch", o->arch, "architecture config (configs/arch/*.yaml)")->required();
  sub->add_option("--workload", o->workload, "workload config (configs/workloads/*.yaml)")
      ->required();
  sub->add_option("--engine", o->engine,
                  "systemc: the cycle-accurate SystemC/TLM-2.0 model, checked against golden; "
                  "analytic: the timing contract in closed form (docs/timing.md); "
                  "rtl: the hand-written RTL under Verilator (built on demand, cached), checked "
                  "against golden and the contract; "
                  "golden: the float reference and the bit-exact fixed-point model only")
      ->check(CLI::IsMember(engine_names()))
      ->capture_default_str();
  add_set_option(sub, o->set);
  sub->add_option("--energy", o->energy,
                  "energy table (configs/energy/*.yaml, or your own of the same schema)")
      ->capture_default_str();
  sub->add_option("--out", o->out, "folder for report.json and the output sequences (.npy)")
      ->capture_default_str();
  sub->add_flag("--quiet", o->quiet, "no summary on stdout");
  sub->add_option("--trace-json", o->trace_json,
                  "systemc: write a timeline of the units' activity (Chrome/Perfetto JSON: "
                  "ui.perfetto.dev, chrome://tracing; 1 cycle = 1 ns)");
  sub->add_option("--vcd", o->vcd,
                  "systemc: write the units' busy signals, the done interrupt and counters as a "
                  "VCD (GTKWave; 1 cycle = 1 ns)");
  sub->add_option("--watchdog-cycles", o->watchdog_cycles,
                  "systemc: stop with an error if the run has not finished by this cycle")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 50))
      ->capture_default_str();
  sub->add_option("--rtl-param", o->rtl_params, std::string("rtl: ") + kRtlParamHelp);
  sub->add_option("--model-cache", o->model_cache,
                  "a cache folder (sweeps): the compressed model and the golden model's outputs "
                  "are read from it when it holds them for the same keys, else stored there "
                  "(docs/sweeps.md)");
  sub->add_option("--synthesis", o->synthesis,
                  "folder of the RTL's synthesis records (docs/synthesis.md): a design point "
                  "whose RTL parameters equal a record's reports its synthesized resources, "
                  "others the analytic estimate; an empty value always estimates")
      ->capture_default_str();
  sub->add_flag("--no-float", o->no_float,
                "skip the float references (no accuracy section, no outputs_float*.npy); the "
                "outputs are still checked against the bit-exact golden model");
  return [o] { return run(*o); };
}

}  // namespace sparrow
