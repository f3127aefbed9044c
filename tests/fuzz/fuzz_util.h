// Helpers of the fuzz targets. A loader's only allowed answer to a malformed input is an
// InputError (one line naming the file, the key, the value and what is allowed); any other
// exception escapes the target and is a finding, as are crashes, leaks, sanitizer reports and
// hangs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.h"

namespace sparrow::fuzz {

inline std::string text(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

template <typename F>
void only_input_errors(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    if (std::string(e.what()).find('\n') != std::string::npos) throw;  // not one line
  }
}

// A property every accepted input must have; a violation aborts (a finding).
void require(bool ok, const char* what);

}  // namespace sparrow::fuzz
