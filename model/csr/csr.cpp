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

void Csr::raise_done(uint32_t status) {
  regs_[kCsrStatus / 4] = status;
  regs_[kCsrIrqStatus / 4] |= kCsrIrqStatusDone;
  update_irq();
}

void Csr::set_done() {
  raise_done(kCsrStatusDone);
}

void Csr::set_refused() {
  raise_done(kCsrStatusDone | kCsrStatusError);
}

void Csr::finish_soft_reset() {
  soft_reset_pending_ = false;
  for (const CsrRegInfo& r : kCsrRegs)
    if (r.access == CsrAccess::kRo || r.access == CsrAccess::kW1c)
      for (int w = 0; w < r.words; ++w) regs_[r.offset / 4 + size_t(w)] = 0;
  update_irq();
}

void Csr::update_irq() {
  irq_o.write((regs_[kCsrIrqStatus / 4] & regs_[kCsrIrqEnable / 4]) != 0);
}

// A host write of `v` with byte strobe `strobe` (a mask of the bytes written).
void Csr::write_word(uint32_t addr, uint32_t v, uint32_t strobe) {
  v &= strobe;
  if (addr == kCsrCtrl) {
    const bool busy = regs_[kCsrStatus / 4] & kCsrStatusBusy;
    if (v & kCsrCtrlSoftReset) {
      if (!busy) {
        finish_soft_reset();
      } else if (!soft_reset_pending_) {
        soft_reset_pending_ = true;
        soft_reset_event_.notify(sc_core::SC_ZERO_TIME);
      }
    } else if ((v & kCsrCtrlStart) && !busy) {
      start_event_.notify(sc_core::SC_ZERO_TIME);
    }
  } else if (addr == kCsrIrqStatus) {
    regs_[addr / 4] &= ~v;
    update_irq();
  } else {
    regs_[addr / 4] = (regs_[addr / 4] & ~strobe) | v;
    if (addr == kCsrIrqEnable) update_irq();
  }
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
    // TLM byte enables (AXI WSTRB): 0xff enables a byte; a pattern repeats over the data.
    uint32_t strobe = ~0u;
    if (const unsigned char* be = p.get_byte_enable_ptr()) {
      const unsigned n = p.get_byte_enable_length();
      strobe = 0;
      for (unsigned b = 0; b < 4 && n > 0; ++b)
        if (be[b % n] == TLM_BYTE_ENABLED) strobe |= 0xffu << (8 * b);
    }
    if (table) {
      uint32_t& d = desc_[(addr - kCsrDescBase) / 4];
      d = (d & ~strobe) | (v & strobe);
    } else if (info->access == CsrAccess::kRo) {
      p.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
      return;
    } else {
      write_word(uint32_t(addr), v, strobe);
    }
  }
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace sparrow
