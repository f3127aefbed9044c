// Fuzz target: the report.json reader (lib/report/report_json.cpp), which the sweep's SystemC
// points and `sparrow regress` read their child runs' reports with; an accepted report is written
// out and read back to the same report.
#include "fuzz_util.h"
#include "report/run_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sparrow;
  fuzz::only_input_errors([&] {
    const RunReport r = parse_run_report(fuzz::text(data, size), "fuzz.json");
    const nlohmann::json j = to_json(r);
    fuzz::require(to_json(run_report_from_json(j, "again")) == j,
                  "an accepted report reads back the same");
  });
  return 0;
}
