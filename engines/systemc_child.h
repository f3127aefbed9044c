// The SystemC engine in a child process: a SystemC design elaborates once per process, so a host
// application that runs many inferences forks one child per inference. The child elaborates and
// simulates (run_systemc) and sends the outputs and the activity back through a pipe; the parent
// never elaborates.
#pragma once

#include "engines/systemc_engine.h"

namespace sparrow {

// As run_systemc; std::runtime_error with the child's message if it failed.
SystemcRun run_systemc_in_child(const CompressedModel& m, const ArchConfig& arch,
                                const WorkloadConfig& w, const RawMatrix& x,
                                int64_t watchdog_cycles);

}  // namespace sparrow
