// The files of a sweep folder that sweeps read back: results.jsonl (resume, --merge, --front-of)
// and pareto.csv (--front-of). One validated reader each: a row of the wrong shape is bad input
// (an InputError naming the file, the line and the field), never an exception of the JSON library
// and never silently dropped, except a last line without its newline (cut short by a kill).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sparrow {

// The statuses of a results row.
const std::vector<std::string>& sweep_statuses();

// Checks one parsed results row: an object of exactly key (16 lowercase hexadecimal digits),
// workload (string), engine (analytic | systemc), settings (object of strings), status (ok |
// failed | timeout | infeasible), metrics (ok, infeasible: an object holding every sweep metric
// as a finite number, and optionally task metrics, each a finite number; failed, timeout: null)
// and error (string). InputError "WHERE: FIELD: got
// ...; allowed: ..." otherwise.
void check_result_row(const nlohmann::json& row, const std::string& where);

// Parses and checks one line of results.jsonl (without its newline).
nlohmann::json parse_result_row(std::string_view line, const std::string& where);

// The rows of a results.jsonl text: every complete line must be a row (InputError naming
// "FILE: line N" and the field otherwise); a last line without a newline is dropped.
std::vector<nlohmann::json> parse_results_text(std::string_view text, const std::string& file);

// The longest line of results.jsonl read (16 MiB): a row is well under a kilobyte.
constexpr size_t kMaxResultLineBytes = size_t{16} << 20;

// Calls `row` with each checked row of the results.jsonl file at `path`, as parse_results_text
// does, reading it as a stream: a regular file only, of any size (a sweep of 10^7 points writes
// gigabytes), each line at most kMaxResultLineBytes. Nothing if `may_be_missing` and it does not
// exist. `option` names what pointed at it (--out, --merge, --front-of).
void for_each_result_row(const std::string& path, const std::string& option, bool may_be_missing,
                         const std::function<void(nlohmann::json&&)>& row);

// The rows of the results.jsonl file at `path` (for_each_result_row), in a vector.
std::vector<nlohmann::json> read_results_file(const std::string& path, const std::string& option,
                                              bool may_be_missing);

// The records of a CSV text (RFC 4180: quoted fields may hold commas, quotes and newlines), each
// with the line it starts on. InputError naming FILE and the line on a malformed quote.
struct CsvRecord {
  size_t line = 0;
  std::vector<std::string> fields;
};
std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& file);

// The keys of the points of a pareto.csv text, checked: a header starting key,status,workload and
// ending with every sweep metric and error, each row as many fields as the header, a key of 16
// hexadecimal digits and the status ok.
std::vector<std::string> parse_pareto_keys(std::string_view text, const std::string& file);

// Whether `s` is a point key (16 lowercase hexadecimal digits).
bool is_point_key(std::string_view s);

}  // namespace sparrow
