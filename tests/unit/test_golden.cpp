#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <filesystem>

#include "arith/gate_arith.h"
#include "common/error.h"
#include "golden/lstm_fixed.h"
#include "golden/lstm_float.h"
#include "io/npy.h"
#include "report/run_report.h"
#include "test_util.h"

namespace sparrow {
namespace {

// ---- The float reference against PyTorch's nn.LSTM (fixtures: scripts/gen_torch_fixtures.py).

class TorchFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(TorchFixture, FloatReferenceMatchesNnLstm) {
  const std::string path = test::source_path("tests/fixtures/torch/" + GetParam() + ".npz");
  const auto arrays = read_npz(path);
  const std::vector<int64_t> cfg = arrays.at("config").to_int64();
  WorkloadConfig w = test::small_workload(int(cfg[0]), int(cfg[1]), int(cfg[3]), cfg[4] != 0,
                                          int(cfg[2]), int(cfg[5]));
  const LstmWeights weights = load_lstm_weights_npz(path, w);
  const std::vector<double> xin = arrays.at("input").to_double();
  const std::vector<double> yref = arrays.at("output").to_double();
  Eigen::MatrixXd x(w.seq_len, w.input_size);
  for (Eigen::Index i = 0; i < x.size(); ++i) x(i / x.cols(), i % x.cols()) = xin[size_t(i)];
  const Eigen::MatrixXd y = run_lstm_float(weights, x);
  ASSERT_EQ(y.rows(), w.seq_len);
  ASSERT_EQ(y.cols(), w.output_size());
  ASSERT_EQ(size_t(y.size()), yref.size());
  double max_rel = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double ref = yref[size_t(i)];
    const double got = y(i / y.cols(), i % y.cols());
    max_rel = std::max(max_rel, std::abs(got - ref) / std::max(std::abs(ref), 1e-3));
  }
  EXPECT_LE(max_rel, 1e-5);
  // The fixture is not trivial: its outputs span a real range.
  EXPECT_GT(Eigen::Map<const Eigen::VectorXd>(yref.data(), Eigen::Index(yref.size()))
                .cwiseAbs()
                .maxCoeff(),
            0.2);
}

INSTANTIATE_TEST_SUITE_P(Golden, TorchFixture,
                         ::testing::Values("single", "multilayer", "bidirectional", "projected",
                                           "bidirectional_projected"),
                         [](const auto& info) { return info.param; });

// ---- The fixed-point model against an independent dense execution of the same contract.

// The contract executed from the quantized dense matrices, in PyTorch row order: no banks, no
// interleaving, no padding. Shares only GateArith (pinned by hand in test_arith).
struct DenseFixed {
  RawMatrix wx, wh, wr;
  std::vector<int64_t> sx_scale, sh_scale, sr_scale, bias;
};

RawMatrix quantized(const Eigen::MatrixXd& pruned, const PruneMask& m, const FixedFormat& f,
                    const FixedFormat& scale_fmt, std::vector<int64_t>& scale) {
  RawMatrix q = RawMatrix::Zero(pruned.rows(), pruned.cols());
  scale.assign(size_t(pruned.rows()), 0);
  for (int r = 0; r < pruned.rows(); ++r) {
    double sum = 0;
    int n = 0;
    for (int c : m.kept[size_t(r)]) {
      if (c >= pruned.cols()) continue;
      q(r, c) = f.bits == 1 ? (pruned(r, c) >= 0 ? 1 : -1) : quantize(pruned(r, c), f);
      sum += std::abs(pruned(r, c));
      ++n;
    }
    if (f.bits == 1) scale[size_t(r)] = quantize(n ? sum / n : 0.0, scale_fmt);
  }
  return q;
}

RawMatrix dense_direction(const DenseFixed& d, const GateArith& ga, const RawMatrix& x,
                          bool reverse, bool bin_x, bool bin_h) {
  const Eigen::Index h = d.wx.rows() / 4, state = d.wr.rows() ? d.wr.rows() : h;
  std::vector<int64_t> hs(size_t(state), 0), c(size_t(h), 0), hu(size_t(h), 0);
  RawMatrix out(x.rows(), state);
  for (Eigen::Index k = 0; k < x.rows(); ++k) {
    const Eigen::Index t = reverse ? x.rows() - 1 - k : k;
    std::vector<int64_t> z(size_t(4 * h));
    for (Eigen::Index r = 0; r < 4 * h; ++r) {
      int64_t sx = 0, sh = 0;
      for (Eigen::Index j = 0; j < x.cols(); ++j) sx += d.wx(r, j) * x(t, j);
      for (Eigen::Index j = 0; j < state; ++j) sh += d.wh(r, j) * hs[size_t(j)];
      z[size_t(r)] =
          ga.preactivation(ga.row_result(sx, bin_x, d.sx_scale[size_t(r)]),
                           ga.row_result(sh, bin_h, d.sh_scale[size_t(r)]), d.bias[size_t(r)]);
    }
    for (Eigen::Index u = 0; u < h; ++u) {
      const auto co = ga.cell(z[size_t(u)], z[size_t(h + u)], z[size_t(2 * h + u)],
                              z[size_t(3 * h + u)], c[size_t(u)]);
      c[size_t(u)] = co.c;
      hu[size_t(u)] = co.h;
    }
    if (d.wr.rows()) {
      for (Eigen::Index r = 0; r < state; ++r) {
        int64_t s = 0;
        for (Eigen::Index j = 0; j < h; ++j) s += d.wr(r, j) * hu[size_t(j)];
        hs[size_t(r)] = ga.projection(ga.row_result(s, bin_h, d.sr_scale[size_t(r)]));
      }
    } else {
      hs = hu;
    }
    for (Eigen::Index r = 0; r < state; ++r) out(t, r) = hs[size_t(r)];
  }
  return out;
}

RawMatrix dense_fixed(const CompressedModel& m, const ArchConfig& a, const RawMatrix& x0) {
  const GateArith ga(a.arith);
  const ArithConfig& ar = a.arith;
  const LstmWeights& w = m.pruned;
  RawMatrix x = x0;
  for (int l = 0; l < w.layers; ++l) {
    std::vector<RawMatrix> outs;
    for (int dir = 0; dir < w.directions(); ++dir) {
      const CompressedDirection& cd = m.at(l, dir);
      const LstmDirectionWeights& pw = w.at(l, dir);
      DenseFixed d;
      d.wx = quantized(pw.w_ih, cd.mask_x, ar.wx, ar.scale, d.sx_scale);
      d.wh = quantized(pw.w_hh, cd.mask_h, ar.wh, ar.scale, d.sh_scale);
      if (pw.w_hr.size()) d.wr = quantized(pw.w_hr, cd.mask_r, ar.wh, ar.scale, d.sr_scale);
      const Eigen::VectorXd b = pw.b_ih + pw.b_hh;  // pruning leaves the bias alone
      for (Eigen::Index r = 0; r < b.size(); ++r) d.bias.push_back(quantize(b(r), ar.bias));
      outs.push_back(dense_direction(d, ga, x, dir == 1, ar.wx_binarized(), ar.wh_binarized()));
    }
    x = outs.size() == 1 ? outs[0] : RawMatrix(x.rows(), outs[0].cols() * 2);
    if (outs.size() == 2) x << outs[0], outs[1];
  }
  return x;
}

struct FixedCase {
  std::string arch;
  int input, hidden, layers;
  bool bidir;
  int proj;
};

class FixedModel : public ::testing::TestWithParam<FixedCase> {};

TEST_P(FixedModel, BanksExecuteTheContractExactly) {
  const FixedCase& fc = GetParam();
  const ArchConfig a = test::arch(fc.arch);
  for (uint64_t seed : {1, 2, 3}) {
    WorkloadConfig w =
        test::small_workload(fc.input, fc.hidden, fc.layers, fc.bidir, fc.proj, 7, seed);
    w.weights.init_range = 0.6;  // large enough to saturate gates and the cell now and then
    w.inputs.amplitude = 1.5;
    const CompressedModel m = compress_model(random_lstm_weights(w), a);
    const RawMatrix x = quantize_inputs(make_input_sequence(w), a.arith.act);
    const FixedRun run = run_lstm_fixed(m, a, x);
    const RawMatrix want = dense_fixed(m, a, x);
    ASSERT_EQ(run.outputs.rows(), want.rows());
    ASSERT_EQ(run.outputs.cols(), want.cols());
    EXPECT_EQ(run.outputs, want) << fc.arch << " seed " << seed;
    EXPECT_GT(run.outputs.cwiseAbs().maxCoeff(), 0);
  }
}

std::string case_name(const FixedCase& c) {
  std::string name = c.arch + "_" + std::to_string(c.input) + "x" + std::to_string(c.hidden) +
                     "_l" + std::to_string(c.layers) + (c.bidir ? "_bidir" : "") +
                     (c.proj ? "_proj" + std::to_string(c.proj) : "");
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

void PrintTo(const FixedCase& c, std::ostream* os) {
  *os << case_name(c);
}

INSTANTIATE_TEST_SUITE_P(Golden, FixedModel,
                         ::testing::Values(FixedCase{"brds", 37, 12, 1, false, 0},
                                           FixedCase{"brds", 20, 16, 2, true, 0},
                                           FixedCase{"brds", 21, 18, 2, false, 7},
                                           FixedCase{"brds-pwl16", 30, 10, 2, true, 4},
                                           FixedCase{"finnl-w4a4", 32, 16, 1, true, 0},
                                           FixedCase{"binarized", 33, 12, 2, false, 5},
                                           FixedCase{"baseline-single-ratio", 25, 9, 1, false, 0},
                                           FixedCase{"baseline-unstructured", 25, 9, 2, false, 3}),
                         [](const auto& info) { return case_name(info.param); });

// ---- The fixed-point model's error against the float reference, per bit width.

// Dense (no pruning), so the error is the arithmetic's alone: activations Q<b>.<b-2>, weights
// Q<b>.<b+1>, 1024-segment piecewise-linear activations.
double rms_error_at(int b) {
  YAML::Node y = test::arch_yaml("brds");
  y = test::with(y, "compression.sx", "0");
  y = test::with(y, "compression.sh", "0");
  const std::string fb = std::to_string(b);
  y = test::with(y, "arith.act", "{bits: " + fb + ", frac: " + std::to_string(b - 2) + "}");
  y = test::with(y, "arith.wx", "{bits: " + fb + ", frac: " + std::to_string(b + 1) + "}");
  y = test::with(y, "arith.wh", "{bits: " + fb + ", frac: " + std::to_string(b + 1) + "}");
  y = test::with(y, "arith.bias", "{bits: 24, frac: 16}");
  y = test::with(y, "arith.preact",
                 "{bits: 24, frac: " + std::to_string(std::min(16, 2 * b - 1)) + "}");
  y = test::with(y, "arith.gate", "{bits: 20, frac: 18}");
  y = test::with(y, "arith.cell", "{bits: 24, frac: 18}");
  y = test::with(y, "arith.acc_bits", "44");
  y = test::with(y, "arith.activation",
                 "{kind: pwl, sigmoid: {range: 8, entries: 1024}, "
                 "tanh: {range: 4, entries: 1024}, slope: {bits: 20, frac: 19}}");
  const ArchConfig a = parse_arch_config(y, "widths.yaml");
  WorkloadConfig w = test::small_workload(24, 32, 2, false, 0, 30, 5);
  const LstmWeights weights = random_lstm_weights(w);
  const Eigen::MatrixXd x = make_input_sequence(w);
  const CompressedModel m = compress_model(weights, a);
  const FixedRun run = run_lstm_fixed(m, a, quantize_inputs(x, a.arith.act));
  const Eigen::MatrixXd got = run.outputs.cast<double>() * a.arith.act.lsb();
  return compare_outputs(got, run_lstm_float(weights, x)).rms;
}

TEST(FixedModel, ErrorAgainstFloatShrinksWithBitWidth) {
  // Bounds are about twice the measured error; the step per width is about 2^-(b-2).
  const std::vector<std::pair<int, double>> bounds = {
      {4, 0.15}, {6, 0.03}, {8, 0.008}, {12, 0.0006}, {16, 0.00006}};
  double previous = 1e9;
  for (const auto& [b, bound] : bounds) {
    const double rms = rms_error_at(b);
    RecordProperty("rms_error_" + std::to_string(b) + "bit", std::to_string(rms));
    std::printf("  %2d-bit activations and weights: rms error %.3g (bound %.3g)\n", b, rms, bound);
    EXPECT_LE(rms, bound) << b << " bits";
    EXPECT_LT(rms, previous) << b << " bits";
    previous = rms;
  }
}

// ---- Weight and input files.

class WeightFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(SPARROW_TEST_TMP);
    w_ = test::small_workload(3, 2);
    const LstmWeights lw = random_lstm_weights(w_);
    auto put = [&](const std::string& name, const Eigen::MatrixXd& m) {
      std::vector<double> v;
      for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c) v.push_back(m(r, c));
      arrays_[name] = m.cols() == 1
                          ? NpyArray::from_double({size_t(m.rows())}, v)
                          : NpyArray::from_double({size_t(m.rows()), size_t(m.cols())}, v);
    };
    put("weight_ih_l0", lw.dirs[0].w_ih);
    put("weight_hh_l0", lw.dirs[0].w_hh);
    put("bias_ih_l0", lw.dirs[0].b_ih);
    put("bias_hh_l0", lw.dirs[0].b_hh);
  }
  std::string error_of(const std::map<std::string, NpyArray>& arrays) {
    // One file per test: CTest runs the tests of this fixture in parallel processes.
    const std::string path = std::string(SPARROW_TEST_TMP) + "/" +
                             ::testing::UnitTest::GetInstance()->current_test_info()->name() +
                             "-weights.npz";
    write_npz(path, arrays);
    try {
      load_lstm_weights_npz(path, w_);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }
  WorkloadConfig w_;
  std::map<std::string, NpyArray> arrays_;
};

TEST_F(WeightFiles, LoadsValidFile) {
  EXPECT_EQ(error_of(arrays_), "no error");
}

TEST_F(WeightFiles, MissingArray) {
  auto a = arrays_;
  a.erase("bias_hh_l0");
  EXPECT_NE(error_of(a).find(
                "weights.npz: bias_hh_l0: got no such array; allowed: an array of shape (8,)"),
            std::string::npos)
      << error_of(a);
}

TEST_F(WeightFiles, WrongShape) {
  auto a = arrays_;
  a["weight_hh_l0"] = NpyArray::from_double({8, 3}, std::vector<double>(24, 0.1));
  EXPECT_NE(error_of(a).find("weight_hh_l0: got shape (8, 3); allowed: shape (8, 2)"),
            std::string::npos)
      << error_of(a);
}

TEST_F(WeightFiles, NotFinite) {
  auto a = arrays_;
  std::vector<double> v(24, 0.1);
  v[5] = std::nan("");
  a["weight_ih_l0"] = NpyArray::from_double({8, 3}, v);
  EXPECT_NE(error_of(a).find("weight_ih_l0[1, 2]: got nan"), std::string::npos) << error_of(a);
}

TEST_F(WeightFiles, IntegerDtype) {
  auto a = arrays_;
  a["bias_ih_l0"] = NpyArray::from_int32({8}, std::vector<int32_t>(8, 1));
  EXPECT_NE(error_of(a).find("bias_ih_l0: got an array of integer or bool dtype"),
            std::string::npos)
      << error_of(a);
}

// The bit-for-bit check refuses outputs of another shape, even when every value they share agrees
// (a wrong number of columns once passed as a match).
TEST(FixedModel, BitExactNeedsTheSameShape) {
  RawMatrix a(2, 3), b(2, 3);
  a << 1, 2, 3, 4, 5, 6;
  b = a;
  EXPECT_TRUE(bit_exact(a, b));
  b(1, 2) = 7;
  EXPECT_FALSE(bit_exact(a, b));
  const RawMatrix narrow = a.leftCols(2), tall = RawMatrix::Zero(3, 3);
  EXPECT_FALSE(bit_exact(a, narrow));
  EXPECT_FALSE(bit_exact(narrow, a));
  EXPECT_FALSE(bit_exact(a, tall));
  EXPECT_TRUE(bit_exact(RawMatrix(0, 3), RawMatrix(0, 3)));
  EXPECT_FALSE(bit_exact(RawMatrix(0, 3), RawMatrix(3, 0)));
}

// A workload of 3 inputs and 4 steps reading `sequences` sequences from the .npy at `path` (in
// the test folder), and values 0, 0.25, 0.5, ... for it.
WorkloadConfig npy_workload(const std::string& path, int sequences, std::vector<double>& v) {
  std::filesystem::create_directories(SPARROW_TEST_TMP);
  WorkloadConfig w = test::small_workload(3, 2, 1, false, 0, 4);
  w.sequences = sequences;
  w.inputs.kind = InputSource::Kind::kNpy;
  w.inputs.path = path;
  v.resize(size_t(12 * sequences));
  for (size_t i = 0; i < v.size(); ++i) v[i] = 0.25 * double(i);
  return w;
}

TEST(InputFiles, ShapeAndValues) {
  const std::string path = std::string(SPARROW_TEST_TMP) + "/x.npy";
  std::vector<double> v;
  const WorkloadConfig w = npy_workload(path, 1, v);
  write_npy(path, NpyArray::from_double({4, 1, 3}, v));
  const Eigen::MatrixXd x = make_input_sequence(w);
  EXPECT_DOUBLE_EQ(x(2, 1), 0.25 * 7);
  write_npy(path, NpyArray::from_double({3, 4}, v));
  EXPECT_THROW(make_input_sequence(w), InputError);
  v[3] = INFINITY;
  write_npy(path, NpyArray::from_double({4, 3}, v));
  try {
    make_input_sequence(w);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("x.npy: element 3: got inf"), std::string::npos)
        << e.what();
  }
}

TEST(InputFiles, ASessionIsSequencesByStepsByInputs) {
  const std::string path = std::string(SPARROW_TEST_TMP) + "/session.npy";
  std::vector<double> v;
  const WorkloadConfig w = npy_workload(path, 2, v);
  write_npy(path, NpyArray::from_double({2, 4, 3}, v));
  const Eigen::MatrixXd x = make_input_sequence(w);
  ASSERT_EQ(x.rows(), 8);
  EXPECT_DOUBLE_EQ(x(5, 2), 0.25 * (12 + 3 + 2));  // sequence 1, step 1, input 2
  // One sequence's shapes are not a session's.
  write_npy(path, NpyArray::from_double({8, 3}, v));
  try {
    make_input_sequence(w);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("shape: got (8, 3); allowed: (2, 4, 3)"),
              std::string::npos)
        << e.what();
  }
}

// A session's golden outputs are its sequences' each run from zero state, stacked.
TEST(Sessions, EachSequenceFromZeroState) {
  WorkloadConfig w = test::small_workload(5, 4, 2, true, 0, 3);
  w.sequences = 3;
  const ArchConfig a = test::arch("brds");
  const LstmWeights weights = random_lstm_weights(w);
  const CompressedModel m = compress_model(weights, a);
  const Eigen::MatrixXd x = make_input_sequence(w);
  const RawMatrix xq = quantize_inputs(x, a.arith.act);
  const FixedRun all = run_lstm_fixed(m, a, xq, 3);
  const Eigen::MatrixXd all_float = run_lstm_float(weights, x, 3);
  ASSERT_EQ(all.outputs.rows(), 9);
  int64_t slots = 0;
  for (Eigen::Index s = 0; s < 3; ++s) {
    const FixedRun one = run_lstm_fixed(m, a, xq.middleRows(s * 3, 3));
    EXPECT_EQ(all.outputs.middleRows(s * 3, 3), one.outputs) << s;
    EXPECT_EQ(all_float.middleRows(s * 3, 3), run_lstm_float(weights, x.middleRows(s * 3, 3)));
    slots += one.mac_slots;
  }
  EXPECT_EQ(all.mac_slots, slots);
  // Not one long sequence: the state does not carry over.
  EXPECT_NE(all.outputs, run_lstm_fixed(m, a, xq).outputs);
}

TEST(RandomWeights, ReproducibleAndPyTorchRange) {
  const WorkloadConfig w = test::small_workload(10, 16);
  const LstmWeights a = random_lstm_weights(w), b = random_lstm_weights(w);
  EXPECT_EQ(a.dirs[0].w_ih, b.dirs[0].w_ih);
  EXPECT_LE(a.dirs[0].w_hh.cwiseAbs().maxCoeff(), 0.25);  // 1/sqrt(16)
  EXPECT_GT(a.dirs[0].w_hh.cwiseAbs().maxCoeff(), 0.2);
}

}  // namespace
}  // namespace sparrow
