// The controller's schedule with its real collaborators, its fence, refusals, repeated runs and
// soft reset.
#include "unit_rig.h"

namespace sparrow {
namespace {

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
        gate("gate_unit", arch, activity.gate),
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
      sc_core::wait(sc_cycles(soft_reset_at));
      EXPECT_EQ(csr_host.write(kCsrCtrl, kCsrCtrlSoftReset), tlm::TLM_OK_RESPONSE);
      while (csr_host.read(kCsrStatus) != 0) sc_core::wait(sc_cycles(1));
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
  EXPECT_EQ(h.activity.dma.write_bytes, 3 * 2);
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
