#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "app/app_model.h"
#include "cli/commands.h"
#include "cli/output_dir.h"
#include "cli/overrides.h"
#include "common/error.h"
#include "common/json_text.h"
#include "compress/compressor.h"
#include "energy/resources.h"
#include "engines/engines.h"
#include "pipeline/run_case.h"
#include "report/run_report.h"

namespace sparrow {
namespace {

struct AppOptions {
  std::string app;
  std::string arch;
  ConfigOverrides set;
  std::string energy = SPARROW_DEFAULT_ENERGY_TABLE;
  std::string engine = "systemc";
  std::string test;
  int64_t limit = 0;
  int64_t systemc_examples = 0;
  int batch = 1;
  int64_t watchdog_cycles = int64_t{1} << 40;
  std::string out;
  bool quiet = false;
};

nlohmann::json metric_json(const TaskMetric& metric, AppTask task) {
  if (task == AppTask::kSentiment)
    return {
        {"examples", metric.examples}, {"correct", metric.correct}, {"accuracy", metric.accuracy}};
  if (task == AppTask::kWordLm)
    return {{"predictions", metric.examples},
            {"bits_per_word", metric.bits_per_word},
            {"perplexity", metric.perplexity}};
  return {{"predictions", metric.examples},
          {"bits_per_char", metric.bits_per_char},
          {"perplexity", metric.perplexity}};
}

std::string metric_text(const TaskMetric& metric, AppTask task) {
  std::ostringstream os;
  os << std::fixed;
  if (task == AppTask::kSentiment)
    os << std::setprecision(4) << metric.accuracy << " (" << metric.correct << "/"
       << metric.examples << ")";
  else if (task == AppTask::kWordLm)
    os << std::setprecision(3) << metric.perplexity << " (" << std::setprecision(4)
       << metric.bits_per_word << " bits per word, " << metric.examples << " words)";
  else
    os << std::setprecision(4) << metric.bits_per_char << " (perplexity " << std::setprecision(3)
       << metric.perplexity << ", " << metric.examples << " characters)";
  return os.str();
}

// Stacks the examples' output sequences, for the error statistics of the whole test set.
Eigen::MatrixXd stack(const std::vector<Eigen::MatrixXd>& parts) {
  Eigen::Index rows = 0;
  for (const auto& p : parts) rows += p.rows();
  Eigen::MatrixXd s(rows, parts.empty() ? 0 : parts[0].cols());
  rows = 0;
  for (const auto& p : parts) {
    s.middleRows(rows, p.rows()) = p;
    rows += p.rows();
  }
  return s;
}

// The examples' outputs through the golden models: float, float pruned, and bit-exact fixed
// point (also raw, to check SystemC's against).
struct GoldenOutputs {
  std::vector<Eigen::MatrixXd> float_dense, float_pruned, fixed;
  std::vector<RawMatrix> raw_fixed;
};

GoldenOutputs golden_outputs(const AppModel& model, const CompressedModel& cm,
                             const ArchConfig& arch, const std::vector<AppExample>& examples) {
  GoldenOutputs g;
  g.float_dense = run_float(model, model.lstm, examples);
  // An exported pruned model is usually what sparrow's pruning keeps: then the outputs are equal.
  bool unchanged = true;
  for (size_t d = 0; d < cm.pruned.dirs.size(); ++d)
    unchanged = unchanged && cm.pruned.dirs[d].w_ih == model.lstm.dirs[d].w_ih &&
                cm.pruned.dirs[d].w_hh == model.lstm.dirs[d].w_hh;
  g.float_pruned = unchanged ? g.float_dense : run_float(model, cm.pruned, examples);
  g.fixed = run_fixed(model, cm, arch, examples, &g.raw_fixed);
  return g;
}

// The engine on the session: SystemC reads the inputs of its `n_inputs` examples; the analytic
// engine's cycles do not depend on them, so it gets none.
EngineResult run_session(const AppOptions& o, const CompressedModel& cm, const ArchConfig& arch,
                         const WorkloadConfig& session, const AppModel& model,
                         const std::vector<AppExample>& examples, size_t n_inputs) {
  if (o.engine == "systemc" && n_inputs == 0) return EngineResult{};
  RawMatrix xq(Eigen::Index(n_inputs) * session.seq_len, session.input_size);
  for (size_t i = 0; i < n_inputs; ++i)
    xq.middleRows(Eigen::Index(i) * session.seq_len, session.seq_len) =
        quantize_inputs(embed(examples[i], model.embedding), arch.arith.act);
  EngineOptions eo;
  eo.watchdog_cycles = o.watchdog_cycles;
  eo.systemc_in_child = true;
  return make_engine(o.engine, eo)->run({cm, arch, session, xq});
}

// The task metric of each path: the golden models on every example, PyTorch's at export (the
// app's own test set, whole), SystemC and golden on the examples SystemC ran.
struct AppScores {
  TaskMetric float_dense, float_pruned, fixed;
  std::optional<TaskMetric> torch, systemc, fixed_on_systemc;
};

AppScores scores_of(const AppConfig& cfg, const AppOptions& o, const AppModel& model,
                    const std::vector<AppExample>& examples, const GoldenOutputs& g,
                    const std::vector<Eigen::MatrixXd>& out_sc) {
  AppScores s;
  s.float_dense = score(model, examples, g.float_dense);
  s.float_pruned = score(model, examples, g.float_pruned);
  s.fixed = score(model, examples, g.fixed);
  if (o.test.empty() && o.limit == 0) s.torch = cfg.torch;
  if (!out_sc.empty()) {
    const long n_sc = long(out_sc.size());
    const std::vector<AppExample> first(examples.begin(), examples.begin() + n_sc);
    const std::vector<Eigen::MatrixXd> fixed_first(g.fixed.begin(), g.fixed.begin() + n_sc);
    s.systemc = score(model, first, out_sc);
    s.fixed_on_systemc = score(model, first, fixed_first);
  }
  return s;
}

// The report's `task` section (docs/apps.md).
nlohmann::json task_section(const AppConfig& cfg, const std::string& test, size_t n, size_t n_sc,
                            const AppScores& s) {
  nlohmann::json task;
  task["name"] = cfg.name;
  task["task"] = to_string(cfg.task);
  task["app"] = cfg.file;
  task["test"] = test;
  task["examples"] = n;
  task["seq_len"] = cfg.seq_len;
  task["float"] = metric_json(s.float_dense, cfg.task);
  task["float_pruned"] = metric_json(s.float_pruned, cfg.task);
  task["fixed"] = metric_json(s.fixed, cfg.task);
  if (s.torch) task["torch_float64"] = metric_json(*s.torch, cfg.task);
  if (s.systemc) {
    task["systemc"] = metric_json(*s.systemc, cfg.task);
    task["systemc"]["examples_run"] = n_sc;
    task["fixed_on_systemc_examples"] = metric_json(*s.fixed_on_systemc, cfg.task);
  }
  return task;
}

void print_summary(const AppConfig& cfg, const std::string& test, size_t n, size_t n_sc,
                   const RunReport& report, const AppScores& scores, const std::string& out_dir) {
  const bool sentiment = cfg.task == AppTask::kSentiment;
  std::cout << "sparrow app " << cfg.name << ": " << n << (sentiment ? " sentences" : " windows")
            << " of " << test << ", " << cfg.seq_len
            << " steps per inference, the inferences one session on the weights loaded once"
            << (sentiment ? " (padded; the host reads h at each sentence's last token)" : "")
            << "\n"
            << summarize(report);
  const std::string what = sentiment                      ? "accuracy"
                           : cfg.task == AppTask::kCharLm ? "bits per character"
                                                          : "perplexity";
  std::cout << "  task         " << to_string(cfg.task) << " " << what << " on " << n
            << " held-out " << (sentiment ? "sentences" : "windows") << "\n";
  auto line = [&](const std::string& label, const TaskMetric& m) {
    std::cout << "    " << std::left << std::setw(34) << label << std::right
              << metric_text(m, cfg.task) << "\n";
  };
  if (scores.torch) line("PyTorch float64 (at export)", *scores.torch);
  line("golden float", scores.float_dense);
  line("golden fixed point (bit-exact)", scores.fixed);
  if (scores.systemc)
    line("SystemC (" + std::to_string(n_sc) + " of " + std::to_string(n) + ", bit-exact)",
         *scores.systemc);
  std::cout << "  report       " << out_dir << "/report.json\n";
}

int run_app(const AppOptions& o) {
  ConfigOverrides set = o.set;
  split_overrides(set);
  const AppConfig cfg = load_app_config(o.app, set.workload);
  const ArchConfig arch = load_arch_config(o.arch.empty() ? cfg.arch : o.arch, set.arch);
  const EnergyTable energy = load_energy_table(o.energy, set.energy);
  const AppModel model = load_app_model(cfg);
  const WorkloadConfig wl = cfg.workload();
  const std::string test = o.test.empty() ? cfg.test : o.test;
  std::vector<AppExample> examples = load_test_examples(test, cfg, model.vocab);
  if (o.limit > 0 && size_t(o.limit) < examples.size()) examples.resize(size_t(o.limit));
  const size_t n = examples.size();
  const size_t n_sc = o.engine != "systemc"    ? 0
                      : o.systemc_examples > 0 ? std::min(n, size_t(o.systemc_examples))
                                               : n;

  // The host: embedding lookup (pre-processing), the LSTM on each engine, the decoder
  // (post-processing) on the outputs.
  const CompressedModel cm = compress_model(model.lstm, arch);
  const GoldenOutputs g = golden_outputs(model, cm, arch, examples);
  // The hardware runs the examples as one session (docs/timing.md, "Sessions"): the weights
  // loaded once, then one inference (or one batch of --batch inferences) after another; SystemC
  // runs the first n_sc, the analytic engine all of them.
  WorkloadConfig session = wl;
  session.sequences = int(o.engine == "systemc" ? n_sc : n);
  session.batch = o.batch;
  if (session.sequences % o.batch != 0)
    throw_input_error(
        "command line", "--batch", "'" + std::to_string(o.batch) + "'",
        "a divisor of the " + std::to_string(session.sequences) + " inferences of the session");
  const EngineResult e = run_session(o, cm, arch, session, model, examples, n_sc);
  bool match = true;
  std::vector<Eigen::MatrixXd> out_sc;
  for (size_t i = 0; e.outputs && i < n_sc; ++i) {
    const RawMatrix y = e.outputs->middleRows(Eigen::Index(i) * wl.seq_len, wl.seq_len);
    match = match && bit_exact(y, g.raw_fixed[i]);
    out_sc.push_back(y.cast<double>() * arch.arith.act.lsb());
  }
  RunReport r =
      design_report(e.activity, arch, session, cm, energy, estimate_resources(arch, wl, cm));
  r.engine = o.engine;
  if (o.engine == "systemc") {
    r.outputs_match_golden = match;
    if (r.performance)
      r.performance->contract_cycles =
          e.contract && e.disagreement.empty() ? e.contract->cycles : -1;
  }
  const Eigen::MatrixXd all_fixed = stack(g.fixed), all_pruned = stack(g.float_pruned);
  r.accuracy["fixed_vs_float_pruned"] = compare_outputs(all_fixed, all_pruned);
  r.accuracy["float_pruned_vs_float"] = compare_outputs(all_pruned, stack(g.float_dense));
  const AppScores scores = scores_of(cfg, o, model, examples, g, out_sc);
  nlohmann::json report = to_json(r);
  report["task"] = task_section(cfg, test, n, n_sc, scores);

  const std::string out_dir = o.out.empty() ? "out/app/" + cfg.name : o.out;
  OutputDir dir(out_dir);
  dir.add("report.json", json_text(report, 2) + "\n");
  dir.commit();
  if (!o.quiet) print_summary(cfg, test, n, n_sc, r, scores, out_dir);
  if (!match || !e.disagreement.empty()) {
    std::cerr << "sparrow: error: the SystemC model disagrees with "
              << (match ? e.disagreement : "the golden model's outputs") << " (see " << out_dir
              << "/report.json)\n";
    return 3;
  }
  return 0;
}

}  // namespace

Command add_app_command(CLI::App& app) {
  auto o = std::make_shared<AppOptions>();
  CLI::App* sub = app.add_subcommand(
      "app",
      "Run a host application on its held-out data: CPU pre-processing (tokens, embedding), the "
      "LSTM on the accelerator, CPU post-processing (decoder, softmax); task accuracy and "
      "hardware figures");
  sub->add_option("APP", o->app, "application (configs/apps/*/app.yaml)")->required();
  sub->add_option("--arch", o->arch, "architecture config (default: the app's arch.yaml)");
  sub->add_option("--engine", o->engine,
                  "systemc: every example (or --systemc-examples N) through the SystemC model, "
                  "checked against golden; analytic: hardware figures from the timing contract; "
                  "golden: accuracy only")
      ->check(CLI::IsMember({"systemc", "analytic", "golden"}))
      ->capture_default_str();
  add_set_option(sub, o->set);
  sub->add_option("--energy", o->energy, "energy table")->capture_default_str();
  sub->add_option("--test", o->test,
                  "held-out data of the app's format (default: the app's test file)");
  sub->add_option("--limit", o->limit, "only the first N examples (0: all)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  sub->add_option("--systemc-examples", o->systemc_examples,
                  "systemc: only the first N examples through SystemC (0: all); golden runs all")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  sub->add_option("--batch", o->batch,
                  "inferences processed together, their steps interleaved (docs/timing.md, "
                  "\"Batches\"); a divisor of the session's inferences")
      ->check(CLI::Range(1, kMaxBatch));
  sub->add_option("--watchdog-cycles", o->watchdog_cycles,
                  "systemc: stop with an error if an inference has not finished by this cycle")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 50));
  sub->add_option("--out", o->out, "folder for report.json (default out/app/NAME)");
  sub->add_flag("--quiet", o->quiet, "no summary on stdout");
  return [o] { return run_app(*o); };
}

}  // namespace sparrow
