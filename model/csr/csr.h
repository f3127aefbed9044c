// The CSR block: a TLM-2.0 target implementing the register map of csr/regmap.h (generated from
// rtl/regmap.yaml; docs/registers.md), the same map as the RTL's: the registers and the load
// descriptor table through which the host programs a run, the status and the counters. A run's
// end sets IRQ_STATUS.DONE; irq_o is high while IRQ_STATUS and IRQ_ENABLE share a bit.
// CTRL.SOFT_RESET while idle clears the status and the counters at once; during a run the
// controller aborts the run (soft_reset_event) and calls finish_soft_reset once it is quiet.
#pragma once

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <array>
#include <cstdint>
#include <vector>

#include "csr/regmap.h"

namespace sparrow {

class Csr : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Csr> socket;
  sc_core::sc_out<bool> irq_o;

  explicit Csr(sc_core::sc_module_name name);

  // csr2ctrl: CTRL.START, and CTRL.SOFT_RESET during a run.
  const sc_core::sc_event& start_event() const { return start_event_; }
  const sc_core::sc_event& soft_reset_event() const { return soft_reset_event_; }

  uint32_t reg(uint32_t addr) const { return regs_[addr / 4]; }
  uint64_t reg64(uint32_t addr) const {
    return uint64_t(regs_[addr / 4]) | uint64_t(regs_[addr / 4 + 1]) << 32;
  }
  // Word `word` (a kCsrDesc* offset) of load descriptor e.
  uint32_t descriptor(size_t e, uint32_t word) const {
    return desc_[e * (kCsrDescStride / 4) + word / 4];
  }
  size_t descriptors() const { return desc_.size() / (kCsrDescStride / 4); }
  void set_counter(uint32_t addr, uint64_t v) {
    regs_[addr / 4] = uint32_t(v);
    regs_[addr / 4 + 1] = uint32_t(v >> 32);
  }
  void set_busy();
  void set_done();
  void set_refused();  // DONE and ERROR: nothing ran, or the memory refused a transfer
  // SOFT_RESET was written during the run in progress.
  bool soft_reset_pending() const { return soft_reset_pending_; }
  // The aborted run is over: the status, the interrupt status and the counters clear.
  void finish_soft_reset();

 private:
  sc_core::sc_event start_event_;
  sc_core::sc_event soft_reset_event_;
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  void write_word(uint32_t addr, uint32_t v, uint32_t strobe);
  void raise_done(uint32_t status);
  void update_irq();

  std::array<uint32_t, kCsrEnd / 4> regs_{};
  std::array<const CsrRegInfo*, kCsrEnd / 4> info_{};  // the register of each word, or null
  std::vector<uint32_t> desc_;
  bool soft_reset_pending_ = false;
};

}  // namespace sparrow
