// The SystemC model against the golden model (outputs, bit for bit) and against the timing
// contract evaluated analytically (every cycle and counter). One elaboration per test process:
// gtest_discover_tests runs each case in its own process, and each case elaborates once.
#include <gtest/gtest.h>

#include <random>
#include <systemc>

#include "golden/lstm_fixed.h"
#include "systemc_engine.h"
#include "test_util.h"
#include "timing/timing_model.h"

namespace sparrow {
namespace {

void expect_agreement(const ArchConfig& a, const WorkloadConfig& w) {
  const CompressedModel m = compress_model(make_lstm_weights(w), a);
  const RawMatrix x = quantize_inputs(make_input_sequence(w), a.arith.act);
  const FixedRun golden = run_lstm_fixed(m, a, x);
  const SystemcRun sc = run_systemc(m, a, w, x, int64_t{1} << 40);
  ASSERT_EQ(sc.outputs.rows(), golden.outputs.rows());
  ASSERT_EQ(sc.outputs.cols(), golden.outputs.cols());
  EXPECT_TRUE(sc.outputs == golden.outputs) << "outputs differ from the golden model";
  const Activity contract = evaluate_timing(m, a, w);
  EXPECT_EQ(sc.activity.cycles, contract.cycles);
  EXPECT_EQ(sc.activity.pass_end, contract.pass_end);
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

INSTANTIATE_TEST_SUITE_P(Model, ReferenceWorkload,
                         ::testing::Values(Reference{"brds", "sentiment-h128"},
                                           Reference{"brds", "ptb-small"},
                                           Reference{"brds", "ptb-medium"},
                                           Reference{"brds-pwl16", "ptb-large"},
                                           Reference{"brds-pwl16", "speech-lstmp"},
                                           Reference{"finnl-w4a4", "ocr-bilstm"}),
                         [](const auto& info) {
                           std::string n = std::string(info.param.arch) + "_" + info.param.workload;
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

// ---- Random configurations: dims, sparsities, PEs, lanes, bit widths, gate lanes and depth,
// memory latency and bandwidth, shared arrays, patterns, projection, bidirectional layers.

class RandomConfig : public ::testing::TestWithParam<int> {};

TEST_P(RandomConfig, MatchesGoldenAndContract) {
  std::mt19937_64 rng(uint64_t(GetParam()) * 7919u + 17u);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char* archs[] = {"brds",
                         "brds-pwl16",
                         "finnl-w4a4",
                         "binarized",
                         "baseline-single-ratio",
                         "baseline-unstructured"};
  const std::string name = archs[pick(0, 5)];
  YAML::Node y = test::arch_yaml(name);
  y = test::with(y, "mac_array.pes", std::to_string(pick(1, 24)));
  y = test::with(y, "mac_array.lanes", std::to_string(1 << pick(0, 4)));
  y = test::with(y, "mac_array.shared", pick(0, 1) ? "true" : "false");
  y = test::with(y, "gate_unit.lanes", std::to_string(pick(1, 8)));
  y = test::with(y, "gate_unit.pipeline_depth", std::to_string(pick(1, 12)));
  const int bpc = 1 << pick(0, 5);
  y = test::with(y, "memory.latency_cycles", std::to_string(pick(0, 200)));
  y = test::with(y, "memory.bytes_per_cycle", std::to_string(bpc));
  y = test::with(y, "memory.burst_bytes", std::to_string(bpc * pick(1, 8)));
  if (pick(0, 2) == 0) {  // streamed weights
    y = test::with(y, "weight_bank.wx_kbit_per_pe", "0");
  }
  if (name == "brds" || name == "brds-pwl16") {
    y = test::with(y, "compression.sx", std::to_string(pick(0, 95) / 100.0));
    y = test::with(y, "compression.sh", std::to_string(pick(0, 95) / 100.0));
    const int wb = pick(2, 12);
    y = test::with(y, "arith.wh",
                   "{bits: " + std::to_string(wb) + ", frac: " + std::to_string(wb) + "}");
  }
  const ArchConfig a = parse_arch_config(y, name + "-random.yaml");
  WorkloadConfig w = test::small_workload(pick(1, 40), pick(1, 24), pick(1, 2), pick(0, 1) == 1, 0,
                                          pick(1, 9), uint64_t(GetParam()));
  if (pick(0, 2) == 0 && w.hidden_size > 1) w.proj_size = pick(1, w.hidden_size - 1);
  w.weights.init_range = 0.5;
  SCOPED_TRACE(name + " pes " + std::to_string(a.mac_array.pes) + " lanes " +
               std::to_string(a.mac_array.lanes) + " shared " + std::to_string(a.mac_array.shared) +
               " I " + std::to_string(w.input_size) + " H " + std::to_string(w.hidden_size) +
               " P " + std::to_string(w.proj_size) + " layers " + std::to_string(w.layers) +
               " bidir " + std::to_string(w.bidirectional) + " T " + std::to_string(w.seq_len));
  expect_agreement(a, w);
}

INSTANTIATE_TEST_SUITE_P(Model, RandomConfig, ::testing::Range(0, SPARROW_RANDOM_CASES));

}  // namespace
}  // namespace sparrow
