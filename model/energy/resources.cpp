#include "energy/resources.h"

#include <algorithm>

namespace sparrow {
namespace {

constexpr int64_t kBram36Bits = 36 * 1024;
constexpr int kBram36MaxWidth = 72;  // simple dual port

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

// Block RAMs of a memory of `depth` words of `width` bits: enough for its bits and its width.
int64_t brams(int64_t depth, int64_t width) {
  if (depth <= 0 || width <= 0) return 0;
  return std::max(ceil_div(depth * width, kBram36Bits), ceil_div(width, kBram36MaxWidth));
}

}  // namespace

nlohmann::json estimate_resources(const ArchConfig& arch, const WorkloadConfig& w,
                                  const CompressedModel& m, Resources* total) {
  const ArithConfig& a = arch.arith;
  const int64_t pes = arch.mac_array.pes, lanes = arch.mac_array.lanes;
  const int64_t arrays = arch.mac_array.shared ? 1 : 2;
  int64_t padded = 0, word_bits_x = 0, word_bits_h = 0;
  for (const CompressedDirection& cd : m.dirs) {
    padded = std::max<int64_t>({padded, cd.wx.padded_cols(), cd.wh.padded_cols()});
    word_bits_x = std::max<int64_t>(word_bits_x, cd.wx.word_bits());
    word_bits_h = std::max<int64_t>(word_bits_h, cd.wh.word_bits());
  }
  nlohmann::json units = nlohmann::json::array();
  Resources sum;
  auto unit = [&](const std::string& name, Resources r, const std::string& rule) {
    units.push_back({{"unit", name},
                     {"dsp", r.dsp},
                     {"bram36", r.bram36},
                     {"lut", r.lut},
                     {"ff", r.ff},
                     {"rule", rule}});
    sum.dsp += r.dsp;
    sum.bram36 += r.bram36;
    sum.lut += r.lut;
    sum.ff += r.ff;
  };
  // MAC arrays: one DSP per multi-bit lane; binarized lanes add or subtract in LUTs. The adder
  // tree of a PE has lanes - 1 adders and the accumulator one, acc_bits wide.
  const bool binarized = a.wx_binarized() && a.wh_binarized();
  const int64_t macs = arrays * pes * lanes;
  Resources mac;
  mac.dsp = binarized ? 0 : macs;
  mac.lut = arrays * pes * lanes * a.acc_bits + (binarized ? macs * a.acc_bits : 0);
  mac.ff = arrays * pes * (lanes + 1) * a.acc_bits;
  unit("mac_array", mac,
       "DSP = arrays x PEs x lanes (0 if binarized); LUT = adder tree and accumulator, acc_bits "
       "per adder; FF = one pipeline register per adder");
  // Weight banks: each PE's W_x and W_h bank at its configured capacity and word width.
  Resources bank;
  bank.bram36 =
      pes * (brams(arch.weight_bank.wx_kbit_per_pe * 1024 / std::max<int64_t>(word_bits_x, 1),
                   word_bits_x) +
             brams(arch.weight_bank.wh_kbit_per_pe * 1024 / std::max<int64_t>(word_bits_h, 1),
                   word_bits_h));
  unit("weight_bank", bank,
       "per PE: ceil(capacity / 36 Kb) block RAMs, at least word bits / 72, for W_x and W_h");
  // Vector buffers: x and h, one bank per lane, each holding its segment.
  Resources vb;
  vb.bram36 = 2 * lanes * brams(ceil_div(padded, lanes), a.act.bits);
  unit("vector_buffer", vb, "x and h buffers: one bank per lane of ceil(cols / lanes) entries");
  // Gate unit: two table ROMs (sigmoid, tanh) per gate lane, the cell-state memory, and per lane
  // five multipliers (f*c, i*g, o*tanh c, and the PWL slope products) in DSPs.
  Resources gate;
  const int64_t g = arch.gate_unit.lanes;
  const int64_t entries = int64_t{1} << std::max(a.sigmoid.entries_log2, a.tanh.entries_log2);
  const int64_t rom_width =
      a.gate.bits + (a.activation == ActivationKind::kPwl ? a.pwl_slope.bits : 0);
  gate.bram36 = g * 2 * brams(entries, rom_width) + brams(w.hidden_size, a.cell.bits);
  gate.dsp = g * (a.activation == ActivationKind::kPwl ? 5 : 3);
  gate.lut = g * (4 * 3 * a.preact.bits + 2 * a.cell.bits);
  gate.ff = g * arch.gate_unit.pipeline_depth * (4 * a.preact.bits + a.cell.bits);
  unit("gate_unit", gate,
       "per gate lane: 2 table ROMs, 3 multipliers (5 with PWL) in DSPs, bias/accumulate adders "
       "in LUTs, pipeline_depth stages of registers; plus the cell-state memory");
  if (total) *total = sum;
  return {{"source", "analytic"},
          {"estimate",
           "analytic (docs/energy.md, Resources), not from synthesis; the DMA, CSR block and "
           "controller are not counted"},
          {"units", units},
          {"total", {{"dsp", sum.dsp}, {"bram36", sum.bram36}, {"lut", sum.lut}, {"ff", sum.ff}}}};
}

}  // namespace sparrow
