// Fuzz target: the .npy and .npz readers. Every accepted array must convert and serialize, and
// read back equal from what was written.
#include "fuzz_util.h"
#include "io/npy.h"

namespace sparrow {
namespace {

void check(const NpyArray& a) {
  fuzz::require(a.bytes.size() == a.size() * size_t(a.itemsize), "bytes match the shape");
  a.to_double();
  if (a.kind != 'f') {
    try {
      a.to_int64();
    } catch (const std::out_of_range&) {
      fuzz::require(a.kind == 'u' && a.itemsize == 8, "only <u8 may exceed int64");
    }
  }
  const NpyArray b = parse_npy(serialize_npy(a), "again.npy", "");
  fuzz::require(
      a.shape == b.shape && a.kind == b.kind && a.itemsize == b.itemsize && a.bytes == b.bytes,
      "an array reads back equal");
}

}  // namespace
}  // namespace sparrow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sparrow;
  const std::string bytes = fuzz::text(data, size);
  fuzz::only_input_errors([&] { check(parse_npy(bytes, "fuzz.npy", "")); });
  fuzz::only_input_errors([&] {
    const auto arrays = parse_npz(bytes, "fuzz.npz");
    bool named = true;
    for (const auto& [key, a] : arrays) {
      check(a);
      named = named && !key.empty();
    }
    if (named)
      fuzz::require(parse_npz(serialize_npz(arrays), "again.npz").size() == arrays.size(),
                    "an archive reads back whole");
  });
  return 0;
}
