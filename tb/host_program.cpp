#include "host_program.h"

#include "csr/csr.h"

namespace sparrow {

DramMap plan_dram(const std::vector<PassGeometry>& passes, const ArchConfig& arch,
                  const WorkloadConfig& w) {
  auto align = [](uint64_t a) { return (a + 4095) & ~uint64_t{4095}; };
  const uint64_t ab = uint64_t(act_bytes(arch.arith));
  DramMap d;
  d.weight_base = 0;
  d.input_base = align(WeightLayout(passes, arch).total_bytes);
  const uint64_t steps = uint64_t(w.sequences) * uint64_t(w.seq_len);
  d.output_base = align(d.input_base + steps * uint64_t(w.input_size) * ab);
  d.bytes = d.output_base + uint64_t(w.layers) * steps * uint64_t(w.output_size()) * ab;
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
  std::vector<uint8_t> xs;
  put_values(xs, std::vector<int64_t>(x.data(), x.data() + x.size()), act_bytes(arch.arith));
  place(map.input_base, xs);
  return img;
}

DramRegion final_outputs(const DramMap& map, const ArchConfig& arch, const WorkloadConfig& w) {
  // Layer by layer, each layer's output sequences of all sequences together (docs/timing.md,
  // "Sessions").
  const uint64_t bytes = uint64_t(w.sequences) * uint64_t(w.seq_len) * uint64_t(w.output_size()) *
                         uint64_t(act_bytes(arch.arith));
  return {map.output_base + uint64_t(w.layers - 1) * bytes, bytes};
}

std::vector<CsrWrite> csr_program(const CompressedModel& m, const WorkloadConfig& w,
                                  const DramMap& map) {
  std::vector<CsrWrite> v = {
      {kCsrSeqLen, uint32_t(w.seq_len)},
      {kCsrLayers, uint32_t(w.layers)},
      {kCsrDirections, uint32_t(w.directions())},
      {kCsrInputSize, uint32_t(w.input_size)},
      {kCsrHiddenSize, uint32_t(w.hidden_size)},
      {kCsrProjSize, uint32_t(w.proj_size)},
      {kCsrSequences, uint32_t(w.sequences)},
      {kCsrWxWordsPerRow, uint32_t(m.dirs[0].wx.words_per_row)},
      {kCsrWhWordsPerRow, uint32_t(m.dirs[0].wh.words_per_row)},
  };
  for (auto [reg, value] :
       {std::pair{kCsrWeightBase, map.weight_base}, std::pair{kCsrInputBase, map.input_base},
        std::pair{kCsrOutputBase, map.output_base}}) {
    v.push_back({reg, uint32_t(value)});
    v.push_back({reg + 4, uint32_t(value >> 32)});
  }
  return v;
}

}  // namespace sparrow
