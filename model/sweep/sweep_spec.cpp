#include "sweep/sweep_spec.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/hash.h"

namespace sparrow {
namespace {

std::string number_text(double v) {
  std::ostringstream os;
  os.precision(12);
  os << v;
  return os.str();
}

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
                                             "weights_on_chip"};
  return m;
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
  m.get_string("description", "");
  s.arch = resolve_path(path, m.get_string("arch"));
  s.energy = m.has("energy") ? resolve_path(path, m.get_string("energy")) : default_energy;
  {
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
      s.workloads.push_back(resolve_path(path, list[i].Scalar()));
    }
  }
  {
    YamlMap vary = m.get_map("vary");
    for (const auto& kv : vary.node_keys()) {
      const std::string key = kv;
      const size_t dot = key.find('.');
      const std::string which = key.substr(0, dot);
      if (dot == std::string::npos || (which != "arch" && which != "workload" && which != "energy"))
        vary.fail(key, "'" + key + "'", "arch.KEY | workload.KEY | energy.KEY");
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
          r.fail("to", "'" + number_text(to) + "'", "at least from = " + number_text(from));
        const int64_t n_steps = int64_t(std::floor((to - from) / step + 1e-9));
        if (n_steps > 100000)
          r.fail("step", "'" + number_text(step) + "'", "at most 100001 values");
        for (int64_t i = 0; i <= n_steps; ++i)
          values.push_back(number_text(from + double(i) * step));
      } else {
        vary.fail(key, "a single value", "a list of values or {from, to, step}");
      }
      if (values.empty()) vary.fail(key, "an empty list", "at least one value");
      s.vary.emplace_back(key, values);
      vary.mark_read(key);
    }
    vary.finish();
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
      if (std::find(sweep_metrics().begin(), sweep_metrics().end(), key) == sweep_metrics().end())
        c.fail(key, "'" + key + "'",
               "a metric: cycles | latency_us | effective_gops_per_watt | dsp | bram36 | ...");
      YamlMap b = c.get_map(key);
      if (b.has("max")) s.constraints.push_back({key, true, b.get_real("max", -1e300, 1e300)});
      if (b.has("min")) s.constraints.push_back({key, false, b.get_real("min", -1e300, 1e300)});
      b.mark_read("max");
      b.mark_read("min");
      b.finish();
    }
    c.finish();
  }
  {
    YamlMap o = m.get_map("objectives");
    for (const std::string& key : o.node_keys()) {
      if (std::find(sweep_metrics().begin(), sweep_metrics().end(), key) == sweep_metrics().end())
        o.fail(key, "'" + key + "'",
               "a metric: cycles | latency_us | effective_gops_per_watt | dsp | bram36 | ...");
      s.objectives.push_back({key, o.get_enum(key, {"max", "min"}) == "max"});
    }
    if (s.objectives.empty()) o.fail("(objectives)", "none", "at least one metric: max | min");
    o.finish();
  }
  m.finish();
  return s;
}

std::vector<DesignPoint> expand_points(const SweepSpec& spec, const std::string& engine) {
  std::vector<std::vector<size_t>> choices;
  int64_t combos = 1;
  for (const auto& v : spec.vary)
    combos = std::min<int64_t>(combos * int64_t(v.second.size()), int64_t{1} << 40);
  auto settings_of = [&](std::vector<size_t> idx) {
    std::vector<std::pair<std::string, std::string>> out;
    for (size_t k = 0; k < spec.vary.size(); ++k)
      out.emplace_back(spec.vary[k].first, spec.vary[k].second[idx[k]]);
    return out;
  };
  if (spec.samples > 0) {
    std::mt19937_64 rng(spec.seed);
    for (int64_t i = 0; i < spec.samples; ++i) {
      std::vector<size_t> idx;
      for (const auto& v : spec.vary)
        idx.push_back(std::uniform_int_distribution<size_t>(0, v.second.size() - 1)(rng));
      choices.push_back(idx);
    }
  } else {
    if (combos > 10000000)
      throw_input_error(spec.file, "vary", std::to_string(combos) + " combinations",
                        "at most 10000000 (use random: {samples: N})");
    std::vector<size_t> idx(spec.vary.size(), 0);
    for (int64_t c = 0; c < combos; ++c) {
      choices.push_back(idx);
      for (size_t k = spec.vary.size(); k-- > 0;) {
        if (++idx[k] < spec.vary[k].second.size()) break;
        idx[k] = 0;
      }
    }
  }
  std::vector<DesignPoint> points;
  std::set<std::string> seen;  // a random sample may draw a point twice
  for (const std::string& w : spec.workloads) {
    for (const auto& idx : choices) {
      DesignPoint p;
      p.workload = w;
      p.settings = settings_of(idx);
      std::string full = engine + "|" + spec.arch + "|" + spec.energy + "|" + w;
      for (const auto& [k, v] : p.settings) full += "|" + k + "=" + v;
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(full)));
      p.key = hex;
      p.index = points.size();
      if (seen.insert(p.key).second) points.push_back(std::move(p));
    }
  }
  return points;
}

}  // namespace sparrow
