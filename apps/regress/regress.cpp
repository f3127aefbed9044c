#include "regress/regress.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "common/child_process.h"
#include "common/error.h"
#include "common/file_util.h"
#include "common/json_text.h"
#include "compress/compressor.h"
#include "engines/engine.h"
#include "golden/lstm_fixed.h"
#include "io/npy.h"
#include "pipeline/run_case.h"
#include "regress/random_case.h"
#include "report/run_report.h"

namespace sparrow {
namespace {

using Clock = std::chrono::steady_clock;

std::string shell_quoted(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_-./=:,+") == std::string::npos)
    return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string command_line(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "" : " ") + shell_quoted(a);
  return s;
}

struct Golden {
  RawMatrix outputs;  // sequences stacked
  int64_t contract_cycles = 0;
  int sequences = 1;
};

Golden golden_of(const RandomCase& c) {
  const ArchConfig arch = c.load_arch();
  const WorkloadConfig wl = c.load_workload();
  const PreparedCase p = prepare_case(arch, wl, {"", false});
  return {p.golden.outputs, AnalyticEngine().run({p.model, arch, wl, p.quantized}).activity->cycles,
          wl.sequences};
}

// What is wrong with one engine's run of a case; empty if it agrees with golden and the contract.
std::string check_engine(const RegressOptions& o, const RandomCase& c, const Golden& g,
                         const std::string& engine, const std::string& dir) {
  std::vector<std::string> args = {o.self_exe, "run", "--engine", engine};
  for (const auto& a : c.run_args()) args.push_back(a);
  if (engine == "rtl")
    for (const auto& p : c.rtl_params) args.insert(args.end(), {"--rtl-param", p});
  args.insert(args.end(), {"--out", dir, "--quiet"});
  std::filesystem::create_directories(dir);
  const std::string log = dir + "/run.log";
  const ChildResult r = run_child(args, log, o.case_timeout_s);
  if (!r.ok() && !(r.status == ChildResult::Status::kExited && r.code == 3))
    return r.describe(o.case_timeout_s) + ": " + last_line(log);
  std::string problem;
  try {
    const NpyArray out = read_npy(dir + "/outputs_raw_" + engine + ".npy");
    const std::vector<int64_t> v = out.to_int64();
    const Eigen::Index rows = g.outputs.rows(), cols = g.outputs.cols();
    if (out.shape != std::vector<size_t>{size_t(rows), size_t(cols)} &&
        out.shape !=
            std::vector<size_t>{size_t(g.sequences), size_t(rows / g.sequences), size_t(cols)}) {
      problem = "outputs of the wrong shape";
    } else {
      for (Eigen::Index i = 0; i < rows * cols && problem.empty(); ++i)
        if (v[size_t(i)] != g.outputs(i / cols, i % cols))
          problem = "output [t=" + std::to_string(i / cols) + ", " + std::to_string(i % cols) +
                    "] is " + std::to_string(v[size_t(i)]) + ", golden " +
                    std::to_string(g.outputs(i / cols, i % cols));
    }
    const RunReport report = read_run_report(dir + "/report.json");
    if (!report.performance) throw std::runtime_error("its report has no performance section");
    const int64_t cycles = report.performance->cycles;
    if (cycles != g.contract_cycles)
      problem += std::string(problem.empty() ? "" : "; ") + std::to_string(cycles) +
                 " cycles, the timing contract " + std::to_string(g.contract_cycles);
  } catch (const std::exception& e) {
    problem = std::string("no readable result (") + e.what() + ")";
  }
  if (problem.empty() && !r.ok()) problem = r.describe(o.case_timeout_s) + ": " + last_line(log);
  return problem;
}

// One case through golden and each engine: what each engine got wrong ("golden" if the case
// itself failed); the case's folder is removed when all agree (unless --keep).
std::vector<std::pair<std::string, std::string>> run_case(const RegressOptions& o,
                                                          const RandomCase& c,
                                                          const std::string& case_dir) {
  std::vector<std::pair<std::string, std::string>> problems;  // engine, what
  try {
    const Golden g = golden_of(c);
    for (const auto& e : o.engines) {
      const std::string p = check_engine(o, c, g, e, case_dir + "/" + e);
      if (!p.empty()) problems.emplace_back(e, p);
    }
  } catch (const std::exception& e) {
    problems.emplace_back("golden", e.what());
  }
  std::error_code ignored;  // a case folder left behind is harmless
  if (problems.empty() && !o.keep) std::filesystem::remove_all(case_dir, ignored);
  return problems;
}

// A mismatch's lines on stdout (how to reproduce it) and its entry in regress.json.
nlohmann::json report_mismatch(const RegressOptions& o, const RandomCase& c, int64_t k,
                               const std::string& engines, const std::string& engine,
                               const std::string& what, const std::string& case_dir) {
  std::vector<std::string> run = {o.self_exe, "run", "--engine",
                                  engine == "golden" ? "golden" : engine};
  for (const auto& a : c.run_args()) run.push_back(a);
  if (engine == "rtl")
    for (const auto& p : c.rtl_params) run.insert(run.end(), {"--rtl-param", p});
  const std::string again = o.self_exe + " regress --seed " + std::to_string(o.seed) + " --case " +
                            std::to_string(k) + " --engines " + engines;
  std::cout << "MISMATCH case " << k << " (" << c.summary() << "): " << engine << ": " << what
            << "\n  reproduce: " << again << "\n  or: " << command_line(run)
            << "\n  files: " << case_dir << "\n"
            << std::flush;
  return {{"case", k},
          {"engine", engine},
          {"problem", what},
          {"reproduce", again},
          {"run", command_line(run)}};
}

}  // namespace

const std::vector<std::string>& regress_engines() {
  static const std::vector<std::string> e = {"systemc", "rtl"};
  return e;
}

int run_regress(const RegressOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec || !std::filesystem::is_directory(o.out))
    throw_input_error(o.out, "--out", "a folder that cannot be created", "a writable folder");
  const CaseScope scope = !std::count(o.engines.begin(), o.engines.end(), "rtl") ? CaseScope::kAll
                          : o.reference_capacity ? CaseScope::kRtlReference
                                                 : CaseScope::kRtl;
  std::string engines;
  for (const auto& e : o.engines) engines += (engines.empty() ? "" : ",") + e;
  std::cout << "regress: seed " << o.seed << ", cases " << o.first << ".." << o.first + o.cases - 1
            << (scope == CaseScope::kRtl ? " of the RTL's stream"
                : scope == CaseScope::kRtlReference
                    ? " of the RTL's stream at the reference capacity"
                    : "")
            << ", golden vs " << engines << ", " << o.jobs << " jobs\n"
            << std::flush;
  std::mutex mu;
  std::atomic<int64_t> next{0}, done{0};
  nlohmann::json failures = nlohmann::json::array();
  const auto t0 = Clock::now();
  auto worker = [&] {
    for (int64_t i; (i = next++) < o.cases;) {
      const int64_t k = o.first + i;
      const RandomCase c = random_case(o.source_dir, o.seed, k, scope);
      const std::string case_dir = o.out + "/case-" + std::to_string(k);
      const auto problems = run_case(o, c, case_dir);
      const std::lock_guard<std::mutex> lock(mu);
      ++done;
      for (const auto& [engine, what] : problems)
        failures.push_back(report_mismatch(o, c, k, engines, engine, what, case_dir));
      if (o.cases >= 20 && done % (o.cases / 10) == 0)
        std::cout << "regress: " << done << "/" << o.cases << " cases, " << failures.size()
                  << " mismatches, "
                  << int(std::chrono::duration<double>(Clock::now() - t0).count()) << " s\n"
                  << std::flush;
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < std::max(1, o.jobs); ++j) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  const nlohmann::json summary = {{"seed", o.seed},
                                  {"reference_capacity", scope == CaseScope::kRtlReference},
                                  {"first", o.first},
                                  {"cases", o.cases},
                                  {"engines", o.engines},
                                  {"jobs", o.jobs},
                                  {"seconds", seconds},
                                  {"mismatches", failures},
                                  {"passed", failures.empty()}};
  write_file_atomic(o.out + "/regress.json", json_text(summary, 2) + "\n");
  std::ostringstream os;
  os.precision(3);
  os << "regress: seed " << o.seed << ": " << o.cases << " cases, golden vs " << engines << ": "
     << failures.size() << " mismatches in " << seconds << " s (" << o.out << "/regress.json)\n";
  std::cout << os.str();
  return failures.empty() ? 0 : 3;
}

}  // namespace sparrow
