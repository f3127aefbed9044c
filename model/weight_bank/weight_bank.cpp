#include "weight_bank/weight_bank.h"

namespace sparrow {

void put_values(std::vector<uint8_t>& out, const std::vector<int64_t>& v, int bytes) {
  for (int64_t x : v)
    for (int i = 0; i < bytes; ++i) out.push_back(uint8_t(uint64_t(x) >> (8 * i)));
}

std::vector<int64_t> get_values(const uint8_t* in, size_t n, int bytes) {
  std::vector<int64_t> v(n);
  for (size_t k = 0; k < n; ++k) {
    uint64_t u = 0;
    for (int i = 0; i < bytes; ++i) u |= uint64_t(in[k * size_t(bytes) + size_t(i)]) << (8 * i);
    v[k] = wrap(int64_t(u), 8 * bytes);
  }
  return v;
}

void WeightBank::load(const EncodedMatrix& geometry,
                      const std::vector<std::vector<uint8_t>>& images, int scale_bits) {
  if (loaded_) return;
  encoded_ = unpack_bank_images(geometry, images, scale_bits);
  decoded_ = decode_weight_bank(encoded_);
  loaded_ = true;
}

}  // namespace sparrow
