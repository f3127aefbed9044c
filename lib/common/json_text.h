// The one way sparrow writes JSON text: strings that are not UTF-8 (a path or a name given as raw
// bytes) are written with U+FFFD in place of their bad bytes instead of aborting the writer.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sparrow {

inline std::string json_text(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sparrow
