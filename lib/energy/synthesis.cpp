#include "energy/synthesis.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <vector>

#include "common/error.h"
#include "common/file_util.h"
#include "common/json_text.h"

namespace sparrow {
namespace {

namespace fs = std::filesystem;

const char* const kFields[] = {"dsp", "bram36", "lut", "lutram_luts", "ff"};
constexpr uint64_t kMaxRecordBytes = uint64_t{16} << 20;  // records are a few kB

[[noreturn]] void bad(const std::string& file, const std::string& key, const std::string& value,
                      const std::string& allowed) {
  throw_input_error(file, key, value, allowed + " (docs/synthesis.md, \"The JSON files\")");
}

std::string type_of(const nlohmann::json& v) {
  return v.is_null() ? "null" : std::string("a JSON ") + v.type_name();
}

void check_counts(const nlohmann::json& r, const std::string& file, const std::string& key) {
  if (!r.is_object()) bad(file, key, type_of(r), "an object of resource counts");
  for (const char* field : kFields) {
    const auto it = r.find(field);
    if (it == r.end()) bad(file, key + "." + field, "missing", "a count >= 0");
    if (!it->is_number() || !(it->get<double>() >= 0) || !std::isfinite(it->get<double>()))
      bad(file, key + "." + field, excerpt(json_text(*it), 60), "a count >= 0");
  }
}

nlohmann::json read_record(const fs::path& path) {
  return parse_synthesis_record(read_file_bytes(path.string(), kMaxRecordBytes), path.string());
}

}  // namespace

nlohmann::json parse_synthesis_record(const std::string& text, const std::string& file) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    bad(file, "(file)", j.is_discarded() ? "text that is not JSON" : type_of(j),
        "a JSON object: a synthesis record of scripts/synth_rtl.py");
  const auto params = j.find("parameters");
  if (params == j.end() || !params->is_object())
    bad(file, "parameters", params == j.end() ? "missing" : type_of(*params),
        "an object of the RTL's integer parameters");
  for (const char* key : {"tool", "workload"})
    if (j.contains(key) && !j[key].is_string()) bad(file, key, type_of(j[key]), "a text");
  const auto x = j.find("xilinx");
  if (x != j.end()) {
    if (!x->is_object()) bad(file, "xilinx", type_of(*x), "an object");
    const auto status = x->find("status");
    if (status == x->end() || !status->is_string())
      bad(file, "xilinx.status", status == x->end() ? "missing" : type_of(*status),
          "ok | a text saying why the run did not finish");
    if (*status == "ok") {
      check_counts(*x, file, "xilinx");
      const auto units = x->find("by_unit");
      if (units != x->end()) {
        if (!units->is_object()) bad(file, "xilinx.by_unit", type_of(*units), "an object");
        for (const auto& [unit, r] : units->items())
          check_counts(r, file, "xilinx.by_unit." + excerpt(unit, 60));
      }
    }
  }
  return j;
}

namespace {

bool same_parameters(const nlohmann::json& recorded, const std::map<std::string, int64_t>& params) {
  if (recorded.size() != params.size()) return false;
  for (const auto& [name, value] : params) {
    auto it = recorded.find(name);
    if (it == recorded.end() || !it->is_number_integer() || it->get<int64_t>() != value)
      return false;
  }
  return true;
}

// A record's checked counts (check_counts).
Resources figures(const nlohmann::json& r) {
  Resources f;
  f.dsp = r["dsp"].get<int64_t>();
  f.bram36 = r["bram36"].get<double>();
  f.lut = r["lut"].get<int64_t>();
  f.lutram_luts = r["lutram_luts"].get<int64_t>();
  f.ff = r["ff"].get<int64_t>();
  return f;
}

}  // namespace

std::optional<ResourceReport> synthesized_resources(const std::string& dir,
                                                    const std::map<std::string, int64_t>& params,
                                                    const std::string& arch) {
  std::error_code ec;
  if (dir.empty()) return std::nullopt;
  if (!fs::is_directory(dir, ec))
    throw_input_error(
        dir, "--synthesis",
        fs::exists(dir, ec) ? "a path that is not a folder" : "a folder that does not exist",
        "the folder of synthesis records (configs/synthesis), or '' to estimate");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::stable_partition(files.begin(), files.end(),
                        [&](const fs::path& f) { return f.stem().string() == arch; });
  for (const fs::path& path : files) {
    const nlohmann::json j = read_record(path);
    if (!same_parameters(j["parameters"], params)) continue;
    if (!j.contains("xilinx") || j["xilinx"].value("status", "") != "ok") return std::nullopt;
    const nlohmann::json& x = j["xilinx"];
    ResourceReport r;
    r.source = "synthesis";
    r.estimate = "Yosys synth_xilinx of the RTL with this design point's parameters (" +
                 path.filename().string() +
                 ", docs/synthesis.md): cell counts before place and route";
    r.file = path.string();
    r.tool = j.value("tool", "");
    r.capacity_workload = j.value("workload", "");
    r.total = figures(x);
    if (x.contains("by_unit") && x["by_unit"].is_object())
      for (const auto& [unit, counts] : x["by_unit"].items())
        r.units.push_back({unit, figures(counts), ""});
    return r;
  }
  return std::nullopt;
}

}  // namespace sparrow
