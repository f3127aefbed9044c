// Fuzz target: the weight-bank file reader and the bank decoder. An accepted file's matrices must
// decode, and survive the DRAM bank images (pack, unpack) unchanged.
#include "compress/bank_file.h"
#include "fuzz_util.h"

namespace sparrow {
namespace {

constexpr int kScaleBits = 16;

void check(const EncodedMatrix& e) {
  const DecodedMatrix d = decode_weight_bank(e);
  fuzz::require(d.row_ptr.size() == size_t(e.rows) + 1, "a row pointer per row");
  std::vector<std::vector<uint8_t>> images;
  for (int p = 0; p < e.pes; ++p) images.push_back(pack_bank_image(e, p, kScaleBits));
  EncodedMatrix geometry = e;
  for (BitBank& b : geometry.banks) b = BitBank{};
  const EncodedMatrix u = unpack_bank_images(geometry, images, kScaleBits);
  fuzz::require(u.row_words == e.row_words, "row lengths survive the images");
  for (size_t p = 0; p < e.banks.size(); ++p)
    fuzz::require(u.banks[p].words == e.banks[p].words && u.banks[p].bits == e.banks[p].bits,
                  "bank words survive the images");
  for (size_t q = 0; q < e.row_scale.size(); ++q)
    fuzz::require(u.row_scale[q] == wrap(e.row_scale[q], kScaleBits), "scales survive the images");
  const DecodedMatrix du = decode_weight_bank(u);
  fuzz::require(du.col == d.col && du.val == d.val && du.row_ptr == d.row_ptr,
                "the images decode to the same matrix");
}

}  // namespace
}  // namespace sparrow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sparrow;
  fuzz::only_input_errors([&] {
    const BankSet s = parse_bank_file(fuzz::text(data, size), "fuzz.npz");
    for (const CompressedDirection& cd : s.dirs) {
      check(cd.wx);
      check(cd.wh);
      if (cd.wr.rows > 0) check(cd.wr);
    }
  });
  return 0;
}
