// The SystemC units one at a time, each elaborated alone in its own process (gtest_discover_tests
// runs one test per process): the DMA and the memory against the memory channels of the timing
// contract (docs/timing.md), the CSR block's register access rules and interrupt, a weight bank
// and a MAC array's phase from the DRAM images, the gate unit's admission and arithmetic, the
// controller's schedule with its real collaborators. The whole accelerator is tested in
// test_systemc.cpp.
#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <systemc>
#include <vector>

#include "accelerator/accelerator.h"
#include "compress/compressor.h"
#include "controller/controller.h"
#include "controller/program.h"
#include "csr/csr.h"
#include "dma/dma.h"
#include "driver/host_program.h"
#include "gate_unit/gate_unit.h"
#include "golden/lstm_fixed.h"
#include "mac_array/mac_array.h"
#include "memory/memory.h"
#include "sim/cycles.h"
#include "test_util.h"
#include "weight_bank/weight_bank.h"
#include "workload/lstm_weights.h"

namespace sparrow {
namespace {

// Runs `body` as the one thread of a testbench around the units elaborated before it.
class Bench : public sc_core::sc_module {
 public:
  Bench(sc_core::sc_module_name name, std::function<void()> body)
      : sc_module(name), body_(std::move(body)) {
    SC_HAS_PROCESS(Bench);
    SC_THREAD(run);
    set_stack_size(kThreadStackBytes);
  }

 private:
  void run() { body_(); }
  std::function<void()> body_;
};

// The host's back door into the memory (debug transport, no time).
struct Backdoor : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Backdoor> socket{"socket"};
  explicit Backdoor(sc_core::sc_module_name name) : sc_module(name) {}

  std::vector<uint8_t> read(uint64_t addr, unsigned len) {
    std::vector<uint8_t> v(len);
    transport(tlm::TLM_READ_COMMAND, addr, v);
    return v;
  }
  void write(uint64_t addr, std::vector<uint8_t> v) { transport(tlm::TLM_WRITE_COMMAND, addr, v); }

 private:
  void transport(tlm::tlm_command cmd, uint64_t addr, std::vector<uint8_t>& v) {
    tlm::tlm_generic_payload p;
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(v.data());
    p.set_data_length(unsigned(v.size()));
    EXPECT_EQ(socket->transport_dbg(p), v.size());
  }
};

TEST(DmaUnit, TransfersFollowTheMemoryChannels) {
  // B = 4 bytes per cycle, lambda = 10, bursts of 16 bytes. A transfer of N bytes requested at r
  // starts at s = max(r, free), holds its channel ceil(N / B) cycles and completes at
  // s + ceil(N / B) + lambda; reads and writes have a channel each.
  MemoryConfig mem;
  mem.bytes_per_cycle = 4;
  mem.latency_cycles = 10;
  mem.burst_bytes = 16;
  Memory memory("memory", mem, 256);
  Dma dma("dma", mem);
  dma.mem_socket.bind(memory.socket);
  Backdoor backdoor("backdoor");
  backdoor.socket.bind(memory.debug_socket);
  std::vector<int64_t> done;
  std::vector<uint8_t> in(40), out(40, 0), small(3, 0);
  for (size_t i = 0; i < in.size(); ++i) in[i] = uint8_t(3 * i + 1);
  bool refused = false;
  Bench bench("bench", [&] {
    done.push_back(dma.write(0, in.data(), 40, "w40"));  // s 0, 10 beats: 20
    done.push_back(dma.write(64, in.data(), 6, "w6"));   // s 10 (channel busy), 2 beats: 22
    done.push_back(dma.read(0, out.data(), 40, "r40"));  // its own channel: s 0, done 20
    sc_core::wait(cycles(30));
    done.push_back(dma.read(64, small.data(), 3, "r3"));  // s 30, 1 beat: 41
    try {
      dma.read(250, small.data(), 16, "past the end");
    } catch (const std::runtime_error&) {
      refused = true;
    }
  });
  sc_core::sc_start();
  EXPECT_EQ(done, (std::vector<int64_t>{20, 22, 20, 41}));
  EXPECT_EQ(out, in);
  EXPECT_EQ(backdoor.read(64, 6), std::vector<uint8_t>(in.begin(), in.begin() + 6));
  EXPECT_EQ(small, (std::vector<uint8_t>{in[0], in[1], in[2]}));
  EXPECT_TRUE(refused);
  EXPECT_EQ(dma.write_bytes(), 46);
  EXPECT_EQ(dma.read_bytes(), 43 + 16);
  // 40 bytes are 16 + 16 + 8; bursts count when requested, transactions when the memory serves
  // them (not the one past its end).
  EXPECT_EQ(dma.bursts(), 3 + 1 + 3 + 1 + 1);
  EXPECT_EQ(memory.transactions(), 3 + 1 + 3 + 1);
}

// A TLM initiator for the CSR block: 32-bit accesses, returning the response status.
struct CsrHost : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<CsrHost> socket{"socket"};
  explicit CsrHost(sc_core::sc_module_name name) : sc_module(name) {}

  tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, uint32_t& v,
                                  unsigned len = 4, const unsigned char* enables = nullptr,
                                  unsigned enable_len = 0) {
    tlm::tlm_generic_payload p;
    p.set_byte_enable_ptr(const_cast<unsigned char*>(enables));
    p.set_byte_enable_length(enable_len);
    uint8_t data[8] = {};
    std::memcpy(data, &v, 4);
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(data);
    p.set_data_length(len);
    p.set_streaming_width(len);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(p, delay);
    std::memcpy(&v, data, 4);
    return p.get_response_status();
  }
  tlm::tlm_response_status write(uint64_t addr, uint32_t v) {
    return access(tlm::TLM_WRITE_COMMAND, addr, v);
  }
  uint32_t read(uint64_t addr) {
    uint32_t v = 0;
    EXPECT_EQ(access(tlm::TLM_READ_COMMAND, addr, v), tlm::TLM_OK_RESPONSE) << addr;
    return v;
  }
};

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
    sc_core::wait(cycles(5));
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
    // The map's gaps are not registers; the descriptor table takes writes and reads 0.
    EXPECT_EQ(host.access(tlm::TLM_WRITE_COMMAND, 0x6c, v), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(host.access(tlm::TLM_READ_COMMAND, 0x8c, v), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(host.access(tlm::TLM_READ_COMMAND, kCsrDescBase - 4, v),
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(host.write(kCsrDescBase + kCsrDescStride + kCsrDescItems, 77), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(csr.descriptor(1, kCsrDescItems), 77u);
    EXPECT_EQ(host.read(kCsrDescBase + kCsrDescStride + kCsrDescItems), 0u);
    EXPECT_EQ(host.read(kCsrSequences), 1u);  // its reset value
    sc_core::wait(cycles(3));
    EXPECT_EQ(host.write(kCsrCtrl, kCsrCtrlStart), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(host.read(kCsrCtrl), 0u);  // write-only
    sc_core::wait(cycles(1));
    EXPECT_EQ(host.read(kCsrStatus), kCsrStatusBusy);
    EXPECT_EQ(host.write(kCsrCtrl, kCsrCtrlStart), tlm::TLM_OK_RESPONSE);  // ignored while busy
    irq_seen.push_back(irq.read());
    sc_core::wait(cycles(10));
    EXPECT_EQ(host.read(kCsrStatus), kCsrStatusDone);
    irq_seen.push_back(irq.read());
    EXPECT_EQ(host.read(kCsrCycles), 0x34567890u);
    EXPECT_EQ(host.read(kCsrCycles + 4), 0x12u);
    EXPECT_EQ(host.read(kCsrIrqStatus), kCsrIrqStatusDone);
    // Writing 0 to IRQ_STATUS changes nothing; writing 1 clears it and the interrupt.
    EXPECT_EQ(host.write(kCsrIrqStatus, 0), tlm::TLM_OK_RESPONSE);
    sc_core::wait(cycles(1));
    irq_seen.push_back(irq.read());
    EXPECT_EQ(host.write(kCsrIrqStatus, kCsrIrqStatusDone), tlm::TLM_OK_RESPONSE);
    sc_core::wait(cycles(1));
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
    sc_core::wait(cycles(1));
    irq_seen.push_back(irq.read());
    EXPECT_EQ(host.read(kCsrIrqStatus), kCsrIrqStatusDone);
    EXPECT_EQ(host.write(kCsrIrqEnable, kCsrIrqEnableDone), tlm::TLM_OK_RESPONSE);
    sc_core::wait(cycles(1));
    irq_seen.push_back(irq.read());
    EXPECT_EQ(host.write(kCsrIrqEnable, 0), tlm::TLM_OK_RESPONSE);
    sc_core::wait(cycles(1));
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
  // The map's gaps (0x6c, 0x78..0x7c, 0x8c, 0xbc: 5 words, read and written), its 19 read-only
  // words written, and the word below the descriptor table.
  EXPECT_EQ(refused, 2 * 5 + 19 + 1);
}

// n CSR blocks, each with its own host and interrupt signal, elaborated together.
struct CsrBlocks {
  std::vector<std::unique_ptr<Csr>> csrs;
  std::vector<std::unique_ptr<CsrHost>> hosts;
  std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> irqs;
  explicit CsrBlocks(size_t n) {
    for (size_t i = 0; i < n; ++i) {
      csrs.push_back(std::make_unique<Csr>(("csr" + std::to_string(i)).c_str()));
      hosts.push_back(std::make_unique<CsrHost>(("host" + std::to_string(i)).c_str()));
      irqs.push_back(
          std::make_unique<sc_core::sc_signal<bool>>(("irq" + std::to_string(i)).c_str()));
      hosts.back()->socket.bind(csrs.back()->socket);
      csrs.back()->irq_o.bind(*irqs.back());
    }
  }
};

// The geometry the controller reads from the registers and the descriptor table is the geometry
// the host's driver programmed from the compressed model: fixed and variable rows, segments,
// binarized rows, projection, bidirectional layers, arrays of their own sizes.
TEST(ProgramUnit, RegistersGiveTheHostsGeometry) {
  struct Design {
    ArchConfig arch;
    WorkloadConfig w;
  };
  const std::vector<Design> designs = {
      {test::arch("brds"), test::small_workload(6, 5, 2, true)},
      {test::arch("baseline-unstructured"), test::small_workload(7, 4, 2, false, 3)},
      {test::arch("binarized"), test::small_workload(9, 6, 1, true)},
      {test::arch("brds-balanced"), test::small_workload(5, 8, 2, false, 5)},
      {test::arch("brds-pwl16"), test::small_workload(300, 20, 1)},
  };
  CsrBlocks blocks(designs.size());
  auto& csrs = blocks.csrs;
  auto& hosts = blocks.hosts;
  std::vector<CompressedModel> models;
  for (const Design& d : designs) models.push_back(compress_model(make_lstm_weights(d.w), d.arch));
  Bench bench("bench", [&] {
    for (size_t i = 0; i < designs.size(); ++i) {
      const auto& [arch, w] = designs[i];
      const DramMap map = plan_dram(pass_geometries(models[i], w), arch, w);
      for (const CsrWrite& c : csr_program(models[i], arch, w, map))
        EXPECT_EQ(hosts[i]->write(c.addr, c.value), tlm::TLM_OK_RESPONSE);
    }
  });
  sc_core::sc_start();
  for (size_t i = 0; i < designs.size(); ++i) {
    const std::vector<PassGeometry> want = pass_geometries(models[i], designs[i].w);
    const std::vector<PassGeometry> got = programmed_passes(*csrs[i], designs[i].arch);
    ASSERT_EQ(got.size(), want.size()) << i;
    for (size_t k = 0; k < want.size(); ++k) {
      EXPECT_EQ(got[k].layer, want[k].layer);
      EXPECT_EQ(got[k].direction, want[k].direction);
      EXPECT_EQ(got[k].input_size, want[k].input_size);
      EXPECT_EQ(got[k].state, want[k].state);
      for (Matrix m : {Matrix::kWx, Matrix::kWh, Matrix::kWr}) {
        const EncodedMatrix &g = got[k].matrix(m), &e = want[k].matrix(m);
        const std::string at = "design " + std::to_string(i) + " pass " + std::to_string(k) +
                               " matrix " + std::to_string(int(m));
        EXPECT_EQ(g.rows, e.rows) << at;
        EXPECT_EQ(g.cols, e.cols) << at;
        EXPECT_EQ(g.pes, e.pes) << at;
        EXPECT_EQ(g.lanes, e.lanes) << at;
        EXPECT_EQ(g.segment_balanced, e.segment_balanced) << at;
        EXPECT_EQ(g.seg_len, e.seg_len) << at;
        EXPECT_EQ(g.binarized, e.binarized) << at;
        EXPECT_EQ(g.value_bits, e.value_bits) << at;
        EXPECT_EQ(g.index_bits, e.index_bits) << at;
        EXPECT_EQ(g.words_per_row, e.words_per_row) << at;
        EXPECT_EQ(g.row_words_bytes(), e.row_words_bytes()) << at;
        EXPECT_EQ(g.row_scale.size(), e.row_scale.size()) << at;
        ASSERT_EQ(g.banks.size(), e.banks.size()) << at;
        for (size_t p = 0; p < e.banks.size(); ++p)
          EXPECT_EQ(g.banks[p].words, e.banks[p].words) << at << " PE " << p;
        if (e.words_per_row >= 0) {
          EXPECT_EQ(g.row_words, e.row_words) << at;
        }
      }
    }
  }
  // The two designs exercise what they should: variable rows and projection, binarized rows.
  EXPECT_EQ(pass_geometries(models[1], designs[1].w)[0].wx.words_per_row, -1);
  EXPECT_GT(pass_geometries(models[1], designs[1].w)[0].wr.rows, 0);
  EXPECT_TRUE(pass_geometries(models[2], designs[2].w)[0].wx.binarized);
}

// Registers that do not describe a run of this hardware are refused, naming the register, the
// value and what is allowed.
TEST(ProgramUnit, InconsistentRegistersAreRefused) {
  const ArchConfig arch = test::arch("brds");
  const WorkloadConfig w = test::small_workload(6, 5);
  const CompressedModel model = compress_model(make_lstm_weights(w), arch);
  const DramMap map = plan_dram(pass_geometries(model, w), arch, w);
  const std::vector<CsrWrite> program = csr_program(model, arch, w, map);
  struct Case {
    uint32_t addr, value;
    std::string message;
  };
  const uint32_t desc1 = kCsrDescBase + kCsrDescStride;
  const std::vector<Case> cases = {
      {kCsrDirections, 3, "register DIRECTIONS: got 3; allowed: 1..2"},
      {kCsrLayers, 0, "register LAYERS: got 0; allowed: 1..255"},
      {kCsrWxSeg0, 7, "register WX_SEG_0: got 7; allowed: 1 (columns per lane"},
      {kCsrWeightBytes, 1 << 20, "register WEIGHT_BYTES: got 1048576; allowed: at most"},
      {desc1 + kCsrDescTarget, kCsrDescTargetPass.put(4), "descriptor 1 TARGET.PASS: got 4"},
      {desc1 + kCsrDescItems, 99, "pass 0 W_x PE 1 BYTES: got"},
      {desc1 + kCsrDescFormat, kCsrDescFormatIdxBits.put(5), "FORMAT.IDX_BITS: got 5"},
  };
  CsrBlocks blocks(cases.size());
  auto& csrs = blocks.csrs;
  auto& hosts = blocks.hosts;
  // Read in the simulation, as the controller reads them at START (an exception thrown on
  // sc_main's stack after sc_start confuses AddressSanitizer's view of the stacks).
  std::vector<std::string> refusals(cases.size());
  Bench bench("bench", [&] {
    for (size_t i = 0; i < cases.size(); ++i) {
      for (const CsrWrite& c : program) hosts[i]->write(c.addr, c.value);
      hosts[i]->write(cases[i].addr, cases[i].value);
      try {
        programmed_passes(*csrs[i], arch);
      } catch (const ProgramError& e) {
        refusals[i] = e.what();
      }
    }
  });
  sc_core::sc_start();
  for (size_t i = 0; i < cases.size(); ++i)
    EXPECT_NE(refusals[i].find(cases[i].message), std::string::npos)
        << "case " << i << " refused with '" << refusals[i] << "'";
}

TEST(MacArrayUnit, IssuesEachPesRowsBackToBackFromTheBankImages) {
  // 4 PEs x 2 lanes (A = 3 + 1 = 4), variable rows (unstructured pruning), W_x of a 6 -> 4 LSTM:
  // 16 gate-interleaved rows, row q on PE q mod 4.
  ArchConfig arch = test::arch("baseline-unstructured");
  arch.mac_array.wx = {4, 2};
  const WorkloadConfig w = test::small_workload(6, 4);
  const CompressedModel cm = compress_model(make_lstm_weights(w), arch);
  const EncodedMatrix& e = cm.dirs[0].wx;
  const int scale_bits = arch.arith.scale.bits;
  std::vector<std::vector<uint8_t>> images;
  for (int p = 0; p < e.pes; ++p) images.push_back(pack_bank_image(e, p, scale_bits));
  WeightBank bank;
  bank.load(e, images, scale_bits);
  VectorBuffer x;
  x.reset(size_t(e.padded_cols()));
  for (int c = 0; c < e.cols; ++c) x.values[size_t(c)] = 17 * c - 40;

  ArrayActivity act;
  MacArray array("array", arch, arch.mac_array.wx, act);
  Mac2Gate msg;
  int64_t finish = -1;
  Bench bench("bench", [&] {
    sc_core::wait(cycles(7));
    finish = array.run_phase(bank, x, msg);
  });
  sc_core::sc_start();

  // Row q is ready at s + C(q) + A - 1, C(q) its PE's words up to and including it; the array
  // finishes issuing when its busiest PE has.
  const DecodedMatrix d = decode_weight_bank(e);
  std::vector<int64_t> issued(4, 0);
  int64_t words = 0;
  for (int q = 0; q < e.rows; ++q) {
    const int64_t c = issued[size_t(q % 4)] += e.row_words[size_t(q)];
    words += e.row_words[size_t(q)];
    EXPECT_EQ(msg.ready[size_t(q)], 7 + c + 4 - 1) << q;
    int64_t sum = 0;
    for (int64_t k = d.row_ptr[size_t(q)]; k < d.row_ptr[size_t(q) + 1]; ++k)
      sum += int64_t{d.val[size_t(k)]} * x.values[size_t(d.col[size_t(k)])];
    EXPECT_EQ(msg.result[size_t(q)], sum) << q;  // small sums: the accumulator does not wrap
  }
  const int64_t span = *std::max_element(issued.begin(), issued.end());
  EXPECT_EQ(finish, 7 + span);
  EXPECT_EQ(act.busy, span);
  EXPECT_EQ(act.words, words);
  EXPECT_EQ(act.mac_slots, 2 * words);
  EXPECT_EQ(act.bank_bits_read, words * e.word_bits());
  // Unstructured rows differ in length, so the PEs are unevenly loaded.
  EXPECT_LT(*std::min_element(issued.begin(), issued.end()), span);
}

TEST(WeightBankUnit, DecodesItsImagesOnceAsTheFormatSays) {
  // Binarized W_x (row scales in the side table) on 4 PEs: the bank decodes the DRAM images the
  // host packs into the matrix the compressor encoded, and a second load (streamed weights bring
  // the same bytes every step) keeps the first.
  ArchConfig arch = test::arch("binarized");
  arch.mac_array.wx.pes = 4;
  const CompressedModel cm = compress_model(make_lstm_weights(test::small_workload(6, 4)), arch);
  const EncodedMatrix& e = cm.dirs[0].wx;
  const int scale_bits = arch.arith.scale.bits;
  std::vector<std::vector<uint8_t>> images;
  for (int p = 0; p < e.pes; ++p) images.push_back(pack_bank_image(e, p, scale_bits));
  WeightBank bank;
  EXPECT_FALSE(bank.loaded());
  bank.load(e, images, scale_bits);
  ASSERT_TRUE(bank.loaded());
  const DecodedMatrix want = decode_weight_bank(e), &got = bank.decoded();
  EXPECT_TRUE(got.binarized);
  EXPECT_EQ(got.row_ptr, want.row_ptr);
  EXPECT_EQ(got.col, want.col);
  EXPECT_EQ(got.val, want.val);
  EXPECT_EQ(got.row_scale, want.row_scale);
  for (auto& image : images) std::fill(image.begin(), image.end(), uint8_t{0xff});
  bank.load(e, images, scale_bits);
  EXPECT_EQ(bank.decoded().val, want.val);
}

TEST(GateUnitUnit, AdmitsUnitsAsTheirRowsCompleteAtMostGPerCycle) {
  ArchConfig arch = test::arch("brds");
  arch.gate_unit.lanes = 2;           // G
  arch.gate_unit.pipeline_depth = 3;  // D
  const int hidden = 6;
  Activity act;
  GateUnit gate("gate", arch, act);
  VectorBuffer out;
  out.reset(size_t(hidden));
  std::vector<int64_t> bias(size_t(4 * hidden));
  Mac2Gate x, h;
  x.matrix = Matrix::kWx;
  h.matrix = Matrix::kWh;
  for (int q = 0; q < 4 * hidden; ++q) {
    bias[size_t(q)] = 40 * (q % 5) - 80;
    x.result.push_back(1000 * (q % 7) - 3000);
    h.result.push_back(700 * (q % 3) - 500);
    x.ready.push_back(10 + q / 4);            // unit u's W_x rows at 10 + u
    h.ready.push_back(q % 4 == 3 ? 12 : 11);  // its W_h rows by 12
  }
  int64_t udone = kUnknownCycle;
  Bench bench("bench", [&] {
    gate.begin_pass(0, bias, &out);
    EXPECT_EQ(gate.udone(0), kUnknownCycle);
    gate.push(x);
    gate.push(h);
    while (gate.steps_known() == 0) sc_core::wait(gate.known());
    udone = gate.udone(0);
  });
  sc_core::sc_start();
  // ready_u = 12, 12, 12, 13, 14, 15; with G = 2 admitted at 12, 12, 13, 13, 14, 15; udone =
  // e_5 + D + 1.
  EXPECT_EQ(udone, 15 + 3 + 1);
  EXPECT_EQ(gate.steps_known(), 1);
  const GateArith arith(arch.arith);
  for (int u = 0; u < hidden; ++u) {
    int64_t z[4];
    for (int g = 0; g < 4; ++g) {
      const size_t q = size_t(4 * u + g);
      z[g] = arith.preactivation(x.result[q], h.result[q], bias[q]);
    }
    EXPECT_EQ(out.values[size_t(u)], arith.cell(z[0], z[1], z[2], z[3], 0).h) << u;
  }
  EXPECT_EQ(act.gate_units, hidden);
  EXPECT_EQ(act.lut_sigmoid, 3 * hidden);
  EXPECT_EQ(act.lut_tanh, 2 * hidden);
}

// The controller with the collaborators the accelerator wires it to (model/accelerator/
// accelerator.cpp: CSR block, DMA, a W_x and a W_h array, gate unit), a DRAM, and a host thread
// that fills the DRAM through the back door and programs the CSRs as tb/host.cpp does, writes
// START at cycle 0 and waits for the done interrupt. Everything the controller schedules is
// recorded in `trace`.
struct ControllerHarness {
  ControllerHarness(const ArchConfig& a, const WorkloadConfig& workload)
      : arch(a),
        w(workload),
        model(compress_model(make_lstm_weights(w), arch)),
        passes(pass_geometries(model, w)),
        map(plan_dram(passes, arch, w)),
        memory("dram", arch.memory, map.bytes),
        dma("dma", arch.memory),
        x_array("wx_array", arch, arch.mac_array.wx, activity.arrays[0]),
        h_array("wh_array", arch, arch.mac_array.wh, activity.arrays[1]),
        gate("gate_unit", arch, activity),
        controller("controller", arch, csr, dma, x_array, h_array, gate, activity),
        host("host", [this] { program_and_wait(); }) {
    dma.mem_socket.bind(memory.socket);
    backdoor.socket.bind(memory.debug_socket);
    csr_host.socket.bind(csr.socket);
    csr.irq_o.bind(irq);
    for (MacArray* m : {&x_array, &h_array}) m->set_trace(&trace);
    dma.set_trace(&trace);
    controller.set_trace(&trace);
  }

  void program_and_wait() {
    const RawMatrix x = quantize_inputs(make_input_sequence(w), arch.arith.act);
    backdoor.write(0, dram_image(model, arch, passes, x, map));
    for (const CsrWrite& c : csr_program(model, arch, w, map))
      EXPECT_EQ(csr_host.write(c.addr, c.value), tlm::TLM_OK_RESPONSE);
    for (const CsrWrite& c : overrides)
      EXPECT_EQ(csr_host.write(c.addr, c.value), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(csr_host.write(kCsrCtrl, kCsrCtrlStart), tlm::TLM_OK_RESPONSE);
    if (soft_reset_at > 0) {
      // SOFT_RESET into the run: STATUS reads 0 once the device is quiet, then START again.
      sc_core::wait(cycles(soft_reset_at));
      EXPECT_EQ(csr_host.write(kCsrCtrl, kCsrCtrlSoftReset), tlm::TLM_OK_RESPONSE);
      while (csr_host.read(kCsrStatus) != 0) sc_core::wait(cycles(1));
      soft_reset_quiet = now_cycle();
      EXPECT_FALSE(irq.read());
      EXPECT_EQ(csr_host.write(kCsrCtrl, kCsrCtrlStart), tlm::TLM_OK_RESPONSE);
    }
    sc_core::wait(irq.posedge_event());
    irq_cycle = now_cycle();
    status = csr_host.read(kCsrStatus);
    cycles_counter = csr_host.read(kCsrCycles);
    first_activity = activity;
    if (!second_start) return;
    // Clear the interrupt, undo the overrides (the driver's program again) and start once more.
    EXPECT_EQ(csr_host.write(kCsrIrqStatus, kCsrIrqStatusDone), tlm::TLM_OK_RESPONSE);
    for (const CsrWrite& c : csr_program(model, arch, w, map))
      EXPECT_EQ(csr_host.write(c.addr, c.value), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(csr_host.write(kCsrCtrl, kCsrCtrlStart), tlm::TLM_OK_RESPONSE);
    sc_core::wait(irq.posedge_event());
    second_status = csr_host.read(kCsrStatus);
    second_cycles = csr_host.read(kCsrCycles);
  }

  // The cycle the first pass starts with the weights on chip: the one weight read of the whole
  // weight area (W bytes, placed by the host's WeightLayout) requested at 0 holds the read
  // channel ceil(W / B) cycles, completes lambda later, and the banks have it 2 cycles after.
  int64_t weights_loaded() const {
    const int64_t w_bytes = int64_t(WeightLayout(passes, arch).total_bytes);
    const int64_t b = arch.memory.bytes_per_cycle;
    return (w_bytes + b - 1) / b + arch.memory.latency_cycles + 2;
  }

  // A track's intervals whose names contain `part` as "NAME [start, end)", cycles counted from
  // `origin`.
  std::vector<std::string> timeline(const std::string& track, int64_t origin,
                                    const std::string& part) const {
    std::vector<std::string> out;
    for (const auto& i : trace.on(track))
      if (i.name.find(part) != std::string::npos)
        out.push_back(i.name + " [" + std::to_string(i.start - origin) + ", " +
                      std::to_string(i.end - origin) + ")");
    return out;
  }

  // The phases of `pass` on the W_x array and on the W_h array, in order, from `origin`.
  void expect_phases(const std::string& pass, int64_t origin, const std::vector<std::string>& x,
                     const std::vector<std::string>& h) const {
    EXPECT_EQ(timeline("wx_array", origin, pass), x);
    EXPECT_EQ(timeline("wh_array", origin, pass), h);
  }

  // The completion cycle ("done") of every output write, in request order.
  std::vector<int64_t> write_done() const {
    std::vector<int64_t> out;
    for (const auto& i : trace.on("dma.write"))
      for (const auto& [key, value] : i.args)
        if (std::string(key) == "done") out.push_back(value);
    return out;
  }

  static Activity two_arrays() {
    Activity a;
    a.arrays.resize(2);
    a.arrays[0].name = "wx";
    a.arrays[1].name = "wh";
    return a;
  }

  ArchConfig arch;
  WorkloadConfig w;
  std::vector<CsrWrite> overrides;  // written after the driver's program, before START
  bool second_start = false;        // after the interrupt, the program and START once more
  int64_t soft_reset_at = 0;        // > 0: SOFT_RESET this many cycles after START, then START
  uint32_t second_status = 0, second_cycles = 0;
  int64_t soft_reset_quiet = -1;  // the cycle STATUS read 0 after the soft reset
  Activity first_activity;        // at the first interrupt
  CompressedModel model;
  std::vector<PassGeometry> passes;
  DramMap map;
  TraceRecorder trace;
  Activity activity = two_arrays();
  Memory memory;
  Csr csr{"csr"};
  Dma dma;
  MacArray x_array, h_array;
  GateUnit gate;
  Controller controller;
  Backdoor backdoor{"backdoor"};
  CsrHost csr_host{"csr_host"};
  sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS> irq{"irq"};
  Bench host;
  int64_t irq_cycle = -1;
  uint32_t status = 0, cycles_counter = 0;
};

// Sizes the hand-derived schedules below rest on: W_x and W_h arrays of 4 PEs x 2 lanes
// (A = 3 + 1 = 4), sparsity 0.5 in both segments of a row, G = 4, D = 12, lambda = 10, B = 16,
// 8-bit activations (ab = 1, rho = 1). An 8 -> 2 LSTM has 8 gate-interleaved rows, two per PE:
// unit 0's rows 0-3 are each PE's first row, unit 1's rows 4-7 its second. W_x (8 columns, 4 per
// segment) keeps 2 per segment: 2 words a row, span 4; W_h (2 columns) and layer 1's W_x keep 1:
// 1 word a row, span 2.
ArchConfig controller_arch() {
  ArchConfig a = test::arch("brds");
  a.mac_array.wx = a.mac_array.wh = {4, 2};
  a.compression.sx = a.compression.sh = 0.5;
  a.gate_unit.lanes = 4;
  a.gate_unit.pipeline_depth = 12;
  a.memory.latency_cycles = 10;
  a.memory.bytes_per_cycle = 16;
  return a;
}

TEST(ControllerUnit, SchedulesAPassAsTheTimingContractSays) {
  ControllerHarness h(controller_arch(), test::small_workload(8, 2, 1, false, 0, 3));
  ASSERT_EQ(h.model.dirs[0].wx.words_per_row, 2);
  ASSERT_EQ(h.model.dirs[0].wh.words_per_row, 1);
  sc_core::sc_start();
  const int64_t s = h.weights_loaded();
  EXPECT_EQ(h.activity.weights_loaded, s);
  // From the pass start S: input reads of 8 bytes at S (1 cycle each) complete at S+11, +12, +13.
  // Transposer (8 cycles per x): tau = 12, 20, max(14, 28, f_X0 24) = 28, so xt = 20, 28, 36.
  // X_0 at max(S, xt_0) = 20. H_0 at S; unit 0 ready at 20 + 2 + 3 = 25, unit 1 at 27:
  // hdone_0 = 27 + 12 + 1 = 40. X_1 at xt_1 = 28. H_1 at hdone_0 = 40, its units ready at
  // 44 and 45 (after X_1's 33 and 35): hdone_1 = 58. X_2 at hdone_0 = 40 (its result slot;
  // xt_2 = 36 is earlier). H_2 at hdone_1 = 58, units at 62, 63: hdone_2 = 76, the pass end.
  h.expect_phases("pass 0", s,
                  {"X t=0 pass 0 [20, 24)", "X t=1 pass 0 [28, 32)", "X t=2 pass 0 [40, 44)"},
                  {"H t=0 pass 0 [0, 2)", "H t=1 pass 0 [40, 42)", "H t=2 pass 0 [58, 60)"});
  EXPECT_EQ(h.gate.steps_known(), 3);
  EXPECT_EQ((std::vector<int64_t>{h.gate.udone(0), h.gate.udone(1), h.gate.udone(2)}),
            (std::vector<int64_t>{s + 40, s + 58, s + 76}));
  EXPECT_EQ(h.activity.pass_end, (std::vector<int64_t>{s + 76}));
  EXPECT_EQ(h.timeline("controller", s, ""), (std::vector<std::string>{"pass 0 [0, 76)"}));
  // Stalls, each towards the dependency that set the start: X waits 20 + 4 for its input
  // (memory) and 8 for hdone_0 (gate unit); H waits 38 + 16 for the recurrence.
  const ArrayActivity &x = h.activity.arrays[0], &hh = h.activity.arrays[1];
  EXPECT_EQ(x.busy, 12);
  EXPECT_EQ(x.stall_memory, 24);
  EXPECT_EQ(x.stall_gate, 8);
  EXPECT_EQ(x.stall_recurrence, 0);
  EXPECT_EQ(hh.busy, 6);
  EXPECT_EQ(hh.stall_memory, 0);
  EXPECT_EQ(hh.stall_gate, 0);
  EXPECT_EQ(hh.stall_recurrence, 54);
  // Outputs of 2 bytes written at each hdone, complete 1 + 10 later; done is the last one.
  EXPECT_EQ(h.write_done(), (std::vector<int64_t>{s + 51, s + 69, s + 87}));
  EXPECT_EQ(h.activity.sequence_done, (std::vector<int64_t>{s + 87}));
  EXPECT_EQ(h.activity.cycles, s + 87);
  EXPECT_EQ(h.irq_cycle, s + 87);
  EXPECT_EQ(h.status, 2u);  // done, not busy
  EXPECT_EQ(h.cycles_counter, uint32_t(s + 87));
  EXPECT_EQ(h.activity.dram_write_bytes, 3 * 2);
}

TEST(ControllerUnit, LayerFenceWaitsForTheLastOutputWrite) {
  ControllerHarness h(controller_arch(), test::small_workload(8, 2, 2, false, 0, 3));
  ASSERT_EQ(h.model.dirs[1].wx.words_per_row, 1);
  sc_core::sc_start();
  const int64_t s = h.weights_loaded();
  // Layer 0 as in the test above: it ends at S+76, its last output write completes at S+87, and
  // layer 1 starts there, not at S+76. Layer 1 from S1 = S+87: inputs of 2 bytes ready at +11,
  // +12, +13; transposer 2 cycles per x: xt = 14, 16, 18. X_0 at 14 (units at 18, 19), H_0 at 0:
  // hdone_0 = 19 + 13 = 32. X_1 at 16 straight after X_0. H_1 at 32 (units at 36, 37): hdone_1 =
  // 50. X_2 at hdone_0 = 32. H_2 at 50 (units at 54, 55): hdone_2 = 68. Done = 68 + 11.
  const int64_t s1 = s + 87;
  EXPECT_EQ(h.timeline("controller", s, ""),
            (std::vector<std::string>{"pass 0 [0, 76)", "pass 1 [87, 155)"}));
  EXPECT_EQ(h.activity.pass_end, (std::vector<int64_t>{s + 76, s1 + 68}));
  EXPECT_EQ(h.write_done(), (std::vector<int64_t>{s + 51, s + 69, s1, s1 + 43, s1 + 61, s1 + 79}));
  h.expect_phases("pass 1", s1,
                  {"X t=0 pass 1 [14, 16)", "X t=1 pass 1 [16, 18)", "X t=2 pass 1 [32, 34)"},
                  {"H t=0 pass 1 [0, 2)", "H t=1 pass 1 [32, 34)", "H t=2 pass 1 [50, 52)"});
  // Layer 1 adds 14 memory and 14 gate-unit stall cycles on X, 30 + 16 recurrence on H.
  EXPECT_EQ(h.activity.arrays[0].stall_memory, 24 + 14);
  EXPECT_EQ(h.activity.arrays[0].stall_gate, 8 + 14);
  EXPECT_EQ(h.activity.arrays[1].stall_recurrence, 54 + 46);
  EXPECT_EQ(h.irq_cycle, s1 + 79);
}

TEST(ControllerUnit, RegistersThatDescribeNoRunAreRefusedWithTheInterrupt) {
  ControllerHarness h(controller_arch(), test::small_workload(8, 2, 2, false, 0, 3));
  h.overrides = {{kCsrWhSeg, 9}};
  sc_core::sc_start();
  // Nothing ran: STATUS is DONE and ERROR at once, no weight was read.
  EXPECT_EQ(h.status, kCsrStatusDone | kCsrStatusError);
  EXPECT_EQ(h.irq_cycle, 0);
  EXPECT_EQ(h.controller.refusal(),
            "register WH_SEG: got 9; allowed: " + std::to_string(h.model.dirs[0].wh.seg_len) +
                " (columns per lane of this matrix on this hardware)");
  EXPECT_TRUE(h.trace.on("dma.read").empty());
}

TEST(ControllerUnit, AnAddressOutsideMemoryStopsTheRunWithTheInterrupt) {
  ControllerHarness h(controller_arch(), test::small_workload(8, 2, 1, false, 0, 3));
  h.overrides = {{kCsrInputBase + 4, 1}};  // inputs at 4 GiB + the planned offset
  sc_core::sc_start();
  EXPECT_EQ(h.status, kCsrStatusDone | kCsrStatusError);
  EXPECT_EQ(h.controller.refusal(), "memory error: input at address " +
                                        std::to_string((uint64_t{1} << 32) + h.map.input_base) +
                                        " (TLM_ADDRESS_ERROR_RESPONSE)");
}

TEST(ControllerUnit, ARefusedStartCanBeRetried) {
  // Refused, then programmed right: the run happens, its cycles counted from its START.
  ControllerHarness h(controller_arch(), test::small_workload(8, 2, 1, false, 0, 3));
  h.overrides = {{kCsrLayers, 0}};
  h.second_start = true;
  sc_core::sc_start();
  EXPECT_EQ(h.status, kCsrStatusDone | kCsrStatusError);
  EXPECT_EQ(h.second_status, kCsrStatusDone);
  EXPECT_EQ(h.second_cycles, uint32_t(h.activity.cycles));
  EXPECT_EQ(h.activity.cycles, h.weights_loaded() + 87);  // as in the first test of the pass
}

TEST(ControllerUnit, ASecondRunRepeatsTheFirst) {
  // The device runs again on the next START: the same schedule, counted from its START.
  ControllerHarness g(controller_arch(), test::small_workload(8, 2, 1, false, 0, 3));
  g.second_start = true;
  sc_core::sc_start();
  EXPECT_EQ(g.status, kCsrStatusDone);
  EXPECT_EQ(g.second_status, kCsrStatusDone);
  EXPECT_EQ(g.activity.cycles, g.weights_loaded() + 87);
  EXPECT_EQ(g.activity, g.first_activity);
  EXPECT_EQ(g.second_cycles, uint32_t(g.activity.cycles));
}

TEST(ControllerUnit, ASoftResetAbortsTheRunAndTheNextStartRunsInFull) {
  // SOFT_RESET in the first pass: no interrupt; the device is quiet once the transfers it has
  // requested are complete (the inputs requested at the pass start, the output writes); the
  // next START runs the whole schedule.
  ControllerHarness h(controller_arch(), test::small_workload(8, 2, 1, false, 0, 3));
  h.soft_reset_at = h.weights_loaded() + 30;
  sc_core::sc_start();
  EXPECT_EQ(h.status, kCsrStatusDone);
  EXPECT_GE(h.soft_reset_quiet, h.soft_reset_at);
  EXPECT_EQ(h.activity.cycles, h.weights_loaded() + 87);
  EXPECT_EQ(h.irq_cycle, h.soft_reset_quiet + h.activity.cycles);
}

}  // namespace
}  // namespace sparrow
