// The SystemC model against the golden model (outputs, bit for bit) and against the timing
// contract evaluated analytically (every cycle and counter). One elaboration per test process:
// gtest_discover_tests runs each case in its own process, and each case elaborates once.
#include <gtest/gtest.h>

#include <systemc>

#include "engines/engines.h"
#include "engines/systemc_engine.h"
#include "golden/lstm_fixed.h"
#include "regress/random_case.h"
#include "test_util.h"
#include "timing/timing_model.h"

namespace sparrow {
namespace {

void expect_agreement(const ArchConfig& a, const WorkloadConfig& w) {
  const CompressedModel m = compress_model(make_lstm_weights(w), a);
  const RawMatrix x = quantize_inputs(make_input_sequence(w), a.arith.act);
  const FixedRun golden = run_lstm_fixed(m, a, x, w.sequences);
  const SystemcRun sc = run_systemc(m, a, w, x, int64_t{1} << 40);
  ASSERT_EQ(sc.outputs.rows(), golden.outputs.rows());
  ASSERT_EQ(sc.outputs.cols(), golden.outputs.cols());
  EXPECT_TRUE(bit_exact(sc.outputs, golden.outputs)) << "outputs differ from the golden model";
  const Activity contract = evaluate_timing(m, a, w);
  EXPECT_EQ(sc.activity.cycles, contract.cycles);
  EXPECT_EQ(sc.activity.pass_end, contract.pass_end);
  EXPECT_EQ(sc.activity.weights_loaded, contract.weights_loaded);
  EXPECT_EQ(sc.activity.sequence_done, contract.sequence_done);
  ASSERT_EQ(sc.activity.arrays.size(), contract.arrays.size());
  for (size_t i = 0; i < contract.arrays.size(); ++i) {
    const ArrayActivity &s = sc.activity.arrays[i], &c = contract.arrays[i];
    EXPECT_EQ(s.name, c.name);
    EXPECT_EQ(s.busy, c.busy) << c.name;
    EXPECT_EQ(s.stall_memory, c.stall_memory) << c.name;
    EXPECT_EQ(s.stall_recurrence, c.stall_recurrence) << c.name;
    EXPECT_EQ(s.stall_gate, c.stall_gate) << c.name;
    EXPECT_EQ(s.mac_slots, c.mac_slots) << c.name;
    EXPECT_EQ(s.bank_bits_read, c.bank_bits_read) << c.name;
  }
  EXPECT_TRUE(sc.activity == contract) << "a counter differs from the timing contract";
  EXPECT_GT(sc.activity.cycles, 0);
}

// ---- Every reference workload on its natural architecture.

struct Reference {
  const char* arch;
  const char* workload;
};

void PrintTo(const Reference& r, std::ostream* os) {
  *os << r.arch << " " << r.workload;
}

class ReferenceWorkload : public ::testing::TestWithParam<Reference> {};

TEST_P(ReferenceWorkload, MatchesGoldenAndContract) {
  const Reference r = GetParam();
  expect_agreement(
      load_arch_config(test::source_path(std::string("configs/arch/") + r.arch + ".yaml")),
      load_workload_config(
          test::source_path(std::string("configs/workloads/") + r.workload + ".yaml")));
}

INSTANTIATE_TEST_SUITE_P(
    Model, ReferenceWorkload,
    ::testing::Values(Reference{"brds", "sentiment-h128"}, Reference{"brds", "ptb-small"},
                      Reference{"brds-balanced", "ptb-small"}, Reference{"brds", "ptb-medium"},
                      Reference{"brds-pwl16", "ptb-large"}, Reference{"brds-pwl16", "speech-lstmp"},
                      Reference{"finnl-w4a4", "ocr-bilstm"}),
    [](const auto& info) {
      std::string n = std::string(info.param.arch) + "_" + info.param.workload;
      for (char& c : n)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return n;
    });

// ---- Random configurations (apps/regress/random_case.h), the first cases of stream 1;
// `sparrow regress` runs many more.

class RandomConfig : public ::testing::TestWithParam<int> {};

// X phases blocked per W_x fetch on a stacked BiLSTM (T = 7: blocks of 3, 3 and 1), weights on
// chip and streamed (one SystemC elaboration per process, so one test each).
WorkloadConfig blocked_workload() {
  return test::small_workload(12, 6, 2, true, 0, 7);
}

TEST(BlockedInputPhases, OnChipMatchGoldenAndContract) {
  expect_agreement(test::arch_with("mac_array.x_block", "3"), blocked_workload());
}

TEST(BlockedInputPhases, StreamedMatchGoldenAndContract) {
  ArchConfig a = test::arch_with("mac_array.x_block", "3");
  a.weight_bank.wx_kbit_per_pe = 0;
  expect_agreement(a, blocked_workload());
}

// Batches ("Batches" in docs/timing.md): two batches of three sequences of a projected stacked
// BiLSTM, on separate arrays with weights on chip, streamed with X phases blocked, and on a
// shared array.
WorkloadConfig batched_workload() {
  WorkloadConfig w = test::small_workload(12, 6, 2, true, 4, 5);
  w.sequences = 6;
  w.batch = 3;
  return w;
}

TEST(Batches, OnChipMatchGoldenAndContract) {
  expect_agreement(test::arch("brds"), batched_workload());
}

TEST(Batches, StreamedBlockedMatchGoldenAndContract) {
  ArchConfig a = test::arch_with("mac_array.x_block", "2");
  a.weight_bank.wh_kbit_per_pe = 0;
  expect_agreement(a, batched_workload());
}

TEST(Batches, SharedArrayMatchGoldenAndContract) {
  expect_agreement(test::arch_with("mac_array.shared", "true"), batched_workload());
}

// At full size: brds on ptb-medium (2 x 650, weights streamed), one batch of 4.
TEST(Batches, PtbMediumStreamedMatchGoldenAndContract) {
  WorkloadConfig w = load_workload_config(test::source_path("configs/workloads/ptb-medium.yaml"));
  w.sequences = w.batch = 4;
  expect_agreement(test::arch("brds"), w);
}

TEST_P(RandomConfig, MatchesGoldenAndContract) {
  const RandomCase c = random_case(SPARROW_SOURCE_DIR, 1, GetParam());
  SCOPED_TRACE(c.summary());
  expect_agreement(c.load_arch(), c.load_workload());
}

INSTANTIATE_TEST_SUITE_P(Model, RandomConfig, ::testing::Range(0, SPARROW_RANDOM_CASES));

// ---- The engines behind one interface (engines/engines.h): what `sparrow run` gets from each.

TEST(Engines, EachNameMakesItsEngine) {
  EXPECT_EQ(engine_names(), (std::vector<std::string>{"systemc", "analytic", "rtl", "golden"}));
  for (const std::string& n : engine_names()) EXPECT_EQ(make_engine(n)->name(), n);
  EXPECT_THROW(make_engine("verilog"), std::logic_error);
}

TEST(Engines, EachGivesWhatItComputes) {
  const ArchConfig a = test::arch();
  const WorkloadConfig w = test::small_workload(12, 6, 2, true, 0, 5);
  const CompressedModel m = compress_model(make_lstm_weights(w), a);
  const RawMatrix x = quantize_inputs(make_input_sequence(w), a.arith.act);
  const Activity contract = evaluate_timing(m, a, w);
  const EngineCase c{m, a, w, x};

  const EngineResult sc = make_engine("systemc")->run(c);
  ASSERT_TRUE(sc.outputs && sc.activity && sc.contract);
  EXPECT_TRUE(bit_exact(*sc.outputs, run_lstm_fixed(m, a, x, w.sequences).outputs));
  EXPECT_TRUE(*sc.activity == contract);
  EXPECT_EQ(sc.contract_cycles(), contract.cycles);
  EXPECT_EQ(*sc.contract, contract);
  EXPECT_EQ(sc.disagreement, "");
  EXPECT_GT(sc.seconds, 0);

  const EngineResult an = make_engine("analytic")->run(c);
  EXPECT_FALSE(an.outputs || an.contract);
  ASSERT_TRUE(an.activity);
  EXPECT_TRUE(*an.activity == contract);

  const EngineResult golden = make_engine("golden")->run(c);
  EXPECT_FALSE(golden.outputs || golden.activity || golden.contract);
  EXPECT_FALSE(golden.rtl);
}

}  // namespace
}  // namespace sparrow
