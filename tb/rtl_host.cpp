#include "rtl_host.h"

#include <algorithm>

#include "accelerator/accelerator.h"
#include "arith/activation.h"
#include "common/error.h"
#include "compress/bank_use.h"
#include "csr/csr.h"

namespace sparrow {
namespace {

const char* const kNotImplemented = " (the RTL does not implement ";

// The largest PE's bank of `mat` summed over the passes, in words.
int64_t largest_bank_words(const CompressedModel& m, int pes, Matrix mat) {
  std::vector<int64_t> words(size_t(pes), 0);
  for (const CompressedDirection& d : m.dirs) {
    const EncodedMatrix& e = mat == Matrix::kWx ? d.wx : d.wh;
    for (int p = 0; p < e.pes; ++p) words[size_t(p)] += e.banks[size_t(p)].words;
  }
  return *std::max_element(words.begin(), words.end());
}

std::string quoted(int64_t v) {
  return "'" + std::to_string(v) + "'";
}

}  // namespace

int64_t RtlDesign::param(const std::string& name) const {
  return rtl_param(params, name);
}

const std::vector<std::string>& rtl_capacity_params() {
  static const std::vector<std::string> names = {"MaxT",      "MaxIn",  "MaxH",
                                                 "MaxPasses", "IdxMax", "Items"};
  return names;
}

void check_rtl_scope(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w) {
  if (w.proj_size > 0)
    throw_input_error(w.file, "proj_size", quoted(w.proj_size),
                      std::string("0") + kNotImplemented + "projection, LSTMP)");
  if (w.sequences > 1)
    throw_input_error(w.file, "sequences", quoted(w.sequences),
                      std::string("1") + kNotImplemented + "sessions of several sequences)");
  const MacArrayConfig& arrays = arch.mac_array;
  if (arrays.x_block > 1)
    throw_input_error(arch.file, "mac_array.x_block", quoted(arrays.x_block),
                      std::string("1") + kNotImplemented + "blocked input phases)");
  if (arrays.per_array())
    throw_input_error(arch.file, "mac_array.wx",
                      "'{pes: " + std::to_string(arrays.wx.pes) +
                          ", lanes: " + std::to_string(arrays.wx.lanes) + "}'",
                      "the size of mac_array.wh, {pes: " + std::to_string(arrays.wh.pes) +
                          ", lanes: " + std::to_string(arrays.wh.lanes) + "}" + kNotImplemented +
                          "arrays of different sizes)");
  const BankUse banks = bank_use(m.dirs, arch);
  for (Matrix mat : {Matrix::kWx, Matrix::kWh}) {
    const bool x = mat == Matrix::kWx;
    const int64_t need = ((x ? banks.wx_bits_max : banks.wh_bits_max) + 1023) / 1024;
    const int64_t have = x ? arch.weight_bank.wx_kbit_per_pe : arch.weight_bank.wh_kbit_per_pe;
    if (need > have)
      throw_input_error(arch.file, std::string("weight_bank.") + (x ? "wx" : "wh") + "_kbit_per_pe",
                        quoted(have),
                        "at least " + std::to_string(need) + " for this workload's " +
                            (x ? "W_x" : "W_h") + " banks" + kNotImplemented + "streamed weights)");
  }
  const int beat = arch.memory.bytes_per_cycle;
  if ((beat & (beat - 1)) != 0 || beat < act_bytes(arch.arith))
    throw_input_error(arch.file, "memory.bytes_per_cycle", quoted(beat),
                      "a power of two of at least " + std::to_string(act_bytes(arch.arith)) +
                          " bytes (one activation) for the RTL");
  for (const CompressedDirection& d : m.dirs)
    for (const EncodedMatrix* e : {&d.wx, &d.wh}) {
      const int entry = e->row_words_bytes() + e->row_scale_bytes(arch.arith.scale.bits);
      if (e->row_words_bytes() > 1)
        throw_input_error(w.file, "input_size", quoted(w.input_size),
                          "rows of at most 255 bank words for the RTL's row-length tables");
      if (entry > beat)
        throw_input_error(
            arch.file, "memory.bytes_per_cycle", quoted(beat),
            "at least " + std::to_string(entry) + " bytes (a side-table entry) for the RTL");
    }
}

namespace {

RtlDesign design_of(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                    const RtlParamFloors& floors) {
  const ArithConfig& a = arch.arith;
  RtlDesign d;
  d.params = rtl_parameters(m, arch, w, floors);
  const int64_t idx_max = d.param("IdxMax");
  for (Matrix mat : {Matrix::kWx, Matrix::kWh}) {
    const bool x = mat == Matrix::kWx;
    const int64_t have = d.param(x ? "XWords" : "HWords");
    const int64_t need = largest_bank_words(m, arch.mac_array.of(x).pes, mat);
    if (need > have)
      throw_input_error(
          arch.file, std::string("weight_bank.") + (x ? "wx" : "wh") + "_kbit_per_pe",
          quoted(x ? arch.weight_bank.wx_kbit_per_pe : arch.weight_bank.wh_kbit_per_pe),
          "room for " + std::to_string(need) + " words of " +
              std::to_string(arch.mac_array.of(x).lanes * ((x ? a.wx.bits : a.wh.bits) + idx_max)) +
              " bits per PE (the RTL's banks hold " + std::to_string(have) + ")");
  }
  d.rom_params = {{"SigFile", "sigmoid.mem"}, {"TanhFile", "tanh.mem"}};
  if (a.activation == ActivationKind::kPwl) {
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
  return design_of(m, arch, w, floors);
}

RtlCase rtl_case(const CompressedModel& m, const ArchConfig& arch, const WorkloadConfig& w,
                 const RawMatrix& x, const RtlParamFloors& floors) {
  check_rtl_scope(m, arch, w);
  const std::vector<PassGeometry> passes = pass_geometries(m, w);
  const WeightLayout layout(passes, arch);
  RtlCase c;
  c.design = design_of(m, arch, w, floors);
  c.map = plan_dram(passes, arch, w);
  c.dram = dram_image(m, arch, passes, x, c.map);
  c.outputs = final_outputs(c.map, arch, w);
  c.out_rows = w.seq_len;
  c.out_cols = w.output_size();
  c.act_bytes = act_bytes(arch.arith);
  c.csr = csr_program(m, w, c.map);

  // Later layers read the concatenated outputs of the layer before (all layers alike after the
  // first); W_h has the same shape in every layer. The addresses' products are the host's, so
  // the RTL only adds.
  const CompressedDirection& first = m.dirs.front();
  const CompressedDirection& later = m.dirs.back();
  const int pes = arch.mac_array.wx.pes, rows = 4 * w.hidden_size;  // check_rtl_scope: wx == wh
  const uint64_t ab = uint64_t(c.act_bytes), in_row = uint64_t(w.input_size) * ab;
  const uint64_t out_row = uint64_t(w.output_size()) * ab;  // every direction's state
  const std::vector<CsrWrite> ext = {
      {kRtlCsrWxWordsPerRowN, uint32_t(later.wx.words_per_row)},
      {kRtlCsrWxSeg0, uint32_t(first.wx.seg_len)},
      {kRtlCsrWxSegN, uint32_t(later.wx.seg_len)},
      {kRtlCsrWhSeg, uint32_t(first.wh.seg_len)},
      {kRtlCsrWeightBytes, uint32_t(layout.total_bytes)},
      {kRtlCsrRowsPerPe, uint32_t(rows / pes)},
      {kRtlCsrRowsExtra, uint32_t(rows % pes)},
      {kRtlCsrInRow0, uint32_t(in_row)},
      {kRtlCsrInLast0, uint32_t(uint64_t(w.seq_len - 1) * in_row)},
      {kRtlCsrOutRow, uint32_t(out_row)},
      {kRtlCsrLayerOut, uint32_t(uint64_t(w.seq_len) * out_row)},
  };
  c.csr.insert(c.csr.end(), ext.begin(), ext.end());

  // The load descriptors, one per region of the weight area in DRAM order (regions of no bytes
  // take no place): the target (kind: 0 W_x bank, 1 W_h bank, 2 bias; PE; pass), its bytes, its
  // bank words (or bias units), its side-table bytes and index width.
  struct Region {
    uint64_t offset, bytes, items, table_bytes;
    uint32_t target, idx_bits;
  };
  std::vector<Region> regions;
  for (size_t k = 0; k < passes.size(); ++k) {
    for (Matrix mat : {Matrix::kWx, Matrix::kWh}) {
      const EncodedMatrix& e = passes[k].matrix(mat);
      const EncodedMatrix& banks = mat == Matrix::kWx ? m.dirs[k].wx : m.dirs[k].wh;
      for (int p = 0; p < pes; ++p) {
        const WeightLayout::Block& b = layout.banks[k][size_t(mat)][size_t(p)];
        const uint64_t rows_here = e.rows > p ? uint64_t((e.rows - p + pes - 1) / pes) : 0;
        const uint64_t entry =
            uint64_t(e.row_words_bytes() + e.row_scale_bytes(arch.arith.scale.bits));
        regions.push_back({b.offset, b.bytes, uint64_t(banks.banks[size_t(p)].words),
                           rows_here * entry, uint32_t(k) << 24 | uint32_t(p) << 8 | uint32_t(mat),
                           uint32_t(e.index_bits)});
      }
    }
    regions.push_back({layout.bias[k].offset, layout.bias[k].bytes, uint64_t(w.hidden_size), 0,
                       uint32_t(k) << 24 | 2u, 0});
  }
  std::sort(regions.begin(), regions.end(),
            [](const Region& l, const Region& r) { return l.offset < r.offset; });
  uint32_t reg = kRtlCsrDescriptors;
  for (const Region& r : regions) {
    if (r.bytes == 0) continue;
    if (reg + 16 > 0x10000)
      throw_input_error(arch.file, "mac_array.pes", quoted(pes),
                        "a load descriptor table inside the RTL's 16-bit CSR address space");
    c.csr.push_back({reg, r.target});
    c.csr.push_back({reg + 4, uint32_t(r.bytes)});
    c.csr.push_back({reg + 8, uint32_t(r.items)});
    c.csr.push_back({reg + 12, uint32_t(r.table_bytes << 8 | r.idx_bits)});
    reg += 16;
  }
  c.csr.push_back({kCsrCtrl, 1});
  return c;
}

}  // namespace sparrow
