#include "rtl_host.h"

#include <algorithm>

#include "accelerator/accelerator.h"
#include "arith/activation.h"
#include "common/error.h"
#include "csr/csr.h"

namespace sparrow {
namespace {

int64_t pow2_at_least(int64_t v) {
  int64_t p = 1;
  while (p < v) p *= 2;
  return p;
}

const char* const kNotImplemented = " (the RTL does not implement ";

// The largest PE's bank of `mat` summed over the passes, in bits.
int64_t largest_bank_bits(const CompressedModel& m, const ArchConfig& arch, Matrix mat) {
  std::vector<int64_t> bits(size_t(arch.mac_array.pes), 0);
  for (const CompressedDirection& d : m.dirs) {
    const EncodedMatrix& e = mat == Matrix::kWx ? d.wx : d.wh;
    for (int p = 0; p < e.pes; ++p) bits[size_t(p)] += e.bank_bits(p, arch.arith.scale.bits);
  }
  return *std::max_element(bits.begin(), bits.end());
}

}  // namespace

int64_t RtlDesign::param(const std::string& name) const {
  for (const auto& [n, v] : params)
    if (n == name) return v;
  throw std::logic_error("no RTL parameter " + name);
}

const std::vector<std::string>& rtl_capacity_params() {
  static const std::vector<std::string> names = {"MaxT",      "MaxIn",  "MaxH",
                                                 "MaxPasses", "IdxMax", "BankBytes"};
  return names;
}

void check_rtl_scope(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w) {
  if (w.proj_size > 0)
    throw_input_error(w.file, "proj_size", "'" + std::to_string(w.proj_size) + "'",
                      std::string("0") + kNotImplemented + "projection, LSTMP)");
  for (Matrix mat : {Matrix::kWx, Matrix::kWh}) {
    const bool x = mat == Matrix::kWx;
    const int64_t need = (largest_bank_bits(m, arch, mat) + 1023) / 1024;
    const int64_t have = x ? arch.weight_bank.wx_kbit_per_pe : arch.weight_bank.wh_kbit_per_pe;
    if (need > have)
      throw_input_error(arch.file, std::string("weight_bank.") + (x ? "wx" : "wh") + "_kbit_per_pe",
                        "'" + std::to_string(have) + "'",
                        "at least " + std::to_string(need) + " for this workload's " +
                            (x ? "W_x" : "W_h") + " banks" + kNotImplemented + "streamed weights)");
  }
}

namespace {

RtlDesign design_of(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                    const WeightLayout& layout, const RtlParamFloors& floors) {
  const ArithConfig& a = arch.arith;
  const int pes = arch.mac_array.pes;
  int idx = 0, max_in = 0;
  for (const CompressedDirection& d : m.dirs)
    for (const EncodedMatrix* e : {&d.wx, &d.wh}) idx = std::max(idx, e->index_bits);
  for (int l = 0; l < w.layers; ++l) max_in = std::max(max_in, w.layer_input_size(l));
  // The largest weight-bank RAM: a PE's bank of one matrix over all passes.
  int64_t bank_bytes = 0;
  for (size_t mat : {size_t(Matrix::kWx), size_t(Matrix::kWh)})
    for (int p = 0; p < pes; ++p) {
      int64_t total = 0;
      for (const auto& pass : layout.banks) total += int64_t(pass[mat][size_t(p)].bytes);
      bank_bytes = std::max(bank_bytes, total);
    }
  auto floor_of = [&](const std::string& name, int64_t v) {
    auto it = floors.find(name);
    return it == floors.end() ? v : std::max(v, it->second);
  };
  // The byte columns hold the widest word the index fields allow (IdxMax, not this workload's),
  // so that workloads of one capacity share the build.
  const int64_t idx_max = floor_of("IdxMax", idx);
  const int64_t word_bits =
      int64_t(arch.mac_array.lanes) * (std::max(a.wx.bits, a.wh.bits) + idx_max);
  const int64_t nc =
      pow2_at_least(std::max<int64_t>(arch.memory.bytes_per_cycle, (word_bits + 7) / 8 + 1));
  const ActivationKind kind = a.activation;
  RtlDesign d;
  d.params = {
      {"Pes", pes},
      {"Lanes", arch.mac_array.lanes},
      {"Shared", arch.mac_array.shared ? 1 : 0},
      {"GateLanes", arch.gate_unit.lanes},
      {"GateDepth", arch.gate_unit.pipeline_depth},
      {"BeatBytes", arch.memory.bytes_per_cycle},
      {"SegBalanced", arch.compression.segment_balanced ? 1 : 0},
      {"VarRows", arch.compression.pattern == PruningPattern::kUnstructured ? 1 : 0},
      {"AccBits", a.acc_bits},
      {"Pwl", kind == ActivationKind::kPwl ? 1 : 0},
      {"SigRangeLog2", a.sigmoid.range_log2},
      {"SigEntriesLog2", a.sigmoid.entries_log2},
      {"TanhRangeLog2", a.tanh.range_log2},
      {"TanhEntriesLog2", a.tanh.entries_log2},
      {"MaxT", floor_of("MaxT", w.seq_len)},
      {"MaxIn", floor_of("MaxIn", max_in)},
      {"MaxH", floor_of("MaxH", w.hidden_size)},
      {"MaxPasses", floor_of("MaxPasses", int64_t(m.dirs.size()))},
      {"IdxMax", idx_max},
      {"BankBytes", pow2_at_least(floor_of("BankBytes", std::max(2 * nc, bank_bytes)))},
      {"Columns", nc},
  };
  for (const auto& [name, f] :
       {std::pair{"Act", a.act}, std::pair{"Wx", a.wx}, std::pair{"Wh", a.wh},
        std::pair{"Scale", a.scale}, std::pair{"Bias", a.bias}, std::pair{"Pre", a.preact},
        std::pair{"Gate", a.gate}, std::pair{"Cell", a.cell}, std::pair{"Slope", a.pwl_slope}}) {
    d.params.emplace_back(std::string(name) + "Bits", f.bits);
    d.params.emplace_back(std::string(name) + "Frac", f.frac);
  }
  d.rom_params = {{"SigFile", "sigmoid.mem"}, {"TanhFile", "tanh.mem"}};
  if (kind == ActivationKind::kPwl) {
    d.rom_params.emplace_back("SigSlopeFile", "sigmoid_slope.mem");
    d.rom_params.emplace_back("TanhSlopeFile", "tanh_slope.mem");
  }
  d.roms = activation_rom_images(a);
  return d;
}

}  // namespace

RtlDesign rtl_design(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                     const RtlParamFloors& floors) {
  check_rtl_scope(m, arch, w);
  return design_of(m, arch, w, WeightLayout(pass_geometries(m, w), arch.arith), floors);
}

RtlCase rtl_case(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                 const RawMatrix& x, const RtlParamFloors& floors) {
  check_rtl_scope(m, arch, w);
  const std::vector<PassGeometry> passes = pass_geometries(m, w);
  const WeightLayout layout(passes, arch.arith);
  RtlCase c;
  c.design = design_of(m, arch, w, layout, floors);
  c.map = plan_dram(passes, arch, w);
  c.dram = dram_image(m, arch, passes, x, c.map);
  c.outputs = final_outputs(c.map, arch, w);
  c.out_rows = w.seq_len;
  c.out_cols = w.output_size();
  c.act_bytes = act_bytes(arch.arith);
  c.csr = csr_program(m, w, c.map);

  // Later layers read the concatenated outputs of the layer before (all layers alike after the
  // first); W_h has the same shape in every layer.
  const CompressedDirection& first = m.dirs.front();
  const CompressedDirection& later = m.dirs.back();
  const std::vector<CsrWrite> ext = {
      {kRtlCsrWxWordsPerRowN, uint32_t(later.wx.words_per_row)},
      {kRtlCsrWxIdx0, uint32_t(first.wx.index_bits)},
      {kRtlCsrWxIdxN, uint32_t(later.wx.index_bits)},
      {kRtlCsrWhIdx, uint32_t(first.wh.index_bits)},
      {kRtlCsrWxSeg0, uint32_t(first.wx.seg_len)},
      {kRtlCsrWxSegN, uint32_t(later.wx.seg_len)},
      {kRtlCsrWhSeg, uint32_t(first.wh.seg_len)},
      {kRtlCsrWeightBytes, uint32_t(layout.total_bytes)},
  };
  c.csr.insert(c.csr.end(), ext.begin(), ext.end());

  // The bank descriptor table: bank b < P is PE b's W_x bank, P <= b < 2P PE b - P's W_h bank,
  // b = 2P the bias memory; each bank's passes are packed in its RAM in pass order. Banks with
  // a row-length table (unstructured) also get its entry bits.
  const int pes = arch.mac_array.pes;
  const int64_t max_passes = c.design.param("MaxPasses");
  const uint64_t last_reg = kRtlCsrDescriptors + 16 * uint64_t((2 * pes + 1) * max_passes);
  if (last_reg > 0x10000)
    throw_input_error(arch.file, "mac_array.pes", "'" + std::to_string(pes) + "'",
                      "a bank descriptor table ((2 pes + 1) x " + std::to_string(max_passes) +
                          " passes) inside the RTL's 16-bit CSR address space");
  for (int b = 0; b <= 2 * pes; ++b) {
    uint64_t ram = 0;
    for (size_t k = 0; k < passes.size(); ++k) {
      const WeightLayout::Block blk =
          b == 2 * pes
              ? layout.bias[k]
              : layout.banks[k][size_t(b < pes ? Matrix::kWx : Matrix::kWh)][size_t(b % pes)];
      const uint32_t reg = kRtlCsrDescriptors + 16 * uint32_t(int64_t(b) * max_passes + int64_t(k));
      c.csr.push_back({reg, uint32_t(blk.offset)});
      c.csr.push_back({reg + 4, uint32_t(blk.bytes)});
      c.csr.push_back({reg + 8, uint32_t(ram)});
      const int len_bits =
          b == 2 * pes ? 0 : passes[k].matrix(b < pes ? Matrix::kWx : Matrix::kWh).row_words_bits();
      if (len_bits > 0) c.csr.push_back({reg + 12, uint32_t(len_bits)});
      ram += blk.bytes;
    }
  }
  c.csr.push_back({kCsrCtrl, 1});
  return c;
}

}  // namespace sparrow
