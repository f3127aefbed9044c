#include "engines/engine.h"

#include <chrono>

#include "timing/timing_model.h"

namespace sparrow {

EngineResult AnalyticEngine::run(const EngineCase& c) {
  const auto t0 = std::chrono::steady_clock::now();
  EngineResult r;
  r.activity = evaluate_timing(c.model, c.arch, c.workload);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace sparrow
