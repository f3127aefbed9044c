#include "cli/overrides.h"

#include "common/error.h"

namespace sparrow {

void add_set_option(CLI::App* sub, ConfigOverrides& o) {
  sub->add_option("--set", o.given,
                  "override one config key: arch.KEY=VALUE, workload.KEY=VALUE or "
                  "energy.KEY=VALUE (KEY a dotted path, VALUE YAML); repeatable");
}

void split_overrides(ConfigOverrides& o) {
  for (const std::string& s : o.given) {
    const size_t dot = s.find('.'), eq = s.find('=');
    const std::string allowed = "arch.KEY=VALUE | workload.KEY=VALUE | energy.KEY=VALUE";
    if (dot == std::string::npos || eq == std::string::npos || eq < dot + 2)
      throw_input_error("command line", "--set", "'" + s + "'", allowed);
    const std::string which = s.substr(0, dot);
    std::pair<std::string, std::string> kv{s.substr(dot + 1, eq - dot - 1), s.substr(eq + 1)};
    if (which == "arch")
      o.arch.push_back(kv);
    else if (which == "workload")
      o.workload.push_back(kv);
    else if (which == "energy")
      o.energy.push_back(kv);
    else
      throw_input_error("command line", "--set", "'" + s + "'", allowed);
  }
}

}  // namespace sparrow
