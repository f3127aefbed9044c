#include "engines/engines.h"

#include <stdexcept>

#include "common/stopwatch.h"
#include "engines/systemc_child.h"
#include "engines/systemc_engine.h"
#include "timing/timing_model.h"

namespace sparrow {
namespace {

// The SystemC model, held to the timing contract's cycle count.
class SystemcEngine : public Engine {
 public:
  explicit SystemcEngine(const EngineOptions& o) : options_(o) {}
  std::string name() const override { return "systemc"; }
  EngineResult run(const EngineCase& c) override {
    const auto t0 = SteadyClock::now();
    const SystemcRun sc =
        options_.systemc_in_child
            ? run_systemc_in_child(c.model, c.arch, c.workload, c.inputs, options_.watchdog_cycles)
            : run_systemc(c.model, c.arch, c.workload, c.inputs, options_.watchdog_cycles,
                          options_.trace);
    EngineResult r;
    r.seconds = seconds_since(t0);
    r.outputs = sc.outputs;
    r.activity = sc.activity;
    r.contract = evaluate_timing(c.model, c.arch, c.workload);
    if (r.contract->cycles != sc.activity.cycles)
      r.disagreement = "the timing contract's cycle count";
    return r;
  }

 private:
  EngineOptions options_;
};

}  // namespace

const std::vector<std::string>& engine_names() {
  static const std::vector<std::string> names = {"systemc", "analytic", "rtl", "golden"};
  return names;
}

std::unique_ptr<Engine> make_engine(const std::string& name, const EngineOptions& o) {
  if (name == "systemc") return std::make_unique<SystemcEngine>(o);
  if (name == "rtl") return std::make_unique<RtlEngine>(o.rtl_floors, o.rtl);
  if (name == "analytic") return std::make_unique<AnalyticEngine>();
  if (name == "golden") return std::make_unique<GoldenEngine>();
  throw std::logic_error("make_engine: no engine named " + name);
}

// The RTL reports its own cycles, MAC slots, DRAM traffic and LUT lookups; the per-unit counts
// the energy model needs beyond those are the timing contract's, which the RTL's own counters
// are checked against.
EngineResult RtlEngine::run(const EngineCase& c) {
  return run(c, rtl_case(c.model, c.arch, c.workload, c.inputs, floors_));
}

EngineResult RtlEngine::run(const EngineCase& c, const RtlCase& rc) {
  const Activity contract = evaluate_timing(c.model, c.arch, c.workload);
  const auto t0 = SteadyClock::now();
  run_ = run_rtl(rc, c.arch, contract.cycles, options_);
  EngineResult r;
  r.seconds = seconds_since(t0);
  r.contract = contract;
  if (!run_.result.finished) {
    r.unfinished = run_.result.message;
    return r;
  }
  r.outputs = run_.result.outputs;
  RtlReport report{
      run_.build.key, run_.build.cached, run_.build.seconds, run_.result.wall_seconds, {}};
  for (const auto& [name, value] : rtl_counters(contract)) {
    const auto it = run_.result.values.find(name);
    const int64_t got = it == run_.result.values.end() ? -1 : it->second;
    report.counters[name] = {got, value};
    if (got != value && r.disagreement.empty())
      r.disagreement = "the timing contract's " + name + " (RTL " + std::to_string(got) +
                       ", contract " + std::to_string(value) + ")";
  }
  r.rtl = std::move(report);
  r.activity = contract;
  r.activity->cycles = run_.result.values.at("cycles");
  return r;
}

}  // namespace sparrow
