// Every engine by name (`--engine`): the SystemC model (in this process, or in a child process
// for a caller that elaborates more than once), the RTL under Verilator, the analytic evaluator
// and the golden model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engines/engine.h"
#include "engines/rtl_engine.h"
#include "trace/trace.h"

namespace sparrow {

struct EngineOptions {
  int64_t watchdog_cycles = int64_t{1} << 40;  // systemc: stop with an error past this cycle
  TraceRecorder* trace = nullptr;              // systemc in this process: record the run
  bool systemc_in_child = false;               // systemc: elaborate in a child process
  RtlParamFloors rtl_floors;                   // rtl: capacity floors (--rtl-param)
  RtlEngineOptions rtl;                        // rtl: back-pressure, waves, case folder, runs
};

// The names `--engine` takes.
const std::vector<std::string>& engine_names();

// The engine `name` names (one of engine_names()).
std::unique_ptr<Engine> make_engine(const std::string& name, const EngineOptions& o = {});

// The RTL engine, for callers that need its build and runner's figures beside the result.
class RtlEngine : public Engine {
 public:
  RtlEngine(RtlParamFloors floors, RtlEngineOptions o)
      : floors_(std::move(floors)), options_(std::move(o)) {}
  std::string name() const override { return "rtl"; }
  // Outputs, and as activity the contract's with the RTL's own cycles; `disagreement` names the
  // first counter the RTL disagrees with the contract on.
  EngineResult run(const EngineCase& c) override;
  // The same on the RTL's case of `c` built already (rtl_case with this engine's floors).
  EngineResult run(const EngineCase& c, const RtlCase& rc);
  const RtlEngineRun& last_run() const { return run_; }

 private:
  RtlParamFloors floors_;
  RtlEngineOptions options_;
  RtlEngineRun run_;
};

}  // namespace sparrow
