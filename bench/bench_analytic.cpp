// Google Benchmark of one analytic design point without weights: the bank geometry from the
// configs, the timing contract, the energy and the resources. Sweeps evaluate thousands of these.
// Usage: build/bench/bench_analytic [--benchmark_repetitions=3]
#include <benchmark/benchmark.h>

#include <string>

#include "compress/compressor.h"
#include "energy/energy_model.h"
#include "energy/resources.h"
#include "timing/timing_model.h"

namespace sparrow {
namespace {

void analytic_point(benchmark::State& state, const std::string& arch_name,
                    const std::string& workload) {
  const ArchConfig arch =
      load_arch_config(SPARROW_SOURCE_DIR "/configs/arch/" + arch_name + ".yaml");
  const WorkloadConfig w =
      load_workload_config(SPARROW_SOURCE_DIR "/configs/workloads/" + workload + ".yaml");
  const EnergyTable table =
      load_energy_table(SPARROW_SOURCE_DIR "/configs/energy/asic-45nm-horowitz.yaml");
  for (auto _ : state) {
    const CompressedModel m = compress_geometry(w, arch);
    const Activity a = evaluate_timing(m, arch, w);
    EnergyReport e = energy_report(table, a, arch, w, m);
    ResourceReport r = estimate_resources(arch, w, m);
    benchmark::DoNotOptimize(e);
    benchmark::DoNotOptimize(r);
  }
  state.counters["points/s"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK_CAPTURE(analytic_point, brds_s90_ptb_medium, "brds-s90", "ptb-medium")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(analytic_point, brds_sentiment, "brds", "sentiment-h128")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(analytic_point, bbs_like_ptb_large, "../papers/bbs-like", "ptb-large")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace sparrow

BENCHMARK_MAIN();
