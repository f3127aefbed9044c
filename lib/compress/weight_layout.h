// The weight area in DRAM (docs/format.md, "Bank images"; docs/timing.md, "Weights"): pass by
// pass, each PE's W_x bank image, the pass's bias, each PE's W_h bank image, each PE's W_r bank
// image. Every region starts at a multiple of B = memory.bytes_per_cycle from the weight base, zero
// padding in between, so that each beat of a weight read belongs to one region. The one
// definition of where the host puts the images, what the controller reads and what the timing
// contract counts.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "compress/bank_format.h"
#include "config/arch_config.h"

namespace sparrow {

enum class Matrix { kWx = 0, kWh = 1, kWr = 2 };

// Bytes of one value in DRAM: a bias, an activation (input and output sequences).
inline int bias_bytes(const ArithConfig& arith) {
  return (arith.bias.bits + 7) / 8;
}
inline int act_bytes(const ArithConfig& arith) {
  return (arith.act.bits + 7) / 8;
}

// The DRAM stride of a row of the input and output sequences (docs/timing.md, "Inputs and
// outputs"): its bytes rounded up to a multiple of B = memory.bytes_per_cycle, so that every
// row starts on a bus word, as the AXI4 DMA needs.
inline uint64_t row_stride(uint64_t row_bytes, const ArchConfig& arch) {
  const uint64_t b = uint64_t(arch.memory.bytes_per_cycle);
  return (row_bytes + b - 1) / b * b;
}

struct WeightLayout {
  struct Block {
    uint64_t offset = 0;  // from the weight base
    uint64_t bytes = 0;
  };
  // [pass][matrix][pe]: each bank image; [pass]: the bias (read with the X phase's weights). A
  // region of 0 bytes (a PE without rows) takes no space: it sits at the end of the one before.
  std::vector<std::vector<std::vector<Block>>> banks;
  std::vector<Block> bias;
  // [pass][matrix]: a phase's weight read, from its first region to the end of its last (W_x:
  // the bias), padding between them included.
  std::vector<std::vector<uint64_t>> phase_bytes;
  uint64_t total_bytes = 0;  // the end of the last region

  // passes[k] has pass k's matrices as members wx, wh and wr (wr.rows == 0 without projection),
  // W_x with 4H rows: a CompressedModel's dirs, or the PassGeometry the hardware is programmed
  // with.
  WeightLayout() = default;
  template <class Pass>
  WeightLayout(const std::vector<Pass>& passes, const ArchConfig& arch) {
    for (const Pass& p : passes) add_pass({&p.wx, &p.wh, &p.wr}, arch);
  }

 private:
  void add_pass(const std::array<const EncodedMatrix*, 3>& mats, const ArchConfig& arch);
};

}  // namespace sparrow
