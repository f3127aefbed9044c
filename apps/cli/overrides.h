// The --set options of a command: "arch.KEY=VALUE", "workload.KEY=VALUE" or "energy.KEY=VALUE",
// each overriding one key path of that config (validated like the file itself).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "config/yaml_map.h"

namespace sparrow {

struct ConfigOverrides {
  std::vector<std::string> given;  // as typed, filled by CLI11
  Overrides arch, workload, energy;
};

void add_set_option(CLI::App* sub, ConfigOverrides& o);
// Splits `given` into the three lists; InputError on a malformed entry.
void split_overrides(ConfigOverrides& o);

}  // namespace sparrow
