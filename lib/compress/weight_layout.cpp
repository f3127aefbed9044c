#include "compress/weight_layout.h"

namespace sparrow {

void WeightLayout::add_pass(const std::array<const EncodedMatrix*, 3>& mats,
                            const ArchConfig& arch) {
  const uint64_t beat = uint64_t(arch.memory.bytes_per_cycle);
  auto region = [&](uint64_t bytes) {
    const Block b{bytes ? (total_bytes + beat - 1) / beat * beat : total_bytes, bytes};
    total_bytes = b.offset + b.bytes;
    return b;
  };
  banks.emplace_back(3);
  phase_bytes.emplace_back(3, 0);
  for (Matrix m : {Matrix::kWx, Matrix::kWh, Matrix::kWr}) {
    const EncodedMatrix& e = *mats[size_t(m)];
    if (e.rows == 0) continue;
    std::vector<Block>& images = banks.back()[size_t(m)];
    for (int p = 0; p < e.pes; ++p)
      images.push_back(region(uint64_t((e.bank_bits(p, arch.arith.scale.bits) + 7) / 8)));
    if (m == Matrix::kWx)  // the bias: 4H values
      bias.push_back(region(uint64_t(e.rows) * uint64_t(bias_bytes(arch.arith))));
    phase_bytes.back()[size_t(m)] = total_bytes - images.front().offset;
  }
}

}  // namespace sparrow
