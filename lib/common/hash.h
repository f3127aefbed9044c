// FNV-1a, 64 bits: a short stable hash of a text (sweep point keys, cached-model file names). Not
// cryptographic.
#pragma once

#include <cstdint>
#include <string>

namespace sparrow {

inline uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace sparrow
