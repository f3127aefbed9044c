#include "memory/memory.h"

#include <cstring>

#include "sim/cycles.h"

namespace sparrow {

Memory::Memory(sc_core::sc_module_name name, const MemoryConfig& cfg, uint64_t bytes)
    : sc_module(name), socket("socket"), debug_socket("debug_socket"), cfg_(cfg), data_(bytes, 0) {
  socket.register_b_transport(this, &Memory::b_transport);
  socket.register_transport_dbg(this, &Memory::transport_dbg);
  debug_socket.register_transport_dbg(this, &Memory::transport_dbg);
}

bool Memory::access(tlm::tlm_generic_payload& p) {
  const uint64_t addr = p.get_address();
  const unsigned len = p.get_data_length();
  if (addr > data_.size() || len > data_.size() - addr) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return false;
  }
  if (len > 0 && p.is_read())
    std::memcpy(p.get_data_ptr(), &data_[addr], len);
  else if (len > 0 && p.is_write())
    std::memcpy(&data_[addr], p.get_data_ptr(), len);
  p.set_response_status(tlm::TLM_OK_RESPONSE);
  return true;
}

void Memory::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  if (!access(p)) return;
  ++transactions_;
  const int64_t beats = (p.get_data_length() + cfg_.bytes_per_cycle - 1) / cfg_.bytes_per_cycle;
  delay += sc_cycles(cfg_.latency_cycles + beats);
}

unsigned int Memory::transport_dbg(tlm::tlm_generic_payload& p) {
  return access(p) ? p.get_data_length() : 0;
}

}  // namespace sparrow
