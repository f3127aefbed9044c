// The CSR block: a TLM-2.0 target of 32-bit registers through which the host programs the run
// (dimensions, addresses, start) and reads status and counters. Done raises irq_o.
#pragma once

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <array>
#include <cstdint>

namespace sparrow {

enum CsrReg : uint32_t {
  kCsrCtrl = 0x00,    // write 1: start; write 2: clear done and the interrupt
  kCsrStatus = 0x04,  // bit 0 busy, bit 1 done
  kCsrSeqLen = 0x08,
  kCsrLayers = 0x0c,
  kCsrDirections = 0x10,
  kCsrInputSize = 0x14,
  kCsrHiddenSize = 0x18,
  kCsrProjSize = 0x1c,
  kCsrWxWordsPerRow = 0x20,  // the row-balanced row length of W_x (0xffffffff: rows differ)
  kCsrWhWordsPerRow = 0x24,
  kCsrWeightBase = 0x28,  // 64-bit addresses: low word, high word at +4
  kCsrInputBase = 0x30,
  kCsrOutputBase = 0x38,
  kCsrCycles = 0x40,  // 64-bit counters, read-only
  kCsrMacSlots = 0x48,
  kCsrDramReadBytes = 0x50,
  kCsrDramWriteBytes = 0x58,
  kCsrLutLookups = 0x60,
  kCsrSequences = 0x68,  // a session's sequences (docs/timing.md, "Sessions"); reset value 1
  kCsrEnd = 0x6c,
};

class Csr : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Csr> socket;
  sc_core::sc_out<bool> irq_o;
  sc_core::sc_event start_event;

  explicit Csr(sc_core::sc_module_name name);

  uint32_t reg(uint32_t addr) const { return regs_[addr / 4]; }
  uint64_t reg64(uint32_t addr) const {
    return uint64_t(regs_[addr / 4]) | uint64_t(regs_[addr / 4 + 1]) << 32;
  }
  void set_counter(uint32_t addr, uint64_t v) {
    regs_[addr / 4] = uint32_t(v);
    regs_[addr / 4 + 1] = uint32_t(v >> 32);
  }
  void set_busy();
  void set_done();

 private:
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);

  std::array<uint32_t, kCsrEnd / 4> regs_{};
};

}  // namespace sparrow
