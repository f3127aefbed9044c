#include "common/error.h"

namespace sparrow {

void throw_input_error(const std::string& file, const std::string& key, const std::string& value,
                       const std::string& allowed) {
  std::string msg = file;
  if (!key.empty()) msg += ": " + key;
  msg += ": got " + value + "; allowed: " + allowed;
  for (char& ch : msg)
    if (ch == '\n' || ch == '\r') ch = ' ';
  throw InputError(msg);
}

}  // namespace sparrow
