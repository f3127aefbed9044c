// The engines behind one interface (docs/architecture.md, "The engines"): each runs one case of
// a design point (a compressed model, its architecture and workload, the quantized inputs) and
// gives back what it produces: its own outputs (systemc, rtl), the cycles and counters (all but
// golden), and what it disagrees with in the timing contract. `sparrow run`, `sparrow verify`,
// `sparrow app` and the sweeps' in-process points run engines through here; `sparrow regress`
// and the sweeps' SystemC points run `sparrow run` in child processes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compress/compressor.h"
#include "config/arch_config.h"
#include "config/workload_config.h"
#include "golden/lstm_fixed.h"
#include "report/run_report.h"
#include "timing/activity.h"

namespace sparrow {

struct EngineCase {
  const CompressedModel& model;
  const ArchConfig& arch;
  const WorkloadConfig& workload;
  const RawMatrix& inputs;  // quantized; sequences x seq_len rows of input_size values
};

struct EngineResult {
  std::optional<RawMatrix> outputs;  // the engine's own outputs (systemc, rtl)
  std::optional<Activity> activity;  // cycles and counters (systemc, rtl, analytic)
  std::optional<Activity> contract;  // the timing contract's figures, which it was held to
  std::string disagreement;          // what it disagrees with in the contract; empty if nothing
  std::string unfinished;  // why the run did not finish (rtl; no outputs then); empty if it did
  std::optional<RtlReport> rtl;  // the RTL engine's report section
  double seconds = 0;            // wall time of the run

  std::optional<int64_t> contract_cycles() const {
    return contract ? std::optional<int64_t>(contract->cycles) : std::nullopt;
  }
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string name() const = 0;
  virtual EngineResult run(const EngineCase& c) = 0;
};

// The timing contract evaluated directly (lib/timing/timing_model.cpp).
class AnalyticEngine : public Engine {
 public:
  std::string name() const override { return "analytic"; }
  EngineResult run(const EngineCase& c) override;
};

// The numbers only: the bit-exact golden model is the reference every run computes anyway, so
// this engine adds nothing to it.
class GoldenEngine : public Engine {
 public:
  std::string name() const override { return "golden"; }
  EngineResult run(const EngineCase&) override { return {}; }
};

}  // namespace sparrow
