#include "cli/output_dir.h"

#include <filesystem>
#include <system_error>

#include "common/error.h"
#include "common/file_util.h"

namespace sparrow {

void OutputDir::commit() const {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec || !std::filesystem::is_directory(dir_))
    throw_input_error(dir_, "--out", "a folder that cannot be created (" + ec.message() + ")",
                      "a writable folder");
  for (const auto& [name, bytes] : files_)
    write_file_atomic((std::filesystem::path(dir_) / name).string(), bytes);
}

std::vector<std::string> OutputDir::names() const {
  std::vector<std::string> n;
  for (const auto& f : files_) n.push_back(f.first);
  return n;
}

}  // namespace sparrow
