// Google Benchmark of a sweep's task evaluation (apps/app/task_eval.h): one design point's
// one-shot accuracy, the app's model compressed for the point, the bit-exact golden model on every
// held-out example, the decoder. Loading the app and its float reference is outside the timed loop.
// Usage: build/bench/bench_task [--benchmark_repetitions=3]
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "app/task_eval.h"

namespace sparrow {
namespace {

// The app's own arch.yaml with W_x and W_h pruned to sx and sh.
void evaluate(benchmark::State& state, const std::string& app, double sx, double sh) {
  const std::string dir = SPARROW_SOURCE_DIR "/configs/apps/" + app;
  ArchConfig arch = load_arch_config(dir + "/arch.yaml");
  arch.compression.sx = sx;
  arch.compression.sh = sh;
  for (auto _ : state) {
    state.PauseTiming();  // a fresh evaluator: its memo would answer the second iteration
    auto task = std::make_unique<TaskEvaluator>(dir + "/app.yaml");
    state.ResumeTiming();
    benchmark::DoNotOptimize(task->evaluate(arch));
    state.PauseTiming();
    task.reset();
    state.ResumeTiming();
  }
}

BENCHMARK_CAPTURE(evaluate, sentiment_dense_sx0_sh0, "sentiment-dense", 0.0, 0.0)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(evaluate, sentiment_dense_sx75_sh875, "sentiment-dense", 0.75, 0.875)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(evaluate, charlm_sx875_sh75, "charlm", 0.875, 0.75)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(evaluate, charlm_sx0_sh0, "charlm", 0.0, 0.0)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sparrow

BENCHMARK_MAIN();
