#include <memory>

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

int sweep(SweepCliOptions o) {
  const size_t slash = o.shard.find('/');
  try {
    o.sweep.shard_index = std::stoi(o.shard.substr(0, slash));
    o.sweep.shard_count = std::stoi(o.shard.substr(slash + 1));
  } catch (const std::exception&) {
    o.sweep.shard_count = 0;
  }
  if (slash == std::string::npos || o.sweep.shard_count < 1 || o.sweep.shard_index < 0 ||
      o.sweep.shard_index >= o.sweep.shard_count)
    throw_input_error("command line", "--shard", "'" + o.shard + "'", "I/N with 0 <= I < N");
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
