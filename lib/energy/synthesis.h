// FPGA resources from the RTL's Yosys runs (docs/synthesis.md, "The JSON files"): a run whose RTL
// parameter set equals a synthesized one reports the synthesized figures instead of the analytic
// estimate (docs/energy.md, "Resources").
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "energy/resources.h"

namespace sparrow {

// The `synth_xilinx` figures of the file in `dir` (configs/synthesis/*.json) whose `parameters`
// equal `params` (`<arch>.json` first: configs of one netlist have a record each), as a run's
// `resources` section: source "synthesis", the file, the tool, the
// capacity workload, `total` and `units` (dsp, bram36, lut, lutram_luts, ff). None when no file
// matches or the matching file's synth_xilinx run did not finish. InputError for a file that is
// not such a record.
std::optional<ResourceReport> synthesized_resources(const std::string& dir,
                                                    const std::map<std::string, int64_t>& params,
                                                    const std::string& arch = "");

// One record's text, checked: a JSON object with an object `parameters`, texts `tool` and
// `workload` where present, and, where `xilinx` is present, its `status` and (when "ok") its
// counts and `by_unit` counts, each a finite number >= 0. InputError naming `file` and the key
// otherwise. What synthesized_resources reads of every file in the folder.
nlohmann::json parse_synthesis_record(const std::string& text, const std::string& file);

}  // namespace sparrow
