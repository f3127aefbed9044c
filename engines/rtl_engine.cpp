#include "engines/rtl_engine.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "common/error.h"

namespace fs = std::filesystem;

namespace sparrow {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

}  // namespace

RtlToolchain rtl_toolchain() {
  RtlToolchain t;
  t.verilator = env_or("SPARROW_VERILATOR", SPARROW_VERILATOR);
  t.rtl_dir = env_or("SPARROW_RTL_DIR", SPARROW_SOURCE_DIR "/rtl");
  t.runner_source = SPARROW_SOURCE_DIR "/tb/rtl/rtl_runner.cpp";
  t.model_dir = SPARROW_SOURCE_DIR "/model";
  t.cache_dir = env_or("SPARROW_RTL_CACHE", SPARROW_BINARY_DIR "/rtl-cache");
  t.opt = env_or("SPARROW_RTL_OPT", t.opt);
  t.cxx = env_or("SPARROW_RTL_CXX", SPARROW_RTL_CXX);
  const std::string assertions = env_or("SPARROW_RTL_ASSERT", "1");
  if (assertions != "0" && assertions != "1")
    throw_input_error("environment", "SPARROW_RTL_ASSERT", "'" + assertions + "'",
                      "1 (Verilator checks the RTL's assertions, the default) or 0 (it does not)");
  t.assertions = assertions == "1";
  return t;
}

RtlParamFloors parse_rtl_params(const std::vector<std::string>& given) {
  const std::vector<std::string>& names = rtl_capacity_params();
  std::string allowed;
  for (const std::string& n : names) allowed += (allowed.empty() ? "" : "|") + n;
  allowed =
      "NAME=N with NAME one of " + allowed +
      " and N a positive integer (a power of two for XWords, HWords and RWords; Stream=1, Proj=1)";
  RtlParamFloors f;
  for (const std::string& s : given) {
    const size_t eq = s.find('=');
    const std::string name = s.substr(0, eq);
    char* end = nullptr;
    const long long v = eq == std::string::npos ? 0 : std::strtoll(s.c_str() + eq + 1, &end, 10);
    if (std::find(names.begin(), names.end(), name) == names.end() || v <= 0 || v > (1ll << 40) ||
        *end != '\0' || ((name == "Stream" || name == "Proj") && v != 1) ||
        ((name == "XWords" || name == "HWords" || name == "RWords") && (v & (v - 1)) != 0))
      throw_input_error("command line", "--rtl-param", "'" + s + "'", allowed);
    f[name] = v;
  }
  return f;
}

RtlEngineRun run_rtl(const RtlCase& rc, const ArchConfig& arch, int64_t contract_cycles,
                     const RtlEngineOptions& o) {
  RtlEngineRun r;
  r.build = rtl_runner_build(rc.design, rtl_toolchain(), !o.waves.empty());
  r.case_dir = o.case_dir;
  const std::string dir =
      o.case_dir.empty()
          ? (fs::temp_directory_path() / ("sparrow-rtl-" + std::to_string(getpid()))).string()
          : o.case_dir;
  RtlRunOptions ro;
  ro.latency = arch.memory.latency_cycles - kAxiResponseStages;
  ro.stall_prob = o.stall_prob;
  ro.stall_seed = o.stall_seed;
  ro.strobe_reg = kCsrSeqLen;
  ro.soft_reset_at = o.soft_reset_at;
  ro.runs = o.runs;
  ro.max_cycles = o.stall_prob > 0
                      ? int64_t(double(contract_cycles + 1000) * 4 / (1 - o.stall_prob))
                      : 2 * contract_cycles + 10000;
  if (!o.waves.empty()) ro.waves = fs::absolute(o.waves).string();
  write_rtl_case(dir, rc, ro);
  r.result = run_rtl_case(r.build.runner, dir, rc, 60 + double(ro.max_cycles) * 1e-4);
  if (o.case_dir.empty()) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  return r;
}

std::vector<std::pair<std::string, int64_t>> rtl_counters(const Activity& activity) {
  std::vector<std::pair<std::string, int64_t>> v = {
      {"irq_cycle", activity.cycles + 1}, {"memory_write_bytes", activity.dma.write_bytes}};
  for (const CsrRegInfo& r : counter_registers())
    v.emplace_back(counter_name(r), activity_counter(activity, counter_name(r)));
  return v;
}

}  // namespace sparrow
