// Google Benchmark of the golden models on the reference workloads: MAC slots per second of the
// bit-exact fixed-point sparse model, and the float reference's time for comparison.
// Usage: build/bench/bench_golden [--benchmark_filter=ptb-medium] [--benchmark_repetitions=3]
#include <benchmark/benchmark.h>

#include <string>

#include "compress/compressor.h"
#include "golden/lstm_fixed.h"
#include "golden/lstm_float.h"

namespace sparrow {
namespace {

struct Point {
  ArchConfig arch;
  WorkloadConfig workload;
  LstmWeights weights;
  Eigen::MatrixXd x;
  CompressedModel model;
  RawMatrix xq;
};

Point make_point(const std::string& workload, double sx, double sh) {
  Point p;
  p.arch = load_arch_config(SPARROW_SOURCE_DIR "/configs/arch/brds.yaml");
  p.arch.compression.sx = sx;
  p.arch.compression.sh = sh;
  p.workload = load_workload_config(SPARROW_SOURCE_DIR "/configs/workloads/" + workload + ".yaml");
  p.weights = make_lstm_weights(p.workload);
  p.x = make_input_sequence(p.workload);
  p.model = compress_model(p.weights, p.arch);
  p.xq = quantize_inputs(p.x, p.arch.arith.act);
  return p;
}

void fixed(benchmark::State& state, const Point& p) {
  int64_t slots = 0;
  for (auto _ : state) {
    FixedRun run = run_lstm_fixed(p.model, p.arch, p.xq);
    slots = run.mac_slots;
    benchmark::DoNotOptimize(run.outputs.data());
  }
  state.counters["mac_slots"] = double(slots);
  state.counters["MACs/s"] =
      benchmark::Counter(double(slots), benchmark::Counter::kIsIterationInvariantRate);
}

void floating(benchmark::State& state, const Point& p) {
  for (auto _ : state) {
    Eigen::MatrixXd y = run_lstm_float(p.model.pruned, p.x);
    benchmark::DoNotOptimize(y.data());
  }
}

}  // namespace
}  // namespace sparrow

int main(int argc, char** argv) {
  using sparrow::Point;
  benchmark::Initialize(&argc, argv);
  // The brds design's ratios (sx 0.875, sh 0.75) on every reference workload, and ptb-medium at
  // 90% in both matrices (the SystemC model's speed target is set on that point).
  static std::vector<std::pair<std::string, Point>> points;
  const std::string filter = benchmark::GetBenchmarkFilter();
  for (const char* w :
       {"sentiment-h128", "ptb-small", "ptb-medium", "ptb-large", "speech-lstmp", "ocr-bilstm"})
    points.emplace_back(w, Point{});
  points.emplace_back("ptb-medium@0.9", Point{});
  for (auto& [name, p] : points) {
    if (filter != "all" && filter != "." && name.find(filter) == std::string::npos &&
        filter.find(name) == std::string::npos)
      continue;
    const bool s90 = name.find("@0.9") != std::string::npos;
    p = sparrow::make_point(name.substr(0, name.find('@')), s90 ? 0.9 : 0.875, s90 ? 0.9 : 0.75);
    benchmark::RegisterBenchmark(("golden_fixed/" + name).c_str(), sparrow::fixed, std::cref(p))
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("golden_float/" + name).c_str(), sparrow::floating, std::cref(p))
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
