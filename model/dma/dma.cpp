#include "dma/dma.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "sim/cycles.h"

namespace sparrow {

Dma::Dma(sc_core::sc_module_name name, const MemoryConfig& cfg)
    : sc_module(name), mem_socket("mem_socket"), cfg_(cfg), read_(cfg), write_(cfg) {}

void Dma::set_trace(TraceRecorder* trace) {
  trace_ = trace;
  if (!trace_) return;
  read_track_ = trace_->track("dma.read");
  write_track_ = trace_->track("dma.write");
}

// The channel's arithmetic gives the first burst's start; each burst then goes to the memory as
// one TLM transaction at its own start, and the memory's annotated delay (latency + beats) gives
// its completion.
int64_t Dma::transfer(MemoryChannel& channel, tlm::tlm_command cmd, uint64_t addr, uint8_t* data,
                      uint64_t bytes, const char* what) {
  const int64_t now = now_cycle();
  const int64_t first = channel.transfer(now, int64_t(bytes)).start;
  int64_t start = first;
  int64_t done = start;
  for (uint64_t off = 0; off < bytes; off += uint64_t(cfg_.burst_bytes)) {
    const unsigned len = unsigned(std::min<uint64_t>(uint64_t(cfg_.burst_bytes), bytes - off));
    tlm::tlm_generic_payload p;
    p.set_command(cmd);
    p.set_address(addr + off);
    p.set_data_ptr(data + off);
    p.set_data_length(len);
    p.set_streaming_width(len);
    p.set_byte_enable_ptr(nullptr);
    p.set_dmi_allowed(false);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_cycles(start - now);
    mem_socket->b_transport(p, delay);
    if (p.get_response_status() != tlm::TLM_OK_RESPONSE)
      throw MemoryError(std::string("memory error: ") + what + " at address " +
                        std::to_string(addr + off) + " (" + p.get_response_string() + ")");
    done = now + static_cast<int64_t>(delay / sc_cycles(1));
    start += (len + cfg_.bytes_per_cycle - 1) / cfg_.bytes_per_cycle;
  }
  quiet_ = std::max(quiet_, done);
  if (trace_) {
    const bool read = cmd == tlm::TLM_READ_COMMAND;
    trace_->interval(read ? read_track_ : write_track_,
                     std::string(what) + " " + std::to_string(bytes) + " B", first, start,
                     {{"bytes", int64_t(bytes)}, {"addr", int64_t(addr)}, {"done", done}});
    trace_->sample(read ? TraceCounter::kDramReadBytes : TraceCounter::kDramWriteBytes, done,
                   int64_t(bytes));
  }
  return done;
}

void Dma::begin_run() {
  read_.restart_counters();
  write_.restart_counters();
}

int64_t Dma::read(uint64_t addr, uint8_t* dst, uint64_t bytes, const char* what) {
  return transfer(read_, tlm::TLM_READ_COMMAND, addr, dst, bytes, what);
}

int64_t Dma::write(uint64_t addr, const uint8_t* src, uint64_t bytes, const char* what) {
  return transfer(write_, tlm::TLM_WRITE_COMMAND, addr, const_cast<uint8_t*>(src), bytes, what);
}

}  // namespace sparrow
