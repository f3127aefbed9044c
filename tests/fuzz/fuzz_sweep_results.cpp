// Fuzz target: the reader of a sweep folder's results.jsonl (resume, --merge, --front-of).
#include <cmath>
#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "fuzz_util.h"
#include "sweep/sweep_results.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sparrow;
  fuzz::only_input_errors([&] {
    const std::string text = fuzz::text(data, size);
    const std::vector<nlohmann::json> rows = parse_results_text(text, "/fuzz/results.jsonl");
    size_t lines = 0;
    for (char c : text) lines += c == '\n';
    fuzz::require(rows.size() == lines, "one row per complete line");
    for (const nlohmann::json& r : rows) {
      // An accepted row is one the sweep can use as it is, and it reads back the same after the
      // sweep writes it out again (resume rewrites results.jsonl).
      check_result_row(r, "/fuzz/results.jsonl");
      fuzz::require(is_point_key(r["key"].get<std::string>()), "a point key");
      const std::string again = json_text(r);
      fuzz::require(parse_result_row(again, "/fuzz/again") == r, "a row reads back the same");
      if (r["status"] == "ok")
        for (const auto& [k, v] : r["metrics"].items())
          fuzz::require(v.is_number() && std::isfinite(v.get<double>()),
                        "ok metrics are finite numbers");
    }
  });
  return 0;
}
