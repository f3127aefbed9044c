#include "energy/synthesis.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

#include "common/error.h"

namespace sparrow {
namespace {

namespace fs = std::filesystem;

const char* const kFields[] = {"dsp", "bram36", "lut", "lutram_luts", "ff"};

nlohmann::json read_record(const fs::path& path) {
  std::ifstream in(path);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw_input_error(path.string(), "(file)", "not a JSON object",
                      "a synthesis record of scripts/synth_rtl.py (docs/synthesis.md)");
  if (!j.contains("parameters") || !j["parameters"].is_object())
    throw_input_error(path.string(), "parameters",
                      j.contains("parameters") ? "not an object" : "missing",
                      "an object of the RTL's integer parameters");
  return j;
}

bool same_parameters(const nlohmann::json& recorded, const std::map<std::string, int64_t>& params) {
  if (recorded.size() != params.size()) return false;
  for (const auto& [name, value] : params) {
    auto it = recorded.find(name);
    if (it == recorded.end() || !it->is_number_integer() || it->get<int64_t>() != value)
      return false;
  }
  return true;
}

nlohmann::json figures(const nlohmann::json& r, const fs::path& path, const std::string& key) {
  nlohmann::json f = nlohmann::json::object();
  for (const char* field : kFields) {
    if (!r.contains(field) || !r[field].is_number() || r[field].get<double>() < 0)
      throw_input_error(path.string(), key + "." + field,
                        r.contains(field) ? r[field].dump() : "missing",
                        "a count >= 0 (docs/synthesis.md, \"The JSON files\")");
    f[field] = r[field];
  }
  return f;
}

}  // namespace

nlohmann::json synthesized_resources(const std::string& dir,
                                     const std::map<std::string, int64_t>& params,
                                     const std::string& arch) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return nullptr;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::stable_partition(files.begin(), files.end(),
                        [&](const fs::path& f) { return f.stem().string() == arch; });
  for (const fs::path& path : files) {
    const nlohmann::json j = read_record(path);
    if (!same_parameters(j["parameters"], params)) continue;
    if (!j.contains("xilinx") || j["xilinx"].value("status", "") != "ok") return nullptr;
    const nlohmann::json& x = j["xilinx"];
    nlohmann::json units = nlohmann::json::array();
    if (x.contains("by_unit") && x["by_unit"].is_object())
      for (const auto& [unit, r] : x["by_unit"].items()) {
        nlohmann::json u = figures(r, path, "xilinx.by_unit." + unit);
        u["unit"] = unit;
        units.push_back(u);
      }
    return {{"source", "synthesis"},
            {"estimate", "Yosys synth_xilinx of the RTL with this design point's parameters (" +
                             path.filename().string() +
                             ", docs/synthesis.md): cell counts before place and "
                             "route"},
            {"file", path.string()},
            {"tool", j.value("tool", "")},
            {"capacity_workload", j.value("workload", "")},
            {"total", figures(x, path, "xilinx")},
            {"units", units}};
  }
  return nullptr;
}

}  // namespace sparrow
