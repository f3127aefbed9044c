// How full the largest PE's weight banks are, summed over all passes, against the banks'
// capacity (docs/timing.md, "Weights"): the one definition of "the weights fit on chip", which
// decides between loading every bank once and streaming each phase's weights.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "config/arch_config.h"

namespace sparrow {

struct BankUse {
  int64_t wx_bits_max = 0;  // the largest PE's W_x bank, over all passes
  int64_t wh_bits_max = 0;  // the largest PE's second bank: W_h, and W_r with projection
  int64_t wx_capacity_bits = 0;
  int64_t wh_capacity_bits = 0;
  // The largest PE's bank of one pass: what a bank holds while the weights stream.
  int64_t wx_pass_bits_max = 0;
  int64_t wh_pass_bits_max = 0;

  bool wx_fits() const { return wx_bits_max <= wx_capacity_bits; }
  bool wh_fits() const { return wh_bits_max <= wh_capacity_bits; }
  bool on_chip() const { return wx_fits() && wh_fits(); }
  // Whether the banks hold one pass, as the streamed schedule assumes they do (docs/timing.md,
  // "Weights"): where they do not, its figures are those of banks larger than the capacity.
  bool holds_a_pass() const {
    return wx_pass_bits_max <= wx_capacity_bits && wh_pass_bits_max <= wh_capacity_bits;
  }
};

// passes[k] has pass k's matrices as members wx, wh and wr (wr.rows == 0 without projection):
// a CompressedModel's dirs, or the PassGeometry the hardware is programmed with.
template <class Pass>
BankUse bank_use(const std::vector<Pass>& passes, const ArchConfig& arch) {
  const int xpes = arch.mac_array.wx.pes, hpes = arch.mac_array.wh.pes;
  const int scale_bits = arch.arith.scale.bits;
  std::vector<int64_t> x(size_t(xpes), 0), h(size_t(hpes), 0);
  BankUse u;
  for (const Pass& d : passes) {
    for (int p = 0; p < xpes; ++p) {
      const int64_t bits = d.wx.bank_bits(p, scale_bits);
      x[size_t(p)] += bits;
      u.wx_pass_bits_max = std::max(u.wx_pass_bits_max, bits);
    }
    for (int p = 0; p < hpes; ++p) {
      int64_t bits = d.wh.bank_bits(p, scale_bits);
      if (d.wr.rows > 0) bits += d.wr.bank_bits(p, scale_bits);
      h[size_t(p)] += bits;
      u.wh_pass_bits_max = std::max(u.wh_pass_bits_max, bits);
    }
  }
  u.wx_bits_max = *std::max_element(x.begin(), x.end());
  u.wh_bits_max = *std::max_element(h.begin(), h.end());
  u.wx_capacity_bits = int64_t{arch.weight_bank.wx_kbit_per_pe} * 1024;
  u.wh_capacity_bits = int64_t{arch.weight_bank.wh_kbit_per_pe} * 1024;
  return u;
}

}  // namespace sparrow
