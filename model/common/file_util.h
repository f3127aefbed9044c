// Writing output files so that a failed or interrupted run never leaves a half-written file: the
// bytes go to a temporary file beside the target, which is then renamed over it.
#pragma once

#include <string>

namespace sparrow {

void write_file_atomic(const std::string& path, const std::string& bytes);
std::string read_file_bytes(const std::string& path);  // InputError if it cannot be read

}  // namespace sparrow
