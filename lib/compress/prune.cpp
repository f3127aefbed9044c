#include "compress/prune.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sparrow {
namespace {

// The `k` columns of row r among [begin, end) with the largest |w|, ties to the lower column.
void keep_largest(const Eigen::MatrixXd& w, Eigen::Index r, int begin, int end, int k,
                  std::vector<int>& out) {
  std::vector<int> cols(static_cast<size_t>(end - begin));
  std::iota(cols.begin(), cols.end(), begin);
  auto larger = [&](int a, int b) {
    const double ma = std::abs(w(r, a)), mb = std::abs(w(r, b));
    return ma != mb ? ma > mb : a < b;
  };
  const int take = std::min<int>(k, end - begin);
  std::partial_sort(cols.begin(), cols.begin() + take, cols.end(), larger);
  out.insert(out.end(), cols.begin(), cols.begin() + take);
}

}  // namespace

int64_t PruneMask::kept_real() const {
  int64_t n = 0;
  for (const auto& row : kept)
    for (int c : row) n += c < cols;
  return n;
}

int kept_count(int n, double sparsity) {
  const long k = std::lround((1.0 - sparsity) * n);
  return static_cast<int>(std::clamp<long>(k, 1, n));
}

PruneMask prune_row_balanced(const Eigen::MatrixXd& w, double sparsity, int lanes,
                             bool segment_balanced) {
  PruneMask m;
  m.rows = static_cast<int>(w.rows());
  m.cols = static_cast<int>(w.cols());
  m.lanes = lanes;
  m.segment_balanced = segment_balanced;
  m.seg_len = segment_balanced ? (m.cols + lanes - 1) / lanes : m.cols;
  m.kept.resize(static_cast<size_t>(m.rows));
  if (segment_balanced) {
    const int k = kept_count(m.seg_len, sparsity);
    m.per_row = k * lanes;
    for (int r = 0; r < m.rows; ++r) {
      auto& row = m.kept[static_cast<size_t>(r)];
      for (int j = 0; j < lanes; ++j) {
        const int begin = j * m.seg_len;
        const int end = std::min(begin + m.seg_len, m.cols);
        const size_t before = row.size();
        if (begin < end) keep_largest(w, r, begin, end, k, row);
        // Too few real columns in this segment: make up the count with padding columns.
        for (int pad = std::max(begin, m.cols); row.size() - before < size_t(k); ++pad)
          row.push_back(pad);
        std::sort(row.begin() + static_cast<long>(before), row.end());
      }
    }
  } else {
    m.per_row = kept_count(m.cols, sparsity);
    for (int r = 0; r < m.rows; ++r) {
      auto& row = m.kept[static_cast<size_t>(r)];
      keep_largest(w, r, 0, m.cols, m.per_row, row);
      std::sort(row.begin(), row.end());
    }
  }
  return m;
}

std::vector<PruneMask> prune_unstructured(const std::vector<const Eigen::MatrixXd*>& ws,
                                          double sparsity) {
  struct Ref {
    double mag;
    int64_t order;  // matrix, row, column order: the tie-break
    int matrix, row, col;
  };
  std::vector<Ref> all;
  for (size_t i = 0; i < ws.size(); ++i)
    for (int r = 0; r < ws[i]->rows(); ++r)
      for (int c = 0; c < ws[i]->cols(); ++c)
        all.push_back({std::abs((*ws[i])(r, c)), int64_t(all.size()), int(i), r, c});
  const int64_t keep = std::clamp<int64_t>(std::llround((1.0 - sparsity) * double(all.size())), 1,
                                           int64_t(all.size()));
  std::nth_element(all.begin(), all.begin() + (keep - 1), all.end(),
                   [](const Ref& a, const Ref& b) {
                     return a.mag != b.mag ? a.mag > b.mag : a.order < b.order;
                   });
  std::vector<PruneMask> masks(ws.size());
  for (size_t i = 0; i < ws.size(); ++i) {
    masks[i].rows = static_cast<int>(ws[i]->rows());
    masks[i].cols = masks[i].seg_len = static_cast<int>(ws[i]->cols());
    masks[i].kept.resize(static_cast<size_t>(masks[i].rows));
  }
  for (int64_t k = 0; k < keep; ++k) {
    const Ref& ref = all[static_cast<size_t>(k)];
    masks[size_t(ref.matrix)].kept[size_t(ref.row)].push_back(ref.col);
  }
  for (auto& m : masks)
    for (auto& row : m.kept) std::sort(row.begin(), row.end());
  return masks;
}

Eigen::MatrixXd apply_mask(const Eigen::MatrixXd& w, const PruneMask& mask) {
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(w.rows(), w.cols());
  for (int r = 0; r < mask.rows; ++r)
    for (int c : mask.kept[size_t(r)])
      if (c < mask.cols) out(r, c) = w(r, c);
  return out;
}

}  // namespace sparrow
