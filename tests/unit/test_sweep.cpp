// The sweep's spec expansion and the readers of a sweep folder's files (apps/sweep/).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include <chrono>
#include <map>
#include <set>

#include "common/error.h"
#include "common/hash.h"
#include "compress/compressor.h"
#include "energy/resources.h"
#include "report/run_report.h"
#include "sweep/sweep_results.h"
#include "sweep/sweep_runner.h"
#include "sweep/sweep_spec.h"
#include "test_util.h"
#include "timing/timing_model.h"

namespace sparrow {
namespace {

nlohmann::json good_row() {
  nlohmann::json m = nlohmann::json::object();
  for (const std::string& k : sweep_metrics()) m[k] = 1.5;
  m["cycles"] = 30095;
  return {{"key", "0123456789abcdef"},
          {"workload", "configs/workloads/sentiment-h128.yaml"},
          {"engine", "analytic"},
          {"settings", {{"arch.mac_array.pes", "4"}}},
          {"status", "ok"},
          {"metrics", m},
          {"error", ""}};
}

// The message of the InputError that checking `row` throws, or "" if it passes.
std::string row_error(const nlohmann::json& row) {
  try {
    check_result_row(row, "R: line 7");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

nlohmann::json with(nlohmann::json row, const std::string& field, const nlohmann::json& v) {
  row[field] = v;
  return row;
}

TEST(SweepResults, AcceptsTheRowsASweepWrites) {
  EXPECT_EQ(row_error(good_row()), "");
  nlohmann::json failed = good_row();
  failed["status"] = "timeout";
  failed["metrics"] = nullptr;
  failed["error"] = "no result within 3 s";
  EXPECT_EQ(row_error(failed), "");
  EXPECT_EQ(row_error(with(good_row(), "status", "infeasible")), "");
  EXPECT_EQ(row_error(with(good_row(), "settings", nlohmann::json::object())), "");
}

// Every field of the wrong type, value or presence: one line naming the line and the field.
TEST(SweepResults, NamesTheLineAndTheFieldOfEveryBadField) {
  nlohmann::json m = good_row()["metrics"];
  const std::vector<std::pair<nlohmann::json, std::string>> cases = {
      {nlohmann::json::array(), "R: line 7: (row): got [] (a list)"},
      {with(good_row(), "key", 5), "R: line 7: key: got 5;"},
      {with(good_row(), "key", "0123456789ABCDEF"), "key: got '0123456789ABCDEF'"},
      {with(good_row(), "key", "abc"), "key: got 'abc'"},
      {with(good_row(), "workload", nullptr), "workload: got null"},
      {with(good_row(), "workload", ""), "workload: got ''"},
      {with(good_row(), "engine", "rtl"), "engine: got 'rtl'"},
      {with(good_row(), "settings", "pes=4"), "settings: got 'pes=4'"},
      {with(good_row(), "settings", {{"arch.mac_array.pes", 4}}),
       "settings.arch.mac_array.pes: got 4;"},
      {with(good_row(), "status", "done"), "status: got 'done'"},
      {with(good_row(), "status", true), "status: got true"},
      {with(good_row(), "metrics", "fast"), "metrics: got 'fast'"},
      {with(good_row(), "metrics", nullptr), "metrics: got null"},
      {with(good_row(), "metrics", with(m, "latency_us", "1")), "metrics.latency_us: got '1'"},
      {with(good_row(), "metrics", with(m, "power_mw", nullptr)), "metrics.power_mw: got null"},
      {with(good_row(), "metrics", with(m, "speed", 1)), "metrics.speed: got an unknown metric"},
      {with(good_row(), "metrics", with(m, "gops", 1e308 * 10)), "metrics.gops: got null"},
      {with(with(good_row(), "status", "failed"), "metrics", m), "metrics: got {"},
      {with(good_row(), "error", 0), "error: got 0"},
      {with(good_row(), "extra", 0), "extra: got an unknown field"},
  };
  for (const auto& [row, fragment] : cases) {
    const std::string e = row_error(row);
    EXPECT_NE(e.find(fragment), std::string::npos) << e << "\nexpected: " << fragment;
    EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  }
  for (const char* field :
       {"key", "workload", "engine", "settings", "status", "metrics", "error"}) {
    nlohmann::json row = good_row();
    row.erase(field);
    EXPECT_NE(row_error(row).find(std::string(field) + ": got nothing"), std::string::npos)
        << row_error(row);
  }
  nlohmann::json no_metric = good_row();
  no_metric["metrics"].erase("ff");
  EXPECT_NE(row_error(no_metric).find("metrics.ff: got nothing"), std::string::npos);
}

TEST(SweepResults, ReadsCompleteLinesOnly) {
  const std::string row = good_row().dump();
  EXPECT_EQ(parse_results_text("", "F").size(), 0u);
  EXPECT_EQ(parse_results_text(row + "\n" + row + "\n", "F").size(), 2u);
  // A last line cut short by a kill (no newline) is dropped, whatever it holds.
  EXPECT_EQ(parse_results_text(row + "\n" + row.substr(0, 30), "F").size(), 1u);
  EXPECT_EQ(parse_results_text(row + "\n{", "F").size(), 1u);
  auto error = [](const std::string& text) {
    try {
      parse_results_text(text, "F");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error(row + "\n\n" + row + "\n").find("F: line 2: got '', not JSON"),
            std::string::npos);
  EXPECT_NE(error(row + "\n" + row.substr(0, 40) + "\n").find("F: line 2: got '"),
            std::string::npos);
  EXPECT_NE(error(std::string(100000, '[') + "\n").find("F: line 1: got a value nested 100000"),
            std::string::npos);
  EXPECT_NE(error("{\"key\": \"\xff\"}\n").find("F: line 1: got"), std::string::npos);
  EXPECT_NE(error("1e999\n").find("F: line 1: "), std::string::npos);
}

// The file reader streams: rows across its 1 MiB reads, no bound on the file, one on a line.
TEST(SweepResults, ReadsFilesAsStreams) {
  std::filesystem::create_directories(SPARROW_TEST_TMP);
  const std::string path = std::string(SPARROW_TEST_TMP) + "/stream-results.jsonl";
  std::string text;
  while (text.size() < (size_t{3} << 20)) text += good_row().dump() + "\n";
  const size_t n = parse_results_text(text, "F").size();
  { std::ofstream(path, std::ios::binary) << text << "{\"cut\":"; }
  EXPECT_EQ(read_results_file(path, "--out", false).size(), n);
  EXPECT_EQ(read_results_file(path + ".missing", "--out", true).size(), 0u);
  EXPECT_THROW(read_results_file(path + ".missing", "--merge", false), InputError);
  EXPECT_THROW(read_results_file(SPARROW_TEST_TMP, "--merge", false), InputError);
  {
    std::ofstream(path, std::ios::binary) << good_row().dump() << "\n"
                                          << std::string(kMaxResultLineBytes + 1, ' ') << "\n";
  }
  try {
    read_results_file(path, "--out", false);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("stream-results.jsonl: line 2: got a line of more than"),
              std::string::npos)
        << e.what();
  }
  std::filesystem::remove(path);
}

// A point's report.json is read back as untrusted input: anything missing, of the wrong type or
// not finite fails the point with one line naming the report and the path, never a JSON library
// exception; zero power says why GOPS/W is undefined.
TEST(SweepResults, MetricsOfAReport) {
  const ArchConfig a = test::arch("brds");
  const WorkloadConfig w = test::small_workload(40, 24);
  const CompressedModel model = compress_model(random_lstm_weights(w), a);
  const Activity act = evaluate_timing(model, a, w);
  const EnergyTable table =
      load_energy_table(test::source_path("configs/energy/asic-45nm-horowitz.yaml"));
  RunReport report = design_report(act, a, w, model, table, estimate_resources(a, w, model));
  report.engine = "analytic";
  const nlohmann::json good = to_json(report);
  const nlohmann::json m = sweep_metrics_of_report(run_report_from_json(good, "R"), "R");
  EXPECT_EQ(m.size(), sweep_metrics().size());
  EXPECT_EQ(m["cycles"], act.cycles);
  EXPECT_EQ(m["weights_on_chip"], act.weights_on_chip ? 1 : 0);
  EXPECT_EQ(m["banks_hold_a_pass"], 1);
  ASSERT_EQ(report.performance->arrays.size(), 2u);
  EXPECT_EQ(m["mac_utilization_wh"], report.performance->arrays[1].mac_utilization);
  EXPECT_EQ(m["lut"], report.resources.total.lut);
  EXPECT_EQ(m["effective_gops_per_watt"], report.energy->effective_gops_per_watt);
  // One sequence: its latency both ways, and one over it per second.
  EXPECT_DOUBLE_EQ(m["first_latency_us"].get<double>(), report.performance->latency_us);
  EXPECT_DOUBLE_EQ(m["sequences_per_second"].get<double>(), 1e6 / report.performance->latency_us);
  auto error = [](const nlohmann::json& j) {
    try {
      sweep_metrics_of_report(run_report_from_json(j, "P/report.json"), "P/report.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  nlohmann::json r = good;
  r["performance"]["cycles"] = "many";
  EXPECT_NE(error(r).find("P/report.json: performance.cycles: got \"many\""), std::string::npos)
      << error(r);
  r = good;
  r.erase("resources");
  EXPECT_NE(error(r).find("resources.total.dsp: got nothing"), std::string::npos) << error(r);
  r = good;
  r["performance"]["arrays"] = nlohmann::json::array();
  EXPECT_NE(error(r).find("performance.arrays.0.mac_utilization: got nothing"), std::string::npos);
  r = good;
  r["performance"] = 5;
  EXPECT_NE(error(r).find("performance.cycles: got nothing"), std::string::npos);
  EXPECT_NE(error(nlohmann::json::array()).find("got nothing"), std::string::npos);
  r = good;
  r["schema_version"] = 2;
  EXPECT_NE(error(r).find("schema_version: got 2"), std::string::npos) << error(r);
  r = good;
  r["energy"]["power_mw"] = 0.0;
  r["energy"]["gops_per_watt"] = nullptr;  // inf, as json_text writes it
  EXPECT_NE(error(r).find("energy.gops_per_watt: got nan (power_mw is 0"), std::string::npos)
      << error(r);
  r["energy"]["gops_per_watt"] = std::numeric_limits<double>::infinity();
  EXPECT_NE(error(r).find("energy.gops_per_watt: got inf (power_mw is 0"), std::string::npos)
      << error(r);
  r["energy"]["power_mw"] = 1.0;
  r["energy"]["gops_per_watt"] = std::nan("");
  EXPECT_NE(error(r).find("energy.gops_per_watt: got nan; allowed: a finite number"),
            std::string::npos)
      << error(r);
}

TEST(SweepResults, CsvRecordsAndParetoKeys) {
  const auto r = parse_csv("a,\"b,c\",\"d\"\"e\"\n\"multi\nline\",x\n", "F");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"a", "b,c", "d\"e"}));
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"multi\nline", "x"}));
  EXPECT_EQ(r[1].line, 2u);
  std::string header = "key,status,workload,arch.mac_array.pes";
  for (const std::string& m : sweep_metrics()) header += "," + m;
  header += ",error\n";
  const std::string cells(sweep_metrics().size() + 1, ',');
  EXPECT_EQ(
      parse_pareto_keys(header + "0123456789abcdef,ok,w,\"{a: 1,\nb: 2}\"" + cells + "\n", "P"),
      std::vector<std::string>{"0123456789abcdef"});
  auto error = [](const std::string& text) {
    try {
      parse_pareto_keys(text, "P");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error("").find("P: (header): got an empty file"), std::string::npos);
  EXPECT_NE(error("key,status\n").find("P: line 1: (header): got 'key,status'"), std::string::npos);
  EXPECT_NE(error(header + "xyz,ok,w,4" + cells + "\n").find("P: line 2: key: got 'xyz'"),
            std::string::npos);
  EXPECT_NE(error(header + "0123456789abcdef,failed,w,4" + cells + "\n").find("status"),
            std::string::npos);
  EXPECT_NE(error(header + "0123456789abcdef,ok\n").find("P: line 2: got 2 fields"),
            std::string::npos);
  EXPECT_NE(error(header + "\"0123").find("P: line 2: got a quoted field that is never closed"),
            std::string::npos);
  EXPECT_NE(error(header + "a\"b").find("P: line 2: got a quote inside an unquoted field"),
            std::string::npos);
}

SweepSpec spec_of(const std::string& yaml) {
  return parse_sweep_spec(YAML::Load(yaml), "/specs/s.yaml", "/e.yaml");
}

std::string spec_error(const std::string& yaml) {
  try {
    spec_of(yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const char* kHead = "arch: a.yaml\nworkloads: [w1.yaml, w2.yaml]\nobjectives: {cycles: min}\n";

// The points are those of the old expansion (every combination, the last key fastest, workloads
// outermost), keyed by the same hash of the same text.
TEST(SweepSpec, PointsAndKeysAsEver) {
  const SweepSpec s =
      spec_of(std::string(kHead) + "name: s\nvary: {arch.x: [1, 2, 3], workload.y: [a, b]}");
  const SweepPoints p = expand_points(s, "analytic");
  ASSERT_EQ(p.size(), 12u);
  std::set<std::string> keys;
  for (size_t i = 0; i < p.size(); ++i) {
    const DesignPoint d = p.point(i);
    EXPECT_EQ(d.index, i);
    EXPECT_EQ(d.workload, i < 6 ? "/specs/w1.yaml" : "/specs/w2.yaml");
    ASSERT_EQ(d.settings.size(), 2u);
    EXPECT_EQ(d.settings[0].second, std::to_string(1 + (i % 6) / 2));
    EXPECT_EQ(d.settings[1].second, i % 2 ? "b" : "a");
    std::string full = "analytic|/specs/a.yaml|/e.yaml|" + d.workload;
    for (const auto& [k, v] : d.settings) full += "|" + k + "=" + v;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(full)));
    EXPECT_EQ(d.key, hex);
    EXPECT_EQ(p.key(i), hex);
    keys.insert(d.key);
    EXPECT_EQ(p.find(d.workload, {d.settings.begin(), d.settings.end()}), i);
  }
  EXPECT_EQ(keys.size(), 12u);
  EXPECT_FALSE(p.find("/specs/w1.yaml", {{"arch.x", "4"}, {"workload.y", "a"}}));
  EXPECT_FALSE(p.find("/specs/w1.yaml", {{"arch.x", "1"}}));
  EXPECT_FALSE(p.find("/specs/w3.yaml", {{"arch.x", "1"}, {"workload.y", "a"}}));
}

// A value or a workload given twice is one point, as before (the old expansion dropped repeated
// keys); a random sample's repeated draws too, the first kept.
TEST(SweepSpec, RepeatsAreOnePoint) {
  const SweepSpec s = spec_of(
      "name: s\narch: a.yaml\nworkloads: [w.yaml, ./w.yaml, w.yaml]\nobjectives: {cycles: min}\n"
      "vary: {arch.x: [1, 1, 2]}");
  EXPECT_EQ(expand_points(s, "analytic").size(), 2u);
  const SweepSpec r = spec_of(std::string(kHead) +
                              "name: s\nvary: {arch.x: [1, 2, 3]}\nrandom: {samples: 50, seed: 3}");
  const SweepPoints p = expand_points(r, "analytic");
  EXPECT_EQ(p.size(), 6u);  // 3 distinct draws for each of 2 workloads
  std::set<std::string> keys;
  for (size_t i = 0; i < p.size(); ++i) {
    keys.insert(p.key(i));
    const DesignPoint d = p.point(i);
    EXPECT_EQ(p.find(d.workload, {d.settings.begin(), d.settings.end()}), i);
  }
  EXPECT_EQ(keys.size(), 6u);
}

// 10^7 points cost nothing until they are used; more are refused; a range of more values than an
// integer counts is "too large", not "an empty list".
TEST(SweepSpec, LargeGridsAreCheapAndBounded) {
  const auto t0 = std::chrono::steady_clock::now();
  const SweepSpec s = spec_of(std::string(kHead) +
                              "name: s\nvary:\n  arch.x: {from: 1, to: 100000, step: 1}\n"
                              "  arch.y: {from: 1, to: 50, step: 1}");
  const SweepPoints p = expand_points(s, "analytic");
  EXPECT_EQ(p.size(), 10000000u);
  EXPECT_EQ(p.point(9999999).settings[0].second, "100000");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 5.0);
  try {
    expand_points(
        spec_of(std::string(kHead) + "name: s\nvary:\n  arch.x: {from: 1, to: 100000, step: 1}\n"
                                     "  arch.y: {from: 1, to: 101, step: 1}"),
        "analytic");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("vary: got 10100000 combinations"), std::string::npos)
        << e.what();
  }
  EXPECT_NE(
      spec_error(std::string(kHead) + "name: s\nvary: {arch.x: {from: 0, to: 1e12, step: 1e-9}}")
          .find("step: got '1e-09'; allowed: at most 100001 values (the range has 1e+21)"),
      std::string::npos);
}

TEST(SweepSpec, NameIsAPlainWord) {
  const std::string vary = "vary: {arch.x: [1]}\n";
  EXPECT_EQ(spec_error(std::string(kHead) + vary + "name: brds-space_2.v1"), "");
  for (const char* bad : {"\"a\\nb\"", "\"a b\"", "\"a'b\"", "\"\"", "\"x$(id)\"",
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    const std::string e = spec_error(std::string(kHead) + vary + "name: " + bad);
    EXPECT_NE(e.find("/specs/s.yaml: name: got '"), std::string::npos) << bad << ": " << e;
    EXPECT_EQ(e.find('\n'), std::string::npos);
  }
}

// A spec with a task (docs/sweeps.md): the app is the workload, its metrics are constraints and
// objectives (by default the task's metric against effective GOPS/W), and the spec's mistakes are
// one line naming the file, the key and what is allowed.
TEST(SweepSpec, Task) {
  const std::string app =
      std::string(SPARROW_SOURCE_DIR) + "/configs/apps/sentiment-dense/app.yaml";
  const std::string head = "name: t\narch: a.yaml\nvary: {arch.x: [1]}\ntask: " + app + "\n";
  const SweepSpec s = spec_of(head);
  EXPECT_EQ(s.task, app);
  EXPECT_EQ(s.workloads, std::vector<std::string>{app});
  EXPECT_EQ(s.task_metrics, (std::vector<std::string>{"task_accuracy", "task_delta_vs_float"}));
  ASSERT_EQ(s.objectives.size(), 2u);
  EXPECT_EQ(s.objectives[0].metric, "task_accuracy");
  EXPECT_TRUE(s.objectives[0].maximize);
  EXPECT_EQ(s.objectives[1].metric, "effective_gops_per_watt");
  EXPECT_TRUE(s.objectives[1].maximize);
  const SweepSpec c = spec_of(head + "constraints: {task_delta_vs_float: {min: -1.0}}\n" +
                              "objectives: {latency_us: min, task_accuracy: max}\n");
  ASSERT_EQ(c.constraints.size(), 1u);
  EXPECT_EQ(c.constraints[0].metric, "task_delta_vs_float");
  EXPECT_FALSE(c.constraints[0].is_max);
  EXPECT_EQ(c.constraints[0].bound, -1.0);
  EXPECT_EQ(c.objectives.size(), 2u);

  auto expect_error = [](const std::string& yaml, const std::string& fragment) {
    const std::string e = spec_error(yaml);
    EXPECT_NE(e.find(fragment), std::string::npos) << e;
    EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  };
  expect_error("name: t\narch: a.yaml\nvary: {arch.x: [1]}\ntask: ../apps/none/app.yaml\n",
               "/specs/s.yaml: task: got '../apps/none/app.yaml' (/apps/none/app.yaml: no such "
               "file); allowed: an app config");
  expect_error(head + "constraints: {accuracy: {min_vs_dense: -1.0}}\n",
               "/specs/s.yaml: constraints.accuracy: got 'accuracy'; allowed: a metric: cycles | "
               "latency_us | effective_gops_per_watt | dsp | bram36 | ... | task_accuracy | "
               "task_delta_vs_float (this task's)");
  expect_error(head + "constraints: {task_accuracy: {min_vs_dense: -1.0}}\n",
               "/specs/s.yaml: constraints.task_accuracy.min_vs_dense: got");
  expect_error(head + "constraints: {task_bits_per_char: {max: 3}}\n",
               "constraints.task_bits_per_char: got 'task_bits_per_char'");
  expect_error(
      std::string(kHead) + "name: t\nvary: {arch.x: [1]}\n" +
          "constraints: {task_accuracy: {min: 80}}\n",
      "constraints.task_accuracy: got 'task_accuracy'; allowed: a metric: cycles | "
      "latency_us | effective_gops_per_watt | dsp | bram36 | ... (task metrics need a task: "
      "the spec has none)");
  expect_error(head + "workloads: [w.yaml]\n",
               "/specs/s.yaml: workloads: got a list beside task; allowed: either task");
  expect_error("name: t\narch: a.yaml\nvary: {workload.seq_len: [4]}\ntask: " + app + "\n",
               "vary.workload.seq_len: got 'workload.seq_len' beside task; allowed: arch.KEY | "
               "energy.KEY");
}

// The word LM's metric is its perplexity, lower for better: the default objectives minimize it.
TEST(SweepSpec, WordLmTaskMinimizesPerplexity) {
  const std::string app = std::string(SPARROW_SOURCE_DIR) + "/configs/apps/wordlm/app.yaml";
  const SweepSpec s = spec_of("name: t\narch: a.yaml\nvary: {arch.x: [1]}\ntask: " + app + "\n");
  EXPECT_EQ(s.task_metrics, (std::vector<std::string>{"task_perplexity", "task_delta_vs_float"}));
  ASSERT_EQ(s.objectives.size(), 2u);
  EXPECT_EQ(s.objectives[0].metric, "task_perplexity");
  EXPECT_FALSE(s.objectives[0].maximize);
  const std::string e = spec_error("name: t\narch: a.yaml\nvary: {arch.x: [1]}\ntask: " + app +
                                   "\nconstraints: {task_accuracy: {min: 80}}\n");
  EXPECT_NE(e.find("constraints.task_accuracy: got 'task_accuracy'; allowed: a metric: cycles | "
                   "latency_us | effective_gops_per_watt | dsp | bram36 | ... | task_perplexity | "
                   "task_delta_vs_float (this task's)"),
            std::string::npos)
      << e;
}

}  // namespace
}  // namespace sparrow
