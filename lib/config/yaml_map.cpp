#include "config/yaml_map.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/file_util.h"

namespace sparrow {
namespace {

constexpr uint64_t kMaxYamlBytes = uint64_t{16} << 20;  // far above any config

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : " | ") + s;
  return out;
}

std::string quoted(const YAML::Node& n) {
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  return "null";
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

// A decimal integer: an optional sign, then 0 or digits without a leading zero, in range.
bool decimal_integer(const std::string& t, int64_t& v) {
  size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
  if (i == t.size() || (t[i] == '0' && t.size() > i + 1)) return false;
  const char* begin = t.data() + (t[0] == '+' ? 1 : 0);
  const auto [end, ec] = std::from_chars(begin, t.data() + t.size(), v);
  return ec == std::errc() && end == t.data() + t.size();
}

std::string range_text(double lo, double hi) {
  std::ostringstream os;
  os << "a number in [" << lo << ", " << hi << "]";
  return os.str();
}

}  // namespace

namespace {

// At most this many values in a document, aliases expanded: far above any config, far below
// what an alias bomb (a billion values from a few lines) would make every reader walk.
constexpr size_t kMaxYamlValues = 1000000;

// Every mapping key a non-empty text and every text UTF-8, checked once for the whole document
// so that no reader meets a null key or bytes the JSON reports cannot hold; `count` counts the
// values walked.
void check_tree(const YAML::Node& n, const std::string& file, const std::string& path,
                size_t& count) {
  if (++count > kMaxYamlValues)
    throw_input_error(file, "(document)",
                      "more than " + std::to_string(kMaxYamlValues) + " values (aliases expanded)",
                      "a config of at most " + std::to_string(kMaxYamlValues) + " values");
  const auto where = [&](const YAML::Node& at) {
    return path.empty() ? "line " + std::to_string(at.Mark().line + 1) : path;
  };
  if (n.IsScalar() && !is_utf8(n.Scalar()))
    throw_input_error(file, where(n), "'" + n.Scalar() + "', which is not UTF-8 text",
                      "UTF-8 text");
  if (n.IsSequence())
    for (size_t i = 0; i < n.size(); ++i)
      check_tree(n[i], file, path + "[" + std::to_string(i) + "]", count);
  if (n.IsMap())
    for (const auto& kv : n) {
      const YAML::Node& k = kv.first;
      if (!k.IsScalar() || k.Scalar().empty())
        throw_input_error(file, path.empty() ? "line " + std::to_string(k.Mark().line + 1) : path,
                          k.IsMap()        ? "a mapping as a key"
                          : k.IsSequence() ? "a list as a key"
                                           : "an empty or null key",
                          "keys that are names");
      if (!is_utf8(k.Scalar()))
        throw_input_error(file, where(k), "a key '" + k.Scalar() + "', which is not UTF-8 text",
                          "UTF-8 text");
      check_tree(kv.second, file, path.empty() ? k.Scalar() : path + "." + k.Scalar(), count);
    }
}

}  // namespace

YAML::Node parse_yaml(const std::string& text, const std::string& file) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    throw_input_error(file, "line " + std::to_string(e.mark.line + 1),
                      "a YAML syntax error (" + e.msg + ")", "well-formed YAML");
  }
  if (docs.size() > 1)
    throw_input_error(file, "line " + std::to_string(docs[1].Mark().line + 1),
                      "a second YAML document", "one document per file");
  const YAML::Node root = docs.empty() ? YAML::Node() : docs[0];
  if (!root.IsMap())
    throw_input_error(file, "(document)", quoted(root), "a mapping of keys to values");
  size_t count = 0;
  check_tree(root, file, "", count);
  return root;
}

YAML::Node load_yaml_file(const std::string& path) {
  return parse_yaml(read_file_bytes(path, kMaxYamlBytes), path);
}

std::string yaml_number(double v, int digits) {
  std::ostringstream os;
  os.precision(digits);
  os << v;
  return os.str();
}

std::string resolve_path(const std::string& yaml_file, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_absolute()) return p.string();
  return (std::filesystem::path(yaml_file).parent_path() / p).lexically_normal().string();
}

YAML::Node load_yaml_file(const std::string& path, const Overrides& overrides, std::string& file) {
  YAML::Node root = load_yaml_file(path);
  file = overrides.empty() ? path : path + " (with --set)";
  for (const auto& override : overrides) {
    // Named, not bound: clang 14 cannot capture structured bindings in the lambda below.
    const std::string& key_path = override.first;
    const std::string& text = override.second;
    const auto segment_empty = [&] {
      if (key_path.empty() || key_path.front() == '.' || key_path.back() == '.') return true;
      return key_path.find("..") != std::string::npos;
    };
    if (segment_empty())
      throw_input_error(file, "'" + key_path + "'", "a key path with an empty segment",
                        "KEY or KEY.SUBKEY... with every key named");
    if (!is_utf8(key_path))
      throw_input_error(file, "'" + key_path + "'", "a key path that is not UTF-8 text",
                        "UTF-8 text");
    std::vector<YAML::Node> docs;
    try {
      docs = YAML::LoadAll(text);
    } catch (const YAML::Exception& e) {
      throw_input_error(file, key_path, "'" + text + "', which is not YAML (" + e.msg + ")",
                        "a YAML value");
    }
    if (docs.size() > 1)
      throw_input_error(file, key_path, "'" + text + "', which holds two YAML documents",
                        "one YAML value");
    const YAML::Node value = docs.empty() ? YAML::Node() : docs[0];
    size_t count = 0;
    check_tree(value, file, key_path, count);
    YAML::Node node = root;
    std::string rest = key_path;
    for (size_t dot; (dot = rest.find('.')) != std::string::npos; rest = rest.substr(dot + 1)) {
      const std::string key = rest.substr(0, dot);
      if (node[key] && !node[key].IsMap())
        throw_input_error(file, key_path, "a path through '" + key + "', which is not a mapping",
                          "a key path of nested mappings");
      if (!node[key]) node[key] = YAML::Node(YAML::NodeType::Map);
      node.reset(node[key]);
    }
    node[rest] = value;
  }
  return root;
}

YamlMap::YamlMap(YAML::Node node, std::string file, std::string key_path)
    : node_(std::move(node)), file_(std::move(file)), key_path_(std::move(key_path)) {}

std::string YamlMap::path_of(const std::string& key) const {
  return key_path_.empty() ? key : key_path_ + "." + key;
}

void YamlMap::fail(const std::string& key, const std::string& value,
                   const std::string& allowed) const {
  throw_input_error(file_, path_of(key), value, allowed);
}

bool YamlMap::has(const std::string& key) const {
  return static_cast<bool>(node_[key]);
}

YAML::Node YamlMap::require(const std::string& key) {
  read_.insert(key);
  YAML::Node n = node_[key];
  if (!n) {
    std::string hint;
    for (const auto& kv : node_) {
      const std::string other = kv.first.Scalar();
      if (!read_.count(other) && edit_distance(other, key) <= 2)
        hint = "; is '" + other + "' a misspelling of it?";
    }
    fail(key, "nothing (the key is missing" + hint + ")", "a value for this required key");
  }
  return n;
}

YAML::Node YamlMap::scalar(const std::string& key, const std::string& allowed) {
  YAML::Node n = require(key);
  if (!n.IsScalar()) fail(key, quoted(n), allowed);
  return n;
}

int64_t YamlMap::get_int(const std::string& key, int64_t lo, int64_t hi) {
  const std::string allowed =
      "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  YAML::Node n = scalar(key, allowed);
  // Decimal only: YAML 1.1 would read 016 as octal 14 and 0x10 as 16, which nobody means in a
  // config of sizes and seeds.
  const std::string& t = n.Scalar();
  int64_t v = 0;
  if (!decimal_integer(t, v)) fail(key, quoted(n), allowed + ", written in decimal");
  if (v < lo || v > hi) fail(key, quoted(n), allowed);
  return v;
}

int64_t YamlMap::get_int(const std::string& key, int64_t lo, int64_t hi, int64_t dflt) {
  if (!has(key)) {
    read_.insert(key);
    return dflt;
  }
  return get_int(key, lo, hi);
}

double YamlMap::get_real(const std::string& key, double lo, double hi) {
  const std::string allowed = range_text(lo, hi);
  YAML::Node n = scalar(key, allowed);
  double v = 0;
  try {
    v = n.as<double>();
  } catch (const YAML::Exception&) {
    fail(key, quoted(n), allowed);
  }
  if (!std::isfinite(v) || v < lo || v > hi) fail(key, quoted(n), allowed);
  return v;
}

double YamlMap::get_real(const std::string& key, double lo, double hi, double dflt) {
  if (!has(key)) {
    read_.insert(key);
    return dflt;
  }
  return get_real(key, lo, hi);
}

bool YamlMap::get_bool(const std::string& key) {
  YAML::Node n = scalar(key, "true | false");
  const std::string& s = n.Scalar();
  if (s == "true") return true;
  if (s == "false") return false;
  fail(key, quoted(n), "true | false");
}

bool YamlMap::get_bool(const std::string& key, bool dflt) {
  if (!has(key)) {
    read_.insert(key);
    return dflt;
  }
  return get_bool(key);
}

std::string YamlMap::get_string(const std::string& key) {
  YAML::Node n = scalar(key, "a string");
  if (n.Scalar().empty()) fail(key, "''", "a non-empty string");
  return n.Scalar();
}

std::string YamlMap::get_string(const std::string& key, const std::string& dflt) {
  if (!has(key)) {
    read_.insert(key);
    return dflt;
  }
  return get_string(key);
}

std::string YamlMap::get_enum(const std::string& key, const std::vector<std::string>& allowed) {
  YAML::Node n = scalar(key, join(allowed));
  for (const auto& a : allowed)
    if (n.Scalar() == a) return a;
  fail(key, quoted(n), join(allowed));
}

std::string YamlMap::get_enum(const std::string& key, const std::vector<std::string>& allowed,
                              const std::string& dflt) {
  if (!has(key)) {
    read_.insert(key);
    return dflt;
  }
  return get_enum(key, allowed);
}

YamlMap YamlMap::get_map(const std::string& key) {
  YAML::Node n = require(key);
  if (!n.IsMap()) fail(key, quoted(n), "a mapping of keys to values");
  return YamlMap(n, file_, path_of(key));
}

YAML::Node YamlMap::node(const std::string& key) {
  return require(key);
}

std::vector<std::string> YamlMap::node_keys() const {
  std::vector<std::string> keys;
  for (const auto& kv : node_) keys.push_back(kv.first.Scalar());
  return keys;
}

void YamlMap::finish() const {
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    const std::string key = kv.first.Scalar();
    if (!seen.insert(key).second) fail(key, "a second value (duplicate key)", "each key once");
    if (!read_.count(key)) {
      std::string known;
      for (const auto& k : read_) known += (known.empty() ? "" : " | ") + k;
      fail(key, "an unknown key", known.empty() ? "no keys here" : known);
    }
  }
}

}  // namespace sparrow
