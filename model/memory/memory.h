// DRAM as a TLM-2.0 target: a byte array with latency and bandwidth. b_transport annotates the
// access time of one burst (latency + its beats); the debug transport is the host's back door.
#pragma once

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <vector>

#include "config/arch_config.h"

namespace sparrow {

class Memory : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Memory> socket;        // the DMA
  tlm_utils::simple_target_socket<Memory> debug_socket;  // the host's back door (debug only)

  Memory(sc_core::sc_module_name name, const MemoryConfig& cfg, uint64_t bytes);

  int64_t transactions() const { return transactions_; }

 private:
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& p);
  bool access(tlm::tlm_generic_payload& p);

  MemoryConfig cfg_;
  std::vector<uint8_t> data_;
  int64_t transactions_ = 0;
};

}  // namespace sparrow
