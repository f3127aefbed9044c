// The SystemC engine: elaborates the host testbench, the accelerator and DRAM, and simulates one
// inference. A SystemC design elaborates once per process: call this at most once.
#pragma once

#include <string>

#include "golden/lstm_fixed.h"
#include "timing/activity.h"
#include "trace/trace.h"

namespace sparrow {

struct SystemcRun {
  RawMatrix outputs;
  Activity activity;
};

// Throws std::runtime_error naming the units and their states if the simulation stops without
// the done interrupt (a deadlock) or runs past watchdog_cycles. With `trace`, the units record
// the run into it.
SystemcRun run_systemc(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                       const RawMatrix& x, int64_t watchdog_cycles, TraceRecorder* trace = nullptr);

}  // namespace sparrow
