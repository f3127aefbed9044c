// A weight bank decodes its DRAM images as the bank format says.
#include "unit_rig.h"

namespace sparrow {
namespace {

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

}  // namespace
}  // namespace sparrow
