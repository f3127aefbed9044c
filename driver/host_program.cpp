#include "driver/host_program.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "common/error.h"
#include "compress/bank_use.h"
#include "csr/regmap.h"

namespace sparrow {

std::vector<PassGeometry> pass_geometries(const CompressedModel& m, const WorkloadConfig& w) {
  // The descriptor the hardware is programmed with: shapes, row lengths and bank sizes; the
  // weights themselves (bank bits, row scales) come from DRAM.
  auto geometry = [](EncodedMatrix e) {
    for (BitBank& b : e.banks) b.bits.clear();
    std::fill(e.row_scale.begin(), e.row_scale.end(), 0);
    return e;
  };
  std::vector<PassGeometry> passes;
  for (int l = 0; l < w.layers; ++l) {
    for (int d = 0; d < w.directions(); ++d) {
      const CompressedDirection& cd = m.at(l, d);
      PassGeometry g;
      g.layer = l;
      g.direction = d;
      g.input_size = w.layer_input_size(l);
      g.hidden = w.hidden_size;
      g.state = w.state_size();
      g.wx = geometry(cd.wx);
      g.wh = geometry(cd.wh);
      g.wr = geometry(cd.wr);
      passes.push_back(std::move(g));
    }
  }
  return passes;
}

DramMap plan_dram(const std::vector<PassGeometry>& passes, const ArchConfig& arch,
                  const WorkloadConfig& w) {
  auto align = [](uint64_t a) { return (a + 4095) & ~uint64_t{4095}; };
  const uint64_t ab = uint64_t(act_bytes(arch.arith));
  DramMap d;
  d.weight_base = 0;
  d.input_base = align(WeightLayout(passes, arch).total_bytes);
  const uint64_t steps = uint64_t(w.sequences) * uint64_t(w.seq_len);
  d.output_base = align(d.input_base + steps * row_stride(uint64_t(w.input_size) * ab, arch));
  d.bytes =
      d.output_base + uint64_t(w.layers) * steps * row_stride(uint64_t(w.output_size()) * ab, arch);
  return d;
}

std::vector<uint8_t> dram_image(const CompressedModel& m, const ArchConfig& arch,
                                const std::vector<PassGeometry>& passes, const RawMatrix& x,
                                const DramMap& map) {
  std::vector<uint8_t> img(map.output_base, 0);
  auto place = [&](uint64_t addr, const std::vector<uint8_t>& bytes) {
    std::copy(bytes.begin(), bytes.end(), img.begin() + std::ptrdiff_t(addr));
  };
  const WeightLayout layout(passes, arch);
  for (size_t k = 0; k < passes.size(); ++k) {
    const CompressedDirection& cd = m.dirs[k];
    for (Matrix mat : {Matrix::kWx, Matrix::kWh, Matrix::kWr}) {
      const EncodedMatrix& e = mat == Matrix::kWx ? cd.wx : (mat == Matrix::kWh ? cd.wh : cd.wr);
      for (int p = 0; p < e.pes && e.rows > 0; ++p)
        place(map.weight_base + layout.banks[k][size_t(mat)][size_t(p)].offset,
              pack_bank_image(e, p, arch.arith.scale.bits));
    }
    std::vector<uint8_t> bias;
    put_values(bias, cd.bias, bias_bytes(arch.arith));
    place(map.weight_base + layout.bias[k].offset, bias);
  }
  const uint64_t stride = row_stride(uint64_t(x.cols()) * uint64_t(act_bytes(arch.arith)), arch);
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const int64_t* first = x.data() + r * x.cols();
    std::vector<uint8_t> row;
    put_values(row, std::vector<int64_t>(first, first + x.cols()), act_bytes(arch.arith));
    place(map.input_base + uint64_t(r) * stride, row);
  }
  return img;
}

DramRegion final_outputs(const DramMap& map, const ArchConfig& arch, const WorkloadConfig& w) {
  // Layer by layer, each layer's output sequences of all sequences together (docs/timing.md,
  // "Sessions").
  const uint64_t bytes =
      uint64_t(w.sequences) * uint64_t(w.seq_len) *
      row_stride(uint64_t(w.output_size()) * uint64_t(act_bytes(arch.arith)), arch);
  return {map.output_base + uint64_t(w.layers - 1) * bytes, bytes};
}

RawMatrix output_matrix(const uint8_t* region, const ArchConfig& arch, const WorkloadConfig& w) {
  const int ab = act_bytes(arch.arith);
  const uint64_t stride = row_stride(uint64_t(w.output_size()) * uint64_t(ab), arch);
  RawMatrix out(Eigen::Index(w.sequences) * w.seq_len, w.output_size());
  for (Eigen::Index r = 0; r < out.rows(); ++r) {
    const std::vector<int64_t> v =
        get_values(region + uint64_t(r) * stride, size_t(out.cols()), ab);
    std::copy(v.begin(), v.end(), out.data() + r * out.cols());
  }
  return out;
}

std::vector<CsrWrite> csr_program(const CompressedModel& m, const ArchConfig& arch,
                                  const WorkloadConfig& w, const DramMap& map) {
  // Later layers read the concatenated outputs of the layer before (all layers alike after the
  // first); W_h has the same shape in every layer. The products (row bytes, T - 1 rows, layer
  // bytes, a batch's steps and bytes) are the host's, so the hardware only adds.
  const CompressedDirection& first = m.dirs.front();
  const CompressedDirection& later = m.dirs.back();
  const int rows = 4 * w.hidden_size, x_pes = arch.mac_array.wx.pes, h_pes = arch.mac_array.wh.pes;
  const uint64_t ab = uint64_t(act_bytes(arch.arith));
  // The row strides (docs/timing.md, "Inputs and outputs"); an output row is every direction's
  // state.
  const uint64_t in_row = row_stride(uint64_t(w.input_size) * ab, arch);
  const uint64_t out_row = row_stride(uint64_t(w.output_size()) * ab, arch);
  const std::vector<PassGeometry> passes = pass_geometries(m, w);
  const WeightLayout layout(passes, arch);
  std::vector<CsrWrite> v = {
      {kCsrSeqLen, uint32_t(w.seq_len)},
      {kCsrLayers, uint32_t(w.layers)},
      {kCsrDirections, uint32_t(w.directions())},
      {kCsrInputSize, uint32_t(w.input_size)},
      {kCsrHiddenSize, uint32_t(w.hidden_size)},
      {kCsrProjSize, uint32_t(w.proj_size)},
      {kCsrSequences, uint32_t(w.sequences)},
      {kCsrBatch, uint32_t(w.batch)},
      {kCsrWxWpr, uint32_t(first.wx.words_per_row)},
      {kCsrWhWpr, uint32_t(first.wh.words_per_row)},
      {kCsrWxWprN, uint32_t(later.wx.words_per_row)},
      {kCsrWrWpr, uint32_t(first.wr.words_per_row)},
      {kCsrWrSeg, uint32_t(first.wr.seg_len)},
      {kCsrWxSeg0, uint32_t(first.wx.seg_len)},
      {kCsrWxSegN, uint32_t(later.wx.seg_len)},
      {kCsrWhSeg, uint32_t(first.wh.seg_len)},
      {kCsrWeightBytes, uint32_t(layout.total_bytes)},
      {kCsrWeightsStreamed, bank_use(passes, arch).on_chip() ? 0u : 1u},
      {kCsrWxRowsPerPe, uint32_t(rows / x_pes)},
      {kCsrWxRowsExtra, uint32_t(rows % x_pes)},
      {kCsrWhRowsPerPe, uint32_t(rows / h_pes)},
      {kCsrWhRowsExtra, uint32_t(rows % h_pes)},
      {kCsrWrRowsPerPe, uint32_t(w.proj_size / h_pes)},
      {kCsrWrRowsExtra, uint32_t(w.proj_size % h_pes)},
      {kCsrInRow0, uint32_t(in_row)},
      {kCsrInLast0, uint32_t(uint64_t(w.seq_len - 1) * in_row)},
      {kCsrOutRow, uint32_t(out_row)},
      {kCsrLayerOut, uint32_t(uint64_t(w.seq_len) * out_row)},
      {kCsrLayerStride, uint32_t(uint64_t(w.sequences) * uint64_t(w.seq_len) * out_row)},
      {kCsrBatchSteps, uint32_t(uint64_t(w.batch) * uint64_t(w.seq_len))},
      {kCsrBatchIn, uint32_t(uint64_t(w.batch) * uint64_t(w.seq_len) * in_row)},
      {kCsrBatchOut, uint32_t(uint64_t(w.batch) * uint64_t(w.seq_len) * out_row)},
      {kCsrIrqEnable, kCsrIrqEnableDone},
  };
  for (auto [reg, value] :
       {std::pair{kCsrWeightBase, map.weight_base}, std::pair{kCsrInputBase, map.input_base},
        std::pair{kCsrOutputBase, map.output_base}}) {
    v.push_back({reg, uint32_t(value)});
    v.push_back({reg + 4, uint32_t(value >> 32)});
  }
  for (const LoadDescriptor& d : load_descriptors(arch, passes, layout)) {
    const uint32_t e = kCsrDescBase + uint32_t(d.index) * kCsrDescStride;
    if (e + kCsrDescStride > kCsrDescEnd)
      throw_input_error(w.file, "layers", "'" + std::to_string(w.layers) + "'",
                        "a load descriptor table inside the " + std::to_string(kCsrDescEnd) +
                            "-byte register space (" + std::to_string(d.index + 1) +
                            " regions; fewer layers or PEs)");
    v.push_back({e + kCsrDescTarget, kCsrDescTargetKind.put(uint32_t(d.kind)) |
                                         kCsrDescTargetPe.put(uint32_t(d.pe)) |
                                         kCsrDescTargetPass.put(uint32_t(d.pass))});
    v.push_back({e + kCsrDescBytes, uint32_t(d.bytes)});
    v.push_back({e + kCsrDescItems, uint32_t(d.items)});
    v.push_back({e + kCsrDescFormat, kCsrDescFormatIdxBits.put(uint32_t(d.idx_bits)) |
                                         kCsrDescFormatTableBytes.put(d.table_bytes)});
  }
  return v;
}

std::vector<CsrProbe> csr_map_probes() {
  std::vector<const CsrRegInfo*> word(kCsrEnd / 4, nullptr);
  for (const CsrRegInfo& r : kCsrRegs)
    for (int w = 0; w < r.words; ++w) word[r.offset / 4 + size_t(w)] = &r;
  std::vector<CsrProbe> v;
  for (uint32_t a = 0; a < kCsrEnd; a += 4) {
    const CsrRegInfo* r = word[a / 4];
    v.push_back({false, a, r != nullptr});
    if (a != kCsrCtrl) v.push_back({true, a, r != nullptr && r->access != CsrAccess::kRo});
  }
  v.push_back({false, kCsrDescBase - 4, false});
  v.push_back({false, kCsrDescBase, true});
  return v;
}

std::string counter_name(const CsrRegInfo& r) {
  std::string name = r.name;
  for (char& ch : name) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return name;
}

int64_t activity_counter(const Activity& activity, const std::string& name) {
  for (const CsrRegInfo& r : counter_registers())
    if (counter_name(r) == name) return counter_value(activity, r.offset);
  throw std::logic_error("no counter register " + name);
}

std::vector<LoadDescriptor> load_descriptors(const ArchConfig& arch,
                                             const std::vector<PassGeometry>& passes,
                                             const WeightLayout& layout) {
  std::vector<std::pair<uint64_t, LoadDescriptor>> regions;  // by offset
  for (size_t k = 0; k < passes.size(); ++k) {
    for (Matrix mat : {Matrix::kWx, Matrix::kWh, Matrix::kWr}) {
      const EncodedMatrix& e = passes[k].matrix(mat);
      static const RegionKind kKind[] = {RegionKind::kWx, RegionKind::kWh, RegionKind::kWr};
      for (int p = 0; p < e.pes && e.rows > 0; ++p) {
        const WeightLayout::Block& b = layout.banks[k][size_t(mat)][size_t(p)];
        const uint64_t rows_here = e.rows > p ? uint64_t((e.rows - p + e.pes - 1) / e.pes) : 0;
        const uint64_t entry =
            uint64_t(e.row_words_bytes() + e.row_scale_bytes(arch.arith.scale.bits));
        regions.push_back({b.offset,
                           {0, kKind[size_t(mat)], p, int(k), b.bytes,
                            uint64_t(e.banks[size_t(p)].words), rows_here * entry, e.index_bits}});
      }
    }
    regions.push_back({layout.bias[k].offset,
                       {0, RegionKind::kBias, 0, int(k), layout.bias[k].bytes,
                        uint64_t(passes[k].hidden), 0, 0}});
  }
  std::stable_sort(regions.begin(), regions.end(),
                   [](const auto& l, const auto& r) { return l.first < r.first; });
  std::vector<LoadDescriptor> out;
  for (auto& [offset, d] : regions) {
    if (d.bytes == 0) continue;  // a region of no bytes has no descriptor
    d.index = int(out.size());
    out.push_back(d);
  }
  return out;
}

}  // namespace sparrow
