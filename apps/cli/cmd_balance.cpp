#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "cli/output_dir.h"
#include "cli/overrides.h"
#include "common/error.h"
#include "common/json_text.h"
#include "sweep/balance.h"

namespace sparrow {
namespace {

struct BalanceOptions {
  std::string arch;
  std::string workload;
  ConfigOverrides set;
  int64_t mac_budget = 0;  // 0: the architecture's own MAC lanes
  double min_utilization = 0.9;
  std::string arrays;  // separate or shared; empty: as the architecture has them
  std::string out = "out/balance";
};

std::string size_text(const ArraySize& s) {
  return std::to_string(s.pes) + " x " + std::to_string(s.lanes);
}

nlohmann::json sizing_json(const ArraySizing& s) {
  return {{"wx", {{"pes", s.arrays.wx.pes}, {"lanes", s.arrays.wx.lanes}}},
          {"wh", {{"pes", s.arrays.wh.pes}, {"lanes", s.arrays.wh.lanes}}},
          {"shared", s.arrays.shared},
          {"mac_lanes", s.arrays.macs()},
          {"weight_bank",
           {{"wx_kbit_per_pe", s.weight_bank.wx_kbit_per_pe},
            {"wh_kbit_per_pe", s.weight_bank.wh_kbit_per_pe}}},
          {"steady_cycles_per_sequence", s.steady_cycles},
          {"steady_mac_utilization", {{"wx", s.utilization_wx}, {"wh", s.utilization_wh}}},
          {"weights_on_chip", s.weights_on_chip}};
}

std::string row(const char* label, const ArraySizing& s) {
  char line[160];
  std::snprintf(line, sizeof line, "  %-9s %-9s %-9s %5lld %10.1f   %.3f  %.3f  %s\n", label,
                size_text(s.arrays.wx).c_str(),
                s.arrays.shared ? "(shared)" : size_text(s.arrays.wh).c_str(),
                static_cast<long long>(s.arrays.macs()), s.steady_cycles, s.utilization_wx,
                s.utilization_wh, s.weights_on_chip ? "on chip" : "streamed");
  return line;
}

// The architecture config as given, with the chosen arrays and a name and description saying so.
std::string balanced_yaml(const BalanceOptions& o, const ArchConfig& arch, const WorkloadConfig& w,
                          const Balance& b) {
  std::string file;
  YAML::Node root = load_yaml_file(o.arch, o.set.arch, file);
  YAML::Node arrays;
  const MacArrayConfig& chosen = b.chosen.arrays;
  if (chosen.shared) {
    arrays["pes"] = chosen.wx.pes;
    arrays["lanes"] = chosen.wx.lanes;
  } else {
    for (const auto& [key, size] : {std::pair{"wx", chosen.wx}, {"wh", chosen.wh}}) {
      arrays[key]["pes"] = size.pes;
      arrays[key]["lanes"] = size.lanes;
      arrays[key].SetStyle(YAML::EmitterStyle::Flow);
    }
  }
  arrays["shared"] = chosen.shared;
  root["mac_array"] = arrays;
  root["weight_bank"]["wx_kbit_per_pe"] = b.chosen.weight_bank.wx_kbit_per_pe;
  root["weight_bank"]["wh_kbit_per_pe"] = b.chosen.weight_bank.wh_kbit_per_pe;
  root["name"] = arch.name + "-balanced";
  root["description"] =
      arch.name + " with its " +
      (chosen.shared ? "shared array sized by `sparrow balance` for " + w.name + " within " +
                           std::to_string(b.mac_budget) + " MAC lanes: " + size_text(chosen.wx) +
                           " (PEs x lanes), its bank capacity kept"
                     : "arrays sized by `sparrow balance` for " + w.name + " within " +
                           std::to_string(b.mac_budget) + " MAC lanes: W_x " +
                           size_text(chosen.wx) + ", W_h " + size_text(chosen.wh) +
                           " (PEs x lanes), each array's bank capacity kept") +
      "; the rest as in " + arch.name + ".";
  YAML::Emitter e;
  e << root;
  std::ostringstream os;
  os << "# Written by sparrow balance --arch " << o.arch << " --workload " << o.workload
     << " --mac-budget " << b.mac_budget << "\n"
     << e.c_str() << "\n";
  return os.str();
}

int balance(BalanceOptions o) {
  split_overrides(o.set);
  const ArchConfig arch = load_arch_config(o.arch, o.set.arch);
  const WorkloadConfig w = load_workload_config(o.workload, o.set.workload);
  const int64_t budget = o.mac_budget > 0 ? o.mac_budget : arch.mac_array.macs();
  const bool shared = o.arrays.empty() ? arch.mac_array.shared : o.arrays == "shared";
  const Balance b = balance_arrays(arch, w, budget, o.min_utilization, shared);
  const std::string yaml = balanced_yaml(o, arch, w, b);
  // The written config must load as the proposal (a round trip through the validator).
  const ArchConfig written =
      parse_arch_config(parse_yaml(yaml, "balanced config"), "balanced config");
  if (written.mac_array.wx != b.chosen.arrays.wx || written.mac_array.wh != b.chosen.arrays.wh ||
      written.mac_array.shared != b.chosen.arrays.shared ||
      written.weight_bank.wx_kbit_per_pe != b.chosen.weight_bank.wx_kbit_per_pe ||
      written.weight_bank.wh_kbit_per_pe != b.chosen.weight_bank.wh_kbit_per_pe)
    throw std::logic_error("balance: the written config does not hold the chosen arrays");
  nlohmann::json j = {{"arch", arch.file},
                      {"workload", w.file},
                      {"mac_budget", budget},
                      {"min_utilization", o.min_utilization},
                      {"reached", b.reached},
                      {"given", sizing_json(b.given)},
                      {"chosen", sizing_json(b.chosen)}};
  for (const ArraySizing& s : b.evaluated) j["evaluated"].push_back(sizing_json(s));
  OutputDir dir(o.out);
  dir.add("arch.yaml", yaml);
  dir.add("balance.json", json_text(j, 2) + "\n");
  dir.commit();
  std::cout << "sparrow balance: " << w.name << " on " << arch.name << ", at most " << budget
            << " MAC lanes (steady state of a session, weights resident"
            << (w.batch > 1 ? ", in batches of " + std::to_string(w.batch) : std::string()) << ")\n"
            << "            W_x       W_h       lanes  cycles/seq   util wx/wh   weights\n"
            << row("given", b.given) << row("balanced", b.chosen)
            << (b.reached
                    ? ""
                    : "  (no sizing timed keeps both arrays " +
                          std::to_string(int(o.min_utilization * 100)) + " % busy: the closest)\n")
            << "  wrote " << o.out << "/arch.yaml and " << o.out << "/balance.json\n";
  return 0;
}

}  // namespace

Command add_balance_command(CLI::App& app) {
  auto o = std::make_shared<BalanceOptions>();
  CLI::App* sub = app.add_subcommand(
      "balance",
      "Size the W_x and W_h arrays for a workload: the fastest steady state within a MAC budget "
      "that keeps both arrays busy; writes the architecture config");
  sub->add_option("--arch", o->arch, "architecture config (configs/arch/*.yaml)")->required();
  sub->add_option("--workload", o->workload, "workload config (configs/workloads/*.yaml)")
      ->required();
  add_set_option(sub, o->set);
  sub->add_option("--mac-budget", o->mac_budget,
                  "MAC lanes of both arrays together (P_x L_x + P_h L_h); default: the "
                  "architecture's own")
      ->check(CLI::Range(int64_t{2}, int64_t{1} << 20));
  sub->add_option("--min-utilization", o->min_utilization,
                  "the steady-state MAC utilization both arrays must reach")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  sub->add_option("--arrays", o->arrays,
                  "size two arrays, one per matrix (separate), or one array time-multiplexed "
                  "between them (shared); default: as the architecture has them")
      ->check(CLI::IsMember({"separate", "shared"}));
  sub->add_option("--out", o->out, "folder for arch.yaml (the balanced config) and balance.json")
      ->capture_default_str();
  return [o] { return balance(*o); };
}

}  // namespace sparrow
