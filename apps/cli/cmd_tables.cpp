#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "arith/activation.h"
#include "cli/commands.h"
#include "cli/output_dir.h"
#include "common/json_text.h"

namespace sparrow {
namespace {

struct TablesOptions {
  std::string arch;
  std::string out = "out/tables";
};

int tables(const TablesOptions& o) {
  const ArchConfig arch = load_arch_config(o.arch);
  const ArithConfig& a = arch.arith;
  OutputDir dir(o.out);
  for (auto& [name, contents] : activation_rom_images(a)) dir.add(name, std::move(contents));
  nlohmann::json j;
  j["arch"] = arch.file;
  j["kind"] = to_string(a.activation);
  for (ActivationFn fn : {ActivationFn::kSigmoid, ActivationFn::kTanh}) {
    const std::string name = fn == ActivationFn::kSigmoid ? "sigmoid" : "tanh";
    const ActivationTableConfig& c = fn == ActivationFn::kSigmoid ? a.sigmoid : a.tanh;
    nlohmann::json e = {{"entries", 1 << c.entries_log2},
                        {"range", 1 << c.range_log2},
                        {"value_format", a.gate.str()},
                        {"value_file", name + ".mem"}};
    if (a.activation == ActivationKind::kPwl) {
      e["slope_format"] = a.pwl_slope.str();
      e["slope_file"] = name + "_slope.mem";
    }
    j[name] = e;
  }
  dir.add("tables.json", json_text(j, 2) + "\n");
  dir.commit();
  std::cout << "wrote " << to_string(a.activation) << " tables for " << arch.name << " to " << o.out
            << "\n";
  return 0;
}

}  // namespace

Command add_tables_command(CLI::App& app) {
  auto o = std::make_shared<TablesOptions>();
  CLI::App* sub = app.add_subcommand(
      "tables", "Write the sigmoid/tanh ROM images ($readmemh) of an architecture");
  sub->add_option("--arch", o->arch, "architecture config (configs/arch/*.yaml)")->required();
  sub->add_option("--out", o->out, "folder for the .mem images and tables.json")
      ->capture_default_str();
  return [o] { return tables(*o); };
}

}  // namespace sparrow
