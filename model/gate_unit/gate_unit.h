// The pipelined gate unit with the bias/accumulate stage and the cell-state memory: it admits
// hidden unit u once the W_x and W_h results of its four rows are ready, at most G units per
// cycle in order, and writes h_u D cycles later (docs/timing.md, "The gate unit"). One
// activation computes a whole step; the unit then stays busy until the step's last write.
#pragma once

#include <systemc>

#include <cstdint>
#include <deque>
#include <vector>

#include "arith/gate_arith.h"
#include "mac_array/mac_array.h"
#include "timing/activity.h"
#include "timing/schedule.h"
#include "trace/trace.h"
#include "vector_buffer/vector_buffer.h"

namespace sparrow {

class GateUnit : public sc_core::sc_module {
 public:
  GateUnit(sc_core::sc_module_name name, const ArchConfig& arch, GateActivity& activity);

  // mac2gate: a W_x or W_h phase's results.
  void push(Mac2Gate msg);
  // Starts a pass: its bias, zero cell state for each sequence of the batch, where each one's h_t
  // goes (its state buffer, or its hidden buffer when a projection follows). Batch step v is
  // sequence v mod B's (docs/timing.md, "Batches").
  void begin_pass(int pass, std::vector<int64_t> bias, std::vector<VectorBuffer*> out);

  // A SOFT_RESET ended the run: the results waiting and the pass are dropped.
  void abort();

  // The projection output stage: r = round(sat(W_r results)) into `state`, the rows admitted
  // through the gate unit's lanes after the step's units; returns hdone.
  int64_t project(const Mac2Gate& wr, VectorBuffer& state);

  // Records each step from its first admission to udone, and the step counter.
  void set_trace(TraceRecorder* trace);

  // gate2ctrl: the cycle step t of the current pass has its hidden units complete (udone_t),
  // known as soon as the step was computed (kUnknownCycle until then); `known()` fires when a
  // step's becomes known. `steps_known()`: how many steps' are.
  int64_t udone(int t) const {
    return size_t(t) < udone_.size() ? udone_[size_t(t)] : kUnknownCycle;
  }
  int steps_known() const { return int(udone_.size()); }
  const sc_core::sc_event& known() const { return known_; }

 private:
  std::vector<int64_t> udone_;
  sc_core::sc_event known_;
  void run();

  GateArith arith_;
  GateAdmission admission_;
  GateActivity& activity_;  // its branch of the run's statistics
  std::deque<Mac2Gate> inbox_;
  sc_core::sc_event inbox_event_;
  int pass_ = -1;
  std::vector<int64_t> bias_;
  std::vector<std::vector<int64_t>> cells_;  // per sequence of the batch
  std::vector<VectorBuffer*> out_;           // per sequence of the batch
  TraceRecorder* trace_ = nullptr;
  int track_ = 0;
};

}  // namespace sparrow
