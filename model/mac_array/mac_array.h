// A row-balanced sparse MAC array: P PEs of L lanes. In a phase, PE p issues one bank word (L
// MACs) per cycle over its rows q = p, p+P, ... back to back; a row's result leaves the
// accumulator A = 3 + ceil(log2 L) cycles after its last word issues (docs/timing.md). One call
// computes a whole phase (numbers and timing); the array is then busy until the returned cycle.
#pragma once

#include <systemc>

#include <cstdint>
#include <vector>

#include "arith/gate_arith.h"
#include "timing/activity.h"
#include "trace/trace.h"
#include "vector_buffer/vector_buffer.h"
#include "weight_bank/weight_bank.h"

namespace sparrow {

// One phase's results, from a MAC array to the gate unit (or the projection output stage).
struct Mac2Gate {
  int pass = 0;
  int step = 0;
  Matrix matrix = Matrix::kWx;
  std::vector<int64_t> result;  // per hardware row: the accumulator, times the scale if binarized
  std::vector<int64_t> ready;   // per hardware row: the cycle the result is ready
};

class MacArray : public sc_core::sc_module {
 public:
  // An array of `size` (its PEs and lanes) with the arithmetic of `arch`.
  MacArray(sc_core::sc_module_name name, const ArchConfig& arch, const ArraySize& size,
           ArrayActivity& activity);

  // Runs a phase starting now on `bank` with the input vector `vec` (padded); returns the cycle
  // the array finishes issuing.
  int64_t run_phase(const WeightBank& bank, VectorBuffer& vec, Mac2Gate& out);

  // Records each phase on the track named after the module, and the MAC slots it executes.
  void set_trace(TraceRecorder* trace);

 private:
  GateArith arith_;
  int pes_, lanes_, latency_;
  ArrayActivity& activity_;
  std::vector<int64_t> issued_;  // per PE: words issued in the current phase
  TraceRecorder* trace_ = nullptr;
  int track_ = 0;
};

}  // namespace sparrow
