// The SystemC units one at a time, each elaborated alone in its own process (gtest_discover_tests
// runs one test per process): the DMA and the memory against the memory channels of the timing
// contract (docs/timing.md), the CSR block's register access rules and interrupt, a weight bank
// and a MAC array's phase from the DRAM images, the gate unit's admission and arithmetic. The whole
// accelerator is tested in test_systemc.cpp.
#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <systemc>
#include <vector>

#include "compress/compressor.h"
#include "csr/csr.h"
#include "dma/dma.h"
#include "gate_unit/gate_unit.h"
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
    tlm::tlm_generic_payload p;
    p.set_command(tlm::TLM_READ_COMMAND);
    p.set_address(addr);
    p.set_data_ptr(v.data());
    p.set_data_length(len);
    EXPECT_EQ(socket->transport_dbg(p), len);
    return v;
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
                                  unsigned len = 4) {
    tlm::tlm_generic_payload p;
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

TEST(CsrUnit, RegistersStartStatusInterruptAndRefusals) {
  Csr csr("csr");
  CsrHost host("host");
  host.socket.bind(csr.socket);
  // The device sets the interrupt and the host's write clears it (as in the accelerator).
  sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS> irq("irq");
  csr.irq_o.bind(irq);
  int64_t started = -1;
  std::vector<bool> irq_seen;
  Bench device("device", [&] {
    sc_core::wait(csr.start_event);
    started = now_cycle();
    csr.set_busy();
    sc_core::wait(cycles(5));
    csr.set_counter(kCsrCycles, 0x1234567890ull);
    csr.set_done();
  });
  Bench bench("bench", [&] {
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
    sc_core::wait(cycles(3));
    EXPECT_EQ(host.write(kCsrCtrl, 1), tlm::TLM_OK_RESPONSE);
    sc_core::wait(cycles(1));
    EXPECT_EQ(host.read(kCsrStatus), 1u);  // busy
    irq_seen.push_back(irq.read());
    sc_core::wait(cycles(10));
    EXPECT_EQ(host.read(kCsrStatus), 2u);  // done
    irq_seen.push_back(irq.read());
    EXPECT_EQ(host.read(kCsrCycles), 0x34567890u);
    EXPECT_EQ(host.read(kCsrCycles + 4), 0x12u);
    EXPECT_EQ(host.write(kCsrCtrl, 2), tlm::TLM_OK_RESPONSE);  // clear done and the interrupt
    sc_core::wait(cycles(1));
    EXPECT_EQ(host.read(kCsrStatus), 0u);
    irq_seen.push_back(irq.read());
  });
  sc_core::sc_start();
  EXPECT_EQ(started, 3);
  EXPECT_EQ(irq_seen, (std::vector<bool>{false, true, false}));
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
  std::vector<int64_t> udone;
  Bench bench("bench", [&] {
    gate.begin_pass(0, bias, &out);
    gate.push(x);
    gate.push(h);
    while (gate.udone.empty()) sc_core::wait(gate.known);
    udone = gate.udone;
  });
  sc_core::sc_start();
  // ready_u = 12, 12, 12, 13, 14, 15; with G = 2 admitted at 12, 12, 13, 13, 14, 15; udone =
  // e_5 + D + 1.
  EXPECT_EQ(udone, (std::vector<int64_t>{15 + 3 + 1}));
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

}  // namespace
}  // namespace sparrow
