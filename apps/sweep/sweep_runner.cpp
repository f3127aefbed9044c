#include "sweep/sweep_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_set>

#include "app/task_eval.h"
#include "common/child_process.h"
#include "common/error.h"
#include "common/file_util.h"
#include "common/json_text.h"
#include "compress/bank_use.h"
#include "compress/compressor.h"
#include "compress/model_cache.h"
#include "energy/energy_model.h"
#include "energy/resources.h"
#include "engines/engine.h"
#include "report/run_report.h"
#include "sweep/sweep_results.h"
#include "sweep/sweep_spec.h"

namespace sparrow {
namespace {

using Clock = std::chrono::steady_clock;

Overrides overrides_of(const DesignPoint& p, const std::string& which) {
  Overrides o;
  for (const auto& [k, v] : p.settings)
    if (k.compare(0, which.size() + 1, which + ".") == 0)
      o.emplace_back(k.substr(which.size() + 1), v);
  return o;
}

}  // namespace

nlohmann::json sweep_metrics_of_report(const RunReport& report, const std::string& where) {
  if (!report.performance)
    throw_input_error(where, "performance", "nothing", "the figures of a cycle-level run");
  if (!report.energy)
    throw_input_error(where, "energy", "nothing", "the figures of a cycle-level run");
  const Performance& p = *report.performance;
  const EnergyReport& e = *report.energy;
  // A session's throughput: its steady state's from two batches on, else its sequences over its
  // latency (docs/timing.md, "Sessions", "Batches").
  const SessionFigures& s = p.session;
  const double throughput =
      s.steady ? s.steady->sequences_per_second : double(s.sequences) / (p.latency_us * 1e-6);
  const Resources& res = report.resources.total;
  if (p.arrays.empty())
    throw_input_error(where, "performance.arrays.0.mac_utilization", "nothing", "a number");
  struct Metric {
    const char* name;
    const char* path;  // in report.json
    nlohmann::json value;
  };
  const Metric metrics[] = {
      {"cycles", "performance.cycles", p.cycles},
      {"latency_us", "performance.latency_us", p.latency_us},
      {"gops", "performance.gops", p.gops},
      {"effective_gops", "performance.effective_gops", p.effective_gops},
      {"weights_on_chip", "performance.weights_on_chip", p.weights_on_chip ? 1 : 0},
      {"banks_hold_a_pass", "compression.banks.holds_a_pass",
       report.compression.banks.holds_a_pass() ? 1 : 0},
      {"first_latency_us", "performance.session.first_sequence_cycles",
       double(s.first_sequence_cycles) / p.clock_mhz},
      {"sequences_per_second", "performance.session.sequences_per_second", throughput},
      {"mac_utilization_wx", "performance.arrays.0.mac_utilization",
       p.arrays.front().mac_utilization},
      {"mac_utilization_wh", "performance.arrays.1.mac_utilization",
       p.arrays.back().mac_utilization},
      {"power_mw", "energy.power_mw", e.power_mw},
      {"energy_uj", "energy.energy_per_inference_uj", e.per_inference_uj},
      {"gops_per_watt", "energy.gops_per_watt", e.gops_per_watt},
      {"effective_gops_per_watt", "energy.effective_gops_per_watt", e.effective_gops_per_watt},
      {"dsp", "resources.total.dsp", res.dsp},
      {"bram36", "resources.total.bram36", res.bram36},
      {"lut", "resources.total.lut", res.lut},
      {"ff", "resources.total.ff", res.ff}};
  nlohmann::json m = nlohmann::json::object();
  for (const Metric& x : metrics) {
    const double v = x.value.get<double>();
    if (!std::isfinite(v)) {
      const bool per_watt = std::string(x.name).find("per_watt") != std::string::npos;
      const std::string why =
          per_watt && e.power_mw == 0
              ? " (power_mw is 0: the energy table gives this point no energy, so per-watt "
                "figures are undefined)"
              : "";
      throw_input_error(where, x.path, std::to_string(v) + why, "a finite number");
    }
    m[x.name] = x.value;
  }
  return m;
}

namespace {

// The task metrics of a point (docs/sweeps.md): sentiment accuracy in percent, bits per
// character or the word LM's perplexity, and the difference to the app's model in float.
nlohmann::json task_metrics_of(TaskEvaluator& task, const ArchConfig& arch) {
  const AppTask kind = task.config().task;
  const std::vector<std::string> names = task_metrics(kind);
  const double v = task_figure(task.evaluate(arch), kind);
  const double r = task_figure(task.reference(), kind);
  return {{names[0], v}, {names[1], v - r}};
}

nlohmann::json analytic_point(const SweepSpec& spec, const DesignPoint& p, TaskEvaluator* task) {
  const ArchConfig arch = load_arch_config(spec.arch, overrides_of(p, "arch"));
  // With a task, the workload is the app's LSTM.
  const WorkloadConfig w = task ? task->config().workload()
                                : load_workload_config(p.workload, overrides_of(p, "workload"));
  const EnergyTable table = load_energy_table(spec.energy, overrides_of(p, "energy"));
  const CompressedModel m = arch.compression.pattern == PruningPattern::kUnstructured
                                ? compress_model(make_lstm_weights(w), arch)
                                : compress_geometry(w, arch);
  const Activity a = *AnalyticEngine().run({m, arch, w, RawMatrix()}).activity;
  RunReport report;
  report.compression.banks = bank_use(m.dirs, arch);
  report.resources = estimate_resources(arch, w, m);
  report.ops.counts = count_ops(m, w);
  add_hardware_figures(report, a, arch, w, m, table);
  nlohmann::json metrics = sweep_metrics_of_report(report, "the analytic run");
  if (task) metrics.update(task_metrics_of(*task, arch));
  return metrics;
}

// One SystemC point in a child process: `sparrow run --engine systemc ...`, sharing the sweep's
// compressed-model cache and without the float references (unless --cold).
nlohmann::json systemc_point(const SweepOptions& o, const SweepSpec& spec, const DesignPoint& p,
                             std::string& status, std::string& error) {
  const std::string dir = o.out + "/points/" + p.key;
  std::filesystem::create_directories(dir);
  std::vector<std::string> args = {o.self_exe, "run",        "--engine", "systemc",  "--arch",
                                   spec.arch,  "--workload", p.workload, "--energy", spec.energy,
                                   "--out",    dir,          "--quiet"};
  if (!o.cold) args.insert(args.end(), {"--model-cache", o.out + "/model-cache", "--no-float"});
  for (const auto& [k, v] : p.settings) {
    args.push_back("--set");
    args.push_back(k + "=" + v);
  }
  const std::string log = dir + "/run.log";
  const ChildResult child = run_child(args, log, o.point_timeout_s);
  if (!child.ok()) {
    status = child.status == ChildResult::Status::kTimeout ? "timeout" : "failed";
    error = child.describe(o.point_timeout_s);
    if (child.status == ChildResult::Status::kExited) error += ": " + last_line(log);
    return nullptr;
  }
  // The child's report, read back as untrusted input: a malformed one fails the point.
  const std::string report_path = dir + "/report.json";
  return sweep_metrics_of_report(read_run_report(report_path), report_path);
}

// Hands the points out to the workers in order, except that points needing the same model-cache
// entry that no point has made yet do not run together: the first makes it, the others wait for
// it (and run other points meanwhile), so each pruned and encoded model is computed once.
class Scheduler {
 public:
  // keys[i]: the cache entries point i needs (none: it waits for nothing; no list at all: no
  // point waits for any).
  Scheduler(size_t n, std::vector<std::vector<std::string>> keys)
      : keys_(std::move(keys)), started_(n, false) {}

  // The next point to run, or nothing when every point has started.
  std::optional<size_t> next() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      while (first_ < started_.size() && started_[first_]) ++first_;
      if (first_ == started_.size()) return std::nullopt;
      for (size_t i = first_; i < started_.size(); ++i)
        if (!started_[i] && runnable(i)) {
          started_[i] = true;
          for (const auto& k : keys_of(i))
            if (!made_.count(k)) making_.insert(k);
          return i;
        }
      cv_.wait(lock);
    }
  }

  // Hands out nothing more (a worker failed).
  void abandon() {
    const std::lock_guard<std::mutex> lock(mu_);
    first_ = started_.size();
    std::fill(started_.begin(), started_.end(), true);
    cv_.notify_all();
  }

  void done(size_t i) {
    const std::lock_guard<std::mutex> lock(mu_);
    for (const auto& k : keys_of(i)) {
      making_.erase(k);
      made_.insert(k);
    }
    cv_.notify_all();
  }

 private:
  const std::vector<std::string>& keys_of(size_t i) const {
    static const std::vector<std::string> none;
    return keys_.empty() ? none : keys_[i];
  }
  bool runnable(size_t i) const {
    for (const auto& k : keys_of(i))
      if (making_.count(k) && !made_.count(k)) return false;
    return true;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::vector<std::string>> keys_;
  std::vector<bool> started_;
  size_t first_ = 0;
  std::set<std::string> making_, made_;
};

// The model-cache entries a SystemC point needs (by weight-file path, for grouping), or none if
// its configs do not load (the point then fails on its own).
std::vector<std::string> cache_keys(const SweepSpec& spec, const DesignPoint& p) {
  try {
    const ArchConfig arch = load_arch_config(spec.arch, overrides_of(p, "arch"));
    const WorkloadConfig w = load_workload_config(p.workload, overrides_of(p, "workload"));
    return {pruned_cache_key(w, arch, false), encoded_cache_key(w, arch, false)};
  } catch (const std::exception&) {
    return {};
  }
}

std::string csv_cell(const nlohmann::json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
  if (s.find_first_of(",\"\n") != std::string::npos) {
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  return s;
}

std::vector<std::string> csv_columns(const SweepSpec& spec) {
  std::vector<std::string> cols = {"key", "status", "workload"};
  for (const auto& v : spec.vary) cols.push_back(v.first);
  for (const auto& m : spec.task_metrics) cols.push_back(m);
  for (const auto& m : sweep_metrics()) cols.push_back(m);
  cols.push_back("error");
  return cols;
}

std::string csv_row(const nlohmann::json& r, const std::vector<std::string>& cols) {
  std::string line;
  for (size_t i = 0; i < cols.size(); ++i) {
    const std::string& c = cols[i];
    nlohmann::json v;
    if (r.contains(c))
      v = r[c];
    else if (r["settings"].contains(c))
      v = r["settings"][c];
    else if (r["metrics"].is_object() && r["metrics"].contains(c))
      v = r["metrics"][c];
    line += (i ? "," : "") + csv_cell(v);
  }
  return line + "\n";
}

std::string csv_header(const std::vector<std::string>& cols) {
  std::string line;
  for (size_t i = 0; i < cols.size(); ++i) line += (i ? "," : "") + csv_cell(cols[i]);
  return line + "\n";
}

// Rows here are checked (check_result_row): ok rows hold every metric as a finite number.
bool dominates(const nlohmann::json& a, const nlohmann::json& b, const SweepSpec& spec) {
  bool better = false;
  for (const auto& obj : spec.objectives) {
    const double x = a["metrics"][obj.metric].get<double>(),
                 y = b["metrics"][obj.metric].get<double>();
    if (obj.maximize ? x < y : x > y) return false;
    if (x != y) better = true;
  }
  return better;
}

// Which rows are on the Pareto front of their workload (ok rows that no ok row of the same
// workload dominates): each workload's rows sorted best first by the objectives, each compared
// with the front found so far only (what dominates a row comes before it), so a large sweep
// costs O(n log n + n * front) instead of O(n^2).
std::vector<bool> pareto_front(const std::vector<nlohmann::json>& rows, const SweepSpec& spec) {
  std::map<std::string, std::vector<size_t>> by_workload;
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i]["status"] == "ok") by_workload[rows[i]["workload"].get<std::string>()].push_back(i);
  std::vector<bool> on(rows.size(), false);
  for (auto& [w, idx] : by_workload) {
    std::vector<std::vector<double>> score(idx.size());
    for (size_t j = 0; j < idx.size(); ++j)
      for (const auto& obj : spec.objectives) {
        const double v = rows[idx[j]]["metrics"][obj.metric].get<double>();
        score[j].push_back(obj.maximize ? -v : v);  // smaller is better
      }
    std::vector<size_t> order(idx.size());
    for (size_t j = 0; j < order.size(); ++j) order[j] = j;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t x, size_t y) { return score[x] < score[y]; });
    std::vector<size_t> front;
    for (size_t j : order) {
      bool dominated = false;
      for (size_t f : front)
        if (dominates(rows[idx[f]], rows[idx[j]], spec)) {
          dominated = true;
          break;
        }
      if (!dominated) {
        front.push_back(j);
        on[idx[j]] = true;
      }
    }
  }
  return on;
}

// Appends whole lines with one write() each, so a kill never leaves half a line.
class Appender {
 public:
  explicit Appender(const std::string& path)
      : path_(path), fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) {
    if (fd_ < 0)
      throw_input_error(path, "", "a file that cannot be opened for appending",
                        "a writable --out folder");
  }
  ~Appender() { ::close(fd_); }
  void append(const std::string& line) {
    const ssize_t n = ::write(fd_, line.data(), line.size());
    if (n != ssize_t(line.size()))
      throw_input_error(path_, "",
                        "a results line that was not written whole (" +
                            std::string(n < 0 ? std::strerror(errno) : "a short write") + ")",
                        "a writable --out folder with free space");
  }

 private:
  std::string path_;
  int fd_;
};

// S as one word of a shell command (single quotes).
std::string shell_quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// A Slurm job array: task I runs shard I/N into OUT/shard-I; merge.sh joins them into OUT.
int write_slurm(const SweepOptions& o, const SweepSpec& spec) {
  const std::string exe = shell_quoted(o.self_exe),
                    spec_path = shell_quoted(std::filesystem::absolute(o.spec).string());
  const std::string out = shell_quoted(std::filesystem::absolute(o.out).string());
  const std::string n = std::to_string(o.slurm_tasks);
  std::string job =
      "#!/bin/bash\n#SBATCH --job-name=sparrow-" + spec.name + "\n#SBATCH --array=0-" +
      std::to_string(o.slurm_tasks - 1) + "\n#SBATCH --cpus-per-task=" + std::to_string(o.jobs) +
      "\n#SBATCH --output=" + std::filesystem::absolute(o.out).string() + "/slurm-%A_%a.log\n" +
      "set -euo pipefail\n" + exe + " sweep " + spec_path + " --engine " + o.engine + " --jobs " +
      std::to_string(o.jobs) + " --point-timeout " + std::to_string(o.point_timeout_s) +
      " --shard \"$SLURM_ARRAY_TASK_ID/" + n + "\" --out " + out +
      "/shard-\"$SLURM_ARRAY_TASK_ID\"\n";
  std::string merge =
      "#!/bin/bash\n# Joins the shards of sweep.sbatch into this folder: the front and the report "
      "of the whole sweep.\nset -euo pipefail\n" +
      exe + " sweep " + spec_path + " --engine " + o.engine + " --out " + out + " --merge " + out +
      "/shard-*\n";
  write_file_atomic(o.out + "/sweep.sbatch", job);
  write_file_atomic(o.out + "/merge.sh", merge);
  std::filesystem::permissions(o.out + "/merge.sh", std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  std::cerr << "wrote " << o.out << "/sweep.sbatch (" << n << " tasks: sbatch it) and " << o.out
            << "/merge.sh (run it when the tasks are done, e.g. sbatch --dependency=afterok:JOB)\n";
  return 0;
}

// Plots of the space and the fronts, where Debian's matplotlib is available.
void plot(const SweepOptions& o, std::ostringstream& md) {
  const std::string cmd = "/usr/bin/python3 " + shell_quoted(o.plot_script) + " " +
                          shell_quoted(o.out) + " > " + shell_quoted(o.out + "/plot.log") + " 2>&1";
  if (std::filesystem::exists(o.plot_script) && std::system(cmd.c_str()) == 0)
    md << "\n![the design space and the fronts](sweep.png)\n";
  else
    md << "\nNo plot: `/usr/bin/python3 scripts/plot_sweep.py` failed (is python3-matplotlib "
          "installed? `scripts/setup.sh --python`); see plot.log.\n";
}

// The #SBATCH --output= line of sweep.sbatch takes the --out path unquoted: a path Slurm or the
// shell would read differently (control bytes, blanks, quotes, backslashes, Slurm's % patterns)
// is refused.
void check_slurm_out(const SweepOptions& o) {
  const std::string abs = std::filesystem::absolute(o.out).string();
  for (unsigned char c : abs)
    if (c < 0x20 || c == 0x7f || c == ' ' || c == '\'' || c == '"' || c == '\\' || c == '%' ||
        c == '`' || c == '$')
      throw_input_error(o.out, "--out",
                        "a path with " +
                            (c < 0x20 || c == 0x7f ? std::string("a control character")
                             : c == ' '            ? std::string("a space")
                                                   : "'" + std::string(1, char(c)) + "'") +
                            " (written unquoted into sweep.sbatch's #SBATCH --output line)",
                        "with --slurm, a path without blanks, control characters, quotes, "
                        "backslashes, '%', '`' or '$'");
  if (!is_utf8(abs))
    throw_input_error(o.out, "--out", "a path that is not UTF-8", "with --slurm, a UTF-8 path");
}

// An unknown or misspelt vary key makes every point fail: a spec error, found before any point
// runs by loading the configs with the key set to each of its first few values (with and
// without the other keys of its config at their first values) until one loads.
void check_vary_keys(const SweepSpec& spec) {
  for (const auto& [key, values] : spec.vary) {
    const size_t dot = key.find('.');
    const std::string which = key.substr(0, dot), rest = key.substr(dot + 1);
    auto load = [&](const std::string& workload, const Overrides& ov) {
      if (which == "arch")
        load_arch_config(spec.arch, ov);
      else if (which == "workload")
        load_workload_config(workload, ov);
      else
        load_energy_table(spec.energy, ov);
    };
    std::string first_error;
    bool loaded = false;
    for (size_t j = 0; j < std::min<size_t>(values.size(), 4) && !loaded; ++j) {
      Overrides with_others;
      for (const auto& [k, v] : spec.vary)
        if (k != key && k.compare(0, which.size() + 1, which + ".") == 0)
          with_others.emplace_back(k.substr(which.size() + 1), v.front());
      with_others.emplace_back(rest, values[j]);
      for (const Overrides& ov : {Overrides{{rest, values[j]}}, with_others}) {
        for (size_t w = 0; w < std::min<size_t>(spec.workloads.size(), 4) && !loaded; ++w) {
          try {
            load(spec.workloads[w], ov);
            loaded = true;
          } catch (const InputError& e) {
            if (first_error.empty()) first_error = e.what();
          }
          if (which != "workload") break;  // the other configs do not depend on the workload
        }
        if (loaded) break;
      }
    }
    if (!loaded)
      throw_input_error(spec.file, "vary." + key,
                        "a key no point can load (with its first values: " + first_error + ")",
                        "a key of the " + which + " config and values it accepts");
  }
}

// An exclusive lock on the --out folder (OUT/.sweep.lock, flock), held while the sweep lives: a
// second sweep on the same folder refuses with one line instead of mixing rows into its files.
class FolderLock {
 public:
  explicit FolderLock(const std::string& out) {
    const std::string path = out + "/.sweep.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      const std::string why = fd_ < 0 ? std::strerror(errno) : "not a regular file";
      if (fd_ >= 0) ::close(fd_);
      throw_input_error(out, "--out",
                        "a folder whose lock file .sweep.lock cannot be used (" + why + ")",
                        "a writable folder");
    }
    int err = ::flock(fd_, LOCK_EX | LOCK_NB) == 0 ? 0 : errno;
    std::string holder;
    for (int i = 0; i < 20 && err == EWOULDBLOCK; ++i) {  // its pid is written just after
      char buf[32] = {};
      const ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
      holder = n > 0 ? std::string(buf, size_t(n)) : "";
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
      if (!holder.empty() && holder.size() < 10 &&
          holder.find_first_not_of("0123456789") == std::string::npos)
        break;
      holder.clear();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // The sweep that took the lock is gone (killed): what still holds it is one of its children,
    // killed between its fork and its exec, which inherited the lock and releases it as it exits.
    auto gone = [&] { return ::kill(pid_t(std::stoi(holder)), 0) != 0 && errno == ESRCH; };
    for (int i = 0; i < 250 && err == EWOULDBLOCK && !holder.empty() && gone(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      err = ::flock(fd_, LOCK_EX | LOCK_NB) == 0 ? 0 : errno;
    }
    if (err != 0) {
      ::close(fd_);
      if (err != EWOULDBLOCK)
        throw_input_error(
            out, "--out",
            "a folder that cannot be locked (" + std::string(std::strerror(err)) + ")",
            "a folder on a file system with flock");
      throw_input_error(out, "--out",
                        "a folder another sweep is writing (pid " +
                            (holder.empty() ? std::string("unknown") : holder) + ")",
                        "one sweep per folder at a time (wait for it, or choose another --out)");
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) != ssize_t(pid.size()))
      std::cerr << "sparrow: warning: could not write the pid into " << path << "\n";
  }
  ~FolderLock() { ::close(fd_); }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

// The files every point reads must exist and be YAML mappings, and valid configs where no vary
// key of their kind may complete or correct them; every vary key must be one the configs take.
// Anything else is bad input, not a sweep of failed points.
void check_sweep_inputs(const SweepOptions& o, const SweepSpec& spec) {
  auto varies = [&](const std::string& kind) {
    for (const auto& v : spec.vary)
      if (v.first.compare(0, kind.size() + 1, kind + ".") == 0) return true;
    return false;
  };
  if (!spec.task.empty() && o.engine != "analytic")
    throw_input_error(o.spec, "task", "'" + spec.task + "' with --engine " + o.engine,
                      "--engine analytic (a task's metric is the golden model's; run a front's "
                      "points through SystemC with sparrow app --engine systemc)");
  for (const std::string& f : spec.workloads)
    if (spec.task.empty())
      varies("workload") ? void(load_yaml_file(f)) : void(load_workload_config(f));
  varies("arch") ? void(load_yaml_file(spec.arch)) : void(load_arch_config(spec.arch));
  varies("energy") ? void(load_yaml_file(spec.energy)) : void(load_energy_table(spec.energy));
  check_vary_keys(spec);
  if (o.slurm_tasks > 0) check_slurm_out(o);
}

// Two-stage sweeps: which points (workload and settings) are on another sweep's front; empty
// without --front-of.
std::vector<bool> front_points(const SweepOptions& o, const SweepPoints& all) {
  if (o.front_of.empty()) return {};
  const std::string pareto = o.front_of + "/pareto.csv";
  std::error_code ec;
  if (!std::filesystem::exists(pareto, ec))
    throw_input_error(o.front_of, "--front-of", "a folder without pareto.csv",
                      "a finished sweep's --out folder");
  const std::vector<std::string> keys =
      parse_pareto_keys(read_file_bytes(pareto, kMaxInputBytes, "--front-of"), pareto);
  std::set<std::string> front_keys(keys.begin(), keys.end());
  const std::string results = o.front_of + "/results.jsonl";
  std::set<std::string> seen;
  std::vector<bool> on_front(all.size(), false);
  for (const auto& r : read_results_file(results, "--front-of", false)) {
    const std::string& key = r["key"].get_ref<const std::string&>();
    if (!front_keys.count(key)) continue;
    seen.insert(key);
    const std::map<std::string, std::string> settings =
        r["settings"].get<std::map<std::string, std::string>>();
    if (const auto i = all.find(r["workload"].get<std::string>(), settings)) on_front[*i] = true;
  }
  for (const std::string& k : keys)
    if (!seen.count(k))
      throw_input_error(pareto, "key", "'" + k + "', which " + results + " does not hold",
                        "the keys of rows of results.jsonl");
  return on_front;
}

// What a sweep runs: its options, spec, points and results columns, and the task's evaluator.
struct Sweep {
  const SweepOptions& options;
  const SweepSpec& spec;
  const SweepPoints& all;
  const std::vector<std::string> cols;
  TaskEvaluator* task;  // null without a task
};

// A recorded row's key, checked: rows of another spec, another engine or without this spec's
// task metrics would enter the front and the report as if this sweep had made them.
const std::string& check_row(const Sweep& sw, const nlohmann::json& r, const std::string& where) {
  const std::string& key = r["key"].get_ref<const std::string&>();
  const std::string& engine = sw.options.engine;
  if (r["engine"] != engine)
    throw_input_error(where, "key " + key + ": engine", json_text(r["engine"]),
                      "'" + engine + "', this sweep's engine (a folder of another sweep: " +
                          "choose another --out)");
  const auto i = sw.all.find(r["workload"].get<std::string>(),
                             r["settings"].get<std::map<std::string, std::string>>());
  if (!i || sw.all.key_hash(*i) != std::stoull(key, nullptr, 16))
    throw_input_error(where, "key", "'" + key + "', a point this spec does not have",
                      "rows of this spec's points (a folder of another spec or an older " +
                          std::string("version of it: choose another --out)"));
  if (r["metrics"].is_object())
    for (const std::string& m : sw.spec.task_metrics)
      if (!r["metrics"].contains(m))
        throw_input_error(where, "key " + key + ": metrics." + m, "nothing",
                          "a finite number (this spec's task metric)");
  return key;
}

// Merged shards' rows (--merge), read and checked before anything is written.
std::vector<nlohmann::json> merged_rows(const Sweep& sw) {
  std::vector<nlohmann::json> merged;
  for (const std::string& dir : sw.options.merge) {
    std::error_code ec;
    if (!std::filesystem::exists(dir + "/results.jsonl", ec))
      throw_input_error(dir, "--merge", "a folder without results.jsonl", "a sweep's --out folder");
    for (auto& r : read_results_file(dir + "/results.jsonl", "--merge", false))
      merged.push_back(std::move(r));
  }
  std::map<std::string, const nlohmann::json*> seen;
  for (const nlohmann::json& r : merged) {
    const auto [it, fresh] = seen.emplace(check_row(sw, r, "--merge"), &r);
    if (!fresh && *it->second != r)
      throw_input_error("--merge", "key " + it->first, "two different results of one point",
                        "each point's row once (shards of one sweep)");
  }
  return merged;
}

// Resume: keeps the complete recorded lines of results.jsonl and .csv (rewritten without a cut
// tail) and the merged shards' rows; the hashes of the points they hold.
std::unordered_set<uint64_t> resume(const Sweep& sw, std::vector<nlohmann::json> merged) {
  const std::string jsonl = sw.options.out + "/results.jsonl";
  std::vector<nlohmann::json> done = read_results_file(jsonl, "--out", true);
  const size_t own = done.size();
  for (auto& r : merged) done.push_back(std::move(r));
  std::map<std::string, const nlohmann::json*> done_keys;
  std::string kept_jsonl, kept_csv = csv_header(sw.cols);
  for (size_t n = 0; n < done.size(); ++n) {
    const nlohmann::json& r = done[n];
    const std::string where = n < own ? jsonl : "--merge";
    const std::string& key = check_row(sw, r, where);
    const auto [it, fresh] = done_keys.emplace(key, &r);
    if (!fresh && *it->second != r)
      throw_input_error(where, "key " + key, "two different results of one point",
                        "each point's row once (shards of one sweep)");
    if (fresh) {
      kept_jsonl += json_text(r) + "\n";
      kept_csv += csv_row(r, sw.cols);
    }
  }
  write_file_atomic(jsonl, kept_jsonl);
  write_file_atomic(sw.options.out + "/results.csv", kept_csv);
  std::unordered_set<uint64_t> hashes;
  for (const auto& kv : done_keys) hashes.insert(std::stoull(kv.first, nullptr, 16));
  return hashes;
}

// One point's row: its metrics from the engine, or why it failed, or the constraint it misses.
nlohmann::json point_row(const Sweep& sw, const DesignPoint& p) {
  const SweepOptions& o = sw.options;
  nlohmann::json r = {{"key", p.key}, {"workload", p.workload}, {"engine", o.engine}};
  r["settings"] = nlohmann::json::object();
  for (const auto& [k, v] : p.settings) r["settings"][k] = v;
  std::string status = "ok", error;
  nlohmann::json metrics;
  try {
    metrics = o.engine == "analytic" ? analytic_point(sw.spec, p, sw.task)
                                     : systemc_point(o, sw.spec, p, status, error);
  } catch (const std::exception& e) {
    status = "failed";
    error = e.what();
  }
  if (status != "ok") metrics = nullptr;
  if (status == "ok")
    for (const auto& c : sw.spec.constraints) {
      const double v = metrics[c.metric].get<double>();  // finite: metrics_of checked it
      if (c.is_max ? v > c.bound : v < c.bound) {
        status = "infeasible";
        error = c.metric + (c.is_max ? " > " : " < ") + std::to_string(c.bound);
        break;
      }
    }
  r["status"] = status;
  r["metrics"] = metrics;
  r["error"] = error;
  return r;
}

// Runs the points `todo` on --jobs threads, appending each row as it finishes, with a progress
// line. A worker that cannot record a row (a full disk) stops the sweep: the first such error is
// rethrown once the workers have stopped, the points not started stay to be resumed.
void run_points(const Sweep& sw, const std::vector<size_t>& todo) {
  const SweepOptions& o = sw.options;
  Appender jl(o.out + "/results.jsonl"), cl(o.out + "/results.csv");
  std::mutex mu;
  std::atomic<size_t> finished{0}, failed{0};
  std::vector<std::vector<std::string>> keys;
  if (o.engine == "systemc" && !o.cold) {
    keys.resize(todo.size());
    for (size_t i = 0; i < todo.size(); ++i) keys[i] = cache_keys(sw.spec, sw.all.point(todo[i]));
  }
  Scheduler scheduler(todo.size(), std::move(keys));
  const bool tty = isatty(2);
  const auto t0 = Clock::now();
  auto progress = [&](bool final) {
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    const size_t n = finished.load();
    const double rate = s > 0 ? double(n) / s : 0;
    std::ostringstream os;
    os << "[" << n << "/" << todo.size() << "] failed " << failed.load() << ", " << int(rate * 60)
       << " points/min, ETA " << (rate > 0 ? int(double(todo.size() - n) / rate) : 0) << " s";
    std::cerr << (tty ? "\r" : "") << os.str() << (tty && !final ? "" : "\n") << std::flush;
  };
  std::exception_ptr stopped;
  std::atomic<bool> stop{false};
  auto work = [&] {
    for (std::optional<size_t> i; !stop && (i = scheduler.next());) {
      const nlohmann::json r = point_row(sw, sw.all.point(todo[*i]));
      scheduler.done(*i);
      const std::string& status = r["status"].get_ref<const std::string&>();
      const std::lock_guard<std::mutex> lock(mu);
      jl.append(json_text(r) + "\n");
      cl.append(csv_row(r, sw.cols));
      if (status == "failed" || status == "timeout") ++failed;
      ++finished;
      if (tty || finished % std::max<size_t>(1, todo.size() / 10) == 0) progress(false);
    }
  };
  auto worker = [&] {
    try {
      work();
    } catch (...) {
      const std::lock_guard<std::mutex> lock(mu);
      if (!stopped) stopped = std::current_exception();
      stop = true;
      scheduler.abandon();
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < std::max(1, o.jobs); ++j) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  if (stopped) std::rethrow_exception(stopped);
  progress(true);
}

// The front's columns in sweep.md: the objectives, then the task metrics not among them.
std::vector<std::string> shown_metrics(const SweepSpec& spec) {
  std::vector<std::string> shown;
  for (const auto& obj : spec.objectives) shown.push_back(obj.metric);
  for (const auto& m : spec.task_metrics)
    if (std::find(shown.begin(), shown.end(), m) == shown.end()) shown.push_back(m);
  return shown;
}

// sweep.md's table row of a result on the front.
std::string front_md_row(const Sweep& sw, const nlohmann::json& row,
                         const std::vector<std::string>& shown) {
  std::string md =
      "| " + row["key"].get<std::string>() + " | " +
      (sw.task ? sw.task->config().name
               : std::filesystem::path(row["workload"].get<std::string>()).stem().string()) +
      " | ";
  for (const auto& [k, v] : row["settings"].items()) md += k + "=" + v.get<std::string>() + " ";
  for (const std::string& m : shown) {
    char num[32];
    std::snprintf(num, sizeof num, "%.4g", row["metrics"][m].get<double>());
    md += std::string(" | ") + num;
  }
  return md + " |\n";
}

// sweep.md's paragraph on the task: what each point's metric is, and the float reference.
std::string task_md(const Sweep& sw) {
  const AppTask kind = sw.task->config().task;
  const char* format = kind == AppTask::kSentiment ? "%.2f%%"
                       : kind == AppTask::kCharLm  ? "%.4f bits per character"
                                                   : "perplexity %.3f";
  char ref[64];
  std::snprintf(ref, sizeof ref, format, task_figure(sw.task->reference(), kind));
  return "Task `" + sw.spec.task + "` (" + to_string(kind) +
         "): each point's metric is the bit-exact golden model's on the app's held-out data, its "
         "model pruned (one shot) and quantized for the point; task_delta_vs_float is against "
         "the app's model as loaded, in float: " +
         ref + ".\n\n";
}

// The front over the feasible results (pareto.csv), and the report (sweep.md).
void write_front(const Sweep& sw) {
  const SweepOptions& o = sw.options;
  const std::vector<nlohmann::json> rows =
      read_results_file(o.out + "/results.jsonl", "--out", false);
  size_t n_ok = 0, n_failed = 0, n_infeasible = 0;
  for (const auto& r : rows) {
    const std::string& s = r["status"].get_ref<const std::string&>();
    n_ok += s == "ok";
    n_failed += s == "failed" || s == "timeout";
    n_infeasible += s == "infeasible";
  }
  std::string front_csv = csv_header(sw.cols), front_md;
  size_t front = 0;
  const std::vector<std::string> shown = shown_metrics(sw.spec);
  // One front per workload: design points compete on the same workload only.
  const std::vector<bool> on_front = pareto_front(rows, sw.spec);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!on_front[i]) continue;
    ++front;
    front_csv += csv_row(rows[i], sw.cols);
    front_md += front_md_row(sw, rows[i], shown);
  }
  write_file_atomic(o.out + "/pareto.csv", front_csv);
  std::ostringstream md;
  md << "# Sweep " << sw.spec.name << "\n\n"
     << "Spec `" << sw.spec.file << "`, engine " << o.engine << ", " << rows.size()
     << " results: " << n_ok << " ok, " << n_infeasible << " infeasible, " << n_failed
     << " failed or timed out. Pareto front per workload (" << front << " points) over";
  for (const auto& obj : sw.spec.objectives)
    md << " " << (obj.maximize ? "max " : "min ") << obj.metric;
  md << ":\n\n";
  if (sw.task) md << task_md(sw);
  md << "| key | workload | settings";
  for (const std::string& m : shown) md << " | " << m;
  md << " |\n|---|---|---";
  for (size_t i = 0; i < shown.size(); ++i) md << "|---";
  md << "|\n"
     << front_md << "\nAll results: `results.csv`, `results.jsonl`; the front: `pareto.csv`.\n";
  plot(o, md);
  write_file_atomic(o.out + "/sweep.md", md.str());
  std::cerr << "sweep " << sw.spec.name << ": " << n_ok << " ok, " << n_infeasible
            << " infeasible, " << n_failed << " failed; " << front << " on the Pareto front ("
            << o.out << "/sweep.md)\n";
}

}  // namespace

int run_sweep(const SweepOptions& o) {
  const SweepSpec spec = load_sweep_spec(o.spec, o.default_energy);
  check_sweep_inputs(o, spec);
  // The task's model, data and float reference, loaded (and checked) once for every point.
  std::optional<TaskEvaluator> task;
  if (!spec.task.empty()) task.emplace(spec.task);
  const SweepPoints all = expand_points(spec, o.engine, true);
  const Sweep sw{o, spec, all, csv_columns(spec), task ? &*task : nullptr};
  const std::vector<bool> on_front = front_points(o, all);
  std::vector<nlohmann::json> merged = merged_rows(sw);
  // What the sweep will write must be writable as files before any point runs.
  for (const char* name : {"results.jsonl", "results.csv", "pareto.csv", "sweep.md"})
    output_target(o.out + "/" + name, "--out");
  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec) throw_input_error(o.out, "--out", "a folder that cannot be created", "a writable folder");
  const FolderLock lock(o.out);
  if (o.slurm_tasks > 0) return write_slurm(o, spec);
  const std::unordered_set<uint64_t> done = resume(sw, std::move(merged));
  // This shard's points (of the front, with --front-of), and those not done yet.
  size_t n_points = 0;
  std::vector<size_t> todo;
  for (size_t i = size_t(o.shard_index); i < all.size(); i += size_t(o.shard_count)) {
    if (!on_front.empty() && !on_front[i]) continue;
    ++n_points;
    if (!done.count(all.key_hash(i))) todo.push_back(i);
  }
  std::cerr << "sweep " << spec.name << ": " << n_points << " points (" << done.size()
            << " already done), engine " << o.engine << ", " << o.jobs << " jobs\n";
  run_points(sw, todo);
  if (task)
    std::cerr << "sweep " << spec.name << ": task " << task->config().name << ": "
              << task->evaluations() << " evaluations for " << todo.size() << " points\n";
  write_front(sw);
  return 0;
}

}  // namespace sparrow
