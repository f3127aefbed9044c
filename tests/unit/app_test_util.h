// Helpers of the host application tests (test_app, test_wordlm): temporary input files and the
// InputError a loader throws.
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "common/error.h"

namespace sparrow::test {

// Writes `text` to the test's temporary folder SPARROW_TEST_TMP/dir/name; returns the path.
inline std::string write_temp(const std::string& dir, const std::string& name,
                              const std::string& text) {
  const std::filesystem::path d = std::filesystem::path(SPARROW_TEST_TMP) / dir;
  std::filesystem::create_directories(d);
  const std::string path = (d / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// The message of the InputError `f` throws, or "no InputError".
inline std::string input_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no InputError";
}

}  // namespace sparrow::test
