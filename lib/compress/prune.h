// Magnitude pruning (docs/format.md, "Pruning"): row-balanced (exactly K kept per row, optionally
// K/L per lane segment as bank-balanced sparsity) for the dual- and single-ratio patterns, and the
// unstructured global-threshold baseline. Ties keep the lower column (row, matrix) first.
#pragma once

#include <Eigen/Dense>
#include <vector>

namespace sparrow {

// The kept weights of one matrix, in PyTorch row order: each row's kept columns, ascending.
// A segment-balanced row keeps exactly per_segment columns in each of `lanes` segments of seg_len
// columns; when cols is not a multiple of lanes the last segment's padding columns (>= cols, whose
// vector entries are zero) may be kept to make up the count.
struct PruneMask {
  int rows = 0;
  int cols = 0;
  int lanes = 1;
  bool segment_balanced = false;
  int seg_len = 0;   // segment-balanced: ceil(cols / lanes); otherwise cols
  int per_row = -1;  // kept per row; -1 when rows differ (unstructured)
  std::vector<std::vector<int>> kept;

  int padded_cols() const { return segment_balanced ? seg_len * lanes : cols; }
  int64_t kept_real() const;  // kept weights in real columns (< cols)
};

// Kept weights per segment (segment-balanced) or per row, for a sparsity s: round((1-s) * n)
// clamped to [1, n].
int kept_count(int n, double sparsity);

PruneMask prune_row_balanced(const Eigen::MatrixXd& w, double sparsity, int lanes,
                             bool segment_balanced);
// One magnitude threshold over all the matrices together, keeping round((1-s) * total) weights.
std::vector<PruneMask> prune_unstructured(const std::vector<const Eigen::MatrixXd*>& ws,
                                          double sparsity);

// w with the pruned weights set to zero.
Eigen::MatrixXd apply_mask(const Eigen::MatrixXd& w, const PruneMask& mask);

}  // namespace sparrow
