// What a cycle-level run counts (docs/timing.md, "Counters and breakdowns"). The SystemC model
// and the analytic evaluator fill the same struct, so tests compare them field by field.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sparrow {

struct ArrayActivity {
  std::string name;  // "wx" and "wh" for separate arrays, "shared" for one shared array
  int64_t busy = 0;  // cycles issuing words
  int64_t stall_memory = 0;
  int64_t stall_recurrence = 0;
  int64_t stall_gate = 0;
  int64_t mac_slots = 0;       // words issued x lanes
  int64_t words = 0;           // bank words read
  int64_t bank_bits_read = 0;  // words x word bits
  int64_t buffer_reads = 0;    // vector-buffer reads, one per lane and word

  bool operator==(const ArrayActivity& o) const {
    return name == o.name && busy == o.busy && stall_memory == o.stall_memory &&
           stall_recurrence == o.stall_recurrence && stall_gate == o.stall_gate &&
           mac_slots == o.mac_slots && words == o.words && bank_bits_read == o.bank_bits_read &&
           buffer_reads == o.buffer_reads;
  }
};

// The gate unit's counters.
struct GateActivity {
  int64_t units = 0;        // hidden units through the gate unit
  int64_t lut_sigmoid = 0;  // 3 per unit
  int64_t lut_tanh = 0;     // 2 per unit
  int64_t cell_reads = 0;
  int64_t cell_writes = 0;

  bool operator==(const GateActivity& o) const {
    return units == o.units && lut_sigmoid == o.lut_sigmoid && lut_tanh == o.lut_tanh &&
           cell_reads == o.cell_reads && cell_writes == o.cell_writes;
  }
};

// The DMA's counters: DRAM traffic on its two channels.
struct DmaActivity {
  int64_t read_bytes = 0;
  int64_t write_bytes = 0;
  int64_t bursts = 0;  // transfers split into memory.burst_bytes pieces, both channels

  bool operator==(const DmaActivity& o) const {
    return read_bytes == o.read_bytes && write_bytes == o.write_bytes && bursts == o.bursts;
  }
};

// A run's statistics, as a tree by unit: the run's own figures, then each MAC array's, the gate
// unit's and the DMA's (report.json's "performance" section has the same tree,
// docs/report.md).
struct Activity {
  int64_t cycles = 0;  // START to the done interrupt
  bool weights_on_chip = true;
  int64_t weights_loaded = 0;          // the first pass's start (0 when streamed)
  std::vector<int64_t> pass_end;       // the cycle each pass ends (hdone of its last step)
  std::vector<int64_t> sequence_done;  // c_k: each sequence's last pass end and output write
  std::vector<ArrayActivity> arrays;
  GateActivity gate;
  DmaActivity dma;

  bool operator==(const Activity& o) const {
    return cycles == o.cycles && weights_on_chip == o.weights_on_chip &&
           weights_loaded == o.weights_loaded && pass_end == o.pass_end &&
           sequence_done == o.sequence_done && arrays == o.arrays && gate == o.gate && dma == o.dma;
  }
};

}  // namespace sparrow
