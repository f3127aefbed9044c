// A MAC array's phase from the DRAM bank images.
#include "unit_rig.h"

namespace sparrow {
namespace {

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
    sc_core::wait(sc_cycles(7));
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

}  // namespace
}  // namespace sparrow
