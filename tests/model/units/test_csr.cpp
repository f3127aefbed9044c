// The CSR block: the register map's access rules, start, status, the interrupt and its enable,
// byte strobes, the probes of the map.
#include "unit_rig.h"

namespace sparrow {
namespace {

// A CSR block with its host and its interrupt signal (written by the host's transactions and by
// the device's processes, so many writers).
struct CsrRig {
  Csr csr{"csr"};
  CsrHost host{"host"};
  sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS> irq{"irq"};
  CsrRig() {
    host.socket.bind(csr.socket);
    csr.irq_o.bind(irq);
  }
};

TEST(CsrUnit, RegistersStartStatusInterruptAndRefusals) {
  // The device sets the interrupt and the host's write clears it (as in the accelerator).
  CsrRig rig;
  Csr& csr = rig.csr;
  CsrHost& host = rig.host;
  auto& irq = rig.irq;
  int64_t started = -1;
  std::vector<bool> irq_seen;
  Bench device("device", [&] {
    sc_core::wait(csr.start_event());
    started = now_cycle();
    csr.set_busy();
    sc_core::wait(sc_cycles(5));
    csr.set_counter(kCsrCycles, 0x1234567890ull);
    csr.set_done();
  });
  Bench bench("bench", [&] {
    EXPECT_EQ(host.write(kCsrIrqEnable, kCsrIrqEnableDone), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(host.write(kCsrSeqLen, 7), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(host.read(kCsrSeqLen), 7u);
    EXPECT_EQ(host.write(kCsrInputBase + 4, 0xabcd), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(csr.reg64(kCsrInputBase), 0xabcd00000000ull);
    // Read-only registers refuse writes; unmapped or unaligned or narrow accesses are errors.
    EXPECT_EQ(host.write(kCsrStatus, 1), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(host.write(kCsrCycles, 1), tlm::TLM_COMMAND_ERROR_RESPONSE);
    uint32_t v = 0;
    EXPECT_EQ(host.access(tlm::TLM_READ_COMMAND, kCsrEnd, v), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(host.access(tlm::TLM_READ_COMMAND, 2, v), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(host.access(tlm::TLM_READ_COMMAND, kCsrSeqLen, v, 2),
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
    // The batch registers fill the map's last gaps; past its end is no register; the descriptor
    // table takes writes and reads 0.
    v = 24;
    EXPECT_EQ(host.access(tlm::TLM_WRITE_COMMAND, kCsrBatchSteps, v), tlm::TLM_OK_RESPONSE);
    v = 0;
    EXPECT_EQ(host.access(tlm::TLM_READ_COMMAND, kCsrBatchSteps, v), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(v, 24u);
    EXPECT_EQ(host.access(tlm::TLM_READ_COMMAND, kCsrDescBase - 4, v),
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(host.write(kCsrDescBase + kCsrDescStride + kCsrDescItems, 77), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(csr.descriptor(1, kCsrDescItems), 77u);
    EXPECT_EQ(host.read(kCsrDescBase + kCsrDescStride + kCsrDescItems), 0u);
    EXPECT_EQ(host.read(kCsrSequences), 1u);  // its reset value
    EXPECT_EQ(host.read(kCsrBatch), 1u);
    sc_core::wait(sc_cycles(3));
    EXPECT_EQ(host.write(kCsrCtrl, kCsrCtrlStart), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(host.read(kCsrCtrl), 0u);  // write-only
    sc_core::wait(sc_cycles(1));
    EXPECT_EQ(host.read(kCsrStatus), kCsrStatusBusy);
    EXPECT_EQ(host.write(kCsrCtrl, kCsrCtrlStart), tlm::TLM_OK_RESPONSE);  // ignored while busy
    irq_seen.push_back(irq.read());
    sc_core::wait(sc_cycles(10));
    EXPECT_EQ(host.read(kCsrStatus), kCsrStatusDone);
    irq_seen.push_back(irq.read());
    EXPECT_EQ(host.read(kCsrCycles), 0x34567890u);
    EXPECT_EQ(host.read(kCsrCycles + 4), 0x12u);
    EXPECT_EQ(host.read(kCsrIrqStatus), kCsrIrqStatusDone);
    // Writing 0 to IRQ_STATUS changes nothing; writing 1 clears it and the interrupt.
    EXPECT_EQ(host.write(kCsrIrqStatus, 0), tlm::TLM_OK_RESPONSE);
    sc_core::wait(sc_cycles(1));
    irq_seen.push_back(irq.read());
    EXPECT_EQ(host.write(kCsrIrqStatus, kCsrIrqStatusDone), tlm::TLM_OK_RESPONSE);
    sc_core::wait(sc_cycles(1));
    EXPECT_EQ(host.read(kCsrIrqStatus), 0u);
    EXPECT_EQ(host.read(kCsrStatus), kCsrStatusDone);  // until the next START or SOFT_RESET
    irq_seen.push_back(irq.read());
    // A soft reset while idle clears the status and the counters, not the rw registers.
    EXPECT_EQ(host.write(kCsrCtrl, kCsrCtrlSoftReset), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(host.read(kCsrStatus), 0u);
    EXPECT_EQ(host.read(kCsrCycles), 0u);
    EXPECT_EQ(host.read(kCsrCycles + 4), 0u);
    EXPECT_EQ(host.read(kCsrSeqLen), 7u);
  });
  sc_core::sc_start();
  EXPECT_EQ(started, 3);
  EXPECT_EQ(irq_seen, (std::vector<bool>{false, true, true, false}));
}

// The interrupt is the AND of IRQ_STATUS and IRQ_ENABLE: a run's end with the interrupt disabled
// sets IRQ_STATUS alone; enabling it then raises the interrupt.
TEST(CsrUnit, InterruptIsStatusAndEnable) {
  CsrRig rig;
  Csr& csr = rig.csr;
  CsrHost& host = rig.host;
  auto& irq = rig.irq;
  std::vector<bool> irq_seen;
  Bench bench("bench", [&] {
    csr.set_done();
    sc_core::wait(sc_cycles(1));
    irq_seen.push_back(irq.read());
    EXPECT_EQ(host.read(kCsrIrqStatus), kCsrIrqStatusDone);
    EXPECT_EQ(host.write(kCsrIrqEnable, kCsrIrqEnableDone), tlm::TLM_OK_RESPONSE);
    sc_core::wait(sc_cycles(1));
    irq_seen.push_back(irq.read());
    EXPECT_EQ(host.write(kCsrIrqEnable, 0), tlm::TLM_OK_RESPONSE);
    sc_core::wait(sc_cycles(1));
    irq_seen.push_back(irq.read());
  });
  sc_core::sc_start();
  EXPECT_EQ(irq_seen, (std::vector<bool>{false, true, false}));
}

// A write changes only the bytes its byte enables (AXI WSTRB) select, in a register and in the
// descriptor table.
TEST(CsrUnit, WritesOnlyTheEnabledBytes) {
  CsrRig rig;
  Csr& csr = rig.csr;
  CsrHost& host = rig.host;
  Bench bench("bench", [&] {
    for (uint32_t addr : {uint32_t(kCsrSeqLen), kCsrDescBase + kCsrDescBytes}) {
      EXPECT_EQ(host.write(addr, 0xffffffffu), tlm::TLM_OK_RESPONSE);
      uint32_t v = 0x12345678u;
      const unsigned char enables[] = {TLM_BYTE_ENABLED, TLM_BYTE_DISABLED};  // repeats: 0b0101
      EXPECT_EQ(host.access(tlm::TLM_WRITE_COMMAND, addr, v, 4, enables, 2), tlm::TLM_OK_RESPONSE);
    }
  });
  sc_core::sc_start();
  EXPECT_EQ(csr.reg(kCsrSeqLen), 0xff34ff78u);
  EXPECT_EQ(csr.descriptor(0, kCsrDescBytes), 0xff34ff78u);
}

// The SystemC CSR block answers every probe of the register map as the map says (the Verilator
// testbench checks the RTL with the same probes before each run).
TEST(CsrUnit, AnswersTheMapsProbes) {
  CsrRig rig;
  CsrHost& host = rig.host;
  int refused = 0;
  Bench bench("bench", [&] {
    for (const CsrProbe& p : csr_map_probes()) {
      uint32_t v = 0;
      const tlm::tlm_response_status r =
          host.access(p.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, p.addr, v);
      EXPECT_EQ(r == tlm::TLM_OK_RESPONSE, p.accepted) << (p.write ? "write " : "read ") << p.addr;
      refused += !p.accepted;
    }
  });
  sc_core::sc_start();
  // The map has no gaps: its 19 read-only words written, and the word below the descriptor
  // table.
  EXPECT_EQ(refused, 19 + 1);
}

}  // namespace
}  // namespace sparrow
