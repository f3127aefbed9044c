// Fuzz target: the synthesis-record reader (configs/synthesis/*.json), which every run within the
// RTL's scope reads; an accepted record's figures must all be readable as numbers.
#include "energy/synthesis.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sparrow;
  fuzz::only_input_errors([&] {
    const nlohmann::json r = parse_synthesis_record(fuzz::text(data, size), "fuzz.json");
    fuzz::require(r.is_object() && r.at("parameters").is_object(), "parameters an object");
    if (r.contains("xilinx") && r["xilinx"]["status"] == "ok")
      for (const char* f : {"dsp", "bram36", "lut", "lutram_luts", "ff"})
        fuzz::require(r["xilinx"][f].get<double>() >= 0, "counts readable and >= 0");
  });
  return 0;
}
