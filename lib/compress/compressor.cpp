#include "compress/compressor.h"

#include <algorithm>
#include <stdexcept>

#include "compress/bank_use.h"

namespace sparrow {
namespace {

MatrixStats matrix_stats(const EncodedMatrix& e, const PruneMask& mask, int scale_bits) {
  MatrixStats s;
  s.rows = e.rows;
  s.cols = e.cols;
  s.kept = mask.kept_real();
  s.sparsity = 1.0 - double(s.kept) / (double(e.rows) * e.cols);
  int64_t lo = INT64_MAX, hi = 0;
  for (const auto& row : mask.kept) {
    int64_t n = 0;
    for (int c : row) n += c < mask.cols;
    lo = std::min(lo, n);
    hi = std::max(hi, n);
  }
  s.kept_per_row_min = lo;
  s.kept_per_row_max = hi;
  s.kept_per_row_mean = double(s.kept) / e.rows;
  if (mask.segment_balanced) s.kept_per_segment = mask.per_row / mask.lanes;
  s.words_per_row = e.words_per_row;
  s.value_bits = e.value_bits;
  s.index_bits = e.index_bits;
  s.word_bits = e.word_bits();
  for (int p = 0; p < e.pes; ++p) {
    s.slots_per_pe.push_back(e.banks[size_t(p)].words * e.lanes);
    s.bank_bits_per_pe.push_back(e.bank_bits(p, scale_bits));
  }
  return s;
}

}  // namespace

PrunedModel prune_model(const LstmWeights& weights, const ArchConfig& arch) {
  const CompressionConfig& cc = arch.compression;
  const int xlanes = arch.mac_array.wx.lanes, hlanes = arch.mac_array.wh.lanes;
  PrunedModel p;
  for (const LstmDirectionWeights& dw : weights.dirs) {
    const bool proj = dw.w_hr.size() > 0;
    PrunedDirection pd;
    if (cc.pattern == PruningPattern::kUnstructured) {
      std::vector<const Eigen::MatrixXd*> all{&dw.w_ih, &dw.w_hh};
      if (proj) all.push_back(&dw.w_hr);
      std::vector<PruneMask> masks = prune_unstructured(all, cc.sx);
      for (size_t i = 0; i < masks.size(); ++i) masks[i].lanes = i == 0 ? xlanes : hlanes;
      pd.mask_x = masks[0];
      pd.mask_h = masks[1];
      if (proj) pd.mask_r = masks[2];
    } else {
      pd.mask_x = prune_row_balanced(dw.w_ih, cc.sx, xlanes, cc.segment_balanced);
      pd.mask_h = prune_row_balanced(dw.w_hh, cc.sh, hlanes, cc.segment_balanced);
      if (proj) pd.mask_r = prune_row_balanced(dw.w_hr, cc.sh, hlanes, cc.segment_balanced);
    }
    p.dirs.push_back(std::move(pd));
  }
  p.weights = pruned_weights(weights, p.dirs);
  return p;
}

CompressedModel encode_model(PrunedModel pruned, const ArchConfig& arch) {
  const ArithConfig& a = arch.arith;
  const int xpes = arch.mac_array.wx.pes, hpes = arch.mac_array.wh.pes;
  CompressedModel m;
  for (size_t i = 0; i < pruned.dirs.size(); ++i) {
    const LstmDirectionWeights& dw = pruned.weights.dirs[i];
    PrunedDirection& pd = pruned.dirs[i];
    const bool proj = dw.w_hr.size() > 0;
    const int hidden = static_cast<int>(dw.w_ih.rows() / 4);
    const std::vector<int> gates = gate_interleaved_rows(hidden);
    CompressedDirection cd;
    cd.wx = encode_weight_bank(dw.w_ih, pd.mask_x, gates, xpes, a.wx, a.scale);
    cd.wh = encode_weight_bank(dw.w_hh, pd.mask_h, gates, hpes, a.wh, a.scale);
    m.dense_weights += dw.w_ih.size() + dw.w_hh.size();
    m.kept_weights += pd.mask_x.kept_real() + pd.mask_h.kept_real();
    if (proj) {
      cd.wr = encode_weight_bank(dw.w_hr, pd.mask_r, identity_rows(int(dw.w_hr.rows())), hpes, a.wh,
                                 a.scale);
      m.dense_weights += dw.w_hr.size();
      m.kept_weights += pd.mask_r.kept_real();
    }
    const Eigen::VectorXd b = dw.b_ih + dw.b_hh;
    cd.bias.resize(gates.size());
    for (size_t q = 0; q < gates.size(); ++q) cd.bias[q] = quantize(b(gates[q]), a.bias);
    cd.mask_x = std::move(pd.mask_x);
    cd.mask_h = std::move(pd.mask_h);
    cd.mask_r = std::move(pd.mask_r);
    m.dirs.push_back(std::move(cd));
  }
  m.pruned = std::move(pruned.weights);
  return m;
}

CompressedModel compress_model(const LstmWeights& weights, const ArchConfig& arch) {
  return encode_model(prune_model(weights, arch), arch);
}

LstmWeights pruned_weights(const LstmWeights& weights, const std::vector<PrunedDirection>& masks) {
  LstmWeights p = weights;
  for (size_t i = 0; i < p.dirs.size(); ++i) {
    LstmDirectionWeights& pd = p.dirs[i];
    pd.w_ih = apply_mask(pd.w_ih, masks[i].mask_x);
    pd.w_hh = apply_mask(pd.w_hh, masks[i].mask_h);
    if (pd.w_hr.size() > 0) pd.w_hr = apply_mask(pd.w_hr, masks[i].mask_r);
  }
  return p;
}

LstmWeights pruned_weights(const LstmWeights& weights, const CompressedModel& m) {
  return pruned_weights(weights, std::vector<PrunedDirection>(m.dirs.begin(), m.dirs.end()));
}

namespace {

// The real (not padding) weights a row-balanced pruning keeps of a rows x cols matrix: k per lane
// segment, or all of a segment's real columns where it has fewer (prune_row_balanced).
int64_t balanced_kept(int rows, int cols, int lanes, bool segment_balanced, double sparsity) {
  if (!segment_balanced) return int64_t{rows} * kept_count(cols, sparsity);
  const int seg = (cols + lanes - 1) / lanes, k = kept_count(seg, sparsity);
  int64_t per_row = 0;
  for (int j = 0; j < lanes; ++j) per_row += std::clamp(cols - j * seg, 0, k);
  return int64_t{rows} * per_row;
}

}  // namespace

CompressedModel compress_geometry(const WorkloadConfig& w, const ArchConfig& arch) {
  const CompressionConfig& cc = arch.compression;
  if (cc.pattern == PruningPattern::kUnstructured)
    throw std::invalid_argument("compress_geometry: unstructured rows depend on the weights");
  const ArithConfig& a = arch.arith;
  const ArraySize& x = arch.mac_array.wx;
  const ArraySize& h = arch.mac_array.wh;
  CompressedModel m;
  m.pruned.input_size = w.input_size;
  m.pruned.hidden_size = w.hidden_size;
  m.pruned.proj_size = w.proj_size;
  m.pruned.layers = w.layers;
  m.pruned.bidirectional = w.bidirectional;
  m.pruned.dirs.resize(size_t(w.layers * w.directions()));
  const int g = 4 * w.hidden_size;
  for (int l = 0; l < w.layers; ++l) {
    for (int d = 0; d < w.directions(); ++d) {
      CompressedDirection cd;
      cd.wx = balanced_geometry(g, w.layer_input_size(l), x.pes, x.lanes, cc.segment_balanced,
                                cc.sx, a.wx);
      cd.wh =
          balanced_geometry(g, w.state_size(), h.pes, h.lanes, cc.segment_balanced, cc.sh, a.wh);
      if (w.proj_size > 0)
        cd.wr = balanced_geometry(w.proj_size, w.hidden_size, h.pes, h.lanes, cc.segment_balanced,
                                  cc.sh, a.wh);
      m.dense_weights += int64_t(g) * (w.layer_input_size(l) + w.state_size()) +
                         int64_t(w.proj_size) * w.hidden_size;
      m.kept_weights +=
          balanced_kept(g, w.layer_input_size(l), x.lanes, cc.segment_balanced, cc.sx) +
          balanced_kept(g, w.state_size(), h.lanes, cc.segment_balanced, cc.sh) +
          balanced_kept(w.proj_size, w.hidden_size, h.lanes, cc.segment_balanced, cc.sh);
      m.dirs.push_back(std::move(cd));
    }
  }
  return m;
}

CompressionStats compression_stats(const CompressedModel& m, const ArchConfig& arch) {
  const int scale_bits = arch.arith.scale.bits;
  CompressionStats s;
  s.pattern = to_string(arch.compression.pattern);
  s.segment_balanced = arch.compression.segment_balanced;
  s.requested_sx = arch.compression.sx;
  s.requested_sh = arch.compression.sh;
  s.dense_weights = m.dense_weights;
  s.kept_weights = m.kept_weights;
  s.sparsity = 1.0 - double(m.kept_weights) / double(m.dense_weights);
  int64_t x_kept = 0, x_dense = 0, h_kept = 0, h_dense = 0;
  const LstmWeights& w = m.pruned;
  for (int l = 0; l < w.layers; ++l) {
    for (int d = 0; d < w.directions(); ++d) {
      const CompressedDirection& cd = m.at(l, d);
      DirectionStats ds;
      ds.layer = l;
      ds.reverse = d != 0;
      ds.wx = matrix_stats(cd.wx, cd.mask_x, scale_bits);
      ds.wh = matrix_stats(cd.wh, cd.mask_h, scale_bits);
      x_kept += ds.wx.kept;
      x_dense += int64_t(cd.wx.rows) * cd.wx.cols;
      h_kept += ds.wh.kept;
      h_dense += int64_t(cd.wh.rows) * cd.wh.cols;
      if (cd.wr.rows > 0) {
        ds.wr = matrix_stats(cd.wr, cd.mask_r, scale_bits);
        h_kept += ds.wr->kept;
        h_dense += int64_t(cd.wr.rows) * cd.wr.cols;
      }
      s.matrices.push_back(std::move(ds));
    }
  }
  s.sparsity_x = 1.0 - double(x_kept) / double(x_dense);
  s.sparsity_h = 1.0 - double(h_kept) / double(h_dense);
  s.banks = bank_use(m.dirs, arch);
  return s;
}

}  // namespace sparrow
