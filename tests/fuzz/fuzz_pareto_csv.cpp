// Fuzz target: the reader of a sweep folder's pareto.csv (--front-of) and the CSV records under it.
#include "fuzz_util.h"
#include "sweep/sweep_results.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sparrow;
  const std::string text = fuzz::text(data, size);
  fuzz::only_input_errors([&] {
    // Records written back with every field quoted read back the same.
    const std::vector<CsvRecord> records = parse_csv(text, "/fuzz/any.csv");
    std::string again;
    for (const CsvRecord& r : records) {
      for (size_t i = 0; i < r.fields.size(); ++i) {
        again += i ? ",\"" : "\"";
        for (char c : r.fields[i]) again += c == '"' ? std::string("\"\"") : std::string(1, c);
        again += "\"";
      }
      again += "\n";
    }
    const std::vector<CsvRecord> back = parse_csv(again, "/fuzz/again.csv");
    fuzz::require(back.size() == records.size(), "as many records read back");
    for (size_t i = 0; i < back.size(); ++i)
      fuzz::require(back[i].fields == records[i].fields, "the same fields read back");
  });
  fuzz::only_input_errors([&] {
    const std::vector<std::string> keys = parse_pareto_keys(text, "/fuzz/pareto.csv");
    for (const std::string& k : keys) fuzz::require(is_point_key(k), "a point key");
  });
  return 0;
}
