#include <cstdint>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "common/child_process.h"
#include "common/error.h"
#include "sweep/sweep_runner.h"

namespace sparrow {
namespace {

struct SweepCliOptions {
  SweepOptions sweep;
  std::string shard = "0/1";
};

// A decimal integer without sign, blanks or anything after it, at most 100000; -1 otherwise.
int64_t shard_number(const std::string& s) {
  if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos)
    return -1;
  const int64_t v = std::stoll(s);
  return v <= 100000 ? v : -1;
}

int sweep(SweepCliOptions o) {
  // --shard I/N: exactly two decimal integers, 0 <= I < N <= 100000.
  const size_t slash = o.shard.find('/');
  const int64_t index = slash == std::string::npos ? -1 : shard_number(o.shard.substr(0, slash));
  const int64_t count = slash == std::string::npos ? -1 : shard_number(o.shard.substr(slash + 1));
  if (index < 0 || count < 1 || index >= count)
    throw_input_error("command line", "--shard", "'" + o.shard + "'",
                      "I/N, two decimal integers with 0 <= I < N <= 100000 (for example 0/4)");
  o.sweep.shard_index = int(index);
  o.sweep.shard_count = int(count);
  o.sweep.self_exe = self_executable();
  o.sweep.default_energy = SPARROW_DEFAULT_ENERGY_TABLE;
  o.sweep.plot_script = SPARROW_SOURCE_DIR "/scripts/plot_sweep.py";
  return run_sweep(o.sweep);
}

}  // namespace

Command add_sweep_command(CLI::App& app) {
  auto o = std::make_shared<SweepCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "sweep", "Explore a design space: run a sweep spec's points in parallel, resumably");
  sub->add_option("spec", o->sweep.spec, "sweep spec (configs/sweeps/*.yaml)")->required();
  sub->add_option("--out", o->sweep.out, "folder for results.jsonl/.csv, pareto.csv, sweep.md")
      ->required();
  sub->add_option("--engine", o->sweep.engine,
                  "analytic: the timing contract in closed form, on threads; systemc: the "
                  "cycle-accurate model, one process per point")
      ->check(CLI::IsMember({"analytic", "systemc"}))
      ->capture_default_str();
  sub->add_option("--jobs", o->sweep.jobs, "points run at a time")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  sub->add_option("--point-timeout", o->sweep.point_timeout_s,
                  "systemc: seconds before a point is stopped and recorded as timed out")
      ->check(CLI::Range(0.1, 1e6))
      ->capture_default_str();
  sub->add_option("--shard", o->shard, "run only slice I of N (points with index % N == I)")
      ->capture_default_str();
  sub->add_option("--front-of", o->sweep.front_of,
                  "run only the points on the Pareto front of this finished sweep folder (for "
                  "example: analytic over the space, then --engine systemc --front-of it)");
  sub->add_option("--merge", o->sweep.merge,
                  "join these result folders (shards) into --out, then finish the sweep");
  sub->add_option("--slurm", o->sweep.slurm_tasks,
                  "write --out/sweep.sbatch (a Slurm job array of N shards) and merge.sh; run "
                  "nothing")
      ->check(CLI::Range(1, 100000));
  sub->add_flag("--cold", o->sweep.cold,
                "systemc: every point a whole `sparrow run` (compresses its model itself, runs the "
                "float references), without the sweep's model cache; for comparisons");
  return [o] { return sweep(*o); };
}

}  // namespace sparrow
