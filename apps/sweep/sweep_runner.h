// Runs a sweep: the spec's design points, N at a time, each result appended to results.jsonl
// and results.csv as it finishes; a rerun skips the points already recorded (by key). Then the
// Pareto front (pareto.csv) and a report (sweep.md). Analytic points run on threads in this
// process; SystemC points each in a child process (SystemC elaborates once per process), with a
// time limit.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/run_report.h"

namespace sparrow {

struct SweepOptions {
  std::string spec;
  std::string out;
  std::string engine = "analytic";  // analytic | systemc
  int jobs = 1;
  double point_timeout_s = 600;
  int shard_index = 0;
  int shard_count = 1;
  std::string self_exe;  // the sparrow executable, for SystemC points
  std::string default_energy;
  std::string plot_script;         // scripts/plot_sweep.py, run with Debian's python
  std::string front_of;            // a finished sweep folder: run only the points on its front
  std::vector<std::string> merge;  // result folders (of shards) whose rows join --out first
  int slurm_tasks = 0;             // > 0: write a Slurm job array of that many shards, run nothing
  bool cold = false;  // SystemC points: whole runs, no model cache, float references too
};

int run_sweep(const SweepOptions& o);

// The sweep metrics of a run's report (report.json of `sparrow run`, the same for both engines):
// each a finite number, or an InputError naming `where` and the report path (a point whose
// report is malformed, or whose per-watt figures are undefined because its power is 0, fails).
nlohmann::json sweep_metrics_of_report(const RunReport& report, const std::string& where);

}  // namespace sparrow
