#include "sweep/sweep_spec.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <random>
#include <set>
#include <string_view>

#include "app/app_config.h"
#include "common/error.h"
#include "common/hash.h"

namespace sparrow {
namespace {

// Sweep values and counts in 12 digits: a range's from + i * step prints as the decimal the user
// meant, not its float error (0.1 + 2 * 0.1 prints 0.3, not 0.30000000000000004), so values that
// print alike are one point.
constexpr int kSweepDigits = 12;

}  // namespace

const std::vector<std::string>& sweep_metrics() {
  static const std::vector<std::string> m = {"cycles",
                                             "latency_us",
                                             "gops",
                                             "effective_gops",
                                             "power_mw",
                                             "energy_uj",
                                             "gops_per_watt",
                                             "effective_gops_per_watt",
                                             "dsp",
                                             "bram36",
                                             "lut",
                                             "ff",
                                             "mac_utilization_wx",
                                             "mac_utilization_wh",
                                             "weights_on_chip",
                                             "banks_hold_a_pass",
                                             "first_latency_us",
                                             "sequences_per_second"};
  return m;
}

std::vector<std::string> task_metrics(AppTask task) {
  return {task_info(task).metric, "task_delta_vs_float"};
}

SweepSpec load_sweep_spec(const std::string& path, const std::string& default_energy) {
  return parse_sweep_spec(load_yaml_file(path), path, default_energy);
}

SweepSpec parse_sweep_spec(const YAML::Node& root, const std::string& path,
                           const std::string& default_energy) {
  YamlMap m(root, path, "");
  SweepSpec s;
  s.file = path;
  s.name = m.get_string("name");
  // The name goes into file names and the generated Slurm script (job name): a plain word only.
  if (s.name.empty() || s.name.size() > 64 ||
      s.name.find_first_not_of(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos)
    m.fail("name", "'" + s.name + "'", "1 to 64 of the characters A-Z a-z 0-9 . _ -");
  m.get_string("description", "");
  s.arch = resolve_path(path, m.get_string("arch"));
  s.energy = m.has("energy") ? resolve_path(path, m.get_string("energy")) : default_energy;
  if (m.has("task")) {
    // The app defines the workload (its LSTM's shape, steps and data): a spec gives one or the
    // other.
    if (m.has("workloads"))
      m.fail("workloads", "a list beside task",
             "either task (the app's LSTM is the workload) or workloads, not both");
    const std::string given = m.get_string("task");
    s.task = resolve_path(path, given);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(s.task, ec))
      m.fail("task", "'" + given + "' (" + s.task + ": no such file)",
             "an app config (configs/apps/*/app.yaml, relative to the spec)");
    s.task_metrics = task_metrics(load_app_config(s.task).task);
    s.workloads = {s.task};
  } else {
    const YAML::Node list = m.node("workloads");
    if (!list.IsSequence() || list.size() == 0)
      m.fail("workloads", list.IsSequence() ? "an empty list" : "a single value",
             "a list of workload config paths");
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].IsScalar() || list[i].Scalar().empty())
        throw_input_error(path, "workloads[" + std::to_string(i) + "]",
                          list[i].IsSequence() ? "a list"
                          : list[i].IsMap()    ? "a mapping"
                                               : "an empty value",
                          "a workload config path");
      const std::string w = resolve_path(path, list[i].Scalar());
      // A workload listed twice is one set of points.
      if (std::find(s.workloads.begin(), s.workloads.end(), w) == s.workloads.end())
        s.workloads.push_back(w);
    }
  }
  // A metric a constraint or an objective may name: a sweep metric, or a task metric of the
  // spec's task.
  auto check_metric = [&](YamlMap& map, const std::string& key) {
    if (std::find(sweep_metrics().begin(), sweep_metrics().end(), key) != sweep_metrics().end() ||
        std::find(s.task_metrics.begin(), s.task_metrics.end(), key) != s.task_metrics.end())
      return;
    std::string allowed =
        "a metric: cycles | latency_us | effective_gops_per_watt | dsp | bram36 | ...";
    if (!s.task_metrics.empty())
      allowed += " | " + s.task_metrics[0] + " | " + s.task_metrics[1] + " (this task's)";
    else if (key.compare(0, 5, "task_") == 0)
      allowed += " (task metrics need a task: the spec has none)";
    map.fail(key, "'" + key + "'", allowed);
  };
  {
    YamlMap vary = m.get_map("vary");
    for (const auto& kv : vary.node_keys()) {
      const std::string key = kv;
      const size_t dot = key.find('.');
      const std::string which = key.substr(0, dot);
      if (dot == std::string::npos || (which != "arch" && which != "workload" && which != "energy"))
        vary.fail(key, "'" + key + "'", "arch.KEY | workload.KEY | energy.KEY");
      if (which == "workload" && !s.task.empty())
        vary.fail(key, "'" + key + "' beside task",
                  "arch.KEY | energy.KEY (with a task, the app defines the workload)");
      const YAML::Node n = vary.node(key);
      std::vector<std::string> values;
      if (n.IsSequence()) {
        for (const auto& v : n) values.push_back(YAML::Dump(v));
      } else if (n.IsMap()) {
        YamlMap r = vary.get_map(key);
        const double from = r.get_real("from", -1e12, 1e12), to = r.get_real("to", -1e12, 1e12);
        const double step = r.get_real("step", 1e-9, 1e12);
        r.finish();
        if (to < from)
          r.fail("to", "'" + yaml_number(to, kSweepDigits) + "'",
                 "at least from = " + yaml_number(from, kSweepDigits));
        // Counted in double: (to - from) / step may be far beyond any integer type.
        const double n_steps = std::floor((to - from) / step + 1e-9);
        if (!(n_steps <= 100000))
          r.fail("step", "'" + yaml_number(step, kSweepDigits) + "'",
                 "at most 100001 values (the range has " + yaml_number(n_steps + 1, kSweepDigits) +
                     ")");
        for (int64_t i = 0; i <= int64_t(n_steps); ++i)
          values.push_back(yaml_number(from + double(i) * step, kSweepDigits));
      } else {
        vary.fail(key, "a single value", "a list of values or {from, to, step}");
      }
      if (values.empty()) vary.fail(key, "an empty list", "at least one value");
      // A value given twice (or a range whose values print alike) is one value.
      std::vector<std::string> distinct;
      std::set<std::string> seen;
      for (auto& v : values)
        if (seen.insert(v).second) distinct.push_back(std::move(v));
      values = std::move(distinct);
      s.vary.emplace_back(key, values);
      vary.mark_read(key);
    }
    vary.finish();
    // A key inside another varied key would be overwritten by it in every point.
    for (const auto& [outer, ov] : s.vary)
      for (const auto& [inner, iv] : s.vary)
        if (inner.size() > outer.size() && inner.compare(0, outer.size() + 1, outer + ".") == 0)
          vary.fail(outer, "a key that also sets " + inner + ", which vary." + inner + " varies",
                    "vary keys that set different config keys");
  }
  if (m.has("random")) {
    YamlMap r = m.get_map("random");
    s.samples = r.get_int("samples", 1, 10000000);
    s.seed = uint64_t(r.get_int("seed", 0, INT64_MAX, 1));
    r.finish();
  }
  if (m.has("constraints")) {
    YamlMap c = m.get_map("constraints");
    for (const std::string& key : c.node_keys()) {
      check_metric(c, key);
      YamlMap b = c.get_map(key);
      if (b.has("max")) s.constraints.push_back({key, true, b.get_real("max", -1e300, 1e300)});
      if (b.has("min")) s.constraints.push_back({key, false, b.get_real("min", -1e300, 1e300)});
      b.mark_read("max");
      b.mark_read("min");
      b.finish();
    }
    c.finish();
  }
  if (!s.task.empty() && !m.has("objectives")) {
    // A task's default: its metric against effective GOPS/W.
    s.objectives = {{s.task_metrics[0], s.task_metrics[0] == task_info(AppTask::kSentiment).metric},
                    {"effective_gops_per_watt", true}};
  } else {
    YamlMap o = m.get_map("objectives");
    for (const std::string& key : o.node_keys()) {
      check_metric(o, key);
      s.objectives.push_back({key, o.get_enum(key, {"max", "min"}) == "max"});
    }
    if (s.objectives.empty()) o.fail("(objectives)", "none", "at least one metric: max | min");
    o.finish();
  }
  m.finish();
  return s;
}

namespace {

constexpr uint64_t kFnvBasis = 1469598103934665603ull;

uint64_t fnv1a_more(uint64_t h, std::string_view s) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string hex_key(uint64_t h) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

constexpr int64_t kMaxCombinations = 10000000;

}  // namespace

SweepPoints::SweepPoints(const SweepSpec& spec, const std::string& engine) : spec_(&spec) {
  const size_t n_keys = spec.vary.size();
  for (const std::string& w : spec.workloads)
    prefix_hash_.push_back(
        fnv1a_more(kFnvBasis, engine + "|" + spec.arch + "|" + spec.energy + "|" + w));
  for (const auto& [k, values] : spec.vary) {
    std::vector<std::string> texts;
    texts.reserve(values.size());
    for (const std::string& v : values) texts.push_back("|" + k + "=" + v);
    setting_text_.push_back(std::move(texts));
  }
  // Every combination, counted without overflow.
  double combos = 1;
  for (const auto& v : spec.vary) combos *= double(v.second.size());
  if (spec.samples == 0) {
    if (combos > double(kMaxCombinations))
      throw_input_error(spec.file, "vary", yaml_number(combos, kSweepDigits) + " combinations",
                        "at most 10000000 (use random: {samples: N})");
    combos_ = uint64_t(combos);
    stride_.assign(n_keys, 1);
    for (size_t k = n_keys; k-- > 1;) stride_[k - 1] = stride_[k] * spec.vary[k].second.size();
    return;
  }
  // A seeded random sample (the same draws as ever: one value per key, in key order), each
  // distinct draw once, in the order first drawn.
  std::mt19937_64 rng(spec.seed);
  std::vector<uint32_t> draws;
  draws.reserve(size_t(spec.samples) * n_keys);
  for (int64_t i = 0; i < spec.samples; ++i)
    for (const auto& v : spec.vary)
      draws.push_back(uint32_t(std::uniform_int_distribution<size_t>(0, v.second.size() - 1)(rng)));
  // Equal draws sorted next to each other, the first drawn first: it is the one kept.
  auto less = [&](uint64_t x, uint64_t y) {
    const auto dx = draws.begin() + x * n_keys, dy = draws.begin() + y * n_keys;
    const int c = std::lexicographical_compare(dx, dx + n_keys, dy, dy + n_keys)   ? -1
                  : std::lexicographical_compare(dy, dy + n_keys, dx, dx + n_keys) ? 1
                                                                                   : 0;
    return c != 0 ? c < 0 : x < y;
  };
  std::vector<uint64_t> order(size_t(spec.samples));
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), less);
  std::vector<bool> repeat(order.size(), false);
  for (size_t j = 1; j < order.size(); ++j)
    repeat[order[j]] =
        std::equal(draws.begin() + order[j] * n_keys, draws.begin() + (order[j] + 1) * n_keys,
                   draws.begin() + order[j - 1] * n_keys);
  std::vector<uint64_t> combo_of(order.size());
  combos_ = 0;
  for (size_t i = 0; i < order.size(); ++i)
    if (!repeat[i]) {
      combo_of[i] = combos_++;
      sampled_.insert(sampled_.end(), draws.begin() + i * n_keys, draws.begin() + (i + 1) * n_keys);
    }
  // The distinct draws in sorted order, for find().
  for (uint64_t i : order)
    if (!repeat[i]) sample_order_.push_back(combo_of[i]);
}

uint32_t SweepPoints::choice(uint64_t combo, size_t k) const {
  if (spec_->samples > 0) return sampled_[size_t(combo) * spec_->vary.size() + k];
  return uint32_t((combo / stride_[k]) % spec_->vary[k].second.size());
}

uint64_t SweepPoints::key_hash(size_t i) const {
  const uint64_t c = i % combos_;
  uint64_t h = prefix_hash_[i / combos_];
  for (size_t k = 0; k < setting_text_.size(); ++k)
    h = fnv1a_more(h, setting_text_[k][choice(c, k)]);
  return h;
}

std::string SweepPoints::key(size_t i) const {
  return hex_key(key_hash(i));
}

DesignPoint SweepPoints::point(size_t i) const {
  DesignPoint p;
  p.index = i;
  p.workload = spec_->workloads[i / combos_];
  const uint64_t c = i % combos_;
  for (size_t k = 0; k < spec_->vary.size(); ++k)
    p.settings.emplace_back(spec_->vary[k].first, spec_->vary[k].second[choice(c, k)]);
  p.key = key(i);
  return p;
}

std::optional<size_t> SweepPoints::find(const std::string& workload,
                                        const std::map<std::string, std::string>& settings) const {
  const auto w = std::find(spec_->workloads.begin(), spec_->workloads.end(), workload);
  if (w == spec_->workloads.end() || settings.size() != spec_->vary.size()) return std::nullopt;
  std::vector<uint32_t> idx;
  for (const auto& [k, values] : spec_->vary) {
    const auto s = settings.find(k);
    if (s == settings.end()) return std::nullopt;
    const auto v = std::find(values.begin(), values.end(), s->second);
    if (v == values.end()) return std::nullopt;
    idx.push_back(uint32_t(v - values.begin()));
  }
  uint64_t c = 0;
  if (spec_->samples == 0) {
    for (size_t k = 0; k < idx.size(); ++k) c += idx[k] * stride_[k];
  } else {
    const size_t n_keys = idx.size();
    auto draw = [&](uint64_t combo) { return sampled_.begin() + combo * n_keys; };
    const auto it = std::lower_bound(
        sample_order_.begin(), sample_order_.end(), idx, [&](uint64_t combo, const auto& want) {
          return std::lexicographical_compare(draw(combo), draw(combo) + n_keys, want.begin(),
                                              want.end());
        });
    const bool found = it != sample_order_.end() && std::equal(idx.begin(), idx.end(), draw(*it));
    if (found) c = *it;
    if (!found) return std::nullopt;
  }
  return size_t(w - spec_->workloads.begin()) * combos_ + c;
}

SweepPoints expand_points(const SweepSpec& spec, const std::string& engine, bool progress) {
  double combos = 1;
  for (const auto& v : spec.vary) combos *= double(v.second.size());
  if (spec.samples > 0) combos = double(spec.samples);
  const double n = combos * double(spec.workloads.size());
  // Said before the work, unless the grid is refused as too large.
  if (progress && n > 100000 && (spec.samples > 0 || combos <= double(kMaxCombinations)))
    std::cerr << "sweep " << spec.name << ": expanding " << yaml_number(n, kSweepDigits)
              << " points ..." << std::endl;
  return SweepPoints(spec, engine);
}

}  // namespace sparrow
