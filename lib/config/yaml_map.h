// A YAML mapping being read into a typed config struct. Every read names the key path, so a bad
// value is reported as "FILE: a.b.c: got V; allowed: ..."; finish() rejects keys nobody read.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sparrow {

// Parses `path` (errors name the file and line); the document must be a mapping.
YAML::Node load_yaml_file(const std::string& path);
// The same for YAML text that `file` names in errors.
YAML::Node parse_yaml(const std::string& text, const std::string& file);

// `v` as YAML text, in C++'s general notation with `digits` significant digits (trailing zeros
// dropped): the default 17 reads back as the same double, so an override carries the exact value;
// fewer digits round away the last bits of an accumulated sum (0.1 + 0.2 is 0.3 at 12 digits).
std::string yaml_number(double v, int digits = 17);

// `path` as written in `yaml_file`: relative paths are relative to that file's folder.
std::string resolve_path(const std::string& yaml_file, const std::string& path);

// Key-path overrides of a config, such as {"mac_array.pes", "32"}; each value is YAML text.
using Overrides = std::vector<std::pair<std::string, std::string>>;

// Loads `path` with the overrides applied (missing mappings on the way are created); `file`
// becomes the name errors use: the path, marked as overridden when there are overrides.
YAML::Node load_yaml_file(const std::string& path, const Overrides& overrides, std::string& file);

class YamlMap {
 public:
  YamlMap(YAML::Node node, std::string file, std::string key_path);

  bool has(const std::string& key) const;
  int64_t get_int(const std::string& key, int64_t lo, int64_t hi);
  int64_t get_int(const std::string& key, int64_t lo, int64_t hi, int64_t dflt);
  double get_real(const std::string& key, double lo, double hi);
  double get_real(const std::string& key, double lo, double hi, double dflt);
  bool get_bool(const std::string& key);
  bool get_bool(const std::string& key, bool dflt);
  std::string get_string(const std::string& key);
  std::string get_string(const std::string& key, const std::string& dflt);
  std::string get_enum(const std::string& key, const std::vector<std::string>& allowed);
  std::string get_enum(const std::string& key, const std::vector<std::string>& allowed,
                       const std::string& dflt);
  YamlMap get_map(const std::string& key);
  YAML::Node node(const std::string& key);     // any value, marked read
  std::vector<std::string> node_keys() const;  // this mapping's keys, in order
  void mark_read(const std::string& key) { read_.insert(key); }

  // Rejects every key of this mapping that no getter asked for.
  void finish() const;

  [[noreturn]] void fail(const std::string& key, const std::string& value,
                         const std::string& allowed) const;
  const std::string& file() const { return file_; }
  std::string path_of(const std::string& key) const;

 private:
  YAML::Node require(const std::string& key);
  YAML::Node scalar(const std::string& key, const std::string& allowed);

  YAML::Node node_;
  std::string file_;
  std::string key_path_;
  std::set<std::string> read_;
};

}  // namespace sparrow
