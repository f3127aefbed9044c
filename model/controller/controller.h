// The controller: on START it reads the registers and the load descriptors (what the run is:
// controller/program.h), has the DMA bring the weights (once, or every
// phase when they do not fit on chip) and each pass's inputs, and starts every MAC-array phase at
// the first cycle its dependencies allow (docs/timing.md, "Phases and arrays"): W_x x_{t+1}
// overlaps W_h h_t, the gate unit takes units as their rows complete, outputs go out as each
// step completes. Done raises the CSR interrupt; the device runs again on the next START, and
// CTRL.SOFT_RESET aborts a run (docs/registers.md).
#pragma once

#include <systemc>

#include <cstdint>
#include <string>
#include <vector>

#include "csr/csr.h"
#include "dma/dma.h"
#include "gate_unit/gate_unit.h"
#include "mac_array/mac_array.h"
#include "timing/schedule.h"
#include "weight_bank/weight_bank.h"

namespace sparrow {

class Controller : public sc_core::sc_module {
 public:
  Controller(sc_core::sc_module_name name, const ArchConfig& arch, Csr& csr, Dma& dma,
             MacArray& x_array, MacArray& h_array, GateUnit& gate, Activity& activity);

  // For the watchdog's message: what the controller is doing.
  std::string state() const;
  // Why START was refused or the run stopped (STATUS.ERROR): the register, its value and what it
  // may be, or the transfer the memory refused.
  const std::string& refusal() const { return refusal_; }

  // Records each pass on the controller track, the pass counter and the done cycle.
  void set_trace(TraceRecorder* trace);

 private:
  struct ArrayRun {
    MacArray* array;
    ArrayActivity* activity;
    std::vector<PhaseRef> seq;
    std::vector<int64_t> weights_ready;  // per phase of seq (streamed weights)
    size_t next = 0;
    int64_t free = 0;  // finish of the previous phase
  };

  // One pass of a batch in progress: its geometry, its arrays' phases, its inputs and its events
  // so far. Its steps are the batch steps v = t B + b (docs/timing.md, "Batches").
  struct PassRun {
    PassRun(const PassGeometry& geometry, const ArchConfig& arch, int seq_len, int batch)
        : g(&geometry),
          seq_len(seq_len),
          batch(batch),
          steps(seq_len * batch),
          proj(geometry.wr.rows > 0),
          xready(size_t(steps)),
          x_finish(size_t(steps)),
          hdone_r(size_t(steps), kUnknownCycle),
          transposer(arch, geometry.input_size, steps) {}
    // The sequence of the batch batch step v is of, and v's position in that sequence (the
    // reverse direction processes it backwards).
    size_t member(int v) const { return size_t(v % batch); }
    int time_index(int v) const { return g->direction ? seq_len - 1 - v / batch : v / batch; }

    size_t k = 0;
    const PassGeometry* g;
    int seq_len, batch, steps;
    bool proj;
    int64_t start = 0;
    uint64_t in_row = 0, out_row = 0;         // bytes of a step's input and output rows
    uint64_t in_stride = 0, out_stride = 0;   // their DRAM strides (row_stride)
    std::vector<uint64_t> in_base, out_base;  // per sequence of the batch
    std::vector<ArrayRun> arrays;
    std::vector<std::vector<uint8_t>> x_in;  // each step's input bytes
    std::vector<int64_t> xready, x_finish;   // per step: input read done, X phase finished
    std::vector<int64_t> hdone_r;            // per step, with projection
    InputTransposer transposer;
    int written = 0;  // steps whose outputs have been written
  };

  // A SOFT_RESET during the run: thrown from the controller's waits.
  struct Aborted {};

  void run();
  void begin_run();
  // One run from START; false when the registers were refused (STATUS.ERROR).
  bool execute();
  void sleep_until(int64_t c);
  int64_t run_pass(size_t k);
  PassRun begin_pass(size_t k);
  void place_pass(PassRun& r) const;
  int64_t hdone(const PassRun& r, int t) const;
  void write_outputs(PassRun& r, int64_t now);
  PhaseDependencies dependencies(PassRun& r, const ArrayRun& a);
  void start_phase(PassRun& r, ArrayRun& a);
  void load_weights_on_chip();
  // Reads pass k's weights of matrix m for a phase; returns when they are in the banks.
  int64_t request_weights(size_t k, Matrix m);

  const ArchConfig& arch_;
  std::vector<PassGeometry> passes_;  // what the registers program, read on START
  std::string refusal_;
  Csr& csr_;
  Dma& dma_;
  MacArray& x_array_;
  MacArray& h_array_;
  GateUnit& gate_;
  Activity& activity_;
  WeightLayout layout_;                         // of passes_
  std::vector<std::vector<WeightBank>> banks_;  // [pass][matrix]
  std::vector<std::vector<int64_t>> bias_;      // [pass]
  VectorBuffer x_buf_;
  std::vector<VectorBuffer> state_bufs_, hidden_bufs_;  // per sequence of the batch
  std::vector<uint8_t> stream_buf_;                     // streamed weights as the DMA brings them
  bool on_chip_ = true;
  int64_t last_write_done_ = 0;
  int sequence_ = 0;  // the running batch's first sequence
  size_t pass_ = 0;
  int step_ = 0;
  TraceRecorder* trace_ = nullptr;
  int track_ = 0;
};

}  // namespace sparrow
