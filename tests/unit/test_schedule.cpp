// The terms of the timing contract that the SystemC model and the analytic evaluator share
// (lib/timing/schedule.h, lib/compress/bank_use.h), each against docs/timing.md by hand.
#include <gtest/gtest.h>

#include <vector>

#include "compress/bank_use.h"
#include "test_util.h"
#include "timing/schedule.h"

namespace sparrow {
namespace {

TEST(Schedule, MacLatencyIsThreePlusCeilLog2Lanes) {
  EXPECT_EQ(mac_latency(1), 3);
  EXPECT_EQ(mac_latency(2), 4);
  EXPECT_EQ(mac_latency(8), 6);
  EXPECT_EQ(mac_latency(12), 7);
  EXPECT_EQ(mac_latency(16), 7);
}

TEST(Schedule, RowReadyAndProjectionOffsets) {
  // s = 100, the row's PE has issued 5 words through it, A = 6: 100 + 5 + 6 - 1.
  EXPECT_EQ(row_ready(100, 5, 6), 110);
  // With projection the state is complete 2 cycles after the last W_r row is admitted.
  EXPECT_EQ(projected_state_done(110), 112);
}

TEST(Schedule, ProjectionRowsFollowTheUnitsThroughTheGateLanes) {
  // G = 2, D = 3. Step 0's two units at 5 and 6 (udone 10); then its W_r rows, ready at 12, 12,
  // 12 and 13: two a cycle, so 12, 12, 13, 13, not before the rows ahead; the first unit of the
  // next step, ready at 4, comes after the last row (13) and the first() of its step is its own.
  GateAdmission g(2, 3);
  EXPECT_EQ(g.admit(0, 5), 5);
  EXPECT_EQ(g.admit(1, 6), 6);
  EXPECT_EQ(g.units_done(), 10);
  const std::vector<int64_t> ready = {12, 12, 12, 13}, want = {12, 12, 13, 13};
  for (size_t q = 0; q < ready.size(); ++q) EXPECT_EQ(g.admit_row(ready[q]), want[q]) << q;
  EXPECT_EQ(g.first(), 5);
  EXPECT_EQ(projected_state_done(13), 15);
  EXPECT_EQ(g.admit(0, 4), 14);
  EXPECT_EQ(g.first(), 14);
}

TEST(Schedule, GateAdmitsInOrderAtMostGPerCycle) {
  // G = 2, D = 3. Units ready at 5, 5, 5, 5, 20, 4: the first two at 5, the next two a cycle
  // later (e_{u-2} + 1), unit 4 when ready, unit 5 not before unit 4.
  GateAdmission g(2, 3);
  const std::vector<int64_t> ready = {5, 5, 5, 5, 20, 4};
  const std::vector<int64_t> want = {5, 5, 6, 6, 20, 20};
  for (size_t u = 0; u < ready.size(); ++u) EXPECT_EQ(g.admit(u, ready[u]), want[u]) << u;
  EXPECT_EQ(g.first(), 5);
  EXPECT_EQ(g.units_done(), 20 + 3 + 1);  // e_{H-1} + D + 1
}

TEST(Schedule, GateAdmissionRunsOnAcrossStepsOfAPass) {
  // G = 2, D = 3, two units a step. Step 0's units at 5 and 6; step 1's are ready at 4, so its
  // unit 0 waits for the cycle after step 0's last unit (6 + 1) and its unit 1 goes with it.
  GateAdmission g(2, 3);
  EXPECT_EQ(g.admit(0, 5), 5);
  EXPECT_EQ(g.admit(1, 6), 6);
  EXPECT_EQ(g.units_done(), 6 + 3 + 1);
  EXPECT_EQ(g.admit(0, 4), 7);
  EXPECT_EQ(g.first(), 7);
  EXPECT_EQ(g.admit(1, 4), 7);
  EXPECT_EQ(g.units_done(), 7 + 3 + 1);
  // A new pass: no bound from the last one.
  g.restart();
  EXPECT_EQ(g.admit(0, 2), 2);
  EXPECT_EQ(g.admit(1, 2), 2);
  EXPECT_EQ(g.admit(0, 2), 3);
}

TEST(Schedule, GateAdmissionTakesOneStepACycle) {
  // G = 4, two units a step, all ready at 5: the lanes could take both steps in cycle 5, but a
  // cycle admits one step's units, so step 1's go at 6. W_r rows (projection) follow their step's
  // units in the same cycle when they are ready.
  GateAdmission g(4, 2);
  EXPECT_EQ(g.admit(0, 5), 5);
  EXPECT_EQ(g.admit(1, 5), 5);
  EXPECT_EQ(g.admit(0, 5), 6);
  EXPECT_EQ(g.admit(1, 5), 6);
  EXPECT_EQ(g.admit_row(5), 6);
  EXPECT_EQ(g.admit_row(5), 6);
  EXPECT_EQ(g.admit_row(5), 7);
  EXPECT_EQ(g.admit(0, 5), 8);
}

std::vector<std::pair<int, int>> flat(const std::vector<PhaseRef>& phases) {
  std::vector<std::pair<int, int>> v;
  for (const PhaseRef& p : phases) v.push_back({int(p.matrix), p.step});
  return v;
}

TEST(Schedule, PhaseOrderOfEachArray) {
  using V = std::vector<std::pair<int, int>>;
  const int X = 0, H = 1, R = 2;
  auto sep = phase_order(false, false, 2);
  ASSERT_EQ(sep.size(), 2u);
  EXPECT_EQ(flat(sep[0]), (V{{X, 0}, {X, 1}}));
  EXPECT_EQ(flat(sep[1]), (V{{H, 0}, {H, 1}}));
  auto sep_proj = phase_order(false, true, 2);
  EXPECT_EQ(flat(sep_proj[1]), (V{{H, 0}, {R, 0}, {H, 1}, {R, 1}}));
  auto shared = phase_order(true, false, 2);
  ASSERT_EQ(shared.size(), 1u);
  EXPECT_EQ(flat(shared[0]), (V{{X, 0}, {H, 0}, {X, 1}, {H, 1}}));
  // X_0, H_0, X_1, R_0, H_1, X_2, R_1, H_2, R_2.
  EXPECT_EQ(flat(phase_order(true, true, 3)[0]),
            (V{{X, 0}, {H, 0}, {X, 1}, {R, 0}, {H, 1}, {X, 2}, {R, 1}, {H, 2}, {R, 2}}));
}

TEST(Schedule, BlockedInputPhases) {
  // x_block 3: the X phases of steps 0, 3, 6 read W_x; H and R phases always read theirs.
  for (int t : {0, 3, 6}) EXPECT_TRUE(fetches_weights({Matrix::kWx, t}, 3, 1)) << t;
  for (int t : {1, 2, 4, 5}) EXPECT_FALSE(fetches_weights({Matrix::kWx, t}, 3, 1)) << t;
  for (int t : {1, 2}) {
    EXPECT_TRUE(fetches_weights({Matrix::kWh, t}, 3, 1));
    EXPECT_TRUE(fetches_weights({Matrix::kWr, t}, 3, 1));
  }
  EXPECT_TRUE(fetches_weights({Matrix::kWx, 5}, 1, 1));
  // A batch of 2: H and R read at even batch steps, X (x_block 3) every 6.
  for (int v : {0, 2, 4}) {
    EXPECT_TRUE(fetches_weights({Matrix::kWh, v}, 3, 2)) << v;
    EXPECT_TRUE(fetches_weights({Matrix::kWr, v}, 3, 2)) << v;
    EXPECT_FALSE(fetches_weights({Matrix::kWh, v + 1}, 3, 2)) << v;
  }
  EXPECT_TRUE(fetches_weights({Matrix::kWx, 6}, 3, 2));
  for (int v : {1, 2, 3, 4, 5, 7}) EXPECT_FALSE(fetches_weights({Matrix::kWx, v}, 3, 2)) << v;
  ArchConfig arch = test::arch("brds");
  EXPECT_EQ(x_slots(arch), 2);
  arch.mac_array.x_block = 3;
  ASSERT_EQ(x_slots(arch), 4);
  // 8-bit activations, 16-byte beats: rho = 1, I = 5. x_t's slot bound applies from t = 4 only.
  InputTransposer tr(arch, 5, 6);
  EXPECT_EQ(tr.written(0, 10, 1000), 16);  // tau = 11
  EXPECT_EQ(tr.written(1, 0, 1000), 21);   // tau = 16
  EXPECT_EQ(tr.written(2, 0, 1000), 26);
  EXPECT_EQ(tr.written(3, 0, 1000), 31);
  EXPECT_EQ(tr.written(4, 0, 100), 105);  // tau = f_{X_0} = 100
}

TEST(Schedule, StallGoesToTheFirstDependencyThatSetsTheStart) {
  ArrayActivity a;
  // X: the operand at 10, no weights, the result slot at 12: starts at 12, 7 cycles on the gate
  // unit after the previous phase finished at 5.
  PhaseDependencies x = phase_dependencies(Matrix::kWx, 10, kNoDependency, 12);
  ASSERT_TRUE(x.known());
  EXPECT_EQ(x.start(5), 12);
  count_stall(a, x, 5, 12);
  EXPECT_EQ(a.stall_gate, 7);
  // A tie between the operand and the slot counts as memory (the operand comes first).
  x = phase_dependencies(Matrix::kWx, 12, kNoDependency, 12);
  count_stall(a, x, 10, x.start(10));
  EXPECT_EQ(a.stall_memory, 2);
  // H: streamed weights at 15 and the recurrence at 15: memory; the recurrence alone at 20.
  PhaseDependencies h = phase_dependencies(Matrix::kWh, 99, 15, 15);
  EXPECT_EQ(h.size, 2u);  // no operand dependency for H
  count_stall(a, h, 14, h.start(14));
  EXPECT_EQ(a.stall_memory, 3);
  h = phase_dependencies(Matrix::kWh, 0, 15, 20);
  count_stall(a, h, 14, h.start(14));
  EXPECT_EQ(a.stall_recurrence, 6);
  // R: nothing to wait for past the array's own finish.
  const PhaseDependencies r = phase_dependencies(Matrix::kWr, 0, kNoDependency, 9);
  EXPECT_EQ(r.start(9), 9);
  count_stall(a, r, 9, 9);
  EXPECT_EQ(a.stall_memory + a.stall_recurrence + a.stall_gate, 3 + 6 + 7);
  // An unknown dependency holds the phase back.
  EXPECT_FALSE(phase_dependencies(Matrix::kWh, 0, kUnknownCycle, 3).known());
}

TEST(Schedule, PhaseCounters) {
  ArrayActivity a;
  count_phase(a, 7, 20, 40, 8);
  count_phase(a, 3, 5, 40, 8);
  EXPECT_EQ(a.busy, 10);
  EXPECT_EQ(a.words, 25);
  EXPECT_EQ(a.mac_slots, 200);
  EXPECT_EQ(a.bank_bits_read, 1000);
  EXPECT_EQ(a.buffer_reads, 200);
}

// A pass as bank_use reads it: per-PE bank bits of each matrix.
struct FakeMatrix {
  int rows = 1;
  std::vector<int64_t> bits;
  int64_t bank_bits(int p, int) const { return bits[size_t(p)]; }
};
struct FakePass {
  FakeMatrix wx, wh, wr;
};

TEST(BankUse, LargestPeSummedOverPassesAgainstCapacity) {
  ArchConfig arch = test::arch("brds");
  arch.mac_array.wx.pes = arch.mac_array.wh.pes = 2;
  arch.weight_bank.wx_kbit_per_pe = 1;  // 1,024 bits
  arch.weight_bank.wh_kbit_per_pe = 2;
  FakePass a{{1, {600, 100}}, {1, {1000, 1500}}, {0, {0, 0}}};
  FakePass b{{1, {424, 900}}, {1, {0, 600}}, {0, {0, 0}}};
  BankUse u = bank_use(std::vector<FakePass>{a, b}, arch);
  EXPECT_EQ(u.wx_bits_max, 1024);  // PE 0: 600 + 424, exactly the capacity
  EXPECT_EQ(u.wh_bits_max, 2100);  // PE 1: 1500 + 600
  EXPECT_EQ(u.wx_capacity_bits, 1024);
  EXPECT_EQ(u.wh_capacity_bits, 2048);
  EXPECT_TRUE(u.wx_fits());
  EXPECT_FALSE(u.wh_fits());
  EXPECT_FALSE(u.on_chip());
  // One pass of each fits: the largest PE's bank of a pass, 900 (pass b, PE 1) and 1500 (a, 1).
  EXPECT_EQ(u.wx_pass_bits_max, 900);
  EXPECT_EQ(u.wh_pass_bits_max, 1500);
  EXPECT_TRUE(u.holds_a_pass());
  arch.weight_bank.wh_kbit_per_pe = 1;
  EXPECT_FALSE(bank_use(std::vector<FakePass>{a, b}, arch).holds_a_pass());
  arch.weight_bank.wh_kbit_per_pe = 2;
  // W_r shares the second bank with W_h, and only with projection (rows > 0).
  b.wh.bits = {0, 400};
  b.wr = {0, {5000, 5000}};
  EXPECT_TRUE(bank_use(std::vector<FakePass>{a, b}, arch).on_chip());
  b.wr.rows = 8;
  EXPECT_FALSE(bank_use(std::vector<FakePass>{a, b}, arch).wh_fits());
}

}  // namespace
}  // namespace sparrow
