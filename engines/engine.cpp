#include "engines/engine.h"

#include "common/stopwatch.h"
#include "timing/timing_model.h"

namespace sparrow {

EngineResult AnalyticEngine::run(const EngineCase& c) {
  const auto t0 = SteadyClock::now();
  EngineResult r;
  r.activity = evaluate_timing(c.model, c.arch, c.workload);
  r.seconds = seconds_since(t0);
  return r;
}

}  // namespace sparrow
