#include "app/sensitivity.h"

#include "config/yaml_map.h"

namespace sparrow {

namespace {

// The largest index up to which every loss stays within the budget.
size_t limit(const std::vector<double>& loss, double max_loss) {
  size_t i = 0;
  while (i + 1 < loss.size() && loss[i + 1] <= max_loss) ++i;
  return i;
}

double slope(const std::vector<double>& s, const std::vector<double>& loss, size_t i) {
  return (loss[i] - loss[i - 1]) / (s[i] - s[i - 1]);
}

}  // namespace

DualRatioSuggestion suggest_dual_ratio(const std::vector<double>& sparsities,
                                       const std::vector<double>& loss_x,
                                       const std::vector<double>& loss_h, double max_loss,
                                       const std::function<double(size_t, size_t)>& combined) {
  DualRatioSuggestion s;
  s.limit_x = limit(loss_x, max_loss);
  s.limit_h = limit(loss_h, max_loss);
  size_t ix = s.limit_x, ih = s.limit_h;
  while (true) {
    s.path.push_back({ix, ih, combined(ix, ih)});
    s.fits = s.path.back().loss <= max_loss;
    if (s.fits || (ix == 0 && ih == 0)) return s;
    if (ix == 0)
      --ih;
    else if (ih == 0 || slope(sparsities, loss_x, ix) >= slope(sparsities, loss_h, ih))
      --ix;
    else
      --ih;
  }
}

SensitivityResult measure_sensitivity(TaskEvaluator& task,
                                      const std::function<ArchConfig(const Overrides&)>& arch_at,
                                      const SensitivityGrid& grid) {
  const AppTask kind = task.config().task;
  const ArchConfig base = arch_at({});
  const std::string balanced = base.compression.segment_balanced ? "true" : "false";
  auto dual = [&](double sx, double sh) {
    return Overrides{{"compression", "{pattern: dual_ratio, sx: " + yaml_number(sx) +
                                         ", sh: " + yaml_number(sh) +
                                         ", segment_balanced: " + balanced + "}"}};
  };
  SensitivityResult r;
  r.float_metric = task_figure(task.reference(), kind);
  r.dense_metric = task_figure(task.evaluate(arch_at(dual(0, 0))), kind);
  auto row = [&](const std::string& matrix, const std::string& knob, const std::string& value,
                 double metric) {
    r.rows.push_back({matrix, knob, value, metric, metric - r.dense_metric});
    return task_loss(metric, r.dense_metric, kind);
  };
  row("reference", "float", "", r.float_metric);
  row("reference", "fixed", "", r.dense_metric);
  auto at = [&](const Overrides& o) { return task_figure(task.evaluate(arch_at(o)), kind); };
  for (double s : grid.sparsities)
    r.loss_x.push_back(row("W_x", "sparsity", yaml_number(s), at(dual(s, 0))));
  for (double s : grid.sparsities)
    r.loss_h.push_back(row("W_h", "sparsity", yaml_number(s), at(dual(0, s))));
  const std::pair<const char*, FixedFormat> formats[] = {{"wx", base.arith.wx},
                                                         {"wh", base.arith.wh}};
  for (const auto& [key, f] : formats)
    for (int b : grid.bits) {
      Overrides o = dual(0, 0);
      o.push_back({"arith." + std::string(key), "{bits: " + std::to_string(b) + ", frac: " +
                                                    std::to_string(b - (f.bits - f.frac)) + "}"});
      row(key == std::string("wx") ? "W_x" : "W_h", "bits", std::to_string(b), at(o));
    }
  const std::vector<double>& s = grid.sparsities;
  r.suggestion =
      suggest_dual_ratio(s, r.loss_x, r.loss_h, grid.max_loss, [&](size_t ix, size_t ih) {
        return row("W_x+W_h", "sparsity", yaml_number(s[ix]) + "/" + yaml_number(s[ih]),
                   at(dual(s[ix], s[ih])));
      });
  return r;
}

}  // namespace sparrow
