// Per-matrix sensitivity of an app's task (docs/accuracy.md, "Per-matrix sensitivity"): the task
// metric with W_x alone pruned (W_h dense), W_h alone pruned (W_x dense) and each matrix's weight
// width alone changed, each measured by a TaskEvaluator (bit-exact golden fixed point), and the
// dual ratio suggested for an accuracy-loss budget from those curves (BRDS's method, as sparrow
// implements it).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/task_eval.h"
#include "config/yaml_map.h"

namespace sparrow {

struct SensitivityGrid {
  std::vector<double> sparsities;  // ascending, the first 0 (dense)
  std::vector<int> bits;           // weight widths, each keeping the arch's integer bits
  double max_loss = 1.0;           // the budget, in task_loss's unit
};

// One measured point: matrix W_x, W_h or both (W_x+W_h), or reference (float or dense fixed
// point); knob sparsity, bits, float or fixed; value the sparsity (s_x/s_h for both) or width.
struct SensitivityRow {
  std::string matrix, knob, value;
  double metric = 0;  // task_figure
  double delta = 0;   // metric minus the dense fixed-point metric
};

// The dual ratio suggested for a budget, on a sparsity grid (indices into it). The limit of a
// matrix is the largest grid sparsity up to which (every grid sparsity from 0 to it) the matrix
// pruned alone loses at most the budget. The search starts at (limit_x, limit_h) and, while the
// combined point loses more than the budget, steps back by one grid sparsity the matrix whose
// alone-loss curve is steeper on its last step (loss difference over sparsity difference; W_x on
// a tie; the other one once a matrix is dense). `path` is every combined point measured, the last
// one the suggestion.
struct DualRatioStep {
  size_t ix = 0, ih = 0;
  double loss = 0;
};
struct DualRatioSuggestion {
  size_t limit_x = 0, limit_h = 0;
  std::vector<DualRatioStep> path;
  bool fits = false;  // the last point loses at most the budget
};

// `loss_x[i]` and `loss_h[i]`: the loss with W_x (W_h) alone pruned to `sparsities[i]`;
// `combined(ix, ih)`: the loss with both pruned.
DualRatioSuggestion suggest_dual_ratio(const std::vector<double>& sparsities,
                                       const std::vector<double>& loss_x,
                                       const std::vector<double>& loss_h, double max_loss,
                                       const std::function<double(size_t, size_t)>& combined);

struct SensitivityResult {
  std::vector<SensitivityRow> rows;  // in the order measured
  double float_metric = 0, dense_metric = 0;
  std::vector<double> loss_x, loss_h;  // per grid sparsity
  DualRatioSuggestion suggestion;
};

// Measures the grid. `arch_at(overrides)` is the architecture with these key-path overrides on
// top of the user's (InputError if the result is invalid). Every sparsity point uses the dual-ratio
// pattern at the arch's widths; every width point the dense model; a width keeps the arch's
// integer bits (frac = bits - (arch bits - arch frac)).
SensitivityResult measure_sensitivity(TaskEvaluator& task,
                                      const std::function<ArchConfig(const Overrides&)>& arch_at,
                                      const SensitivityGrid& grid);

}  // namespace sparrow
