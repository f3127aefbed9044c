#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "common/error.h"
#include "compress/bank_file.h"
#include "compress/compressor.h"
#include "compress/weight_layout.h"
#include "io/npy.h"
#include "test_util.h"
#include "timing/timing_model.h"

namespace sparrow {
namespace {

Eigen::MatrixXd random_matrix(int rows, int cols, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  Eigen::MatrixXd m(rows, cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) m(r, c) = u(rng);
  return m;
}

// Every kept |w| of a group is at least every dropped |w| of the same group.
void expect_magnitude_order(const Eigen::MatrixXd& w, int r, int begin, int end,
                            const std::vector<int>& kept) {
  double min_kept = 1e300, max_dropped = -1;
  for (int c = begin; c < end; ++c) {
    const bool k = std::find(kept.begin(), kept.end(), c) != kept.end();
    (k ? min_kept : max_dropped) =
        k ? std::min(min_kept, std::abs(w(r, c))) : std::max(max_dropped, std::abs(w(r, c)));
  }
  EXPECT_GE(min_kept, max_dropped) << "row " << r << " segment [" << begin << ", " << end << ")";
}

TEST(Prune, KeptCount) {
  EXPECT_EQ(kept_count(128, 0.875), 16);
  EXPECT_EQ(kept_count(16, 0.875), 2);
  EXPECT_EQ(kept_count(10, 0.999), 1);  // at least one
  EXPECT_EQ(kept_count(10, 0.0), 10);
}

TEST(Prune, SegmentBalancedKeepsLargestPerSegment) {
  const Eigen::MatrixXd w = random_matrix(12, 64, 7);
  const PruneMask m = prune_row_balanced(w, 0.75, 4, true);
  EXPECT_EQ(m.seg_len, 16);
  EXPECT_EQ(m.per_row, 16);
  for (int r = 0; r < 12; ++r) {
    const auto& kept = m.kept[size_t(r)];
    ASSERT_EQ(kept.size(), 16u);
    EXPECT_TRUE(std::is_sorted(kept.begin(), kept.end()));
    for (int j = 0; j < 4; ++j) {
      std::vector<int> seg;
      for (int c : kept)
        if (c / 16 == j) seg.push_back(c);
      EXPECT_EQ(seg.size(), 4u) << "row " << r << " segment " << j;
      expect_magnitude_order(w, r, 16 * j, 16 * j + 16, seg);
    }
  }
  EXPECT_EQ(m.kept_real(), 12 * 16);
}

TEST(Prune, PaddingColumnsFillShortSegments) {
  // 10 columns over 4 lanes: segments of 3, the last holding column 9 and padding 10, 11.
  Eigen::MatrixXd w = Eigen::MatrixXd::Constant(1, 10, 0.1);
  w(0, 9) = -0.05;
  const PruneMask m = prune_row_balanced(w, 0.34, 4, true);  // 2 of 3 per segment
  ASSERT_EQ(m.seg_len, 3);
  EXPECT_EQ(m.padded_cols(), 12);
  EXPECT_EQ(m.kept[0], (std::vector<int>{0, 1, 3, 4, 6, 7, 9, 10}));
  EXPECT_EQ(m.kept_real(), 7);
}

TEST(Prune, RowBalancedWithoutSegments) {
  const Eigen::MatrixXd w = random_matrix(8, 50, 3);
  const PruneMask m = prune_row_balanced(w, 0.9, 4, false);
  EXPECT_EQ(m.per_row, 5);
  for (int r = 0; r < 8; ++r) {
    EXPECT_EQ(m.kept[size_t(r)].size(), 5u);
    expect_magnitude_order(w, r, 0, 50, m.kept[size_t(r)]);
  }
}

TEST(Prune, UnstructuredUsesOneGlobalThreshold) {
  const Eigen::MatrixXd a = random_matrix(8, 20, 1), b = 3.0 * random_matrix(8, 10, 2);
  const std::vector<PruneMask> m = prune_unstructured({&a, &b}, 0.8);
  EXPECT_EQ(m[0].kept_real() + m[1].kept_real(), 48);  // round(0.2 * 240)
  // b is three times larger: most survivors come from it.
  EXPECT_GT(m[1].kept_real(), m[0].kept_real());
  double min_kept = 1e300, max_dropped = 0;
  for (int i = 0; i < 2; ++i) {
    const Eigen::MatrixXd& w = i ? b : a;
    const Eigen::MatrixXd masked = apply_mask(w, m[size_t(i)]);
    for (int r = 0; r < w.rows(); ++r)
      for (int c = 0; c < w.cols(); ++c)
        (masked(r, c) != 0 ? min_kept : max_dropped) =
            masked(r, c) != 0 ? std::min(min_kept, std::abs(w(r, c)))
                              : std::max(max_dropped, std::abs(w(r, c)));
  }
  EXPECT_GE(min_kept, max_dropped);
}

TEST(WeightBank, GateRowsInterleave) {
  EXPECT_EQ(gate_interleaved_rows(2), (std::vector<int>{0, 2, 4, 6, 1, 3, 5, 7}));
}

TEST(WeightBank, BitLayoutOfOneWord) {
  // One row of 4 columns, 2 lanes, 1 kept per segment: col 1 (-0.5) and col 2 (0.25) in Q4.3.
  Eigen::MatrixXd w(1, 4);
  w << 0.1, -0.5, 0.25, 0.0;
  const PruneMask m = prune_row_balanced(w, 0.5, 2, true);
  const EncodedMatrix e = encode_weight_bank(w, m, {0}, 1, FixedFormat{4, 3}, FixedFormat{});
  EXPECT_EQ(e.index_bits, 1);
  EXPECT_EQ(e.word_bits(), 10);
  ASSERT_EQ(e.banks[0].words, 1);
  // slot 0: value -4 = 0b1100, index 1 -> 0b1'1100; slot 1: value 2, index 0 -> 0b0'0010.
  EXPECT_EQ(e.banks[0].bits[0], 0x1Cu | (0x02u << 5));
  const DecodedMatrix d = decode_weight_bank(e);
  EXPECT_EQ(d.col, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(d.val, (std::vector<int32_t>{-4, 2}));
}

// Decoding gives back exactly the quantized kept weights, each in its PyTorch row (padding slots
// hold zero or address a padding column).
void expect_lossless(const Eigen::MatrixXd& w, const PruneMask& m, int pes, const FixedFormat& f) {
  const std::vector<int> order = gate_interleaved_rows(int(w.rows() / 4));
  const EncodedMatrix e = encode_weight_bank(w, m, order, pes, f, FixedFormat{16, 15});
  const DecodedMatrix d = decode_weight_bank(e);
  ASSERT_EQ(d.rows, w.rows());
  Eigen::MatrixXd got = Eigen::MatrixXd::Zero(w.rows(), d.padded_cols);
  for (int q = 0; q < d.rows; ++q)
    for (int64_t k = d.row_ptr[size_t(q)]; k < d.row_ptr[size_t(q) + 1]; ++k)
      got(order[size_t(q)], d.col[size_t(k)]) += d.val[size_t(k)];
  Eigen::MatrixXd want = Eigen::MatrixXd::Zero(w.rows(), d.padded_cols);
  for (int r = 0; r < w.rows(); ++r)
    for (int c : m.kept[size_t(r)])
      if (c < w.cols())
        want(r, c) = f.bits == 1 ? (w(r, c) >= 0 ? 1 : -1) : double(quantize(w(r, c), f));
  if (f.bits == 1) {  // padding columns of a binarized row hold +-1 against a zero vector entry
    got.rightCols(d.padded_cols - w.cols()).setZero();
  }
  EXPECT_EQ(got, want);
  int64_t words = 0;
  for (const auto& b : e.banks) words += b.words;
  int64_t row_words = 0;
  for (int32_t n : e.row_words) row_words += n;
  EXPECT_EQ(words, row_words);
}

TEST(WeightBank, LosslessForEveryPattern) {
  const Eigen::MatrixXd w = random_matrix(40, 37, 11) * 0.4;
  expect_lossless(w, prune_row_balanced(w, 0.7, 4, true), 6, FixedFormat{8, 7});
  expect_lossless(w, prune_row_balanced(w, 0.7, 4, false), 6, FixedFormat{5, 4});
  expect_lossless(w, prune_row_balanced(w, 0.5, 8, true), 3, FixedFormat{1, 0});
  expect_lossless(w, prune_row_balanced(w, 0.0, 1, true), 1, FixedFormat{16, 15});
  const std::vector<PruneMask> u = prune_unstructured({&w}, 0.8);
  PruneMask um = u[0];
  um.lanes = 4;
  expect_lossless(w, um, 5, FixedFormat{8, 7});
}

TEST(WeightBank, UnstructuredRowWithoutWeightsHoldsOnePaddingWord) {
  // The two largest weights are row 0's: one word of 2 lanes; row 1 keeps none.
  Eigen::MatrixXd w(2, 3);
  w << 0.5, -0.75, 0.25, 0.01, 0.02, 0.03;
  PruneMask m = prune_unstructured({&w}, 4.0 / 6.0)[0];
  m.lanes = 2;
  ASSERT_EQ(m.kept[1].size(), 0u);
  const EncodedMatrix e = encode_weight_bank(w, m, {0, 1}, 1, FixedFormat{4, 3}, FixedFormat{});
  EXPECT_EQ(e.row_words, (std::vector<int32_t>{1, 1}));
  EXPECT_EQ(e.row_words_bits(), 1);
  ASSERT_EQ(e.banks[0].words, 2);
  const DecodedMatrix d = decode_weight_bank(e);
  EXPECT_EQ(d.row_ptr, (std::vector<int64_t>{0, 2, 4}));
  // Row 0: 0.5 -> 4 at column 0, -0.75 -> -6 at column 1; row 1: two padding slots.
  EXPECT_EQ(d.col, (std::vector<int32_t>{0, 1, 0, 0}));
  EXPECT_EQ(d.val, (std::vector<int32_t>{4, -6, 0, 0}));
}

TEST(WeightBank, ImageSideTablesTakeWholeBytes) {
  // Unstructured (the matrix above): two rows of 1 word, 12-bit words (2 x (4 value + 2 index
  // bits)); a row length needs 1 bit and takes 1 byte. Word 0: slot 0 = 4 at column 0 (0x04),
  // slot 1 = -6 (0b1010) at column 1 (0x1A) << 6: 0x684; word 1 (padding) 0.
  Eigen::MatrixXd w(2, 3);
  w << 0.5, -0.75, 0.25, 0.01, 0.02, 0.03;
  PruneMask m = prune_unstructured({&w}, 4.0 / 6.0)[0];
  m.lanes = 2;
  const EncodedMatrix u = encode_weight_bank(w, m, {0, 1}, 1, FixedFormat{4, 3}, FixedFormat{});
  ASSERT_EQ(u.word_bits(), 12);
  EXPECT_EQ(u.row_words_bytes(), 1);
  EXPECT_EQ(u.bank_bits(0, 16), 2 * 12 + 2 * 8);
  EXPECT_EQ(pack_bank_image(u, 0, 16), (std::vector<uint8_t>{1, 1, 0x84, 0x06, 0x00}));

  // Binarized, 12-bit scales: 2 bytes a row, sign-extended; the words (4 bits: 2 x (1 value + 1
  // index bit)) from byte 4: row 0 keeps +0.5 and -0.25 (0b0001), row 1 -0.5 and +0.75 (0b0100).
  Eigen::MatrixXd b(2, 2);
  b << 0.5, -0.25, -0.5, 0.75;
  EncodedMatrix e = encode_weight_bank(b, prune_row_balanced(b, 0.0, 2, true), {0, 1}, 1,
                                       FixedFormat{1, 0}, FixedFormat{12, 8});
  e.row_scale = {-3, 2047};
  EXPECT_EQ(e.row_scale_bytes(12), 2);
  EXPECT_EQ(e.bank_bits(0, 12), 2 * 4 + 2 * 8 * 2);
  const std::vector<uint8_t> img = pack_bank_image(e, 0, 12);
  EXPECT_EQ(img, (std::vector<uint8_t>{0xFD, 0xFF, 0xFF, 0x07, 0x41}));
  EncodedMatrix geometry = e;
  geometry.banks.assign(1, BitBank{});
  const EncodedMatrix back = unpack_bank_images(geometry, {img}, 12);
  EXPECT_EQ(back.row_scale, e.row_scale);
  EXPECT_EQ(back.banks[0].bits, e.banks[0].bits);
}

TEST(WeightBank, PerPeWorkIsBalanced) {
  const Eigen::MatrixXd w = random_matrix(64, 48, 5);
  const EncodedMatrix e =
      encode_weight_bank(w, prune_row_balanced(w, 0.75, 4, true), gate_interleaved_rows(16), 8,
                         FixedFormat{8, 7}, FixedFormat{});
  for (const BitBank& b : e.banks) EXPECT_EQ(b.words, 8 * 3);  // 8 rows x 12 kept / 4 lanes
}

TEST(WeightLayout, RegionsStartAtMultiplesOfTheBeat) {
  // P = 3, 2 lanes, 8 B/cycle; input 4, H = 1, proj_size 1, dense. W_x: 4 rows of 2 words (18
  // bits), rows 0 and 3 on PE 0: 9, 5, 5 bytes. Bias 4 x 2 bytes. W_h (1 column): 4 rows of 1 word
  // (14 bits): 4, 2, 2 bytes. W_r: 1 row of 1 word on PE 0: 2, 0, 0 bytes.
  YAML::Node y = test::arch_yaml();
  for (const auto& [key, value] : {std::pair{"mac_array.pes", "3"},
                                   {"mac_array.lanes", "2"},
                                   {"memory.bytes_per_cycle", "8"},
                                   {"compression.sx", "0"},
                                   {"compression.sh", "0"}})
    y = test::with(y, key, value);
  const ArchConfig a = parse_arch_config(y, "brds.yaml");
  const WorkloadConfig w = test::small_workload(4, 1, 1, false, 1, 2);
  const CompressedModel m = compress_model(random_lstm_weights(w), a);
  const WeightLayout l(m.dirs, a);
  auto blocks = [](const std::vector<WeightLayout::Block>& v) {
    std::vector<std::pair<uint64_t, uint64_t>> out;
    for (const auto& b : v) out.push_back({b.offset, b.bytes});
    return out;
  };
  using Blocks = std::vector<std::pair<uint64_t, uint64_t>>;
  EXPECT_EQ(blocks(l.banks[0][0]), (Blocks{{0, 9}, {16, 5}, {24, 5}}));
  EXPECT_EQ(blocks(l.bias), (Blocks{{32, 8}}));
  EXPECT_EQ(blocks(l.banks[0][1]), (Blocks{{40, 4}, {48, 2}, {56, 2}}));
  EXPECT_EQ(blocks(l.banks[0][2]), (Blocks{{64, 2}, {66, 0}, {66, 0}}));  // no rows: no space
  EXPECT_EQ(l.phase_bytes[0], (std::vector<uint64_t>{40, 18, 2}));        // padding between counted
  EXPECT_EQ(l.total_bytes, 66u);                                          // none after the last
}

TEST(BankFile, RoundTripAndCorruption) {
  const ArchConfig a = test::arch("binarized");
  const WorkloadConfig w = test::small_workload(20, 12, 2, true, 5);
  const CompressedModel m = compress_model(random_lstm_weights(w), a);
  std::filesystem::create_directories(SPARROW_TEST_TMP);
  const std::string path = std::string(SPARROW_TEST_TMP) + "/banks.npz";
  write_bank_file(path, m);
  const BankSet s = read_bank_file(path);
  ASSERT_EQ(s.dirs.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    for (auto [got, want] :
         {std::pair{&s.dirs[i].wx, &m.dirs[i].wx}, std::pair{&s.dirs[i].wh, &m.dirs[i].wh},
          std::pair{&s.dirs[i].wr, &m.dirs[i].wr}}) {
      EXPECT_EQ(got->rows, want->rows);
      EXPECT_EQ(got->row_words, want->row_words);
      EXPECT_EQ(got->row_scale, want->row_scale);
      for (size_t p = 0; p < want->banks.size(); ++p)
        EXPECT_EQ(got->banks[p].bits, want->banks[p].bits);
    }
    EXPECT_EQ(s.dirs[i].bias, m.dirs[i].bias);
  }
  // A word count that does not match the fixed row length is caught, naming the array.
  auto arrays = read_npz(path);
  std::vector<int32_t> rw(48, 2);  // the fixed row length is 1 word
  arrays["l0_fwd_wx_row_words"] = NpyArray::from_int32({48}, rw);
  write_npz(path, arrays);
  try {
    read_bank_file(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("l0_fwd_wx_row_words[0]"), std::string::npos) << e.what();
  }
}

TEST(BankFile, RowOfNoWordsIsRejected) {
  // Unstructured rows differ in length, but every row holds at least one word.
  const ArchConfig a = test::arch("baseline-unstructured");
  const WorkloadConfig w = test::small_workload(12, 8);
  std::filesystem::create_directories(SPARROW_TEST_TMP);
  const std::string path = std::string(SPARROW_TEST_TMP) + "/unstructured_banks.npz";
  write_bank_file(path, compress_model(random_lstm_weights(w), a));
  auto arrays = read_npz(path);
  std::vector<int32_t> rw(32, 1);
  rw[5] = 0;
  arrays["l0_fwd_wh_row_words"] = NpyArray::from_int32({32}, rw);
  write_npz(path, arrays);
  try {
    read_bank_file(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("l0_fwd_wh_row_words[5]: got 0;"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("(1..8)"), std::string::npos) << e.what();
  }
}

TEST(Compressor, DualRatioAchievesBothSparsities) {
  const ArchConfig a = test::arch("brds");  // sx 0.875, sh 0.75, 8 lanes
  const WorkloadConfig w = test::small_workload(128, 64);
  const CompressedModel m = compress_model(random_lstm_weights(w), a);
  const CompressionStats s = compression_stats(m, a);
  EXPECT_DOUBLE_EQ(s.sparsity_x, 0.875);
  EXPECT_DOUBLE_EQ(s.sparsity_h, 0.75);
  EXPECT_EQ(s.matrices[0].wx.kept_per_row_min, 16);
  EXPECT_EQ(s.matrices[0].wx.kept_per_row_max, 16);
  EXPECT_EQ(s.matrices[0].wh.kept_per_segment, 2);
  // 256 rows over 16 PEs: 16 rows x 16 kept each.
  for (const int64_t n : s.matrices[0].wx.slots_per_pe) EXPECT_EQ(n, 256);
  EXPECT_TRUE(s.banks.wx_fits());
}

TEST(Compressor, UnstructuredRowsDiffer) {
  const ArchConfig a = test::arch("baseline-unstructured");
  const WorkloadConfig w = test::small_workload(64, 64);
  const CompressionStats s = compression_stats(compress_model(random_lstm_weights(w), a), a);
  EXPECT_NEAR(s.sparsity, 0.8125, 1e-4);
  EXPECT_LT(s.matrices[0].wx.kept_per_row_min, s.matrices[0].wx.kept_per_row_max);
  EXPECT_EQ(s.matrices[0].wx.words_per_row, -1);
  EXPECT_FALSE(s.matrices[0].wx.kept_per_segment);
}

TEST(Compressor, BankCapacityIsChecked) {
  const ArchConfig a = test::arch_with("weight_bank.wh_kbit_per_pe", "1");
  const WorkloadConfig w = test::small_workload(64, 128);
  const CompressionStats s = compression_stats(compress_model(random_lstm_weights(w), a), a);
  EXPECT_TRUE(s.banks.wx_fits());
  EXPECT_FALSE(s.banks.wh_fits());
  EXPECT_EQ(s.banks.wh_capacity_bits, 1024);
}

// Geometry from the configs alone equals what encoding the weights produces, and so does the
// timing contract evaluated on it.
TEST(Compressor, GeometryWithoutWeightsEqualsEncoding) {
  std::mt19937_64 rng(99);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (const char* name :
       {"brds", "brds-pwl16", "finnl-w4a4", "binarized", "baseline-single-ratio"}) {
    for (int trial = 0; trial < 8; ++trial) {
      YAML::Node y = test::arch_yaml(name);
      y = test::with(y, "mac_array.pes", std::to_string(pick(1, 20)));
      y = test::with(y, "mac_array.lanes", std::to_string(pick(1, 9)));
      if (std::string(name) != "binarized" && trial % 2)
        y = test::with(y, "compression.segment_balanced", "false");
      const ArchConfig a = parse_arch_config(y, name);
      const int hidden = pick(2, 30);
      WorkloadConfig w = test::small_workload(pick(1, 50), hidden, pick(1, 2), trial % 3 == 0,
                                              trial % 4 == 1 ? pick(1, hidden - 1) : 0, 3);
      const CompressedModel real = compress_model(random_lstm_weights(w), a);
      const CompressedModel geo = compress_geometry(w, a);
      ASSERT_EQ(real.dirs.size(), geo.dirs.size());
      for (size_t i = 0; i < real.dirs.size(); ++i) {
        for (auto [r, g] : {std::pair{&real.dirs[i].wx, &geo.dirs[i].wx},
                            std::pair{&real.dirs[i].wh, &geo.dirs[i].wh},
                            std::pair{&real.dirs[i].wr, &geo.dirs[i].wr}}) {
          EXPECT_EQ(r->rows, g->rows);
          EXPECT_EQ(r->seg_len, g->seg_len);
          EXPECT_EQ(r->index_bits, g->index_bits);
          EXPECT_EQ(r->word_bits(), g->word_bits());
          EXPECT_EQ(r->words_per_row, g->words_per_row);
          EXPECT_EQ(r->row_words, g->row_words);
          for (int p = 0; p < r->pes && r->rows; ++p)
            EXPECT_EQ(r->bank_bits(p, a.arith.scale.bits), g->bank_bits(p, a.arith.scale.bits));
        }
      }
      EXPECT_TRUE(evaluate_timing(real, a, w) == evaluate_timing(geo, a, w))
          << name << " " << trial;
      // The op counts (GOPS) come from the weight counts: padding columns are not weights.
      EXPECT_EQ(real.dense_weights, geo.dense_weights) << name << " " << trial;
      EXPECT_EQ(real.kept_weights, geo.kept_weights) << name << " " << trial;
    }
  }
  EXPECT_THROW(compress_geometry(test::small_workload(4, 4), test::arch("baseline-unstructured")),
               std::invalid_argument);
}

}  // namespace
}  // namespace sparrow
