// The DMA engine: a TLM-2.0 initiator with an AXI-like read channel and write channel
// (docs/timing.md, "The memory channels"). A transfer is split into bursts that pipeline back to
// back; the call returns the cycle the transfer completes. The data moves at once (loosely
// timed): callers must not use it before the returned cycle.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <stdexcept>

#include "config/arch_config.h"
#include "timing/schedule.h"
#include "trace/trace.h"

namespace sparrow {

// A transfer the memory answered with an error (an address outside it): the run stops.
struct MemoryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Dma : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Dma> mem_socket;

  Dma(sc_core::sc_module_name name, const MemoryConfig& cfg);

  // Requested at the current cycle; returns the completion cycle. MemoryError on a TLM error.
  // `what`
  // (a string literal) names the transfer in traces.
  int64_t read(uint64_t addr, uint8_t* dst, uint64_t bytes, const char* what);
  int64_t write(uint64_t addr, const uint8_t* src, uint64_t bytes, const char* what);

  // Records each transfer's channel occupancy on the dma.read or dma.write track (its
  // completion in the "done" argument) and the bytes moved, counted at completion.
  void set_trace(TraceRecorder* trace);

  // A run starts: the counters restart from zero.
  void begin_run();
  // The cycle the last transfer requested so far completes.
  int64_t quiet() const { return quiet_; }

  // Counted when requested.
  int64_t read_bytes() const { return read_.bytes(); }
  int64_t write_bytes() const { return write_.bytes(); }
  int64_t bursts() const { return read_.bursts() + write_.bursts(); }

 private:
  int64_t transfer(MemoryChannel& channel, tlm::tlm_command cmd, uint64_t addr, uint8_t* data,
                   uint64_t bytes, const char* what);

  MemoryConfig cfg_;
  MemoryChannel read_, write_;
  TraceRecorder* trace_ = nullptr;
  int read_track_ = 0, write_track_ = 0;
  int64_t quiet_ = 0;
};

}  // namespace sparrow
