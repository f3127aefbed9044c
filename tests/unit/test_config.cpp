#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "test_util.h"

namespace sparrow {
namespace {

using test::arch_with;
using test::arch_yaml;
using test::source_path;
using test::with;

// The error must be one line naming the file, the key path, the value and what is allowed.
void expect_error(const std::function<void()>& f, const std::vector<std::string>& fragments) {
  try {
    f();
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    for (const auto& frag : fragments) EXPECT_NE(msg.find(frag), std::string::npos) << msg;
  }
}

TEST(ArchConfig, EveryShippedConfigLoads) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(source_path("configs/arch"))) {
    const ArchConfig a = load_arch_config(e.path().string());
    EXPECT_FALSE(a.name.empty());
    ++n;
  }
  EXPECT_GE(n, 6);
}

TEST(ArchConfig, ReadsValues) {
  const ArchConfig a = test::arch("brds");
  EXPECT_EQ(a.mac_array.wx, (ArraySize{16, 8}));
  EXPECT_EQ(a.mac_array.wh, (ArraySize{16, 8}));
  EXPECT_FALSE(a.mac_array.per_array());
  EXPECT_EQ(a.mac_array.macs(), 256);
  EXPECT_EQ(a.compression.pattern, PruningPattern::kDualRatio);
  EXPECT_DOUBLE_EQ(a.compression.sx, 0.875);
  EXPECT_DOUBLE_EQ(a.compression.sh, 0.75);
  EXPECT_EQ(a.arith.wx, (FixedFormat{8, 8}));
  EXPECT_EQ(a.arith.wh, (FixedFormat{6, 7}));
  EXPECT_EQ(a.arith.sigmoid.range_log2, 3);
  EXPECT_EQ(a.arith.sigmoid.entries_log2, 8);
  EXPECT_EQ(a.arith.tanh.range_log2, 2);
  EXPECT_EQ(a.arith.frac_x(), 14);
  EXPECT_EQ(a.arith.frac_h(), 13);
}

TEST(ArchConfig, SizesEachArrayForItsMatrix) {
  const ArchConfig a =
      arch_with("mac_array", "{wx: {pes: 4, lanes: 2}, wh: {pes: 12, lanes: 16}, shared: false}");
  EXPECT_EQ(a.mac_array.wx, (ArraySize{4, 2}));
  EXPECT_EQ(a.mac_array.wh, (ArraySize{12, 16}));
  EXPECT_TRUE(a.mac_array.per_array());
  EXPECT_EQ(a.mac_array.macs(), 4 * 2 + 12 * 16);
  EXPECT_EQ(&a.mac_array.of(true), &a.mac_array.wx);
  EXPECT_EQ(&a.mac_array.of(false), &a.mac_array.wh);
  const ArchConfig shared = arch_with("mac_array.shared", "true");
  EXPECT_EQ(shared.mac_array.macs(), 16 * 8);
}

TEST(ArchConfig, PerArraySizesAreOneWayOfSizing) {
  expect_error([] { arch_with("mac_array.wx", "{pes: 4, lanes: 2}"); },
               {"brds.yaml", "mac_array.pes", "'16'", "absent when mac_array.wx and mac_array.wh"});
  expect_error([] { arch_with("mac_array", "{wx: {pes: 4, lanes: 2}}"); },
               {"mac_array.wh", "missing", "required"});
  expect_error([] { arch_with("mac_array", "{wx: {pes: 4, lanes: 2}, wh: {pes: 4}}"); },
               {"mac_array.wh.lanes", "missing"});
  expect_error([] { arch_with("mac_array", "{wx: {pes: 0, lanes: 2}, wh: {pes: 4, lanes: 2}}"); },
               {"mac_array.wx.pes", "'0'", "[1, 4096]"});
  expect_error(
      [] {
        arch_with("mac_array", "{wx: {pes: 4, lanes: 2}, wh: {pes: 4, lanes: 2}, shared: true}");
      },
      {"mac_array.shared", "'true'", "false with per-array sizes"});
}

TEST(ArchConfig, BlockedInputPhasesNeedSeparateArrays) {
  EXPECT_EQ(test::arch("brds").mac_array.x_block, 1);
  EXPECT_EQ(arch_with("mac_array.x_block", "4").mac_array.x_block, 4);
  expect_error([] { arch_with("mac_array", "{pes: 4, lanes: 2, shared: true, x_block: 2}"); },
               {"mac_array.x_block", "'2'", "1 with a shared array"});
  expect_error([] { arch_with("mac_array.x_block", "65"); },
               {"mac_array.x_block", "'65'", "[1, 64]"});
}

TEST(ArchConfig, SingleRatioUsesOneSparsity) {
  const ArchConfig a = test::arch("baseline-single-ratio");
  EXPECT_EQ(a.compression.pattern, PruningPattern::kSingleRatio);
  EXPECT_DOUBLE_EQ(a.compression.sx, a.compression.sh);
}

TEST(ArchConfig, UnknownKey) {
  expect_error([] { arch_with("mac_array.lane", "4"); },
               {"brds.yaml", "mac_array.lane", "unknown key", "lanes"});
}

TEST(ArchConfig, MissingKey) {
  expect_error([] { arch_with("mac_array.pes", "~"); },
               {"brds.yaml", "mac_array.pes", "missing", "required"});
}

TEST(ArchConfig, OutOfRange) {
  expect_error([] { arch_with("mac_array.lanes", "65"); },
               {"brds.yaml", "mac_array.lanes", "'65'", "[1, 64]"});
  expect_error([] { arch_with("compression.sx", "1.0"); },
               {"brds.yaml", "compression.sx", "'1.0'", "[0, 0.999]"});
  expect_error([] { arch_with("arith.wx.bits", "17"); }, {"arith.wx.bits", "'17'", "[1, 16]"});
}

TEST(ArchConfig, WrongType) {
  expect_error([] { arch_with("mac_array.pes", "sixteen"); },
               {"mac_array.pes", "'sixteen'", "an integer"});
  expect_error([] { arch_with("mac_array.pes", "2.5"); }, {"mac_array.pes", "'2.5'"});
  expect_error([] { arch_with("mac_array", "[1, 2]"); }, {"mac_array", "a list", "mapping"});
  expect_error([] { arch_with("mac_array.shared", "maybe"); },
               {"mac_array.shared", "'maybe'", "true | false"});
  expect_error([] { arch_with("compression.pattern", "random"); },
               {"compression.pattern", "'random'", "dual_ratio | single_ratio | unstructured"});
}

TEST(ArchConfig, PowerOfTwoTables) {
  expect_error([] { arch_with("arith.activation.sigmoid.entries", "100"); },
               {"arith.activation.sigmoid.entries", "'100'", "power of two"});
}

TEST(ArchConfig, InconsistentCombinations) {
  // A bin narrower than one input LSB cannot be indexed by the input's top bits.
  expect_error([] { arch_with("arith.activation.tanh.entries", "65536"); },
               {"arith.activation.tanh.entries", "'65536'", "= 32768"});
  // The accumulator must hold one product.
  expect_error([] { arch_with("arith.acc_bits", "12"); }, {"arith.acc_bits", "'12'", "at least"});
  // Binarized weights cannot encode the zero padding slot of an unbalanced row.
  expect_error(
      [] {
        parse_arch_config(
            with(with(arch_yaml("binarized"), "compression.segment_balanced", "false"),
                 "compression.sx", "0.5"),
            "binarized.yaml");
      },
      {"binarized.yaml", "compression.segment_balanced", "binarized"});
  // A scale format is only meaningful for binarized weights.
  expect_error([] { arch_with("arith.scale", "{bits: 8, frac: 8}"); },
               {"arith.scale", "no 'scale' unless"});
  // More preact fraction bits than the products have.
  expect_error([] { arch_with("arith.preact.frac", "20"); }, {"arith.preact.frac", "at most"});
  // Widths that would overflow the 62-bit intermediate.
  expect_error([] { arch_with("arith.gate", "{bits: 24, frac: 40}"); },
               {"arith.cell", "aligned f * c needs 69 bits", "at most 62"});
  expect_error([] { arch_with("memory.burst_bytes", "100"); },
               {"memory.burst_bytes", "'100'", "multiple of memory.bytes_per_cycle"});
}

TEST(ArchConfig, UnknownPatternKeyForSingleRatio) {
  expect_error([] { arch_with("compression.pattern", "single_ratio"); },
               {"compression.sparsity", "missing"});
}

TEST(ArchConfig, DuplicateKey) {
  expect_error(
      [] {
        std::ifstream in(source_path("configs/arch/brds.yaml"));
        std::stringstream text;
        text << in.rdbuf() << "\nname: other\n";
        parse_arch_config(YAML::Load(text.str()), "dup.yaml");
      },
      {"dup.yaml", "name", "duplicate"});
}

TEST(ArchConfig, SyntaxErrorNamesFileAndLine) {
  const std::string path = std::string(SPARROW_TEST_TMP) + "/broken.yaml";
  std::filesystem::create_directories(SPARROW_TEST_TMP);
  { std::ofstream(path) << "name: x\nmac_array: {pes: 4\n"; }
  expect_error([&] { load_arch_config(path); }, {"broken.yaml", "line", "YAML"});
  expect_error([] { load_arch_config("/nonexistent/arch.yaml"); },
               {"/nonexistent/arch.yaml", "a file that does not exist"});
}

TEST(YamlNumber, WritesTextYamlReadsBackAsTheSameDouble) {
  EXPECT_EQ(yaml_number(3), "3");
  EXPECT_EQ(yaml_number(-2), "-2");
  EXPECT_EQ(yaml_number(1000000), "1000000");
  EXPECT_EQ(yaml_number(0.875), "0.875");
  EXPECT_EQ(yaml_number(-0.875), "-0.875");
  // 0.1 has no exact double: 17 digits show the double's own value, 12 the decimal meant.
  EXPECT_EQ(yaml_number(0.1), "0.10000000000000001");
  EXPECT_EQ(yaml_number(0.1, 12), "0.1");
  EXPECT_EQ(yaml_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(yaml_number(0.1 + 0.2, 12), "0.3");
  EXPECT_EQ(yaml_number(1.0 / 3), "0.33333333333333331");
  EXPECT_EQ(yaml_number(-2.5e-7), "-2.4999999999999999e-07");
  EXPECT_EQ(yaml_number(1e13, 12), "1e+13");
  for (double v : {3.0, -2.0, 1e6, 0.875, -0.875, 0.1, 0.1 + 0.2, 1.0 / 3, -2.5e-7, 1e-300, 1e300,
                   0.9999999999999999})
    EXPECT_EQ(YAML::Load(yaml_number(v)).as<double>(), v) << yaml_number(v);
}

TEST(WorkloadConfig, EveryShippedWorkloadLoads) {
  for (const char* name :
       {"sentiment-h128", "ptb-small", "ptb-medium", "ptb-large", "speech-lstmp", "ocr-bilstm"}) {
    const WorkloadConfig w =
        load_workload_config(source_path(std::string("configs/workloads/") + name + ".yaml"));
    EXPECT_EQ(w.name, name);
  }
  const WorkloadConfig s = load_workload_config(source_path("configs/workloads/speech-lstmp.yaml"));
  EXPECT_EQ(s.proj_size, 512);
  EXPECT_EQ(s.state_size(), 512);
  EXPECT_EQ(s.layer_input_size(1), 512);
  const WorkloadConfig o = load_workload_config(source_path("configs/workloads/ocr-bilstm.yaml"));
  EXPECT_EQ(o.output_size(), 256);
}

// Keys with a default (docs/configs.md) may be left out: layers 1, proj_size 0.
TEST(WorkloadConfig, DefaultsWhereTheDocsSay) {
  YAML::Node y = YAML::Clone(YAML::LoadFile(source_path("configs/workloads/ocr-bilstm.yaml")));
  ASSERT_TRUE(y["layers"]);
  y.remove("layers");
  ASSERT_FALSE(y["proj_size"]);
  const WorkloadConfig w = parse_workload_config(y, "w.yaml");
  EXPECT_EQ(w.layers, 1);
  EXPECT_EQ(w.proj_size, 0);
  EXPECT_EQ(w.sequences, 1);
  EXPECT_EQ(w.batch, 1);
  y["layers"] = 3;
  EXPECT_EQ(parse_workload_config(y, "w.yaml").layers, 3);
}

TEST(WorkloadConfig, Errors) {
  const YAML::Node base = YAML::LoadFile(source_path("configs/workloads/sentiment-h128.yaml"));
  expect_error([&] { parse_workload_config(with(base, "hidden_size", "0"), "w.yaml"); },
               {"w.yaml", "hidden_size", "'0'"});
  expect_error([&] { parse_workload_config(with(base, "proj_size", "128"), "w.yaml"); },
               {"proj_size", "'128'", "less than hidden_size"});
  expect_error([&] { parse_workload_config(with(base, "weights.source", "hub"), "w.yaml"); },
               {"weights.source", "'hub'", "random | npz"});
  expect_error([&] { parse_workload_config(with(base, "weights", "{source: npz}"), "w.yaml"); },
               {"weights.path", "missing"});
  expect_error([&] { parse_workload_config(with(base, "inputs.seed", "-3"), "w.yaml"); },
               {"inputs.seed", "'-3'"});
  expect_error([&] { parse_workload_config(with(base, "sequences", "0"), "w.yaml"); },
               {"sequences", "'0'"});
  // seq_len 200: 2^24 steps allow 83,886 sequences.
  EXPECT_EQ(parse_workload_config(with(base, "sequences", "83886"), "w.yaml").sequences, 83886);
  expect_error([&] { parse_workload_config(with(base, "sequences", "83887"), "w.yaml"); },
               {"sequences", "'83887'", "at most 83886"});
  // A batch divides the session's sequences, at most 64.
  YAML::Node session = with(base, "sequences", "12");
  EXPECT_EQ(parse_workload_config(with(session, "batch", "4"), "w.yaml").batches(), 3);
  expect_error([&] { parse_workload_config(with(session, "batch", "5"), "w.yaml"); },
               {"w.yaml", "batch", "'5'", "a divisor of sequences = 12"});
  expect_error([&] { parse_workload_config(with(base, "batch", "2"), "w.yaml"); },
               {"batch", "'2'", "a divisor of sequences = 1"});
  expect_error([&] { parse_workload_config(with(session, "batch", "0"), "w.yaml"); },
               {"batch", "'0'"});
  expect_error(
      [&] {
        parse_workload_config(with(with(base, "sequences", "128"), "batch", "128"), "w.yaml");
      },
      {"batch", "'128'", "64"});
}

TEST(WorkloadConfig, PathsAreRelativeToTheYaml) {
  const YAML::Node base = YAML::LoadFile(source_path("configs/workloads/sentiment-h128.yaml"));
  const WorkloadConfig w = parse_workload_config(
      with(base, "weights", "{source: npz, path: ../models/m.npz}"), "/a/b/w.yaml");
  EXPECT_EQ(w.weights.path, "/a/models/m.npz");
}

}  // namespace
}  // namespace sparrow
