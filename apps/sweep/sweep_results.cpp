#include "sweep/sweep_results.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "common/error.h"
#include "common/file_util.h"
#include "common/json_text.h"
#include "sweep/sweep_spec.h"

namespace sparrow {
namespace {

// A value in a message: a string quoted, anything else as JSON, both cut to an excerpt.
std::string shown(const nlohmann::json& v) {
  if (v.is_string()) return "'" + excerpt(v.get_ref<const std::string&>(), 80) + "'";
  return excerpt(json_text(v), 80) + (v.is_object()  ? " (an object)"
                                      : v.is_array() ? " (a list)"
                                                     : "");
}

[[noreturn]] void bad_field(const std::string& where, const std::string& field,
                            const nlohmann::json* v, const std::string& allowed) {
  throw_input_error(where, field, v ? shown(*v) : "nothing (the field is missing)", allowed);
}

// The deepest nesting of brackets in a JSON text (outside strings): rows are 2 deep; deeper
// text is refused before it is parsed.
size_t nesting(std::string_view s) {
  size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

const std::vector<std::string> kRowFields = {"key",    "workload", "engine", "settings",
                                             "status", "metrics",  "error"};

}  // namespace

const std::vector<std::string>& sweep_statuses() {
  static const std::vector<std::string> s = {"ok", "failed", "timeout", "infeasible"};
  return s;
}

bool is_point_key(std::string_view s) {
  return s.size() == 16 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void check_result_row(const nlohmann::json& row, const std::string& where) {
  if (!row.is_object()) bad_field(where, "(row)", &row, "a JSON object (a results row)");
  for (const auto& [k, v] : row.items())
    if (std::find(kRowFields.begin(), kRowFields.end(), k) == kRowFields.end())
      throw_input_error(where, k, "an unknown field",
                        "key | workload | engine | settings | status | metrics | error");
  auto field = [&](const char* name) -> const nlohmann::json* {
    const auto it = row.find(name);
    return it == row.end() ? nullptr : &*it;
  };
  const nlohmann::json* key = field("key");
  if (!key || !key->is_string() || !is_point_key(key->get_ref<const std::string&>()))
    bad_field(where, "key", key, "a string of 16 hexadecimal digits (0-9, a-f)");
  const nlohmann::json* workload = field("workload");
  if (!workload || !workload->is_string() || workload->get_ref<const std::string&>().empty())
    bad_field(where, "workload", workload, "a non-empty string (a workload config path)");
  const nlohmann::json* engine = field("engine");
  if (!engine || !engine->is_string() || (*engine != "analytic" && *engine != "systemc"))
    bad_field(where, "engine", engine, "'analytic' | 'systemc'");
  const nlohmann::json* settings = field("settings");
  if (!settings || !settings->is_object())
    bad_field(where, "settings", settings, "an object of KEY: 'VALUE' strings");
  for (const auto& [k, v] : settings->items())
    if (!v.is_string()) bad_field(where, "settings." + k, &v, "a string");
  const nlohmann::json* status = field("status");
  if (!status || !status->is_string() ||
      std::find(sweep_statuses().begin(), sweep_statuses().end(),
                status->get_ref<const std::string&>()) == sweep_statuses().end())
    bad_field(where, "status", status, "'ok' | 'failed' | 'timeout' | 'infeasible'");
  const bool measured = *status == "ok" || *status == "infeasible";
  const nlohmann::json* metrics = field("metrics");
  if (measured) {
    if (!metrics || !metrics->is_object())
      bad_field(where, "metrics", metrics,
                "an object of every sweep metric (status '" + status->get<std::string>() + "')");
    auto listed = [](const std::vector<std::string>& names, const std::string& k) {
      return std::find(names.begin(), names.end(), k) != names.end();
    };
    for (const auto& [k, v] : metrics->items()) {
      const std::string& name = k;  // a structured binding cannot be captured in C++17
      if (std::any_of(app_tasks().begin(), app_tasks().end(),
                      [&](AppTask task) { return listed(task_metrics(task), name); })) {
        if (!v.is_number() || !std::isfinite(v.get<double>()))
          bad_field(where, "metrics." + k, &v, "a finite number");
      } else if (!listed(sweep_metrics(), k)) {
        throw_input_error(where, "metrics." + k, "an unknown metric",
                          "cycles | latency_us | gops | ... (the sweep metrics) | task_accuracy | "
                          "task_bits_per_char | task_perplexity | task_delta_vs_float");
      }
    }
    for (const std::string& m : sweep_metrics()) {
      const auto it = metrics->find(m);
      if (it == metrics->end() || !it->is_number() || !std::isfinite(it->get<double>()))
        bad_field(where, "metrics." + m, it == metrics->end() ? nullptr : &*it, "a finite number");
    }
  } else if (!metrics || !metrics->is_null()) {
    bad_field(where, "metrics", metrics,
              "null (status '" + status->get<std::string>() + "' has no metrics)");
  }
  const nlohmann::json* error = field("error");
  if (!error || !error->is_string()) bad_field(where, "error", error, "a string");
}

nlohmann::json parse_result_row(std::string_view line, const std::string& where) {
  if (const size_t depth = nesting(line); depth > 16)
    throw_input_error(where, "", "a value nested " + std::to_string(depth) + " deep",
                      "a results row (nested at most 16 deep)");
  nlohmann::json row;
  try {
    row = nlohmann::json::parse(line.begin(), line.end());
  } catch (const nlohmann::json::exception& e) {  // a syntax error, a number out of range
    const auto* p = dynamic_cast<const nlohmann::json::parse_error*>(&e);
    throw_input_error(
        where, "",
        "'" + excerpt(line, 60) + "', not JSON" +
            (p ? " (at byte " + std::to_string(p->byte) + ")" : " (" + std::string(e.what()) + ")"),
        "one JSON object per line (a results row)");
  }
  check_result_row(row, where);
  return row;
}

std::vector<nlohmann::json> parse_results_text(std::string_view text, const std::string& file) {
  std::vector<nlohmann::json> rows;
  size_t line_no = 0;
  for (size_t at = 0; at < text.size();) {
    const size_t end = text.find('\n', at);
    if (end == std::string_view::npos) break;  // no newline: cut short by a kill
    ++line_no;
    rows.push_back(
        parse_result_row(text.substr(at, end - at), file + ": line " + std::to_string(line_no)));
    at = end + 1;
  }
  return rows;
}

void for_each_result_row(const std::string& path, const std::string& option, bool may_be_missing,
                         const std::function<void(nlohmann::json&&)>& row) {
  require_regular_file(path, option, may_be_missing);
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT && may_be_missing) return;
  const std::string where = option.empty() ? path : option + " " + path;
  if (fd < 0)
    throw_input_error(where, "",
                      "a file that cannot be opened (" + std::string(std::strerror(errno)) + ")",
                      "a readable regular file");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    throw_input_error(where, "", "a file that is not a regular file", "a regular file");
  std::string line;  // the line read so far
  std::vector<char> buf(size_t{1} << 20);
  size_t line_no = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw_input_error(where, "", "a read that failed (" + std::string(std::strerror(errno)) + ")",
                        "a readable regular file");
    if (n == 0) break;  // a last line without its newline (cut short by a kill) is dropped
    const char* at = buf.data();
    const char* const end = buf.data() + n;
    while (at < end) {
      const char* nl = static_cast<const char*>(std::memchr(at, '\n', size_t(end - at)));
      line.append(at, nl ? nl : end);
      if (line.size() > kMaxResultLineBytes)
        throw_input_error(path + ": line " + std::to_string(line_no + 1), "",
                          "a line of more than " + std::to_string(kMaxResultLineBytes) + " bytes",
                          "a results row (one JSON object per line)");
      if (!nl) break;
      row(parse_result_row(line, path + ": line " + std::to_string(++line_no)));
      line.clear();
      at = nl + 1;
    }
  }
}

std::vector<nlohmann::json> read_results_file(const std::string& path, const std::string& option,
                                              bool may_be_missing) {
  std::vector<nlohmann::json> rows;
  for_each_result_row(path, option, may_be_missing,
                      [&](nlohmann::json&& r) { rows.push_back(std::move(r)); });
  return rows;
}

std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& file) {
  std::vector<CsvRecord> records;
  size_t line = 1;
  size_t i = 0;
  while (i < text.size()) {
    CsvRecord r;
    r.line = line;
    for (;;) {
      std::string f;
      if (i < text.size() && text[i] == '"') {
        const size_t opened = line;
        ++i;
        for (;;) {
          if (i >= text.size())
            throw_input_error(file + ": line " + std::to_string(opened), "",
                              "a quoted field that is never closed", "CSV (RFC 4180)");
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              f += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          f += text[i++];
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n')
          throw_input_error(file + ": line " + std::to_string(line), "",
                            "'" + excerpt(text.substr(i, 20), 20) + "' after a closing quote",
                            "a comma or the end of the line after a quoted field");
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n') {
          if (text[i] == '"')
            throw_input_error(file + ": line " + std::to_string(line), "",
                              "a quote inside an unquoted field", "CSV (RFC 4180)");
          f += text[i++];
        }
      }
      r.fields.push_back(std::move(f));
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
    if (i < text.size()) {  // a newline
      ++i;
      ++line;
    }
    records.push_back(std::move(r));
  }
  return records;
}

std::vector<std::string> parse_pareto_keys(std::string_view text, const std::string& file) {
  const std::vector<CsvRecord> records = parse_csv(text, file);
  if (records.empty())
    throw_input_error(file, "(header)", "an empty file",
                      "a pareto.csv written by sparrow sweep (a header line, then the front)");
  const std::vector<std::string>& h = records[0].fields;
  const std::vector<std::string>& metrics = sweep_metrics();
  bool header_ok = h.size() >= 4 + metrics.size() && h[0] == "key" && h[1] == "status" &&
                   h[2] == "workload" && h.back() == "error";
  for (size_t i = 0; header_ok && i < metrics.size(); ++i)
    header_ok = h[h.size() - 1 - metrics.size() + i] == metrics[i];
  if (!header_ok) {
    std::string got;
    for (size_t i = 0; i < h.size() && got.size() < 80; ++i) got += (i ? "," : "") + h[i];
    throw_input_error(file + ": line 1", "(header)", "'" + got + "'",
                      "key,status,workload,SETTINGS...,METRICS...,error (as sparrow sweep "
                      "writes it)");
  }
  std::vector<std::string> keys;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    const std::string where = file + ": line " + std::to_string(rec.line);
    if (rec.fields.size() != h.size())
      throw_input_error(where, "", std::to_string(rec.fields.size()) + " fields",
                        std::to_string(h.size()) + " fields, as in the header");
    if (!is_point_key(rec.fields[0]))
      throw_input_error(where, "key", "'" + rec.fields[0] + "'",
                        "16 hexadecimal digits (0-9, a-f)");
    if (rec.fields[1] != "ok")
      throw_input_error(where, "status", "'" + rec.fields[1] + "'",
                        "'ok' (the front holds feasible points only)");
    keys.push_back(rec.fields[0]);
  }
  return keys;
}

}  // namespace sparrow
