// Fuzz target: the sweep spec loader, and the expansion of accepted specs into design points.
#include <algorithm>
#include <map>
#include <set>

#include "fuzz_util.h"
#include "sweep/sweep_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sparrow;
  fuzz::only_input_errors([&] {
    const YAML::Node root = parse_yaml(fuzz::text(data, size), "fuzz-sweep.yaml");
    const SweepSpec s = parse_sweep_spec(root, "/fuzz/fuzz-sweep.yaml", "/fuzz/energy.yaml");
    int64_t points = int64_t(s.workloads.size());
    for (const auto& v : s.vary)
      points = std::min(points * int64_t(v.second.size()), int64_t{1} << 40);
    if (s.samples > 0) points = s.samples * int64_t(s.workloads.size());
    if (points > 20000) return;  // expanding is linear in the points; keep each input fast
    const SweepPoints p = expand_points(s, "analytic");
    fuzz::require(p.size() <= size_t(points), "no more points than asked for");
    std::set<std::string> keys;
    for (size_t i = 0; i < p.size(); ++i) {
      const DesignPoint d = p.point(i);
      fuzz::require(d.key == p.key(i) && keys.insert(d.key).second, "one distinct key per point");
      std::map<std::string, std::string> settings(d.settings.begin(), d.settings.end());
      fuzz::require(p.find(d.workload, settings) == i, "a point is found by its settings");
    }
  });
  return 0;
}
