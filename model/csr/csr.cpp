#include "csr/csr.h"

#include <cstring>

namespace sparrow {

Csr::Csr(sc_core::sc_module_name name)
    : sc_module(name),
      socket("socket"),
      irq_o("irq_o"),
      desc_((kCsrDescEnd - kCsrDescBase) / 4, 0) {
  socket.register_b_transport(this, &Csr::b_transport);
  for (const CsrRegInfo& r : kCsrRegs)
    for (int w = 0; w < r.words; ++w) {
      info_[r.offset / 4 + size_t(w)] = &r;
      regs_[r.offset / 4 + size_t(w)] = w == 0 ? r.reset : 0;
    }
}

void Csr::set_busy() {
  regs_[kCsrStatus / 4] = kCsrStatusBusy;
}

void Csr::set_done() {
  regs_[kCsrStatus / 4] = kCsrStatusDone;
  irq_o.write(true);
}

void Csr::set_refused() {
  regs_[kCsrStatus / 4] = kCsrStatusDone | kCsrStatusError;
  irq_o.write(true);
}

void Csr::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time&) {
  const uint64_t addr = p.get_address();
  const bool table = addr >= kCsrDescBase && addr < kCsrDescEnd;
  const CsrRegInfo* info = addr < kCsrEnd ? info_[addr / 4] : nullptr;
  if (p.get_data_length() != 4 || addr % 4 != 0 || (!info && !table)) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  uint32_t v = 0;
  if (p.is_read()) {
    if (info && info->access != CsrAccess::kWo) v = regs_[addr / 4];
    std::memcpy(p.get_data_ptr(), &v, 4);
  } else {
    std::memcpy(&v, p.get_data_ptr(), 4);
    if (table) {
      desc_[(addr - kCsrDescBase) / 4] = v;
    } else if (info->access == CsrAccess::kRo) {
      p.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
      return;
    } else if (addr == kCsrCtrl) {
      if ((v & kCsrCtrlStart) && !(regs_[kCsrStatus / 4] & kCsrStatusBusy))
        start_event.notify(sc_core::SC_ZERO_TIME);
      else if (v & kCsrCtrlClear) {
        regs_[kCsrStatus / 4] &= ~kCsrStatusDone;
        irq_o.write(false);
      }
    } else {
      regs_[addr / 4] = v;
    }
  }
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace sparrow
