#include "csr/csr.h"

#include <cstring>

namespace sparrow {

Csr::Csr(sc_core::sc_module_name name) : sc_module(name), socket("socket"), irq_o("irq_o") {
  socket.register_b_transport(this, &Csr::b_transport);
  regs_[kCsrSequences / 4] = 1;
}

void Csr::set_busy() {
  regs_[kCsrStatus / 4] = 1;
}

void Csr::set_done() {
  regs_[kCsrStatus / 4] = 2;
  irq_o.write(true);
}

void Csr::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time&) {
  const uint64_t addr = p.get_address();
  if (p.get_data_length() != 4 || addr % 4 != 0 || addr >= kCsrEnd) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  uint32_t v = 0;
  if (p.is_read()) {
    v = regs_[addr / 4];
    std::memcpy(p.get_data_ptr(), &v, 4);
  } else {
    std::memcpy(&v, p.get_data_ptr(), 4);
    if (addr == kCsrCtrl) {
      if (v & 1) start_event.notify(sc_core::SC_ZERO_TIME);
      if (v & 2) {
        regs_[kCsrStatus / 4] &= ~2u;
        irq_o.write(false);
      }
    } else if (addr == kCsrStatus || (addr >= kCsrCycles && addr < kCsrSequences)) {
      p.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
      return;
    } else {
      regs_[addr / 4] = v;
    }
  }
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace sparrow
