#include <algorithm>
#include <iostream>
#include <memory>
#include <random>

#include "cli/commands.h"
#include "common/child_process.h"
#include "common/error.h"
#include "regress/regress.h"

namespace sparrow {
namespace {

struct RegressCliOptions {
  RegressOptions regress;
  int64_t seed = -1;
  int64_t one_case = -1;
  std::string engines = "systemc";
  std::string rtl_capacity = "small";
  bool case_timeout_given = false;
};

int regress(RegressCliOptions o) {
  RegressOptions& r = o.regress;
  r.seed = o.seed >= 0 ? uint64_t(o.seed) : std::random_device{}() % 1000000000u;
  if (o.one_case >= 0) {
    r.first = o.one_case;
    r.cases = 1;
  }
  r.engines.clear();
  for (size_t start = 0; start <= o.engines.size();) {
    const size_t comma = std::min(o.engines.find(',', start), o.engines.size());
    const std::string e = o.engines.substr(start, comma - start);
    bool known = false;
    for (const auto& k : regress_engines()) known = known || k == e;
    if (!known) {
      std::string allowed;
      for (const auto& k : regress_engines()) allowed += (allowed.empty() ? "" : ",") + k;
      throw_input_error("command line", "--engines", "'" + e + "'",
                        "a comma-separated list of " + allowed);
    }
    r.engines.push_back(e);
    start = comma + 1;
  }
  if (o.rtl_capacity != "small" && o.rtl_capacity != "reference")
    throw_input_error("command line", "--rtl-capacity", "'" + o.rtl_capacity + "'",
                      "small or reference");
  r.reference_capacity = o.rtl_capacity == "reference";
  if (r.reference_capacity && !std::count(r.engines.begin(), r.engines.end(), "rtl"))
    throw_input_error("command line", "--rtl-capacity", "'reference'",
                      "small unless --engines names rtl (the capacity of the RTL's stream)");
  if (!o.case_timeout_given && std::count(r.engines.begin(), r.engines.end(), "rtl"))
    r.case_timeout_s = 3600;
  r.self_exe = self_executable();
  r.source_dir = SPARROW_SOURCE_DIR;
  return run_regress(r);
}

}  // namespace

Command add_regress_command(CLI::App& app) {
  auto o = std::make_shared<RegressCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "regress",
      "Differential regression: random design points, golden vs each cycle-level engine (outputs "
      "bit for bit, cycles against the timing contract)");
  sub->add_option("--cases", o->regress.cases, "number of random cases")
      ->check(CLI::Range(int64_t{1}, int64_t{100000000}))
      ->capture_default_str();
  sub->add_option("--seed", o->seed, "the stream of cases (default: a random seed, printed)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 62));
  sub->add_option("--first", o->regress.first, "index of the first case in the stream")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 62))
      ->capture_default_str();
  sub->add_option("--case", o->one_case, "run only case K of the stream (a reproducer)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 62))
      ->excludes(sub->get_option("--cases"))
      ->excludes(sub->get_option("--first"));
  sub->add_option("--engines", o->engines,
                  "engines compared with golden, comma-separated: systemc, rtl (the RTL under "
                  "Verilator; its cases come from a stream of their own, within what the RTL "
                  "implements)")
      ->capture_default_str();
  sub->add_option("--rtl-capacity", o->rtl_capacity,
                  "with the rtl engine, the capacity its stream's cases are drawn within and its "
                  "builds pinned at: small (MaxT 8, MaxIn 64, MaxH 32, as the rtl tests) or "
                  "reference (MaxT 400, MaxIn 128, MaxH 128: sentiment-h128's and ocr-bilstm's "
                  "sizes)")
      ->capture_default_str();
  sub->add_option("--jobs", o->regress.jobs, "cases run at a time")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  sub->add_option("--case-timeout", o->regress.case_timeout_s,
                  "seconds before an engine's run of a case is stopped and counted as a mismatch "
                  "(default 300, and 3600 with the rtl engine, whose first case of a parameter "
                  "set includes the Verilator build)")
      ->check(CLI::Range(0.001, 1e6))
      ->each([o](const std::string&) { o->case_timeout_given = true; });
  sub->add_option("--out", o->regress.out,
                  "folder for regress.json and the files of each failing case")
      ->capture_default_str();
  sub->add_flag("--keep", o->regress.keep, "keep the files of the cases that agreed too");
  return [o] { return regress(*o); };
}

}  // namespace sparrow
